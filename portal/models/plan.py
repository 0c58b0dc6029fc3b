"""The clarification plan of a found-false case: encrypted under the case key until published."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, LargeBinary
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class ClarificationPlan(db.Model):
    """The current plan and notice draft, and the record of each mode carried out."""

    __tablename__ = "clarification_plans"

    #: The case (one plan at a time; a new draft replaces a declined or returned one).
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    #: Who drafted it (the four-eyes check uses the case's proposer_id).
    drafted_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: Last change, to the hour.
    updated_at: Mapped[dt.datetime]
    #: JSON of forms, scope, notice draft and records of forms done, under the case key.
    content: Mapped[bytes] = mapped_column(LargeBinary)


class PendingCorrection(db.Model):
    """A correction of a published notice that changes what it says about the cadre: it waits,
    under the case key like any draft, until the cadre consents (then it is published) or declines."""

    __tablename__ = "pending_corrections"

    #: The case (one pending correction at a time; the engine's correction_pending says so).
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    #: The notice it would correct.
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"))
    #: The supervisor who proposed it.
    proposed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: Proposed, to the hour.
    created_at: Mapped[dt.datetime]
    #: JSON {"changes": {field: new value}, "reason": text}, under the case key.
    content: Mapped[bytes] = mapped_column(LargeBinary)
