"""What the archive period allows to be shredded: pure date arithmetic, no database.

A case is kept for the archive period (the commission's 档案 rules; whole years) counted
from the day it entered a terminal state. No move leaves a terminal state, so that day
never changes. A case whose published notice has a correction waiting for the cadre's
consent is still being worked on and is not due, whatever its age.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portal.domain.cases import State
from portal.domain.workflow_rules import TERMINAL


@dataclass(frozen=True)
class ClosedCase:
    """A case's retention facts: its state, the day it closed, whether a correction is pending."""

    case_id: str
    state: State
    closed_on: dt.date
    correction_pending: bool = False


def latest_closing_due(today: dt.date, archive_years: int) -> dt.date:
    """The last closing day whose archive period is over by ``today``.

    A case closed on 29 February is kept until 1 March of the year the period ends
    (never a day less than the period); so ``today`` 28 February gives back 28 February.
    """
    if archive_years < 0:
        raise ValueError("the archive period cannot be negative")
    try:
        return today.replace(year=today.year - archive_years)
    except ValueError:  # today is 29 February and that year has none
        return today.replace(year=today.year - archive_years, day=28)


def is_due(case: ClosedCase, today: dt.date, archive_years: int) -> bool:
    """Whether the archive period of a closed case is over and it may be shredded."""
    return (
        case.state in TERMINAL
        and not case.correction_pending
        and case.closed_on <= latest_closing_due(today, archive_years)
    )
