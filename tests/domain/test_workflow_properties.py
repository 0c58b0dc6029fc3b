"""Random walks through the workflow: whatever people click, the invariants hold."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import event, given, settings
from hypothesis import strategies as st

from portal.domain.cases import (
    AccusationFlag,
    ClarificationMode,
    Filing,
    Finding,
    Kind,
    RefusalReason,
    State,
    ToleranceOutcome,
    VisitForm,
)
from portal.domain.workflow import (
    Action,
    Actor,
    Deadlines,
    Facts,
    MissingChoice,
    ReasonRequired,
    Role,
    WorkflowError,
    allowed,
    apply,
    new_case,
)
from portal.domain.workflow_rules import CORRECTABLE, KIND_STATES, TERMINAL, TRANSITIONS

D = Deadlines()
START = date(2025, 1, 20)  # the acceptance clock runs across Spring Festival
ACTORS = [
    Actor(1, Role.REVIEWER),
    Actor(2, Role.REVIEWER),
    Actor(10, Role.SUPERVISOR),
    Actor(11, Role.SUPERVISOR),
    Actor(None, Role.SUBMITTER),
    Actor(20, Role.INTAKE),
    Actor(30, Role.LEADER),
]
REASONS = [None, "", " \t\n", "grounds", "grounds", "grounds"]
ASSIGNEES = [None, 0, 1, 1, 2, 10, 11]
FLAGS = [None, *AccusationFlag]
FINDINGS = [None, *Finding]
PROPOSED = {
    State.FINDING_PROPOSED,
    State.AWAITING_CONSENT,
    State.PLAN_CONSENTED,
    State.DECISION_PROPOSED,  # fault tolerance (issue 10)
    State.COLLECTIVELY_DECIDED,
}
#: Fault tolerance (issue 10): the one confirmed leader of the body, who may be named approver.
APPROVER_ID = 30
TOLERANCE_PICKS = {"tolerance": ToleranceOutcome.REDUCED, "approver_id": APPROVER_ID}


def full_arguments(finding: Finding, flag: AccusationFlag) -> dict[str, object]:
    """Every argument any action could need, all valid."""
    if flag is AccusationFlag.NONE:
        flag = AccusationFlag.MISTAKEN
    return {
        "reason": "grounds",
        "finding": finding,
        "assignee_id": 2,
        "flag": flag,
        "refusal_reason": RefusalReason.OTHER,
        "mode": ClarificationMode.WRITTEN,
        "false_items": ("an item found untrue",),  # 部分失实 names its items (issue 10)
        **TOLERANCE_PICKS,
        "filing": Filing.INTEGRITY_FILE,  # issue 10
        "visit_form": VisitForm.TALK,  # issue 10
    }


def check_allowed_agrees_with_apply(facts: Facts, actor: Actor, today: date, args: dict) -> None:
    """An offered action with all arguments always succeeds; any other always fails."""
    offered = allowed(facts, actor, today, D)
    for action in Action:
        try:
            apply(facts, actor, action, today, D, **args)
        except WorkflowError:
            assert action not in offered, (facts, actor, action)
        else:
            assert action in offered, (facts, actor, action)


def check_facts(facts: Facts) -> None:
    """What must be true of any facts the engine hands back."""
    assert facts.state in KIND_STATES[facts.kind]
    assert (facts.state is State.AWAITING_INFO) == (facts.paused_on is not None)
    assert (facts.state is State.AWAITING_INFO) == (facts.paused_from is not None)
    assert (facts.state in PROPOSED) == (facts.proposer_id is not None)
    assert (facts.state is State.FINDING_PROPOSED) == (facts.proposed_finding is not None)
    assert not facts.referred or facts.flag is AccusationFlag.SUSPECTED_MALICIOUS
    assert not facts.correction_pending or facts.state in CORRECTABLE
    assert facts.kind is Kind.CLARIFICATION or facts.flag is AccusationFlag.NONE
    decision_pending = facts.state in (State.DECISION_PROPOSED, State.COLLECTIVELY_DECIDED)
    assert decision_pending == (facts.proposed_tolerance is not None)
    assert (facts.state is State.COLLECTIVELY_DECIDED) == (facts.approver_id is not None)
    if facts.state not in (State.SUBMITTED, State.NOT_ACCEPTED):
        assert facts.assignee_id is not None and facts.answer_due is not None
    # issue 10: the clocks to tell a submitter are a real-name concern's; the 回访 follows carrying out
    assert facts.real_name or (facts.tell_accept_due is None and facts.tell_result_due is None)
    assert facts.visit_due is None or facts.state is State.CARRIED_OUT


#: One step: days passing, whom and what to pick (indices into what is offered), arguments.
STEP = st.tuples(
    st.sampled_from([0, 0, 0, 1, 2, 7, 16]),
    st.integers(0, 3),
    st.integers(0, len(ACTORS) - 1),
    st.integers(0, 3),
    st.integers(0, len(Action) - 1),
    st.sampled_from(REASONS),
    st.sampled_from(FINDINGS),
    st.sampled_from(ASSIGNEES),
    st.sampled_from(FLAGS),
)

R1, S1, U, I1 = ACTORS[0], ACTORS[2], ACTORS[4], ACTORS[5]
#: A legitimate way deep into each workflow, so random walks also start from late states.
HEADS: dict[Kind, list[tuple[Actor, Action, int, dict[str, object]]]] = {
    Kind.CONCERN: [
        (I1, Action.ACCEPT, 1, {"assignee_id": R1.user_id}),
        (R1, Action.START, 0, {}),
        (R1, Action.ANSWER, 5, {"reason": "answer"}),
    ],
    Kind.CLARIFICATION: [
        (I1, Action.ACCEPT, 1, {"assignee_id": R1.user_id}),
        (R1, Action.VERIFY, 0, {}),
        (R1, Action.PROPOSE_FINDING, 5, {"reason": "grounds", "finding": Finding.FOUND_FALSE}),
        (S1, Action.APPROVE_FINDING, 1, {"reason": "reasons"}),
        (R1, Action.DRAFT_PLAN, 1, {}),
        (U, Action.CONSENT, 2, {}),
        (S1, Action.APPROVE_PLAN, 1, {}),
        (R1, Action.CARRY_OUT, 3, {}),
    ],
    Kind.FAULT_TOLERANCE: [
        (I1, Action.ACCEPT, 1, {"assignee_id": R1.user_id}),
        (R1, Action.VERIFY, 0, {}),
        (R1, Action.PROPOSE_DECISION, 5, {"reason": "grounds", "tolerance": ToleranceOutcome.EXEMPT}),
        (R1, Action.RECORD_COLLECTIVE, 2, {"approver_id": APPROVER_ID}),
        (ACTORS[6], Action.APPROVE_DECISION, 1, {"reason": "reasons"}),
        (R1, Action.CLOSE, 16, {}),
    ],
}
HEAD_ARGUMENTS = full_arguments(Finding.FOUND_FALSE, AccusationFlag.MISTAKEN)
APPROVALS = (
    Action.APPROVE_FINDING,
    Action.APPROVE_PLAN,
    Action.RETURN_FINDING,
    Action.RETURN_PLAN,
    Action.APPROVE_DECISION,
    Action.RETURN_DECISION,
)


class Walk:
    """One case driven step by step, checking every invariant after each step."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        # The body's case workers may be assigned; the plan's forms are the plan service's business.
        self.facts = replace(
            new_case(kind, START, D),
            assignable=frozenset({1, 2, 10, 11, 30}),
            plan_complete=True,
            approvers=frozenset({APPROVER_ID}),
            measures_complete=True,
        )
        self.today = START
        self.objections = 0
        self.consented = False

    def step(self, actor: Actor, action: Action, full: dict[str, object], **args: object) -> bool:
        """Try one action; True when it was applied."""
        offered = allowed(self.facts, actor, self.today, D)
        check_allowed_agrees_with_apply(self.facts, actor, self.today, full)
        before = self.facts
        try:
            outcome = apply(before, actor, action, self.today, D, **args)
        except WorkflowError as error:
            assert isinstance(error.code, str) and error.code
            if action in offered:
                # Only a missing or bad argument can stop an offered action.
                assert isinstance(error, (ReasonRequired, MissingChoice))
            return False
        self.facts = facts = outcome.facts
        event(f"reached {facts.state}")
        event(f"did {action}")
        assert action in offered
        assert (before.state, action, facts.state) in TRANSITIONS[self.kind]
        assert outcome.clock == {Action.ASK: "paused", Action.PROVIDE_INFO: "resumed", Action.RESUME: "resumed"}.get(
            action
        )
        check_facts(facts)
        if before.state in TERMINAL:
            assert facts.state is before.state
        if action in APPROVALS:
            assert actor.user_id != before.proposer_id
        if action is Action.CONSENT:
            self.consented = True
        if action in (Action.DECLINE, Action.RETURN_PLAN, Action.DRAFT_PLAN):
            self.consented = False
        if facts.state is State.PLAN_APPROVED and before.state is not State.PLAN_APPROVED:
            assert before.state is State.PLAN_CONSENTED and self.consented
        assert not (before.objected and not facts.objected)
        self.objections += facts.objected and not before.objected
        assert self.objections <= 1
        return True


@settings(max_examples=300, deadline=None)
@given(
    start=st.sampled_from(list(Kind)).flatmap(lambda kind: st.tuples(st.just(kind), st.integers(0, len(HEADS[kind])))),
    steps=st.lists(STEP, min_size=10, max_size=60),
)
def test_random_walks_keep_the_invariants(start: tuple[Kind, int], steps: list[tuple]) -> None:
    kind, head = start
    walk = Walk(kind)
    for actor, action, days, args in HEADS[kind][:head]:
        walk.today += timedelta(days=days)
        assert walk.step(actor, action, HEAD_ARGUMENTS, **args)
    for days, prefer_busy, who, prefer_offered, what, reason, finding, assignee_id, flag in steps:
        walk.today += timedelta(days=days)
        facts, today = walk.facts, walk.today
        busy = [a for a in ACTORS if allowed(facts, a, today, D)]
        actor = busy[who % len(busy)] if busy and prefer_busy else ACTORS[who]
        offered = allowed(facts, actor, today, D)
        action = offered[what % len(offered)] if offered and prefer_offered else list(Action)[what]
        full = full_arguments(finding or Finding.FOUND_FALSE, flag or AccusationFlag.MISTAKEN)
        picks = {
            "refusal_reason": RefusalReason.OTHER,
            "mode": ClarificationMode.WRITTEN,
            "false_items": ("x",),
            **TOLERANCE_PICKS,
        }
        walk.step(actor, action, full, reason=reason, finding=finding, assignee_id=assignee_id, flag=flag, **picks)
