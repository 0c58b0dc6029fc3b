"""One referral's course: what it may become next, and when the receiving body is asked for feedback."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.domain.cases import ReferralOutcome
from portal.domain.referral import BadDate, OutcomeRefused, checked_on_valid, opened, record
from portal.domain.workflow import Deadlines
from portal.domain.working_days import add_working_days

D = Deadlines(referral_feedback_working_days=30, filed_feedback_working_days=60)
TODAY = dt.date(2026, 12, 1)
BEFORE_NATIONAL_DAY = dt.date(2026, 9, 29)


def test_feedback_is_asked_for_in_working_days_after_the_referral_across_a_holiday():
    course = opened(BEFORE_NATIONAL_DAY, TODAY, D)
    assert course.feedback_due == add_working_days(BEFORE_NATIONAL_DAY, 30)
    assert course.feedback_due > BEFORE_NATIONAL_DAY + dt.timedelta(days=42)  # the Golden Week is not counted
    assert course.overdue(TODAY) and not course.overdue(course.feedback_due)


def test_filing_restarts_the_feedback_clock_and_a_final_outcome_stops_it():
    course = record(opened(BEFORE_NATIONAL_DAY, TODAY, D), ReferralOutcome.FILED, dt.date(2026, 10, 20), TODAY, D)
    assert course.filed_on == dt.date(2026, 10, 20)
    assert course.feedback_due == add_working_days(dt.date(2026, 10, 20), 60)
    done = record(course, "handled", TODAY, TODAY, D)
    assert (done.outcome, done.concluded_on, done.feedback_due) == (ReferralOutcome.HANDLED, TODAY, None)
    assert done.concluded and not done.overdue(dt.date(2030, 1, 1)) and done.next_outcomes() == frozenset()


@pytest.mark.parametrize("final", [ReferralOutcome.HANDLED, ReferralOutcome.NOT_PURSUED])
def test_nothing_follows_a_final_outcome(final):
    course = record(opened(BEFORE_NATIONAL_DAY, TODAY, D), final, TODAY, TODAY, D)
    for outcome in ReferralOutcome:
        with pytest.raises(OutcomeRefused):
            record(course, outcome, TODAY, TODAY, D)


def test_a_filed_referral_is_not_filed_twice():
    course = record(opened(BEFORE_NATIONAL_DAY, TODAY, D), ReferralOutcome.FILED, TODAY, TODAY, D)
    with pytest.raises(OutcomeRefused):
        record(course, ReferralOutcome.FILED, TODAY, TODAY, D)


@pytest.mark.parametrize(
    "on", [TODAY + dt.timedelta(days=1), BEFORE_NATIONAL_DAY - dt.timedelta(days=1)], ids=["future", "before"]
)
def test_an_outcome_is_dated_between_the_referral_and_today(on):
    with pytest.raises(BadDate):
        record(opened(BEFORE_NATIONAL_DAY, TODAY, D), ReferralOutcome.FILED, on, TODAY, D)


def test_a_referral_is_not_dated_in_the_future_nor_its_check_of_the_accuser_after_it():
    with pytest.raises(BadDate):
        opened(TODAY + dt.timedelta(days=1), TODAY, D)
    with pytest.raises(BadDate):
        checked_on_valid(BEFORE_NATIONAL_DAY, BEFORE_NATIONAL_DAY + dt.timedelta(days=1), TODAY)
    checked_on_valid(BEFORE_NATIONAL_DAY, BEFORE_NATIONAL_DAY, TODAY)
