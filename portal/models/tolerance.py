"""The 容错纠错 decision of a fault-tolerance application: encrypted under the case key (issue 10)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, LargeBinary
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class ToleranceDecision(db.Model):
    """The current proposal or decision: reasons, 纠错 measures and their progress, the 集体研究 record."""

    __tablename__ = "tolerance_decisions"

    #: The case (one decision at a time; a new proposal after a return or an objection replaces it).
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    #: Last change, to the hour.
    updated_at: Mapped[dt.datetime]
    #: JSON of portal.domain.tolerance.Decision, under the case key.
    content: Mapped[bytes] = mapped_column(LargeBinary)
