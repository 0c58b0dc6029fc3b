"""The workflow as data: who may fire each action, and the declared state graph per kind.

Kept apart from the engine (``workflow.py``) so the graph can be read, tested and
drawn on its own; the engine refuses any move this table does not declare.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Literal

from portal.domain.cases import ClarificationMode, Finding, Kind, State

#: What an action does to the answer clock, for the submitter's status page.
Clock = Literal["paused", "resumed"]


class Role(StrEnum):
    """Who acts on a case; administrators manage accounts and have no role in cases."""

    INTAKE = "intake"  # 信访干部: registers, accepts and assigns (分办)
    REVIEWER = "reviewer"  # 承办人
    SUPERVISOR = "supervisor"  # 审核人
    LEADER = "leader"  # 分管领导: approves as a supervisor does
    SUBMITTER = "submitter"


class Action(StrEnum):
    """Every step a person can take on a case; views name one, the engine decides."""

    TAKE = "take"
    ASSIGN = "assign"
    ACCEPT = "accept"
    REFUSE = "refuse"
    START = "start"
    ASK = "ask"
    PROVIDE_INFO = "provide_info"
    RESUME = "resume"
    ANSWER = "answer"
    CLOSE = "close"
    OBJECT = "object"
    VERIFY = "verify"
    PROPOSE_FINDING = "propose_finding"
    APPROVE_FINDING = "approve_finding"
    RETURN_FINDING = "return_finding"
    DRAFT_PLAN = "draft_plan"
    CONSENT = "consent"
    DECLINE = "decline"
    APPROVE_PLAN = "approve_plan"
    RETURN_PLAN = "return_plan"
    CARRY_OUT = "carry_out"
    FLAG = "flag"
    REFER = "refer"
    PROPOSE_CORRECTION = "propose_correction"
    CONSENT_CORRECTION = "consent_correction"
    DECLINE_CORRECTION = "decline_correction"
    DROP_CORRECTION = "drop_correction"
    RECORD_FORM = "record_form"
    TRANSFER = "transfer"
    # -- the 诬告陷害 ledger (issue 10) --
    REFERRAL_FILED = "referral_filed"  # the receiving body reports 立案
    REFERRAL_HANDLED = "referral_handled"  # 处理结果: what it decided, and when
    REFERRAL_NOT_PURSUED = "referral_not_pursued"  # 不予追究
    EDUCATE = "educate"  # 提醒教育 of a mistaken accuser (错告)
    # -- fault tolerance (issue 10) --
    PROPOSE_DECISION = "propose_decision"
    RECORD_COLLECTIVE = "record_collective"
    RETURN_DECISION = "return_decision"
    APPROVE_DECISION = "approve_decision"
    RECORD_MEASURE = "record_measure"
    # -- real-name concerns, 回访 and filing (issue 10) --
    TELL_RESULT = "tell_result"  # 告知办理结果: a real-name submitter is told the result after 办结
    RECORD_FILING = "record_filing"  # 归入廉政档案 / 抄送组织人事部门, a step of the approved plan
    RECORD_VISIT = "record_visit"  # 回访 after the clarification was carried out
    FEEDBACK = "feedback"  # the applicant's own word on the 回访, through the receipt
    # -- h11x --
    CHECK_ACCUSER = "check_accuser"  # 一信双查 recorded after the referral, on one referral without it


class Choice(StrEnum):
    """What a person picks from a list for a step; the engine checks it and never guesses it."""

    ASSIGNEE = "assignee"  # a confirmed case worker of the case's body; the step seals the key to them
    FINDING = "finding"
    FLAG = "flag"
    REFUSAL_REASON = "refusal_reason"
    MODE = "mode"  # a mode of the clarification (书面, 当面, 会议, 公告)
    # -- fault tolerance (issue 10) --
    TOLERANCE = "tolerance"  # the proposed ToleranceOutcome (容错免责, 减责, 不予容错)
    APPROVER = "approver"  # a confirmed leader of the case's body; the step seals the key to them
    # -- real-name concerns, 回访 and filing (issue 10) --
    FILING = "filing"  # where the clarification material went (Filing)
    VISIT_FORM = "visit_form"  # how the 回访 took place (VisitForm)


class Page(StrEnum):
    """Where staff fire an action that needs more than the case page's action box."""

    PLAN = "plan"  # the clarification plan page
    NOTICE = "notice"  # the public notice's correction page
    TRANSFER = "transfer"  # the transfer page: the target body and the reason (转办, 转送, 报送上一级)
    # -- the 诬告陷害 ledger (issue 10) --
    REFERRAL = "referral"  # the accusation page: referrals (移送), their outcomes, 一信双查, 提醒教育
    DECISION = "decision"  # the 容错纠错 decision page: proposal, collective decision, measures (issue 10)


@dataclass(frozen=True)
class Rule:
    """The static shape of one action, so permissions are reviewed in one table."""

    roles: frozenset[Role]
    visible: bool  # shows on the submitter's status page
    needs_reason: bool = False  # free text the action is meaningless without
    four_eyes: bool = False  # the proposer or drafter may not fire it
    clock: Clock | None = None  # what it does to the answer clock
    confirm: bool = False  # irreversible in one click: the page asks for a confirmation first
    choice: Choice | None = None  # what must be picked for the step, checked by the engine
    choice_kinds: frozenset[Kind] = frozenset(Kind)  # the kinds of case where the choice is asked
    shows_choice: bool = False  # the timeline keeps what was picked (the proposed finding, the mode)
    page: Page | None = None  # fired from its own page, not the case page's action box
    publishes: bool = False  # publishes the consented notice of the plan

    def asks_choice(self, kind: Kind) -> Choice | None:
        """The choice this step needs on a case of this kind, if any."""
        return self.choice if kind in self.choice_kinds else None


_WORKER = frozenset({Role.REVIEWER, Role.SUPERVISOR, Role.LEADER})
_SUPERVISOR = frozenset({Role.SUPERVISOR, Role.LEADER})
_INTAKE = frozenset({Role.INTAKE})
#: Everyone who works cases on the staff side.
STAFF_ROLES: frozenset[Role] = _WORKER | _INTAKE
_SUBMITTER = frozenset({Role.SUBMITTER})


class Record(StrEnum):
    """Writing on a case without moving it: to the submitter, or an internal note."""

    MESSAGE = "message"
    NOTE = "note"


#: Who may write on a case, in any state: a supervisor or leader who holds it, or a reviewer or
#: intake officer while the case is unassigned or assigned to them; once another is assigned,
#: holding the key (through intake or a grant) is not enough. The submitter replies on their page.
RECORDS: Mapping[Record, frozenset[Role]] = MappingProxyType({Record.MESSAGE: STAFF_ROLES, Record.NOTE: STAFF_ROLES})

RULES: Mapping[Action, Rule] = MappingProxyType(
    {
        # A supervisor or leader who holds the case takes it over from its assignee (改由本人承办).
        Action.TAKE: Rule(_SUPERVISOR, visible=False),
        # 改派: intake, or a supervisor holding the case, gives it to another case worker of the body.
        Action.ASSIGN: Rule(_INTAKE | _SUPERVISOR, visible=False, choice=Choice.ASSIGNEE),
        # 受理并分办: intake accepts and names the assignee; the step seals the key to them.
        Action.ACCEPT: Rule(_INTAKE, visible=True, choice=Choice.ASSIGNEE),
        Action.REFUSE: Rule(
            _INTAKE,
            visible=True,
            needs_reason=True,
            confirm=True,
            choice=Choice.REFUSAL_REASON,
            choice_kinds=frozenset({Kind.CLARIFICATION}),
        ),
        Action.START: Rule(_WORKER, visible=True),
        Action.ASK: Rule(_WORKER, visible=True, needs_reason=True, clock="paused"),
        Action.PROVIDE_INFO: Rule(_SUBMITTER, visible=True, clock="resumed"),
        # No reply came: handling goes on with what is on file, and the cadre is told why.
        Action.RESUME: Rule(_WORKER, visible=True, needs_reason=True, clock="resumed"),
        Action.ANSWER: Rule(_WORKER, visible=True, needs_reason=True, confirm=True),
        Action.CLOSE: Rule(_WORKER, visible=True),
        Action.OBJECT: Rule(_SUBMITTER, visible=True, needs_reason=True, confirm=True),
        Action.VERIFY: Rule(_WORKER, visible=True),
        Action.PROPOSE_FINDING: Rule(
            _WORKER, visible=False, needs_reason=True, choice=Choice.FINDING, shows_choice=True
        ),
        Action.APPROVE_FINDING: Rule(
            _SUPERVISOR, visible=True, needs_reason=True, four_eyes=True
        ),  # the reasons the applicant reads
        Action.RETURN_FINDING: Rule(_SUPERVISOR, visible=False, needs_reason=True, four_eyes=True),
        Action.DRAFT_PLAN: Rule(_WORKER, visible=True, page=Page.PLAN),
        Action.CONSENT: Rule(_SUBMITTER, visible=True, confirm=True),
        Action.DECLINE: Rule(_SUBMITTER, visible=True, needs_reason=True),
        Action.APPROVE_PLAN: Rule(_SUPERVISOR, visible=True, four_eyes=True, confirm=True, publishes=True),
        Action.RETURN_PLAN: Rule(_SUPERVISOR, visible=False, needs_reason=True, four_eyes=True),
        # Each mode of the approved plan is recorded as carried out, then the whole is.
        Action.RECORD_FORM: Rule(_WORKER, visible=True, choice=Choice.MODE, shows_choice=True, page=Page.PLAN),
        Action.CARRY_OUT: Rule(_WORKER, visible=True),
        Action.FLAG: Rule(_WORKER, visible=False, confirm=True, choice=Choice.FLAG),
        # 移送: a referral record (receiving body, its kind, reference, date) on the accusation page.
        Action.REFER: Rule(_SUPERVISOR, visible=False, page=Page.REFERRAL),
        # A correction that changes what a published notice says about the cadre waits for the
        # cadre's consent, as the original text did; withdrawing the notice drops it.
        Action.PROPOSE_CORRECTION: Rule(_SUPERVISOR, visible=True, needs_reason=True, page=Page.NOTICE),
        Action.CONSENT_CORRECTION: Rule(_SUBMITTER, visible=True, confirm=True),
        Action.DECLINE_CORRECTION: Rule(_SUBMITTER, visible=True, needs_reason=True),
        Action.DROP_CORRECTION: Rule(_SUPERVISOR, visible=True, page=Page.NOTICE),
        # 转办 / 转送 / 报送上一级: intake sends a case it has not yet accepted to another body, whose
        # acceptance clock starts afresh; the service reseals the key to the target body.
        Action.TRANSFER: Rule(_INTAKE, visible=True, confirm=True, page=Page.TRANSFER),
        # -- the 诬告陷害 ledger (issue 10) --
        # What the receiving body reports back is recorded by whoever works the case; the referral
        # decision itself stays the supervisor's (REFER).
        Action.REFERRAL_FILED: Rule(_WORKER, visible=False, page=Page.REFERRAL),
        Action.REFERRAL_HANDLED: Rule(_WORKER, visible=False, page=Page.REFERRAL),
        Action.REFERRAL_NOT_PURSUED: Rule(_WORKER, visible=False, page=Page.REFERRAL),
        Action.EDUCATE: Rule(_WORKER, visible=False, page=Page.REFERRAL),
        # -- fault tolerance (issue 10) --
        # The case worker proposes the outcome with reasons and the 纠错 measures (kept under the key).
        Action.PROPOSE_DECISION: Rule(
            _WORKER, visible=False, needs_reason=True, choice=Choice.TOLERANCE, shows_choice=True, page=Page.DECISION
        ),
        # 集体研究: date, meeting and result (under the key), and the leader it goes to for approval.
        Action.RECORD_COLLECTIVE: Rule(_WORKER, visible=False, choice=Choice.APPROVER, page=Page.DECISION),
        Action.RETURN_DECISION: Rule(_SUPERVISOR, visible=False, needs_reason=True, four_eyes=True),
        # Only the leader named by the collective record, never the proposer; the reasons the applicant reads.
        Action.APPROVE_DECISION: Rule(
            frozenset({Role.LEADER}), visible=True, needs_reason=True, four_eyes=True, confirm=True
        ),
        # One 纠错 measure of the approved decision recorded as done (date and note).
        Action.RECORD_MEASURE: Rule(_WORKER, visible=True, needs_reason=True, page=Page.DECISION),
        # -- real-name concerns, 回访 and filing (issue 10) --
        # The result a real-name submitter reads, within the days after 办结 (the text is the reason).
        Action.TELL_RESULT: Rule(_WORKER, visible=True, needs_reason=True, confirm=True),
        # Each filing of the approved plan is recorded (date, document number), as each mode is.
        Action.RECORD_FILING: Rule(_WORKER, visible=True, choice=Choice.FILING, shows_choice=True, page=Page.PLAN),
        # The 回访: the cadre sees that it took place and how; the summary stays with staff.
        Action.RECORD_VISIT: Rule(_WORKER, visible=True, choice=Choice.VISIT_FORM, shows_choice=True, page=Page.PLAN),
        Action.FEEDBACK: Rule(_SUBMITTER, visible=True, needs_reason=True),
        # -- h11x: 一信双查 recorded later by whoever works the case, once per referral --
        Action.CHECK_ACCUSER: Rule(_WORKER, visible=False, page=Page.REFERRAL),
    }
)

#: Who edits a published notice (corrects or withdraws it).
NOTICE_EDITORS: frozenset[Role] = _SUPERVISOR

#: Who approves what others propose: the "waiting for my approval" queue is theirs.
APPROVERS: frozenset[Role] = RULES[Action.APPROVE_FINDING].roles | RULES[Action.APPROVE_PLAN].roles

#: Actions staff fire from the case page's action box (the rest have their own page or are the cadre's).
ACTION_BOX: tuple[Action, ...] = tuple(
    action for action, rule in RULES.items() if rule.page is None and rule.roles & STAFF_ROLES
)

#: What the case page offers: the action box, and links to the plan page for a new draft and to the
#: transfer page.
CASE_PAGE: tuple[Action, ...] = (*ACTION_BOX, Action.DRAFT_PLAN, Action.TRANSFER)

#: The modes a clarification takes (ClarificationMode), as codes the engine accepts for RECORD_FORM
#: (whose stored code keeps its older name, "record_form").
MODES: frozenset[str] = frozenset(m.value for m in ClarificationMode)

#: States each kind can be in; anything else is a bug.
KIND_STATES: Mapping[Kind, frozenset[State]] = MappingProxyType(
    {
        Kind.CONCERN: frozenset(
            {
                State.SUBMITTED,
                State.ACCEPTED,
                State.NOT_ACCEPTED,
                State.IN_PROGRESS,
                State.AWAITING_INFO,
                State.ANSWERED,
                State.CLOSED,
            }
        ),
        Kind.CLARIFICATION: frozenset(
            {
                State.SUBMITTED,
                State.ACCEPTED,
                State.NOT_ACCEPTED,
                State.VERIFYING,
                State.AWAITING_INFO,
                State.FINDING_PROPOSED,
                State.FOUND_FALSE,
                State.SUBSTANTIATED,
                State.UNVERIFIABLE,
                State.AWAITING_CONSENT,
                State.PLAN_CONSENTED,
                State.PLAN_APPROVED,
                State.CARRIED_OUT,
            }
        ),
        # -- fault tolerance (issue 10) --
        Kind.FAULT_TOLERANCE: frozenset(
            {
                State.SUBMITTED,
                State.ACCEPTED,
                State.NOT_ACCEPTED,
                State.VERIFYING,
                State.AWAITING_INFO,
                State.DECISION_PROPOSED,
                State.COLLECTIVELY_DECIDED,
                State.DECIDED,
                State.CLOSED,
            }
        ),
    }
)

#: States after which the case's course is over (only flagging and referral remain).
TERMINAL: frozenset[State] = frozenset(
    {
        State.NOT_ACCEPTED,
        State.CLOSED,
        State.SUBSTANTIATED,
        State.UNVERIFIABLE,
        State.CARRIED_OUT,
    }
)

#: The state an approved finding leads to.
FINDING_STATE: Mapping[Finding, State] = MappingProxyType(
    {
        Finding.FOUND_FALSE: State.FOUND_FALSE,
        Finding.SUBSTANTIATED: State.SUBSTANTIATED,
        Finding.UNVERIFIABLE: State.UNVERIFIABLE,
        # -- 部分失实 (issue 10): the plan follows as for 失实, clarifying only the items found false --
        Finding.PARTLY_FALSE: State.FOUND_FALSE,
    }
)

#: Where the accusation can be judged: once accepted, and not once it was found true.
FLAGGABLE: frozenset[State] = KIND_STATES[Kind.CLARIFICATION] - {
    State.SUBMITTED,
    State.NOT_ACCEPTED,
    State.SUBSTANTIATED,
}

#: Where a published notice can be corrected: after the plan's approval published it.
CORRECTABLE: frozenset[State] = frozenset({State.PLAN_APPROVED, State.CARRIED_OUT})

#: Correction steps: none moves the case; the engine tracks the pending correction in the facts.
CORRECTION_ACTIONS = (
    Action.PROPOSE_CORRECTION,
    Action.CONSENT_CORRECTION,
    Action.DECLINE_CORRECTION,
    Action.DROP_CORRECTION,
)

# -- the 诬告陷害 ledger (issue 10) --
#: The outcome steps of a referral; none moves the case, each moves one referral (domain.referral).
REFERRAL_ACTIONS = (Action.REFERRAL_FILED, Action.REFERRAL_HANDLED, Action.REFERRAL_NOT_PURSUED)

Edge = tuple[State, Action, State]

_CONCERN_MOVES: tuple[Edge, ...] = (
    (State.SUBMITTED, Action.ACCEPT, State.ACCEPTED),
    (State.SUBMITTED, Action.REFUSE, State.NOT_ACCEPTED),
    (State.SUBMITTED, Action.TRANSFER, State.SUBMITTED),
    (State.ACCEPTED, Action.START, State.IN_PROGRESS),
    (State.IN_PROGRESS, Action.ASK, State.AWAITING_INFO),
    (State.AWAITING_INFO, Action.PROVIDE_INFO, State.IN_PROGRESS),
    (State.AWAITING_INFO, Action.RESUME, State.IN_PROGRESS),
    (State.IN_PROGRESS, Action.ANSWER, State.ANSWERED),
    (State.ANSWERED, Action.OBJECT, State.IN_PROGRESS),
    (State.ANSWERED, Action.CLOSE, State.CLOSED),
    # -- real-name concerns (issue 10) --
    (State.CLOSED, Action.TELL_RESULT, State.CLOSED),
)

_CLARIFICATION_MOVES: tuple[Edge, ...] = (
    (State.SUBMITTED, Action.ACCEPT, State.ACCEPTED),
    (State.SUBMITTED, Action.REFUSE, State.NOT_ACCEPTED),
    (State.SUBMITTED, Action.TRANSFER, State.SUBMITTED),
    (State.ACCEPTED, Action.VERIFY, State.VERIFYING),
    (State.VERIFYING, Action.ASK, State.AWAITING_INFO),
    (State.AWAITING_INFO, Action.PROVIDE_INFO, State.VERIFYING),
    (State.AWAITING_INFO, Action.RESUME, State.VERIFYING),
    (State.VERIFYING, Action.PROPOSE_FINDING, State.FINDING_PROPOSED),
    (State.FINDING_PROPOSED, Action.APPROVE_FINDING, State.FOUND_FALSE),
    (State.FINDING_PROPOSED, Action.APPROVE_FINDING, State.SUBSTANTIATED),
    (State.FINDING_PROPOSED, Action.APPROVE_FINDING, State.UNVERIFIABLE),
    (State.FINDING_PROPOSED, Action.RETURN_FINDING, State.VERIFYING),
    (State.FOUND_FALSE, Action.DRAFT_PLAN, State.AWAITING_CONSENT),
    (State.AWAITING_CONSENT, Action.CONSENT, State.PLAN_CONSENTED),
    (State.AWAITING_CONSENT, Action.DECLINE, State.FOUND_FALSE),
    (State.PLAN_CONSENTED, Action.APPROVE_PLAN, State.PLAN_APPROVED),
    (State.PLAN_CONSENTED, Action.RETURN_PLAN, State.FOUND_FALSE),
    (State.PLAN_APPROVED, Action.RECORD_FORM, State.PLAN_APPROVED),
    (State.PLAN_APPROVED, Action.CARRY_OUT, State.CARRIED_OUT),
    # -- real-name concerns, 回访 and filing (issue 10) --
    (State.PLAN_APPROVED, Action.RECORD_FILING, State.PLAN_APPROVED),
    (State.CARRIED_OUT, Action.RECORD_VISIT, State.CARRIED_OUT),
    (State.CARRIED_OUT, Action.FEEDBACK, State.CARRIED_OUT),
)


# -- fault tolerance (issue 10) --
_FAULT_TOLERANCE_MOVES: tuple[Edge, ...] = (
    (State.SUBMITTED, Action.ACCEPT, State.ACCEPTED),
    (State.SUBMITTED, Action.REFUSE, State.NOT_ACCEPTED),
    (State.SUBMITTED, Action.TRANSFER, State.SUBMITTED),
    (State.ACCEPTED, Action.VERIFY, State.VERIFYING),
    (State.VERIFYING, Action.ASK, State.AWAITING_INFO),
    (State.AWAITING_INFO, Action.PROVIDE_INFO, State.VERIFYING),
    (State.AWAITING_INFO, Action.RESUME, State.VERIFYING),
    (State.VERIFYING, Action.PROPOSE_DECISION, State.DECISION_PROPOSED),
    (State.DECISION_PROPOSED, Action.RECORD_COLLECTIVE, State.COLLECTIVELY_DECIDED),
    (State.DECISION_PROPOSED, Action.RETURN_DECISION, State.VERIFYING),
    (State.COLLECTIVELY_DECIDED, Action.RETURN_DECISION, State.VERIFYING),
    (State.COLLECTIVELY_DECIDED, Action.APPROVE_DECISION, State.DECIDED),
    (State.DECIDED, Action.OBJECT, State.VERIFYING),  # 复核: decided afresh
    (State.DECIDED, Action.RECORD_MEASURE, State.DECIDED),
    (State.DECIDED, Action.CLOSE, State.CLOSED),
)


def _stays(states: Iterable[State], *actions: Action) -> tuple[Edge, ...]:
    """Actions that record something without moving the case."""
    return tuple((s, a, s) for s in sorted(states) for a in actions)


#: Every move the engine may make, per kind: (from, action, to).
TRANSITIONS: Mapping[Kind, frozenset[Edge]] = MappingProxyType(
    {
        Kind.CONCERN: frozenset(
            _CONCERN_MOVES + _stays(KIND_STATES[Kind.CONCERN] - TERMINAL, Action.TAKE, Action.ASSIGN)
        ),
        Kind.CLARIFICATION: frozenset(
            _CLARIFICATION_MOVES
            + _stays(KIND_STATES[Kind.CLARIFICATION] - TERMINAL, Action.TAKE, Action.ASSIGN)
            + _stays(FLAGGABLE, Action.FLAG, Action.REFER)
            + _stays(CORRECTABLE, *CORRECTION_ACTIONS)
            + _stays(FLAGGABLE, *REFERRAL_ACTIONS, Action.EDUCATE)  # the 诬告陷害 ledger (issue 10)
            + _stays(FLAGGABLE, Action.CHECK_ACCUSER)  # h11x: 一信双查 after the referral
        ),
        Kind.FAULT_TOLERANCE: frozenset(
            _FAULT_TOLERANCE_MOVES + _stays(KIND_STATES[Kind.FAULT_TOLERANCE] - TERMINAL, Action.TAKE, Action.ASSIGN)
        ),
    }
)


def targets(kind: Kind, state: State, action: Action) -> frozenset[State]:
    """Where ``action`` may lead from ``state``; empty when the graph has no such move."""
    return _TARGETS.get((kind, state, action), frozenset())


def _index() -> dict[tuple[Kind, State, Action], frozenset[State]]:
    """Group the edges for one lookup per action."""
    grouped: dict[tuple[Kind, State, Action], set[State]] = {}
    for kind, edges in TRANSITIONS.items():
        for source, action, target in edges:
            grouped.setdefault((kind, source, action), set()).add(target)
    return {key: frozenset(value) for key, value in grouped.items()}


_TARGETS = _index()
