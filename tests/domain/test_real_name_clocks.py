"""Issue 10 in the engine: a real-name concern's two clocks, counted in Chinese working days, and
the 回访 a carried-out clarification schedules."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from portal.domain.cases import Kind, State, VisitForm
from portal.domain.real_name import Telling, tell_clocks
from portal.domain.waiting import Awaited, waiting_for
from portal.domain.workflow import (
    Action,
    Actor,
    Deadlines,
    Facts,
    MissingChoice,
    Role,
    WrongState,
    allowed,
    apply,
    current_due,
    is_overdue,
    new_case,
)
from portal.domain.working_days import add_months

D = Deadlines()
FILED = date(2026, 4, 23)  # a Thursday before 劳动节 (1-5 May, made up on Saturday 9 May)
R1 = Actor(1, Role.REVIEWER)
I1 = Actor(20, Role.INTAKE)
U = Actor(None, Role.SUBMITTER)


def real_name(on: date = FILED) -> Facts:
    return replace(new_case(Kind.CONCERN, on, D, real_name=True), assignable=frozenset({1}))


def test_the_acceptance_clock_counts_15_working_days_across_labour_day():
    facts = real_name()
    # 15 weekdays would end on 14 May; the holiday moves it, the make-up Saturday counts.
    assert facts.tell_accept_due == date(2026, 5, 18)
    assert facts.accept_due == date(2026, 5, 7)
    assert current_due(facts) == date(2026, 5, 7)  # the soonest running clock
    assert new_case(Kind.CONCERN, FILED, D).tell_accept_due is None  # anonymous: no clock to tell anyone
    with pytest.raises(ValueError):
        new_case(Kind.CLARIFICATION, FILED, D, real_name=True)


def test_accepting_or_refusing_tells_the_submitter_and_a_transfer_does_neither():
    long_accept = Deadlines(accept_working_days=30, transfer_working_days=30)
    facts = replace(new_case(Kind.CONCERN, FILED, long_accept, real_name=True), assignable=frozenset({1}))
    assert current_due(facts) == date(2026, 5, 18)  # now the acceptance clock runs first
    moved = apply(facts, I1, Action.TRANSFER, date(2026, 5, 6), long_accept).facts
    assert moved.tell_accept_due == date(2026, 5, 18) and moved.told_accept_on is None  # counts from filing
    assert is_overdue(moved, date(2026, 5, 19)) and not is_overdue(moved, date(2026, 5, 18))
    accepted = apply(moved, I1, Action.ACCEPT, date(2026, 5, 19), long_accept, assignee_id=1).facts
    assert accepted.told_accept_on == date(2026, 5, 19)
    (clock,) = tell_clocks(accepted)
    assert clock.what is Telling.ACCEPTANCE and clock.late and not clock.overdue(date(2026, 6, 1))
    refused = apply(facts, I1, Action.REFUSE, date(2026, 5, 8), long_accept, reason="Not ours.").facts
    assert refused.told_accept_on == date(2026, 5, 8) and current_due(refused) is None


def test_closing_starts_the_result_clock_across_dragon_boat_and_telling_meets_it_once():
    closed = Facts(Kind.CONCERN, State.ANSWERED, FILED, assignee_id=1, answered_on=date(2026, 5, 20))
    closed = replace(closed, real_name=True, tell_accept_due=date(2026, 5, 18), told_accept_on=date(2026, 5, 6))
    closed = apply(closed, R1, Action.CLOSE, date(2026, 6, 8), D).facts
    assert closed.tell_result_due == date(2026, 6, 30)  # 19 June (端午) is skipped: 15 weekdays give 29 June
    assert current_due(closed) == date(2026, 6, 30) and is_overdue(closed, date(2026, 7, 1))
    waits = waiting_for(closed, date(2026, 6, 9), D)
    assert [w.what for w in waits] == [Awaited.TELL_RESULT] and waits[0].until == date(2026, 6, 30)
    assert Action.TELL_RESULT in allowed(closed, R1, date(2026, 6, 9), D)
    told = apply(closed, R1, Action.TELL_RESULT, date(2026, 7, 1), D, reason="The teams now share one report.")
    assert told.visible_to_submitter and told.facts.state is State.CLOSED
    assert told.facts.told_result_on == date(2026, 7, 1) and current_due(told.facts) is None
    assert [c.late for c in tell_clocks(told.facts)] == [False, True]
    with pytest.raises(WrongState):
        apply(told.facts, R1, Action.TELL_RESULT, date(2026, 7, 2), D, reason="again")


def test_an_anonymous_concern_has_no_result_to_tell():
    answered = Facts(Kind.CONCERN, State.ANSWERED, FILED, assignee_id=1, answered_on=FILED, objected=True)
    closed = apply(answered, R1, Action.CLOSE, date(2026, 6, 8), D).facts
    assert closed.tell_result_due is None and tell_clocks(closed) == ()
    assert Action.TELL_RESULT not in allowed(closed, R1, date(2026, 6, 8), D)


def test_carrying_out_schedules_the_visit_and_it_is_recorded_once():
    approved = Facts(Kind.CLARIFICATION, State.PLAN_APPROVED, FILED, assignee_id=1, plan_complete=True)
    done = apply(approved, R1, Action.CARRY_OUT, date(2026, 8, 31), D).facts
    assert done.visit_due == date(2026, 11, 30) == add_months(date(2026, 8, 31), 3)
    assert current_due(done) == date(2026, 11, 30) and is_overdue(done, date(2026, 12, 1))
    assert Awaited.VISIT in [w.what for w in waiting_for(done, date(2026, 9, 1), D)]
    with pytest.raises(MissingChoice):
        apply(done, R1, Action.RECORD_VISIT, date(2026, 9, 1), D, visit_form="a walk")
    visited = apply(done, R1, Action.RECORD_VISIT, date(2026, 9, 1), D, visit_form=VisitForm.TALK)
    assert visited.detail == "talk" and visited.visible_to_submitter
    assert visited.facts.visited_on == date(2026, 9, 1) and current_due(visited.facts) is None
    with pytest.raises(WrongState):
        apply(visited.facts, R1, Action.RECORD_VISIT, date(2026, 9, 2), D, visit_form=VisitForm.PHONE)


def test_the_applicant_gives_feedback_once_and_the_visit_period_is_configuration():
    done = Facts(Kind.CLARIFICATION, State.CARRIED_OUT, FILED, assignee_id=1, visit_due=date(2026, 12, 1))
    given = apply(done, U, Action.FEEDBACK, date(2026, 9, 1), D, reason="Things are better now.").facts
    assert given.feedback_given and Action.FEEDBACK not in allowed(given, U, date(2026, 9, 2), D)
    approved = Facts(Kind.CLARIFICATION, State.PLAN_APPROVED, FILED, assignee_id=1, plan_complete=True)
    one_month = Deadlines(visit_months=1)
    assert apply(approved, R1, Action.CARRY_OUT, date(2026, 1, 31), one_month).facts.visit_due == date(2026, 2, 28)
