"""Bodies (机关), their escrow keys, where each concern category goes, and transfer stubs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, text
from sqlalchemy.orm import Mapped, mapped_column

from portal.domain.bodies import BodyKind, BodyLevel
from portal.domain.cases import Category
from portal.extensions import db

_BODY_KINDS = ", ".join(f"'{k.value}'" for k in BodyKind)
_LEVELS = ", ".join(f"'{level.value}'" for level in BodyLevel)
_CATEGORIES = ", ".join(f"'{c.value}'" for c in Category)


class Body(db.Model):
    """One body of the deployment's tree: a commission, its dispatched groups, townships, departments."""

    __tablename__ = "bodies"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_BODY_KINDS})", name="body_kind"),
        CheckConstraint(f"level IN ({_LEVELS})", name="body_level"),
        # At most one default body (the service keeps at least one): a partial unique index.
        Index(
            "ix_bodies_one_default",
            "is_default",
            unique=True,
            postgresql_where=text("is_default"),
            sqlite_where=text("is_default"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Full name (某县纪委监委).
    name: Mapped[str] = mapped_column(String(100), unique=True)
    #: Short name for document numbers (青纪).
    short_name: Mapped[str] = mapped_column(String(20))
    #: commission, dispatched, township or department.
    kind: Mapped[str] = mapped_column(String(16))
    #: province, city, county or township.
    level: Mapped[str] = mapped_column(String(16))
    #: The body above it; NULL for the root(s).
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id"), index=True)
    #: Cadre ranks it handles (干部管理权限), codes joined by commas.
    ranks: Mapped[str] = mapped_column(String(64), default="")
    #: Whether a cadre may see that this body handles their case (and pick it on the form).
    name_public: Mapped[bool] = mapped_column(default=True)
    #: The body the cadre's form preselects; exactly one body has it.
    is_default: Mapped[bool] = mapped_column(default=False)
    #: Created, to the hour.
    created_at: Mapped[dt.datetime]


class CategoryRoute(db.Model):
    """The body a new concern of a category goes to unless the cadre chose another."""

    __tablename__ = "category_routes"
    __table_args__ = (CheckConstraint(f"category IN ({_CATEGORIES})", name="routed_category"),)

    category: Mapped[str] = mapped_column(String(32), primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"))


class EscrowKey(db.Model):
    """A body's escrow key pair: every case the body handles is sealed to it."""

    __tablename__ = "escrow_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The body whose cases it recovers; one escrow key per body.
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"), unique=True)
    #: Public key (suite byte, then X25519 or SM2; a bare 32 bytes is intl from before suites).
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    #: Credential record of the escrow passphrase (Argon2id, or PBKDF2-HMAC-SM3).
    credential: Mapped[bytes] = mapped_column(LargeBinary)
    #: The private key, wrapped under the passphrase's wrap key.
    wrapped_private_key: Mapped[bytes] = mapped_column(LargeBinary)
    #: Created, to the hour.
    created_at: Mapped[dt.datetime]


class Transfer(db.Model):
    """A case moved from one body to another (转办, 转送, 报送上一级): the source's stub."""

    __tablename__ = "transfers"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The case; the source body holds no key for it any more.
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    from_body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), index=True)
    to_body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    #: Why: a code (portal.domain.bodies.TransferReason), plain like a state.
    reason: Mapped[str] = mapped_column(String(24))
    #: Who sent it.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: When, to the hour.
    created_at: Mapped[dt.datetime]
    #: The target must accept or refuse by this day (working days, configurable).
    due_on: Mapped[dt.date | None]
