"""Workflow clocks: the objection window, the paused answer clock, and what counts as overdue."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from portal.domain.cases import Kind, State
from portal.domain.workflow import (
    Action,
    Actor,
    AlreadyUsed,
    Deadlines,
    Facts,
    Role,
    WindowClosed,
    WrongState,
    allowed,
    apply,
    current_due,
    is_overdue,
    new_case,
)

D = Deadlines()
DAY = date(2025, 3, 3)
R1 = Actor(1, Role.REVIEWER)
I1 = Actor(20, Role.INTAKE)
U = Actor(None, Role.SUBMITTER)


def later(days: int) -> date:
    return DAY + timedelta(days=days)


def answered(**changes: object) -> Facts:
    """A concern answered on DAY."""
    base = Facts(Kind.CONCERN, State.ANSWERED, DAY, assignee_id=1, answered_on=DAY)
    return replace(base, **changes)


def test_objection_on_day_15_is_allowed():
    outcome = apply(answered(), U, Action.OBJECT, later(15), D, reason="Wrong.")
    assert outcome.facts.state is State.IN_PROGRESS and outcome.facts.objected
    assert outcome.visible_to_submitter


def test_objection_on_day_16_is_too_late():
    with pytest.raises(WindowClosed):
        apply(answered(), U, Action.OBJECT, later(16), D, reason="Wrong.")
    assert allowed(answered(), U, later(16), D) == []


def test_a_second_objection_is_refused_even_inside_the_window():
    facts = apply(answered(), U, Action.OBJECT, later(1), D, reason="Wrong.").facts
    facts = apply(facts, R1, Action.ANSWER, later(2), D, reason="Checked again.").facts
    assert facts.answered_on == later(2)
    with pytest.raises(AlreadyUsed):
        apply(facts, U, Action.OBJECT, later(3), D, reason="Still wrong.")
    assert Action.OBJECT not in allowed(facts, U, later(3), D)


def test_close_waits_for_the_window_unless_the_objection_was_used():
    with pytest.raises(WrongState):
        apply(answered(), R1, Action.CLOSE, later(15), D)
    assert apply(answered(), R1, Action.CLOSE, later(16), D).facts.state is State.CLOSED
    closed = apply(answered(objected=True), R1, Action.CLOSE, DAY, D)
    assert closed.facts.state is State.CLOSED and closed.visible_to_submitter


def test_objection_window_is_configuration():
    short = Deadlines(objection_days=3)
    with pytest.raises(WindowClosed):
        apply(answered(), U, Action.OBJECT, later(4), short, reason="Wrong.")


@pytest.mark.parametrize(
    ("kind", "working"), [(Kind.CONCERN, State.IN_PROGRESS), (Kind.CLARIFICATION, State.VERIFYING)]
)
def test_pause_extends_the_answer_deadline_by_the_days_waited(kind, working):
    facts = Facts(kind, working, DAY, assignee_id=1, answer_due=later(90))
    outcome = apply(facts, R1, Action.ASK, later(10), D, reason="Which year?")
    assert outcome.clock == "paused" and outcome.visible_to_submitter
    paused = outcome.facts
    assert paused.state is State.AWAITING_INFO
    assert (paused.paused_from, paused.paused_on) == (working, later(10))
    assert current_due(paused) is None
    assert not is_overdue(paused, later(200))
    outcome = apply(paused, U, Action.PROVIDE_INFO, later(31), D)
    assert outcome.clock == "resumed" and outcome.visible_to_submitter
    resumed = outcome.facts
    assert resumed.state is working
    assert resumed.answer_due == later(90 + 21)
    assert resumed.paused_from is None and resumed.paused_on is None


def test_acceptance_starts_a_90_calendar_day_answer_clock():
    filed = replace(new_case(Kind.CONCERN, DAY, D), assignable=frozenset({R1.user_id}))
    facts = apply(filed, I1, Action.ACCEPT, later(2), D, assignee_id=R1.user_id).facts
    assert facts.answer_due == later(92)
    assert current_due(facts) == later(92)


@pytest.mark.parametrize(
    ("facts", "due"),
    [
        (Facts(Kind.CONCERN, State.SUBMITTED, DAY, accept_due=later(9)), later(9)),
        (Facts(Kind.CONCERN, State.ACCEPTED, DAY, answer_due=later(90)), later(90)),
        (Facts(Kind.CONCERN, State.IN_PROGRESS, DAY, answer_due=later(90)), later(90)),
        (Facts(Kind.CLARIFICATION, State.VERIFYING, DAY, answer_due=later(90)), later(90)),
        (Facts(Kind.CLARIFICATION, State.FINDING_PROPOSED, DAY, answer_due=later(90)), later(90)),
        (
            Facts(Kind.CLARIFICATION, State.PLAN_APPROVED, DAY, carry_out_due=later(120)),
            later(120),
        ),
    ],
)
def test_overdue_the_day_after_the_current_deadline(facts, due):
    assert current_due(facts) == due
    assert not is_overdue(facts, due)
    assert is_overdue(facts, due + timedelta(days=1))


@pytest.mark.parametrize(
    "state",
    [
        State.AWAITING_INFO,
        State.ANSWERED,
        State.CLOSED,
        State.NOT_ACCEPTED,
        State.FOUND_FALSE,
        State.AWAITING_CONSENT,
        State.PLAN_CONSENTED,
        State.CARRIED_OUT,
    ],
)
def test_states_without_a_running_clock_are_never_overdue(state):
    facts = Facts(Kind.CLARIFICATION, state, DAY, accept_due=DAY, answer_due=DAY, carry_out_due=DAY)
    assert current_due(facts) is None
    assert not is_overdue(facts, later(1000))


def test_new_case_is_overdue_after_seven_working_days():
    facts = new_case(Kind.CONCERN, DAY, D)  # Monday
    assert facts.accept_due == later(9)  # Wednesday of the following week
    assert not is_overdue(facts, later(9)) and is_overdue(facts, later(10))


def test_carry_out_clock_counts_working_days_from_approval():
    facts = Facts(Kind.CLARIFICATION, State.PLAN_CONSENTED, DAY, assignee_id=1, proposer_id=1)
    supervisor = Actor(10, Role.SUPERVISOR)
    approved = apply(facts, supervisor, Action.APPROVE_PLAN, date(2025, 9, 30), D).facts
    # 30 Sep 2025 + 5 working days: the National Day holiday is skipped, Sat 11 Oct counts.
    assert approved.carry_out_due == date(2025, 10, 14)
    assert is_overdue(approved, date(2025, 10, 15))
