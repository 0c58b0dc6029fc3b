"""The 诬告陷害 ledger: referrals of a suspected malicious accusation, and the 提醒教育 of a mistaken one.

Plain: the case, the kind of receiving body, dates, the outcome code and when to ask for
feedback (what the ledger lists without opening a case). Under the case's data key: the
receiving body's name, its reference, what was checked about the accuser (一信双查), what the
body decided, and every note.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.domain.cases import ReferralOutcome, ReferralTarget, ReminderForm
from portal.extensions import db
from portal.models.types import new_id

_TARGETS = ", ".join(f"'{t.value}'" for t in ReferralTarget)
_OUTCOMES = ", ".join(f"'{o.value}'" for o in ReferralOutcome)
_FORMS = ", ".join(f"'{f.value}'" for f in ReminderForm)
#: The outcome, '' while nothing is reported (a CHECK on a NULL outcome would pass unexamined).
_OUTCOME = "COALESCE(outcome, '')"


class Referral(db.Model):
    """One 移送 of a case's accusation to a receiving body, and what became of it."""

    __tablename__ = "referrals"
    __table_args__ = (
        CheckConstraint(f"target IN ({_TARGETS})", name="target"),
        CheckConstraint(f"outcome IS NULL OR outcome IN ({_OUTCOMES})", name="outcome"),
        CheckConstraint(
            f"(outcome IS NULL AND filed_on IS NULL) OR ({_OUTCOME} = 'filed' AND filed_on IS NOT NULL)"
            f" OR {_OUTCOME} IN ('handled', 'not_pursued')",
            name="filed_dated",
        ),
        CheckConstraint(
            f"({_OUTCOME} IN ('handled', 'not_pursued')) = (concluded_on IS NOT NULL)", name="concluded_dated"
        ),
        CheckConstraint(f"({_OUTCOME} IN ('handled', 'not_pursued')) = (feedback_due IS NULL)", name="feedback_due"),
        CheckConstraint(f"({_OUTCOME} IN ('handled', 'not_pursued')) = (result IS NOT NULL)", name="result_when_final"),
        CheckConstraint("double_check = (checked_on IS NOT NULL)", name="double_check_dated"),
        CheckConstraint("double_check = (check_note IS NOT NULL)", name="double_check_recorded"),
        UniqueConstraint("case_id", "position"),
        Index("ix_referrals_feedback_due", "feedback_due", "id"),
    )

    #: Random id; names the referral in its ciphertexts' associated data.
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    #: The case whose accusation was referred.
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: Order within the case.
    position: Mapped[int]
    #: The kind of receiving body (portal.domain.cases.ReferralTarget).
    target: Mapped[str] = mapped_column(String(16))
    #: The day of the referral (移送函's date).
    referred_on: Mapped[dt.date]
    #: What the receiving body reported last (ReferralOutcome); NULL while nothing is.
    outcome: Mapped[str | None] = mapped_column(String(16))
    #: The day it reported 立案.
    filed_on: Mapped[dt.date | None]
    #: The day of its final outcome (处理结果 or 不予追究).
    concluded_on: Mapped[dt.date | None]
    #: Ask the receiving body for feedback by this day; NULL once the outcome is final.
    feedback_due: Mapped[dt.date | None]
    #: 一信双查: the accuser was checked together with the accusation.
    double_check: Mapped[bool] = mapped_column(default=False)
    #: The day of that check.
    checked_on: Mapped[dt.date | None]
    #: Who recorded that check (at the referral, or later on the accusation page).
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Who referred it.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: When it was recorded, to the hour.
    created_at: Mapped[dt.datetime]
    #: The receiving body's name, under the case key.
    body_name: Mapped[bytes] = mapped_column(LargeBinary)
    #: The referral's reference (文号), under the case key.
    reference: Mapped[bytes] = mapped_column(LargeBinary)
    #: Notes on the referral, under the case key; optional.
    notes: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: What was checked about the accuser (一信双查), under the case key.
    check_note: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: What the 立案 report said (its case number...), under the case key; optional.
    filed_note: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: What was decided (处理结果) or why it is not pursued (不予追究), under the case key.
    result: Mapped[bytes | None] = mapped_column(LargeBinary)


class AccuserReminder(db.Model):
    """The 提醒教育 given to a mistaken accuser (错告)."""

    __tablename__ = "accuser_reminders"
    __table_args__ = (CheckConstraint(f"form IN ({_FORMS})", name="reminder_form"),)

    #: Random id; names the reminder in its note's associated data.
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    #: The case whose accuser was reminded.
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: The day it was given.
    given_on: Mapped[dt.date]
    #: How (ReminderForm).
    form: Mapped[str] = mapped_column(String(16))
    #: Who recorded it.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: When it was recorded, to the hour.
    created_at: Mapped[dt.datetime]
    #: What was said and to whom, under the case key.
    note: Mapped[bytes] = mapped_column(LargeBinary)
