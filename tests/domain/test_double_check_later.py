"""一信双查 after the referral (h11x): the engine allows it only once something was referred, to case
workers, and the referral module dates it within the case."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from portal.domain.cases import AccusationFlag, State
from portal.domain.referral import BadDate, CheckDateRefused, checked_later_valid
from portal.domain.workflow import Action, NotPermitted, WrongState, allowed, apply
from tests.domain.test_workflow import CLAR, DAY, I1, R1, S1, D, U, at

FILED, TODAY = date(2026, 3, 2), date(2026, 6, 1)


def test_it_is_offered_to_case_workers_only_once_the_accusation_is_referred():
    flagged = at(CLAR, State.CARRIED_OUT, flag=AccusationFlag.SUSPECTED_MALICIOUS)
    assert Action.CHECK_ACCUSER not in allowed(flagged, R1, DAY, D)
    with pytest.raises(WrongState):
        apply(flagged, R1, Action.CHECK_ACCUSER, DAY, D)
    referred = replace(flagged, referred=True)
    for actor in (R1, S1):
        assert Action.CHECK_ACCUSER in allowed(referred, actor, DAY, D)
        outcome = apply(referred, actor, Action.CHECK_ACCUSER, DAY, D)
        assert outcome.facts.state is State.CARRIED_OUT and not outcome.visible_to_submitter
    for actor in (I1, U):
        with pytest.raises(NotPermitted):
            apply(referred, actor, Action.CHECK_ACCUSER, DAY, D)


@pytest.mark.parametrize("day", [FILED, FILED + timedelta(days=30), TODAY])
def test_a_day_from_the_filing_to_today_is_accepted(day):
    checked_later_valid(FILED, day, TODAY)


@pytest.mark.parametrize("day", [FILED - timedelta(days=1), TODAY + timedelta(days=1)])
def test_a_day_before_the_filing_or_after_today_is_refused(day):
    with pytest.raises(CheckDateRefused) as refused:
        checked_later_valid(FILED, day, TODAY)
    assert isinstance(refused.value, BadDate) and refused.value.field == "checked_on"
