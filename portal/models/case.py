"""A case: routing metadata in plain text, everything else encrypted under its key."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain.cases import Category, Kind, State
from portal.extensions import db
from portal.models.types import new_id

_KINDS = ", ".join(f"'{k.value}'" for k in Kind)
_STATES = ", ".join(f"'{s.value}'" for s in State)
_CATEGORIES = ", ".join(f"'{c.value}'" for c in Category)


class Case(db.Model):
    """One concern or clarification request."""

    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_KINDS})", name="kind"),
        CheckConstraint(f"state IN ({_STATES})", name="state"),
        CheckConstraint(f"category IS NULL OR category IN ({_CATEGORIES})", name="category"),
        CheckConstraint(
            "(kind = 'concern') = (category IS NOT NULL)", name="category_only_for_concerns"
        ),
        Index("ix_cases_state_created", "state", "created_at", "id"),
    )

    #: Random id; names the case in every ciphertext's associated data.
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    #: concern or clarification.
    kind: Mapped[str] = mapped_column(String(16))
    #: Current workflow state; only the workflow module changes it.
    state: Mapped[str] = mapped_column(String(32), default=State.SUBMITTED.value)
    #: Concern category (plain metadata); NULL for clarification requests.
    category: Mapped[str | None] = mapped_column(String(32))
    #: Filed at, to the hour.
    created_at: Mapped[dt.datetime]
    #: Last change, to the hour.
    updated_at: Mapped[dt.datetime]
    #: HKDF(Argon2id(receipt)) "lookup" value; a receipt check is one indexed query.
    receipt_lookup: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    #: The case data key under the receipt's wrap key (AES-GCM).
    submitter_key: Mapped[bytes] = mapped_column(LargeBinary)
    #: The case data key sealed to the deployment's escrow public key.
    escrow_key: Mapped[bytes] = mapped_column(LargeBinary)
    #: The submission's form fields (JSON) under the data key.
    submission: Mapped[bytes] = mapped_column(LargeBinary)

    keys: Mapped[list[CaseKey]] = relationship(back_populates="case", cascade="all, delete-orphan")
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseEvent.position"
    )


class CaseKey(db.Model):
    """The case data key sealed to one reviewer's public key."""

    __tablename__ = "case_keys"

    #: The case.
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    #: The reviewer or supervisor who can open it.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    #: Sealed box of the data key.
    sealed_key: Mapped[bytes] = mapped_column(LargeBinary)

    case: Mapped[Case] = relationship(back_populates="keys")


class CaseEvent(db.Model):
    """One step of a case's timeline (state changes, mostly)."""

    __tablename__ = "case_events"
    __table_args__ = (UniqueConstraint("case_id", "position"),)

    #: Random id; names the event in its reason's associated data.
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    #: The case.
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: Order within the case (times are only to the hour).
    position: Mapped[int]
    #: When, to the hour.
    created_at: Mapped[dt.datetime]
    #: State the case entered.
    state: Mapped[str] = mapped_column(String(32))
    #: Whether the submitter's status page shows this step.
    visible_to_submitter: Mapped[bool] = mapped_column(default=True)
    #: Reason or remark for the step, under the case data key; optional.
    reason: Mapped[bytes | None] = mapped_column(LargeBinary)

    case: Mapped[Case] = relationship(back_populates="events")
