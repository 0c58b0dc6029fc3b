"""The tamper-evident audit log: who did what to which case, when (staff to the minute)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class AuditEntry(db.Model):
    """One action; never any case content."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_case", "case_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    #: When (UTC): to the minute when a staff member acted, to the hour when none did.
    at: Mapped[dt.datetime]
    #: The staff member who acted; NULL for the submitter or an unknown account.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: What was done, as a code (sign_in, case_view, transition:accept...).
    action: Mapped[str] = mapped_column(String(64), index=True)
    #: The case concerned, if any.
    case_id: Mapped[str | None] = mapped_column(String(32))
    #: The account concerned, if any (account changes, grants).
    target_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: A short code-only remark (e.g. a failure reason); never free text.
    detail: Mapped[str | None] = mapped_column(String(64))
    #: Hash of the entry before.
    prev_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    #: SHA-256 over prev_hash and this entry's fields.
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class AuditHead(db.Model):
    """The chain's tip; locked while appending so concurrent writers never fork the chain."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Id of the newest entry (0 when empty).
    last_id: Mapped[int] = mapped_column(default=0)
    #: Hash of the newest entry.
    last_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
