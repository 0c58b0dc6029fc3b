"""One referral's course (移送 of a suspected malicious accusation): its outcomes and feedback dates.

The case engine decides whether a person may record an outcome on the case at all (role,
state, the case being referred); this module decides what one referral may become next and
when the receiving body is next to be asked for feedback. A case may have several referrals
(纪检 and 公安, say), each with its own course.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from types import MappingProxyType

from portal.domain.cases import ReferralOutcome
from portal.domain.workflow import Deadlines, WrongState
from portal.domain.workflow_rules import Action
from portal.domain.working_days import add_working_days

#: The case step that records each outcome (its audit entry and timeline line).
OUTCOME_ACTIONS: Mapping[ReferralOutcome, Action] = MappingProxyType(
    {
        ReferralOutcome.FILED: Action.REFERRAL_FILED,
        ReferralOutcome.HANDLED: Action.REFERRAL_HANDLED,
        ReferralOutcome.NOT_PURSUED: Action.REFERRAL_NOT_PURSUED,
    }
)

#: Outcomes after which nothing more is awaited from the receiving body.
FINAL: frozenset[ReferralOutcome] = frozenset({ReferralOutcome.HANDLED, ReferralOutcome.NOT_PURSUED})

#: What may follow each outcome (None: nothing reported yet). A body may decide without 立案
#: (a 党组织's 批评教育), and may drop a case it had filed (撤案: not pursued).
_NEXT: Mapping[ReferralOutcome | None, frozenset[ReferralOutcome]] = MappingProxyType(
    {
        None: frozenset(ReferralOutcome),
        ReferralOutcome.FILED: FINAL,
        ReferralOutcome.HANDLED: frozenset(),
        ReferralOutcome.NOT_PURSUED: frozenset(),
    }
)


class OutcomeRefused(WrongState):
    """Raised so a referral's outcome follows its course (nothing after a final outcome)."""

    code = "referral_outcome"


class BadDate(ValueError):
    """Raised so a referral's dates are neither in the future nor before the referral."""

    def __init__(self, field: str) -> None:
        super().__init__(f"{field} is outside the referral's course")
        self.field = field


@dataclass(frozen=True)
class Course:
    """The plain facts of one referral: what it became, when, and when to ask for feedback."""

    referred_on: date
    outcome: ReferralOutcome | None = None
    filed_on: date | None = None
    concluded_on: date | None = None
    feedback_due: date | None = None

    def __post_init__(self) -> None:
        """Turn a stored code into the enum, so identity checks hold."""
        if self.outcome is not None:
            object.__setattr__(self, "outcome", ReferralOutcome(self.outcome))

    @property
    def concluded(self) -> bool:
        return self.outcome in FINAL

    def next_outcomes(self) -> frozenset[ReferralOutcome]:
        """What the receiving body may report next."""
        return _NEXT[self.outcome]

    def overdue(self, today: date) -> bool:
        """Whether the day to ask for feedback has passed with nothing final reported."""
        return self.feedback_due is not None and today > self.feedback_due


def opened(referred_on: date, today: date, deadlines: Deadlines) -> Course:
    """A new referral: feedback is asked for a set number of working days after it."""
    if referred_on > today:
        raise BadDate("referred_on")
    return Course(
        referred_on=referred_on,
        feedback_due=add_working_days(referred_on, deadlines.referral_feedback_working_days),
    )


def record(course: Course, outcome: ReferralOutcome | str, on: date, today: date, deadlines: Deadlines) -> Course:
    """The course after the receiving body reports ``outcome`` dated ``on``; raises when it may not."""
    outcome = ReferralOutcome(outcome)
    if outcome not in course.next_outcomes():
        raise OutcomeRefused(f"a referral that is {course.outcome} cannot become {outcome}")
    if on > today or on < course.referred_on or (course.filed_on is not None and on < course.filed_on):
        raise BadDate("on")
    if outcome is ReferralOutcome.FILED:
        due = add_working_days(on, deadlines.filed_feedback_working_days)
        return replace(course, outcome=outcome, filed_on=on, feedback_due=due)
    return replace(course, outcome=outcome, concluded_on=on, feedback_due=None)


def checked_on_valid(referred_on: date, checked_on: date, today: date) -> None:
    """一信双查 is recorded as done by the referral at the latest, and never in the future."""
    if checked_on > today or checked_on > referred_on:
        raise BadDate("checked_on")


class CheckDateRefused(BadDate):
    """Raised so a 一信双查 recorded later is dated within the case: not before it was filed, not in the future."""


def checked_later_valid(filed_on: date, checked_on: date, today: date) -> None:
    """一信双查 recorded after the referral: done while the case was handled, so not before it was
    filed, and never in the future (it may predate the referral: the box was not ticked then)."""
    if checked_on > today or checked_on < filed_on:
        raise CheckDateRefused("checked_on")
