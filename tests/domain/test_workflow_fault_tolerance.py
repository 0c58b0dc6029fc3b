"""The 容错纠错 application's graph and guards (issue 10): the engine decides every refusal."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from portal.domain.cases import Kind, State, ToleranceOutcome
from portal.domain.tolerance import Collective, Decision, DecisionError, Measure, make_collective, make_decision
from portal.domain.workflow import (
    Action,
    Actor,
    AlreadyUsed,
    Deadlines,
    FourEyes,
    MeasuresIncomplete,
    MissingChoice,
    NotAnApprover,
    NotPermitted,
    Role,
    WindowClosed,
    WrongState,
    allowed,
    apply,
    current_due,
    new_case,
)

D = Deadlines()
DAY = date(2025, 3, 3)
INTAKE = Actor(20, Role.INTAKE)
REVIEWER = Actor(1, Role.REVIEWER)
SUPERVISOR = Actor(10, Role.SUPERVISOR)
LEADER = Actor(30, Role.LEADER)
OTHER_LEADER = Actor(31, Role.LEADER)
APPLICANT = Actor(None, Role.SUBMITTER)


def walk(*steps, facts=None, today=DAY):
    """Apply (actor, action, kwargs) steps from a new application; the facts after the last."""
    facts = facts or replace(
        new_case(Kind.FAULT_TOLERANCE, DAY, D),
        assignable=frozenset({1, 10, 30}),
        approvers=frozenset({30, 31}),
    )
    for actor, action, kwargs in steps:
        facts = apply(facts, actor, action, today, D, **kwargs).facts
    return facts


VERIFYING = (
    (INTAKE, Action.ACCEPT, {"assignee_id": 1}),
    (REVIEWER, Action.VERIFY, {}),
)
PROPOSED = (*VERIFYING, (REVIEWER, Action.PROPOSE_DECISION, {"reason": "grounds", "tolerance": "reduced"}))
COLLECTIVE = (*PROPOSED, (REVIEWER, Action.RECORD_COLLECTIVE, {"approver_id": 30}))
DECIDED = (*COLLECTIVE, (LEADER, Action.APPROVE_DECISION, {"reason": "reasons"}))


def test_an_application_goes_from_filing_to_a_decision_with_the_outcome_kept():
    facts = walk(*DECIDED)
    assert facts.state is State.DECIDED
    assert facts.tolerance_outcome is ToleranceOutcome.REDUCED
    assert facts.proposed_tolerance is None and facts.proposer_id is None and facts.approver_id is None
    assert facts.answered_on == DAY  # the objection window opens with the decision


def test_refusing_an_application_needs_a_reason_but_no_clarification_refusal_code():
    facts = walk((INTAKE, Action.REFUSE, {"reason": "Not a matter of fault tolerance."}))
    assert facts.state is State.NOT_ACCEPTED and facts.refusal_reason is None


def test_a_question_pauses_the_clock_and_the_reply_returns_to_verification():
    asked = walk(*VERIFYING, (REVIEWER, Action.ASK, {"reason": "Which tender?"}))
    assert asked.state is State.AWAITING_INFO and current_due(asked) is None
    later = DAY + timedelta(days=5)
    replied = apply(asked, APPLICANT, Action.PROVIDE_INFO, later, D).facts
    assert replied.state is State.VERIFYING
    assert replied.answer_due == asked.answer_due + timedelta(days=5)


@pytest.mark.parametrize("state_steps", [PROPOSED, COLLECTIVE])
def test_the_answer_clock_runs_while_the_decision_is_pending(state_steps):
    facts = walk(*state_steps)
    assert current_due(facts) == facts.answer_due is not None


def test_the_proposal_needs_an_outcome_of_the_list():
    with pytest.raises(MissingChoice):
        walk(*VERIFYING, (REVIEWER, Action.PROPOSE_DECISION, {"reason": "grounds", "tolerance": "pardon"}))


def test_the_collective_decision_names_a_confirmed_leader_of_the_body():
    with pytest.raises(NotAnApprover):
        walk(*PROPOSED, (REVIEWER, Action.RECORD_COLLECTIVE, {"approver_id": 10}))
    with pytest.raises(MissingChoice):
        walk(*PROPOSED, (REVIEWER, Action.RECORD_COLLECTIVE, {}))


def test_only_the_named_leader_approves():
    facts = walk(*COLLECTIVE)
    with pytest.raises(NotPermitted):
        apply(facts, SUPERVISOR, Action.APPROVE_DECISION, DAY, D, reason="ok")
    with pytest.raises(NotPermitted):
        apply(facts, OTHER_LEADER, Action.APPROVE_DECISION, DAY, D, reason="ok")
    assert Action.APPROVE_DECISION in allowed(facts, LEADER, DAY, D)
    assert Action.APPROVE_DECISION not in allowed(facts, OTHER_LEADER, DAY, D)


def test_four_eyes_a_leader_who_proposed_neither_approves_nor_returns():
    own = walk(
        *VERIFYING,
        (SUPERVISOR, Action.ASSIGN, {"assignee_id": 30}),
        (LEADER, Action.PROPOSE_DECISION, {"reason": "grounds", "tolerance": "exempt"}),
        (LEADER, Action.RECORD_COLLECTIVE, {"approver_id": 30}),
    )
    with pytest.raises(FourEyes):
        apply(own, LEADER, Action.APPROVE_DECISION, DAY, D, reason="mine")
    with pytest.raises(FourEyes):
        apply(own, LEADER, Action.RETURN_DECISION, DAY, D, reason="mine")
    back = apply(own, SUPERVISOR, Action.RETURN_DECISION, DAY, D, reason="verify again").facts
    assert back.state is State.VERIFYING and back.approver_id is None and back.proposed_tolerance is None


def test_the_applicant_objects_once_within_the_window_and_it_is_decided_afresh():
    decided = walk(*DECIDED)
    last = DAY + timedelta(days=D.objection_days)
    with pytest.raises(WindowClosed):
        apply(decided, APPLICANT, Action.OBJECT, last + timedelta(days=1), D, reason="late")
    reopened = apply(decided, APPLICANT, Action.OBJECT, last, D, reason="the loss was not mine").facts
    assert reopened.state is State.VERIFYING and reopened.objected
    assert reopened.answer_due == last + timedelta(days=D.answer_days)  # a fresh answer period
    again = walk(*DECIDED[2:], facts=reopened, today=last)
    assert again.state is State.DECIDED
    with pytest.raises(AlreadyUsed):
        apply(again, APPLICANT, Action.OBJECT, last, D, reason="again")


def test_closing_waits_for_the_window_and_every_measure():
    decided = walk(*DECIDED)
    after = DAY + timedelta(days=D.objection_days + 1)
    with pytest.raises(WrongState):
        apply(replace(decided, measures_complete=True), REVIEWER, Action.CLOSE, DAY, D)
    with pytest.raises(MeasuresIncomplete):
        apply(decided, REVIEWER, Action.CLOSE, after, D)
    assert Action.RECORD_MEASURE in allowed(decided, REVIEWER, after, D)
    done = replace(decided, measures_complete=True)
    assert Action.RECORD_MEASURE not in allowed(done, REVIEWER, after, D)
    assert apply(done, REVIEWER, Action.CLOSE, after, D).facts.state is State.CLOSED


def test_the_decision_keeps_measures_and_the_collective_record_round_trip():
    decision = make_decision("reduced", " reasons ", "Repay\n\n  Revise the rule ")
    assert decision.measures == (Measure("Repay"), Measure("Revise the rule"))
    assert not decision.measures_complete and make_decision("refused", "r", "").measures_complete
    collective = make_collective(DAY, "常委会", "同意", DAY)
    done = decision.with_collective(collective).with_measure_done(0, DAY, "repaid", DAY)
    assert Decision.from_json(done.to_json()) == done
    assert done.collective == Collective(DAY, "常委会", "同意")
    with pytest.raises(DecisionError):
        done.with_measure_done(0, DAY, "again", DAY)
    with pytest.raises(DecisionError):
        done.with_measure_done(1, DAY + timedelta(days=1), "tomorrow", DAY)
    with pytest.raises(DecisionError):
        make_collective(DAY + timedelta(days=1), "常委会", "同意", DAY)
    for outcome, reasons in (("pardon", "r"), ("exempt", " ")):
        with pytest.raises(DecisionError):
            make_decision(outcome, reasons, "")
