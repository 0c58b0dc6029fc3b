"""Every state of every kind says what it waits for, and the engine agrees that step is next."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from portal.domain.cases import AccusationFlag, Finding, Kind, State, ToleranceOutcome
from portal.domain.waiting import Awaited, waiting_for
from portal.domain.workflow import Action, Actor, Deadlines, Facts, Role, allowed, current_due
from portal.domain.workflow_rules import KIND_STATES, TERMINAL

D = Deadlines()
DAY = date(2025, 3, 3)
REVIEWER = Actor(1, Role.REVIEWER)
SUPERVISOR = Actor(11, Role.SUPERVISOR)
SUBMITTER = Actor(None, Role.SUBMITTER)
INTAKE = Actor(20, Role.INTAKE)
LEADER = Actor(12, Role.LEADER)  # the leader a fault-tolerance decision is submitted to (issue 10)
ACTORS = {
    Role.REVIEWER: REVIEWER,
    Role.SUPERVISOR: SUPERVISOR,
    Role.SUBMITTER: SUBMITTER,
    Role.INTAKE: INTAKE,
    Role.LEADER: LEADER,
}

#: The engine action each awaited step is taken by.
TAKEN_BY = {
    Awaited.DECIDE_ACCEPTANCE: Action.ACCEPT,
    Awaited.START_HANDLING: Action.START,
    Awaited.START_VERIFICATION: Action.VERIFY,
    Awaited.ANSWER: Action.ANSWER,
    Awaited.VERIFY: Action.PROPOSE_FINDING,
    Awaited.REPLY: Action.PROVIDE_INFO,
    Awaited.APPROVE_FINDING: Action.APPROVE_FINDING,
    Awaited.DRAFT_PLAN: Action.DRAFT_PLAN,
    Awaited.CONSENT: Action.CONSENT,
    Awaited.APPROVE_PLAN: Action.APPROVE_PLAN,
    Awaited.CARRY_OUT: Action.RECORD_FORM,  # until every form is recorded; then CARRY_OUT (below)
    Awaited.OBJECTION_PERIOD: Action.OBJECT,
    Awaited.CLOSE: Action.CLOSE,
    Awaited.CONSENT_CORRECTION: Action.CONSENT_CORRECTION,
    Awaited.REFER: Action.REFER,
    # -- fault tolerance (issue 10) --
    Awaited.PROPOSE_DECISION: Action.PROPOSE_DECISION,
    Awaited.COLLECTIVE_DECISION: Action.RECORD_COLLECTIVE,
    Awaited.APPROVE_DECISION: Action.APPROVE_DECISION,
    Awaited.RECORD_MEASURES: Action.RECORD_MEASURE,
    Awaited.TELL_RESULT: Action.TELL_RESULT,  # issue 10 (tests/domain/test_real_name_clocks.py)
    Awaited.VISIT: Action.RECORD_VISIT,  # issue 10
}

EVERY_STATE = [(kind, state) for kind in Kind for state in sorted(KIND_STATES[kind])]


def facts_in(kind: Kind, state: State, **changes: object) -> Facts:
    """A case in ``state`` as the engine leaves it there (assigned to REVIEWER, proposed by 2)."""
    base = Facts(
        kind=kind,
        state=state,
        submitted_on=DAY,
        assignee_id=REVIEWER.user_id,
        proposer_id=2,
        accept_due=DAY + timedelta(days=9),
        answer_due=DAY + timedelta(days=90),
        carry_out_due=DAY + timedelta(days=7),
    )
    if state is State.AWAITING_INFO:
        base = replace(
            base,
            paused_from=State.IN_PROGRESS if kind is Kind.CONCERN else State.VERIFYING,
            paused_on=DAY - timedelta(days=2),
        )
    if state is State.FINDING_PROPOSED:
        base = replace(base, proposed_finding=Finding.FOUND_FALSE)
    if state is State.ANSWERED:
        base = replace(base, answered_on=DAY)
    # -- fault tolerance (issue 10) --
    if state in (State.DECISION_PROPOSED, State.COLLECTIVELY_DECIDED):
        base = replace(base, proposed_tolerance=ToleranceOutcome.EXEMPT)
    if state is State.COLLECTIVELY_DECIDED:
        base = replace(base, approver_id=LEADER.user_id)
    if state is State.DECIDED:
        base = replace(base, answered_on=DAY, tolerance_outcome=ToleranceOutcome.EXEMPT, proposer_id=None)
    return replace(base, **changes)


def test_every_state_of_every_kind_is_covered():
    assert len(EVERY_STATE) == sum(len(states) for states in KIND_STATES.values())
    assert set(TAKEN_BY) | {Awaited.NOTHING} == set(Awaited)


@pytest.mark.parametrize(("kind", "state"), EVERY_STATE)
def test_what_a_case_waits_for_is_what_the_engine_allows_next(kind, state):
    facts = facts_in(kind, state)
    found = waiting_for(facts, DAY, D)
    assert found, "a case always says what it waits for"
    main = found[0]
    if state in TERMINAL:
        assert main.what is Awaited.NOTHING and main.who is None
        return
    assert main.who is not None
    offered = allowed(facts, ACTORS[main.who], DAY, D)
    assert TAKEN_BY[main.what] in offered, (kind, state, main)
    if main.what is Awaited.CARRY_OUT:
        complete = replace(facts, plan_complete=True)
        assert Action.CARRY_OUT in allowed(complete, ACTORS[main.who], DAY, D)


@pytest.mark.parametrize(("kind", "state"), [ks for ks in EVERY_STATE if ks[1] not in TERMINAL])
def test_the_deadline_shown_is_the_one_the_queue_runs_against(kind, state):
    facts = facts_in(kind, state)
    main = waiting_for(facts, DAY, D)[0]
    if state in (State.ANSWERED, State.DECIDED):
        assert main.until == DAY + timedelta(days=15)
    else:
        assert main.until == current_due(facts)


def test_a_question_to_the_cadre_waits_for_them_since_it_was_sent():
    for kind in Kind:
        main = waiting_for(facts_in(kind, State.AWAITING_INFO), DAY, D)[0]
        assert (main.who, main.what, main.until, main.since) == (
            Role.SUBMITTER,
            Awaited.REPLY,
            None,
            DAY - timedelta(days=2),
        )


def test_after_an_answer_closing_waits_for_the_end_of_the_objection_period():
    facts = facts_in(Kind.CONCERN, State.ANSWERED)
    last_day = DAY + timedelta(days=15)
    assert waiting_for(facts, last_day, D)[0].what is Awaited.OBJECTION_PERIOD
    assert Action.CLOSE not in allowed(facts, REVIEWER, last_day, D)
    after = waiting_for(facts, last_day + timedelta(days=1), D)[0]
    assert (after.who, after.what) == (Role.REVIEWER, Awaited.CLOSE)
    assert Action.CLOSE in allowed(facts, REVIEWER, last_day + timedelta(days=1), D)
    objected = waiting_for(replace(facts, objected=True), DAY, D)[0]
    assert objected.what is Awaited.CLOSE and Action.CLOSE in allowed(replace(facts, objected=True), REVIEWER, DAY, D)


@pytest.mark.parametrize("state", [State.PLAN_APPROVED, State.CARRIED_OUT])
def test_a_pending_correction_waits_for_the_cadre(state):
    facts = facts_in(Kind.CLARIFICATION, state, correction_pending=True)
    found = waiting_for(facts, DAY, D)
    assert found[-1].what is Awaited.CONSENT_CORRECTION and found[-1].who is Role.SUBMITTER
    assert Action.CONSENT_CORRECTION in allowed(facts, SUBMITTER, DAY, D)
    assert all(w.what is not Awaited.NOTHING for w in found)


def test_a_suspected_malicious_accusation_waits_for_referral_on_the_staff_side_only():
    facts = facts_in(Kind.CLARIFICATION, State.CARRIED_OUT, flag=AccusationFlag.SUSPECTED_MALICIOUS)
    (refer,) = waiting_for(facts, DAY, D)
    assert refer.what is Awaited.REFER and refer.staff_only
    assert Action.REFER in allowed(facts, SUPERVISOR, DAY, D)
    referred = replace(facts, referred=True)
    assert [w.what for w in waiting_for(referred, DAY, D)] == [Awaited.NOTHING]


def test_a_state_outside_its_kind_is_refused():
    with pytest.raises(ValueError):
        waiting_for(facts_in(Kind.CONCERN, State.VERIFYING), DAY, D)


# -- fault tolerance (issue 10) --


def test_a_decided_application_waits_for_the_objection_period_then_the_measures_then_closing():
    facts = facts_in(Kind.FAULT_TOLERANCE, State.DECIDED)
    last_day = DAY + timedelta(days=15)
    assert waiting_for(facts, last_day, D)[0].what is Awaited.OBJECTION_PERIOD
    after = waiting_for(facts, last_day + timedelta(days=1), D)[0]
    assert (after.who, after.what) == (Role.REVIEWER, Awaited.RECORD_MEASURES)
    assert Action.CLOSE not in allowed(facts, REVIEWER, last_day + timedelta(days=1), D)
    done = replace(facts, measures_complete=True)
    assert waiting_for(done, last_day + timedelta(days=1), D)[0].what is Awaited.CLOSE
    assert Action.CLOSE in allowed(done, REVIEWER, last_day + timedelta(days=1), D)
