"""The workflow rules: who may do what, in which state, and what each step records."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from portal.domain.cases import AccusationFlag, ClarificationMode, Finding, Kind, RefusalReason, State
from portal.domain.workflow import (
    Action,
    Actor,
    AlreadyUsed,
    Deadlines,
    Facts,
    FourEyes,
    MissingChoice,
    NotAssignable,
    NotPermitted,
    PlanIncomplete,
    ReasonRequired,
    Role,
    WindowClosed,
    WorkflowError,
    WrongState,
    allowed,
    apply,
    new_case,
)
from portal.domain.working_days import add_working_days

D = Deadlines()
DAY = date(2025, 3, 3)  # a Monday far from holidays
R1 = Actor(1, Role.REVIEWER)
R2 = Actor(2, Role.REVIEWER)
S1 = Actor(10, Role.SUPERVISOR)
S2 = Actor(11, Role.SUPERVISOR)
I1 = Actor(20, Role.INTAKE)  # 信访干部: accepts, refuses and assigns
L1 = Actor(30, Role.LEADER)
U = Actor(None, Role.SUBMITTER)
#: Who the case's body lets be assigned (its confirmed reviewers, supervisors and leaders).
WORKERS = frozenset({R1.user_id, R2.user_id, S1.user_id, S2.user_id, L1.user_id})
A = Action
CONCERN, CLAR = Kind.CONCERN, Kind.CLARIFICATION
ALL_ARGS = {"reason": "r", "finding": Finding.FOUND_FALSE, "flag": AccusationFlag.MISTAKEN}


def at(kind: Kind, state: State, **changes: object) -> Facts:
    """A case of ``kind`` in ``state``, assigned to R1 unless told otherwise."""
    base = Facts(kind=kind, state=state, submitted_on=DAY, assignee_id=R1.user_id)
    return replace(base, **changes)


def filed(kind: Kind, on: date = DAY) -> Facts:
    """A case just filed at a body whose case workers are WORKERS."""
    return replace(new_case(kind, on, D), assignable=WORKERS)


def step(facts: Facts, actor: Actor, action: Action, today: date = DAY, **kw: object) -> Facts:
    """Apply and return the new facts."""
    return apply(facts, actor, action, today, D, **kw).facts


PENDING_FINDING = at(CLAR, State.FINDING_PROPOSED, proposed_finding=Finding.UNVERIFIABLE)


def test_new_case_starts_submitted_with_the_acceptance_clock_running():
    for kind in Kind:
        facts = new_case(kind, date(2025, 1, 20), D)
        assert facts.state is State.SUBMITTED and facts.kind is kind
        assert facts.accept_due == date(2025, 2, 5)  # 7 working days across Spring Festival
        assert facts.assignee_id is None and facts.answer_due is None


def test_concern_happy_path():
    facts = filed(CONCERN)
    seen = []
    script = [
        (I1, A.ACCEPT, 1, {"assignee_id": R1.user_id}),
        (R1, A.START, 2, {}),
        (R1, A.ASK, 5, {"reason": "Which county?"}),
        (U, A.PROVIDE_INFO, 12, {}),
        (R1, A.ANSWER, 30, {"reason": "The rule was changed."}),
        (U, A.OBJECT, 40, {"reason": "It was not."}),
        (R1, A.ANSWER, 50, {"reason": "It was, see notice 12."}),
        (R1, A.CLOSE, 50, {}),
    ]
    for actor, action, day, kw in script:
        outcome = apply(facts, actor, action, DAY + timedelta(days=day), D, **kw)
        facts = outcome.facts
        seen.append((facts.state, outcome.visible_to_submitter, outcome.clock))
    assert seen == [
        (State.ACCEPTED, True, None),
        (State.IN_PROGRESS, True, None),
        (State.AWAITING_INFO, True, "paused"),
        (State.IN_PROGRESS, True, "resumed"),
        (State.ANSWERED, True, None),
        (State.IN_PROGRESS, True, None),
        (State.ANSWERED, True, None),
        (State.CLOSED, True, None),
    ]
    assert facts.assignee_id == R1.user_id
    assert facts.answer_due == DAY + timedelta(days=40 + 90)  # the objection restarted the answer period
    assert facts.objected and facts.answered_on == DAY + timedelta(days=50)


def _to_finding_proposed(finding: Finding) -> Facts:
    facts = filed(CLAR)
    facts = step(facts, I1, A.ACCEPT, assignee_id=R1.user_id)
    facts = step(facts, R1, A.VERIFY)
    outcome = apply(facts, R1, A.PROPOSE_FINDING, DAY, D, finding=finding, reason="grounds")
    assert not outcome.visible_to_submitter
    return outcome.facts


@pytest.mark.parametrize(
    ("finding", "state", "terminal"),
    [
        (Finding.FOUND_FALSE, State.FOUND_FALSE, False),
        (Finding.SUBSTANTIATED, State.SUBSTANTIATED, True),
        (Finding.UNVERIFIABLE, State.UNVERIFIABLE, True),
    ],
)
def test_clarification_through_each_finding(finding, state, terminal):
    facts = _to_finding_proposed(finding)
    assert facts.state is State.FINDING_PROPOSED
    assert (facts.proposer_id, facts.proposed_finding) == (R1.user_id, finding)
    outcome = apply(facts, S1, A.APPROVE_FINDING, DAY, D, reason="reasons")
    assert outcome.visible_to_submitter
    assert outcome.facts.state is state
    assert outcome.facts.proposer_id is None and outcome.facts.proposed_finding is None
    moves = {a for a in allowed(outcome.facts, S1, DAY, D)} - {A.FLAG, A.REFER}
    assert (moves == set()) is terminal


def test_clarification_plan_consented_approved_and_carried_out():
    facts = step(_to_finding_proposed(Finding.FOUND_FALSE), S1, A.APPROVE_FINDING, reason="reasons")
    recorded = []
    for actor, action, kw in [
        (R1, A.DRAFT_PLAN, {}),
        (U, A.CONSENT, {}),
        (S1, A.APPROVE_PLAN, {}),
        (R1, A.RECORD_FORM, {"mode": ClarificationMode.WRITTEN}),
        (R1, A.CARRY_OUT, {}),
    ]:
        if action is A.CARRY_OUT:
            with pytest.raises(PlanIncomplete):
                apply(facts, actor, action, DAY, D, **kw)
            facts = replace(facts, plan_complete=True)  # the plan service knows every form is recorded
        outcome = apply(facts, actor, action, DAY, D, **kw)
        facts = outcome.facts
        recorded.append((facts.state, outcome.visible_to_submitter))
    assert recorded == [
        (State.AWAITING_CONSENT, True),
        (State.PLAN_CONSENTED, True),
        (State.PLAN_APPROVED, True),
        (State.PLAN_APPROVED, True),
        (State.CARRIED_OUT, True),
    ]
    assert facts.carry_out_due == add_working_days(DAY, 5) == DAY + timedelta(days=7)


def test_declined_plan_goes_back_for_a_new_draft():
    facts = step(at(CLAR, State.FOUND_FALSE), R1, A.DRAFT_PLAN)
    assert facts.proposer_id == R1.user_id
    outcome = apply(facts, U, A.DECLINE, DAY, D, reason="Not at the meeting, please.")
    assert outcome.visible_to_submitter
    assert outcome.facts.state is State.FOUND_FALSE and outcome.facts.proposer_id is None
    assert A.DRAFT_PLAN in allowed(outcome.facts, R1, DAY, D)


def test_returned_plan_goes_back_quietly():
    facts = at(CLAR, State.PLAN_CONSENTED, proposer_id=R1.user_id)
    outcome = apply(facts, S1, A.RETURN_PLAN, DAY, D, reason="Scope too narrow.")
    assert not outcome.visible_to_submitter
    assert outcome.facts.state is State.FOUND_FALSE and outcome.facts.proposer_id is None


def test_returned_finding_goes_back_to_verifying():
    facts = _to_finding_proposed(Finding.UNVERIFIABLE)
    outcome = apply(facts, S1, A.RETURN_FINDING, DAY, D, reason="Ask the county office.")
    assert not outcome.visible_to_submitter
    assert outcome.facts.state is State.VERIFYING
    assert outcome.facts.proposer_id is None and outcome.facts.proposed_finding is None


@pytest.mark.parametrize(
    ("state", "action", "kw"),
    [
        (State.FINDING_PROPOSED, A.APPROVE_FINDING, {"reason": "r"}),
        (State.FINDING_PROPOSED, A.RETURN_FINDING, {"reason": "r"}),
        (State.PLAN_CONSENTED, A.APPROVE_PLAN, {}),
        (State.PLAN_CONSENTED, A.RETURN_PLAN, {"reason": "r"}),
    ],
)
def test_four_eyes_on_both_approvals(state, action, kw):
    facts = at(CLAR, state, proposer_id=S1.user_id, proposed_finding=Finding.FOUND_FALSE)
    with pytest.raises(FourEyes):
        apply(facts, S1, action, DAY, D, **kw)
    assert action not in allowed(facts, S1, DAY, D)
    assert apply(facts, S2, action, DAY, D, **kw).facts.state is not state


def test_a_supervisor_who_proposed_can_draft_but_not_approve_the_plan():
    facts = step(at(CLAR, State.FOUND_FALSE), S1, A.DRAFT_PLAN)
    facts = step(facts, U, A.CONSENT)
    with pytest.raises(FourEyes):
        apply(facts, S1, A.APPROVE_PLAN, DAY, D)
    assert step(facts, S2, A.APPROVE_PLAN).state is State.PLAN_APPROVED


@pytest.mark.parametrize(
    ("facts", "actor", "action"),
    [
        (at(CONCERN, State.SUBMITTED), U, A.ACCEPT),
        (at(CONCERN, State.SUBMITTED), U, A.TAKE),
        (at(CONCERN, State.SUBMITTED), R1, A.ASSIGN),
        (at(CONCERN, State.ACCEPTED), R2, A.START),
        (at(CONCERN, State.IN_PROGRESS), R2, A.ANSWER),
        (at(CONCERN, State.SUBMITTED), R2, A.ACCEPT),
        (at(CONCERN, State.SUBMITTED), R1, A.ACCEPT),
        (at(CONCERN, State.SUBMITTED), S1, A.ACCEPT),
        (at(CONCERN, State.SUBMITTED), S1, A.REFUSE),
        (at(CONCERN, State.SUBMITTED), R2, A.TAKE),
        (at(CONCERN, State.SUBMITTED), I1, A.TAKE),
        (at(CONCERN, State.ACCEPTED), I1, A.START),
        (at(CLAR, State.VERIFYING), I1, A.PROPOSE_FINDING),
        (PENDING_FINDING, I1, A.APPROVE_FINDING),
        (at(CONCERN, State.ACCEPTED, assignee_id=None), R1, A.START),
        (at(CONCERN, State.AWAITING_INFO), R1, A.PROVIDE_INFO),
        (at(CONCERN, State.AWAITING_INFO), S1, A.PROVIDE_INFO),
        (at(CONCERN, State.ANSWERED, answered_on=DAY), R1, A.OBJECT),
        (at(CONCERN, State.ANSWERED, answered_on=DAY), U, A.CLOSE),
        (PENDING_FINDING, R1, A.APPROVE_FINDING),
        (PENDING_FINDING, R1, A.RETURN_FINDING),
        (at(CLAR, State.AWAITING_CONSENT), R1, A.CONSENT),
        (at(CLAR, State.AWAITING_CONSENT), S1, A.DECLINE),
        (at(CLAR, State.PLAN_CONSENTED), R1, A.APPROVE_PLAN),
        (at(CLAR, State.PLAN_APPROVED), U, A.CARRY_OUT),
        (at(CLAR, State.PLAN_APPROVED), R2, A.CARRY_OUT),
        (at(CLAR, State.VERIFYING), R2, A.FLAG),
        (at(CLAR, State.VERIFYING, flag=AccusationFlag.SUSPECTED_MALICIOUS), R1, A.REFER),
        (at(CLAR, State.VERIFYING), U, A.FLAG),
    ],
)
def test_roles_and_assignees(facts, actor, action):
    kw = {"reason": "r", "finding": Finding.FOUND_FALSE, "assignee_id": 2}
    with pytest.raises(NotPermitted):
        apply(facts, actor, action, DAY, D, flag=AccusationFlag.MISTAKEN, **kw)
    assert action not in allowed(facts, actor, DAY, D)


def test_admin_is_not_a_role():
    assert "admin" not in {r.value for r in Role}
    with pytest.raises(ValueError):
        Role("admin")
    with pytest.raises(ValueError):
        Actor(1, "admin")  # type: ignore[arg-type]


@pytest.mark.parametrize(("user_id", "role"), [(None, Role.REVIEWER), (None, Role.SUPERVISOR), (7, Role.SUBMITTER)])
def test_only_the_submitter_is_anonymous(user_id, role):
    with pytest.raises(ValueError):
        Actor(user_id, role)


def test_a_supervisor_acts_on_any_case_without_taking_it():
    facts = step(at(CONCERN, State.ACCEPTED), S1, A.START)
    assert facts.state is State.IN_PROGRESS and facts.assignee_id == R1.user_id


@pytest.mark.parametrize("assignee", [R2, S1, L1])
def test_intake_accepts_and_assigns_in_one_step(assignee):
    outcome = apply(filed(CLAR), I1, A.ACCEPT, DAY, D, assignee_id=assignee.user_id)
    assert outcome.facts.assignee_id == assignee.user_id and outcome.visible_to_submitter
    assert outcome.target_user_id == assignee.user_id
    assert outcome.facts.answer_due == DAY + timedelta(days=90)


def test_accepting_needs_an_assignee_of_the_body():
    with pytest.raises(MissingChoice):
        apply(filed(CONCERN), I1, A.ACCEPT, DAY, D)
    with pytest.raises(NotAssignable):
        apply(filed(CONCERN), I1, A.ACCEPT, DAY, D, assignee_id=99)
    with pytest.raises(NotAssignable):  # an intake officer is not a case's assignee
        apply(filed(CONCERN), I1, A.ACCEPT, DAY, D, assignee_id=I1.user_id)


def test_refusing_leaves_the_case_unassigned():
    outcome = apply(filed(CLAR), I1, A.REFUSE, DAY, D, reason="Too early.", refusal_reason="no_conclusion")
    assert outcome.facts.assignee_id is None and outcome.visible_to_submitter


def test_refusal_is_final():
    facts = step(filed(CONCERN), I1, A.REFUSE, reason="Not a concern.")
    assert facts.state is State.NOT_ACCEPTED
    assert allowed(facts, S1, DAY, D) == [] and allowed(facts, U, DAY, D) == []


def test_take_over_and_reassign():
    facts = at(CONCERN, State.IN_PROGRESS, assignable=frozenset({R1.user_id}))
    outcome = apply(facts, S1, A.TAKE, DAY, D)  # 改由本人承办
    assert outcome.facts.assignee_id == S1.user_id and not outcome.visible_to_submitter
    with pytest.raises(WrongState):
        apply(outcome.facts, S1, A.TAKE, DAY, D)
    with pytest.raises(NotPermitted):
        apply(outcome.facts, R1, A.TAKE, DAY, D)
    with pytest.raises(NotAssignable):
        apply(outcome.facts, S1, A.ASSIGN, DAY, D, assignee_id=R2.user_id)
    for actor in (S1, I1):
        reassigned = apply(outcome.facts, actor, A.ASSIGN, DAY, D, assignee_id=R1.user_id)
        assert reassigned.facts.assignee_id == R1.user_id and not reassigned.visible_to_submitter
        assert reassigned.target_user_id == R1.user_id
    with pytest.raises(WrongState):
        apply(at(CONCERN, State.CLOSED, assignee_id=None), S1, A.TAKE, DAY, D)


@pytest.mark.parametrize("bad", [None, 0, -3, True, "1"])
def test_assign_needs_an_assignee(bad):
    with pytest.raises(MissingChoice):
        apply(at(CONCERN, State.SUBMITTED), S1, A.ASSIGN, DAY, D, assignee_id=bad)


REASONED = [
    (at(CONCERN, State.SUBMITTED), I1, A.REFUSE),
    (at(CONCERN, State.IN_PROGRESS), R1, A.ASK),
    (at(CLAR, State.VERIFYING), R1, A.ASK),
    (at(CONCERN, State.IN_PROGRESS), R1, A.ANSWER),
    (at(CONCERN, State.ANSWERED, answered_on=DAY), U, A.OBJECT),
    (at(CLAR, State.VERIFYING), R1, A.PROPOSE_FINDING),
    (PENDING_FINDING, S1, A.RETURN_FINDING),
    (at(CLAR, State.AWAITING_CONSENT), U, A.DECLINE),
    (at(CLAR, State.PLAN_CONSENTED), S1, A.RETURN_PLAN),
]


@pytest.mark.parametrize(("facts", "actor", "action"), REASONED)
@pytest.mark.parametrize("reason", [None, "", "   \n\t\u3000"])
def test_reason_required(facts, actor, action, reason):
    with pytest.raises(ReasonRequired):
        apply(facts, actor, action, DAY, D, reason=reason, finding=Finding.FOUND_FALSE)
    assert action in allowed(facts, actor, DAY, D)
    apply(facts, actor, action, DAY, D, reason="because", finding=Finding.FOUND_FALSE)


@pytest.mark.parametrize("bad", [None, "found false", "none"])
def test_propose_finding_needs_a_finding(bad):
    with pytest.raises(MissingChoice):
        apply(at(CLAR, State.VERIFYING), R1, A.PROPOSE_FINDING, DAY, D, reason="r", finding=bad)


@pytest.mark.parametrize(
    ("facts", "action"),
    [
        (at(CLAR, State.ACCEPTED), A.START),
        (at(CONCERN, State.ACCEPTED), A.VERIFY),
        (at(CLAR, State.VERIFYING), A.ANSWER),
        (at(CONCERN, State.IN_PROGRESS), A.PROPOSE_FINDING),
        (at(CONCERN, State.ANSWERED, answered_on=DAY), A.DRAFT_PLAN),
        (at(CONCERN, State.IN_PROGRESS), A.FLAG),
        (at(CONCERN, State.SUBMITTED), A.START),
        (at(CONCERN, State.IN_PROGRESS), A.CLOSE),
        (at(CLAR, State.FOUND_FALSE), A.APPROVE_PLAN),
        (at(CLAR, State.AWAITING_CONSENT), A.APPROVE_PLAN),
        (at(CLAR, State.VERIFYING), A.APPROVE_FINDING),
    ],
)
def test_wrong_kind_or_state(facts, action):
    with pytest.raises(WrongState):
        apply(facts, S1, action, DAY, D, **ALL_ARGS)


TERMINAL_CASES = [
    at(CONCERN, State.NOT_ACCEPTED),
    at(CONCERN, State.CLOSED, answered_on=DAY),
    at(CLAR, State.NOT_ACCEPTED),
    at(CLAR, State.SUBSTANTIATED),
    at(CLAR, State.UNVERIFIABLE),
    at(CLAR, State.CARRIED_OUT),
]


@pytest.mark.parametrize("facts", TERMINAL_CASES)
def test_terminal_states_allow_at_most_flag_refer_and_a_notice_correction(facts):
    after = {A.RECORD_VISIT, A.FEEDBACK}  # issue 10: the 回访 and the applicant's feedback on it
    for actor in (R1, S1, U):
        assert set(allowed(facts, actor, DAY, D)) <= {A.FLAG, A.REFER, A.PROPOSE_CORRECTION, *after}


def test_flag_and_refer_keep_the_state_and_stay_hidden():
    facts = at(CLAR, State.CARRIED_OUT)
    outcome = apply(facts, R1, A.FLAG, DAY, D, flag=AccusationFlag.SUSPECTED_MALICIOUS)
    assert outcome.facts.state is State.CARRIED_OUT and not outcome.visible_to_submitter
    assert outcome.facts.flag is AccusationFlag.SUSPECTED_MALICIOUS
    outcome = apply(outcome.facts, S1, A.REFER, DAY, D)  # the referral's details are its own record
    assert outcome.facts.referred and not outcome.visible_to_submitter
    assert outcome.facts.state is State.CARRIED_OUT
    # A second body may receive it too (纪检 and 公安), but the judgement is final once referred.
    assert apply(outcome.facts, S1, A.REFER, DAY, D).facts.referred
    with pytest.raises(WrongState):
        apply(outcome.facts, S1, A.FLAG, DAY, D, flag=AccusationFlag.MISTAKEN)


def test_only_a_suspected_malicious_accusation_is_referred():
    facts = step(at(CLAR, State.VERIFYING), R1, A.FLAG, flag=AccusationFlag.MISTAKEN)
    assert A.REFER not in allowed(facts, S1, DAY, D)
    with pytest.raises(WrongState):
        apply(facts, S1, A.REFER, DAY, D, reason="r")
    facts = step(facts, R1, A.FLAG, flag=AccusationFlag.SUSPECTED_MALICIOUS)
    assert A.REFER in allowed(facts, S1, DAY, D)


@pytest.mark.parametrize("state", [State.SUBMITTED, State.NOT_ACCEPTED, State.SUBSTANTIATED])
def test_no_flag_before_acceptance_or_once_substantiated(state):
    with pytest.raises(WrongState):
        apply(at(CLAR, state), S1, A.FLAG, DAY, D, flag=AccusationFlag.MISTAKEN)


@pytest.mark.parametrize("bad", [None, AccusationFlag.NONE, "slander"])
def test_flag_needs_a_real_choice(bad):
    with pytest.raises(MissingChoice):
        apply(at(CLAR, State.VERIFYING), R1, A.FLAG, DAY, D, flag=bad)


@pytest.mark.parametrize(
    ("facts", "actor", "expected"),
    [
        (new_case(CONCERN, DAY, D), R1, []),
        (new_case(CONCERN, DAY, D), S1, [A.TAKE, A.ASSIGN]),
        (new_case(CONCERN, DAY, D), I1, [A.ASSIGN, A.ACCEPT, A.REFUSE, A.TRANSFER]),
        (new_case(CONCERN, DAY, D), U, []),
        (at(CONCERN, State.IN_PROGRESS), I1, [A.ASSIGN]),
        (at(CONCERN, State.IN_PROGRESS), L1, [A.TAKE, A.ASSIGN, A.ASK, A.ANSWER]),
        (at(CONCERN, State.IN_PROGRESS), R1, [A.ASK, A.ANSWER]),
        (at(CONCERN, State.IN_PROGRESS), R2, []),
        (at(CONCERN, State.AWAITING_INFO), U, [A.PROVIDE_INFO]),
        (at(CONCERN, State.ANSWERED, answered_on=DAY), U, [A.OBJECT]),
        (at(CONCERN, State.ANSWERED, answered_on=DAY), R1, []),
        (at(CONCERN, State.ANSWERED, answered_on=DAY, objected=True), R1, [A.CLOSE]),
        (at(CLAR, State.VERIFYING), R1, [A.ASK, A.PROPOSE_FINDING, A.FLAG]),
        (
            at(CLAR, State.FINDING_PROPOSED, proposer_id=1, proposed_finding=Finding.FOUND_FALSE),
            S1,
            [A.TAKE, A.ASSIGN, A.APPROVE_FINDING, A.RETURN_FINDING, A.FLAG],
        ),
        (at(CLAR, State.AWAITING_CONSENT), U, [A.CONSENT, A.DECLINE]),
        (at(CLAR, State.PLAN_APPROVED), R1, [A.FLAG, A.RECORD_FORM, A.RECORD_FILING]),
        (
            at(CLAR, State.PLAN_APPROVED, plan_complete=True),
            R1,
            [A.CARRY_OUT, A.FLAG, A.RECORD_FORM, A.RECORD_FILING],
        ),
    ],
)
def test_allowed_lists_exactly_the_offered_actions(facts, actor, expected):
    assert allowed(facts, actor, DAY, D) == expected


def test_error_codes_are_stable_and_distinct():
    errors = [
        NotPermitted,
        WrongState,
        ReasonRequired,
        FourEyes,
        WindowClosed,
        AlreadyUsed,
        MissingChoice,
        NotAssignable,
        PlanIncomplete,
    ]
    assert all(issubclass(e, WorkflowError) for e in errors)
    assert [e.code for e in errors] == [
        "not_permitted",
        "wrong_state",
        "reason_required",
        "four_eyes",
        "window_closed",
        "already_used",
        "missing_choice",
        "not_assignable",
        "plan_incomplete",
    ]


def test_facts_read_from_the_database_as_codes_behave_like_enums():
    facts = Facts("clarification", "verifying", DAY, 1, flag="none")  # type: ignore[arg-type]
    assert step(facts, R1, A.ASK, reason="When?").paused_from is State.VERIFYING


def test_who_may_write_on_a_case():
    from portal.domain.workflow import Record, may_record

    unassigned, mine = at(CONCERN, State.SUBMITTED, assignee_id=None), at(CONCERN, State.IN_PROGRESS)
    assert mine.assignee_id == R1.user_id
    for record in Record:
        assert may_record(unassigned, R2, record) and may_record(mine, R1, record)
        assert not may_record(mine, R2, record)  # holding the key is not enough once assigned
        assert may_record(mine, S1, record) and not may_record(mine, U, record)


def test_a_notice_correction_waits_for_the_cadre_and_cannot_be_stacked():
    facts = at(CLAR, State.CARRIED_OUT)
    assert A.CONSENT_CORRECTION not in allowed(facts, U, DAY, D)
    with pytest.raises(NotPermitted):
        apply(facts, R1, A.PROPOSE_CORRECTION, DAY, D, reason="post")
    facts = step(facts, S1, A.PROPOSE_CORRECTION, reason="The post was wrong.")
    assert facts.correction_pending and facts.state is State.CARRIED_OUT
    with pytest.raises(WrongState):
        apply(facts, S1, A.PROPOSE_CORRECTION, DAY, D, reason="again")
    offered = set(allowed(facts, U, DAY, D)) - {A.FEEDBACK}  # the feedback on the 回访 (issue 10) is apart
    assert offered == {A.CONSENT_CORRECTION, A.DECLINE_CORRECTION}
    with pytest.raises(ReasonRequired):
        apply(facts, U, A.DECLINE_CORRECTION, DAY, D)
    assert not step(facts, U, A.CONSENT_CORRECTION).correction_pending
    assert not step(facts, S1, A.DROP_CORRECTION).correction_pending


@pytest.mark.parametrize(("kind", "working"), [(Kind.CONCERN, State.IN_PROGRESS), (CLAR, State.VERIFYING)])
def test_staff_continue_without_a_reply_with_a_reason_and_the_paused_days_added(kind, working):
    facts = at(kind, working, assignee_id=R1.user_id, answer_due=DAY + timedelta(days=90))
    asked = step(facts, R1, A.ASK, reason="Which month?")
    later = DAY + timedelta(days=20)
    assert A.RESUME in allowed(asked, R1, later, D) and A.RESUME not in allowed(asked, R2, later, D)
    with pytest.raises(ReasonRequired):
        apply(asked, R1, A.RESUME, later, D)
    outcome = apply(asked, R1, A.RESUME, later, D, reason="No reply in 20 days; handled on the file.")
    assert outcome.visible_to_submitter and outcome.clock == "resumed"
    assert outcome.facts.state is working and outcome.facts.paused_from is None
    assert outcome.facts.answer_due == DAY + timedelta(days=110)
    with pytest.raises(NotPermitted):
        apply(asked, U, A.RESUME, later, D, reason="x")


@pytest.mark.parametrize("bad", [None, "", "because", "none"])
def test_refusing_a_clarification_needs_a_listed_reason(bad):
    with pytest.raises(MissingChoice) as refused:
        apply(new_case(CLAR, DAY, D), I1, A.REFUSE, DAY, D, reason="Too early.", refusal_reason=bad)
    assert refused.value.choice == "refusal_reason"


def test_a_refused_clarification_keeps_its_reason_and_a_concern_needs_none():
    clarification = step(new_case(CLAR, DAY, D), I1, A.REFUSE, reason="x", refusal_reason="no_harm")
    assert clarification.refusal_reason is RefusalReason.NO_HARM
    concern = step(new_case(CONCERN, DAY, D), I1, A.REFUSE, reason="x", refusal_reason="no_harm")
    assert concern.refusal_reason is None


def test_the_timeline_keeps_the_proposed_finding_and_the_recorded_form():
    proposed = apply(at(CLAR, State.VERIFYING), R1, A.PROPOSE_FINDING, DAY, D, reason="g", finding="found_false")
    assert proposed.detail == "found_false"
    recorded = apply(at(CLAR, State.PLAN_APPROVED), R1, A.RECORD_FORM, DAY, D, mode="meeting")
    assert recorded.detail == "meeting" and recorded.facts.state is State.PLAN_APPROVED
    with pytest.raises(MissingChoice):
        apply(at(CLAR, State.PLAN_APPROVED), R1, A.RECORD_FORM, DAY, D, mode="a web form")
    assert apply(at(CLAR, State.VERIFYING), R1, A.ASK, DAY, D, reason="When?").detail is None
