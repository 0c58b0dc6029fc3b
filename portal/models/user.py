"""Staff accounts: reviewers, supervisors and admins."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.domain.staff import StaffRole
from portal.extensions import db


class User(db.Model):
    """A staff account of one body; everyone but an admin holds a key pair."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(f"role IN ({', '.join(repr(r.value) for r in StaffRole)})", name="role"),
        CheckConstraint("(role = 'admin') = (public_key IS NULL)", name="only_case_workers_hold_keys"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Sign-in name.
    username: Mapped[str] = mapped_column(String(64), unique=True)
    #: intake, reviewer, supervisor, leader or admin (portal.domain.staff.StaffRole).
    role: Mapped[str] = mapped_column(String(16))
    #: The body the account belongs to; its role is held there.
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), index=True)
    #: A reviewer's supervisor (审核人): an assignment seals the case to both.
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Argon2id credential record (cost, salt, verifier) of the password.
    credential: Mapped[bytes] = mapped_column(LargeBinary)
    #: TOTP secret under the password's wrap key.
    totp_secret: Mapped[bytes] = mapped_column(LargeBinary)
    #: X25519 public key; cases are sealed to it. NULL for admins.
    public_key: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: The private key, wrapped under the password's wrap key. NULL for admins.
    wrapped_private_key: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: Set once the user confirmed a TOTP code at first sign-in.
    totp_enrolled: Mapped[bool] = mapped_column(default=False)
    #: Last TOTP time step accepted; an older or equal one is a replay.
    totp_last_step: Mapped[int] = mapped_column(default=0)
    #: Bumped when an account is disabled or reset: every session opened before stops working.
    session_epoch: Mapped[int] = mapped_column(default=0)
    #: A disabled account cannot sign in and gets no new cases.
    disabled: Mapped[bool] = mapped_column(default=False)
    #: A key-holding supervisor (never an admin, never the account itself) vouched for this
    #: case worker; until then, and again after a reset, no case key is sealed to it.
    keys_confirmed: Mapped[bool] = mapped_column(default=False)
    #: Created, to the hour.
    created_at: Mapped[dt.datetime]
