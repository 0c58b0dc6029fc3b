"""h11s1: each step writes its statistics milestone once, to the day, in OpenedCase.step."""

from __future__ import annotations

import datetime as dt

from portal.domain.cases import Kind
from portal.domain.milestones import Dues, Milestones, after_step
from portal.extensions import db
from portal.models import Case
from portal.services import case_state
from tests.factories import gen_case


def test_a_carried_out_clarification_has_every_milestone(app):
    with app.app_context():
        case = db.session.get(Case, gen_case("clarification", "carried_out").case_id)
        today = case_state.today()
        assert (case.accepted_on, case.concluded_on, case.carried_out_on) == (today, today, today)
        assert case.refused_on is None
        assert (case.days_to_accept, case.days_to_conclude, case.days_to_carry_out) == (0, 0, 0)
        assert (case.accept_met, case.conclude_met, case.carry_out_met) == (True, True, True)


def test_a_refused_concern_is_refused_not_accepted(app):
    with app.app_context():
        case = db.session.get(Case, gen_case("concern", "not_accepted").case_id)
        assert case.refused_on == case_state.today() and case.accepted_on is None
        assert case.concluded_on is None and case.accept_met is True


def test_a_concern_concludes_at_its_first_answer_and_keeps_that_day(app):
    with app.app_context():
        case = db.session.get(Case, gen_case("concern", "closed").case_id)
        assert case.concluded_on == case_state.today()


def test_fault_tolerance_concludes_with_the_leaders_approval(app):
    with app.app_context():
        case = db.session.get(Case, gen_case("fault_tolerance", "decided").case_id)
        assert case.concluded_on == case_state.today() and case.carried_out_on is None


def test_durations_count_working_days_and_late_steps_miss_their_deadline():
    filed = dt.date(2026, 9, 25)  # a Friday before the National Day holiday
    m = after_step(
        Milestones(), Kind.CONCERN, "accept", dt.date(2026, 10, 9), filed, Dues(accept_due=dt.date(2026, 10, 8))
    )
    assert m.accepted_on == dt.date(2026, 10, 9) and m.accept_met is False
    assert m.days_to_accept == 5  # 28, 29, 30 September, 8 and 9 October: the holiday is skipped
    again = after_step(m, Kind.CONCERN, "accept", dt.date(2026, 10, 20), filed, Dues())
    assert again == m  # written once
    done = after_step(m, Kind.CONCERN, "answer", dt.date(2026, 10, 16), filed, Dues(answer_due=dt.date(2027, 1, 7)))
    assert done.days_to_conclude == 6 and done.conclude_met is True  # Saturday 10 October is a 调休 workday


def test_an_unrelated_step_changes_nothing():
    m = Milestones(accepted_on=dt.date(2026, 3, 2))
    assert after_step(m, Kind.CLARIFICATION, "verify", dt.date(2026, 3, 3), dt.date(2026, 3, 1), Dues()) is m
