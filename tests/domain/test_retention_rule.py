"""The archive period's arithmetic: whole years from the closing day, never a day less."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.domain.cases import State
from portal.domain.retention import ClosedCase, is_due, latest_closing_due


def closed(on: dt.date, state: State = State.CLOSED, pending: bool = False) -> ClosedCase:
    return ClosedCase("c1", state, on, pending)


@pytest.mark.parametrize(
    ("closed_on", "first_due"),
    [
        (dt.date(2021, 6, 15), dt.date(2026, 6, 15)),
        (dt.date(2020, 2, 29), dt.date(2025, 3, 1)),  # no 29 February in 2025: kept until 1 March
        (dt.date(2023, 2, 28), dt.date(2028, 2, 28)),
    ],
)
def test_a_case_is_due_on_the_day_its_period_ends_and_not_the_day_before(closed_on, first_due):
    assert not is_due(closed(closed_on), first_due - dt.timedelta(days=1), 5)
    assert is_due(closed(closed_on), first_due, 5)


def test_on_29_february_the_cases_closed_on_28_february_are_due():
    assert latest_closing_due(dt.date(2028, 2, 29), 1) == dt.date(2027, 2, 28)


@pytest.mark.parametrize("state", [State.SUBMITTED, State.IN_PROGRESS, State.ANSWERED, State.PLAN_APPROVED])
def test_an_open_case_is_never_due(state):
    assert not is_due(closed(dt.date(2000, 1, 1), state), dt.date(2026, 1, 1), 5)


def test_a_pending_correction_keeps_the_case():
    assert not is_due(closed(dt.date(2000, 1, 1), State.CARRIED_OUT, pending=True), dt.date(2026, 1, 1), 5)
    assert is_due(closed(dt.date(2000, 1, 1), State.CARRIED_OUT), dt.date(2026, 1, 1), 5)


def test_a_negative_period_is_refused():
    with pytest.raises(ValueError):
        latest_closing_due(dt.date(2026, 1, 1), -1)
