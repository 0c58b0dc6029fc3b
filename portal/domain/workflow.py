"""The workflow engine: the one place a case's state changes.

A case's workflow facts are an immutable value; :func:`apply` checks that an actor
may take an action now and returns the new facts plus what to record. Views and
services never set a state themselves, so every guard (roles, assignment, four
eyes, the objection window, deadlines) holds however a request arrives.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

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
from portal.domain.workflow_rules import (
    FINDING_STATE,
    RECORDS,
    REFERRAL_ACTIONS,
    RULES,
    Action,
    Choice,
    Clock,
    Record,
    Role,
    Rule,
    targets,
)
from portal.domain.working_days import add_days, add_months, add_working_days

__all__ = [
    "Action",
    "Actor",
    "AlreadyUsed",
    "Choice",
    "Deadlines",
    "Facts",
    "FourEyes",
    "ItemsRequired",
    "MeasuresIncomplete",
    "MissingChoice",
    "NotAnApprover",
    "NotAssignable",
    "NotPermitted",
    "Outcome",
    "PlanIncomplete",
    "ReasonRequired",
    "Record",
    "Role",
    "WindowClosed",
    "WorkflowError",
    "WrongState",
    "allowed",
    "apply",
    "check_record",
    "current_due",
    "is_overdue",
    "may_record",
    "new_case",
    "own_motion_case",
]


class WorkflowError(Exception):
    """A step a person asked for that the rules refuse; ``code`` picks the message shown."""

    code = "workflow"


class NotPermitted(WorkflowError):
    """Raised so a role or person cannot act beyond their remit."""

    code = "not_permitted"


class WrongState(WorkflowError):
    """Raised so a case only moves along its declared graph."""

    code = "wrong_state"


class ReasonRequired(WorkflowError):
    """Raised so refusals, questions and answers always say something to the reader."""

    code = "reason_required"


class FourEyes(WorkflowError):
    """Raised so nobody approves their own finding or plan."""

    code = "four_eyes"


class WindowClosed(WorkflowError):
    """Raised so an answer becomes final once the objection period has run out."""

    code = "window_closed"


class AlreadyUsed(WorkflowError):
    """Raised so an answer can be objected to once, not indefinitely."""

    code = "already_used"


class MissingChoice(WorkflowError):
    """Raised so a finding, assignee, flag, refusal reason or mode is never guessed."""

    code = "missing_choice"

    def __init__(self, choice: Choice) -> None:
        super().__init__(f"choose a {choice}")
        self.choice = choice


class NotAssignable(WorkflowError):
    """Raised so a case is assigned only to a confirmed case worker of the body handling it."""

    code = "not_assignable"


class ItemsRequired(ReasonRequired):
    """Raised so a 部分失实 finding always names the items found false (issue 10): text the step is
    meaningless without, as a reason is."""

    code = "items_required"


class PlanIncomplete(WorkflowError):
    """Raised so a clarification is carried out only once every mode of its plan is recorded."""

    code = "plan_incomplete"


class NotAnApprover(NotAssignable):
    """Raised so a fault-tolerance decision goes only to a confirmed leader of the case's body (issue 10)."""

    code = "not_an_approver"


class MeasuresIncomplete(WorkflowError):
    """Raised so a fault-tolerance case is closed only once every 纠错 measure is recorded done (issue 10)."""

    code = "measures_incomplete"


@dataclass(frozen=True)
class Actor:
    """Who asks for a step; the submitter is anonymous, so has no user id."""

    user_id: int | None
    role: Role

    def __post_init__(self) -> None:
        """Reject actors that would blur who acted (an admin, a named submitter)."""
        object.__setattr__(self, "role", Role(self.role))
        if (self.role is Role.SUBMITTER) != (self.user_id is None):
            raise ValueError("only the submitter acts without a user id")


@dataclass(frozen=True)
class Deadlines:
    """Deadline lengths are configuration; defaults follow the regulations."""

    accept_working_days: int = 7
    carry_out_working_days: int = 5
    answer_days: int = 90
    objection_days: int = 15
    transfer_working_days: int = 5  # the target body of a transfer accepts or refuses within these
    # -- the 诬告陷害 ledger (issue 10): when to ask the receiving body for feedback --
    referral_feedback_working_days: int = 30  # after the referral (移送)
    filed_feedback_working_days: int = 60  # after it reports 立案
    # -- real-name concerns and 回访 (issue 10) --
    tell_working_days: int = 15  # a real-name submitter is told of acceptance, and of the result, within these
    visit_months: int = 3  # the 回访 is due within these months of carrying the clarification out


@dataclass(frozen=True)
class Facts:
    """Everything the rules need to know about one case, and nothing secret."""

    kind: Kind
    state: State
    submitted_on: date
    assignee_id: int | None = None
    proposer_id: int | None = None  # who proposed the pending finding / drafted the pending plan
    proposed_finding: Finding | None = None
    paused_from: State | None = None  # state to return to when the submitter provides info
    paused_on: date | None = None
    accept_due: date | None = None
    answer_due: date | None = None  # acceptance + answer_days, extended by days paused
    carry_out_due: date | None = None
    answered_on: date | None = None  # starts the objection window
    objected: bool = False
    flag: AccusationFlag = AccusationFlag.NONE
    referred: bool = False
    correction_pending: bool = False  # a notice correction awaits the cadre's consent
    refusal_reason: RefusalReason | None = None  # why a clarification request was not accepted
    assignable: frozenset[int] = frozenset()  # who may be assigned: the body's confirmed case workers
    plan_complete: bool = False  # every mode of the approved plan is recorded as carried out
    # -- 部分失实 and 主动澄清 (issue 10) --
    finding: Finding | None = None  # the approved finding, kept once the case moves on
    # -- fault tolerance (issue 10) --
    proposed_tolerance: ToleranceOutcome | None = None  # the outcome proposed, until approved or returned
    tolerance_outcome: ToleranceOutcome | None = None  # the outcome the leader approved
    approver_id: int | None = None  # the leader the collective decision is submitted to
    approvers: frozenset[int] = frozenset()  # who may be named: the confirmed leaders of the case's body
    measures_complete: bool = False  # every 纠错 measure of the approved decision is recorded done
    # -- real-name concerns and 回访 (issue 10) --
    real_name: bool = False  # a real-name concern (实名反映): priority and two clocks to tell the submitter
    tell_accept_due: date | None = None  # tell whether accepted by this day (working days from receipt)
    told_accept_on: date | None = None  # the visible ACCEPT or REFUSE met it on this day
    tell_result_due: date | None = None  # tell the result by this day (working days from 办结)
    told_result_on: date | None = None  # TELL_RESULT met it on this day
    visit_due: date | None = None  # the 回访 is due by this day (months from carrying out)
    visited_on: date | None = None  # the 回访 was recorded on this day
    feedback_given: bool = False  # the applicant left their one feedback on the 回访

    def __post_init__(self) -> None:
        """Turn codes read from the database into enums, so identity checks hold."""
        object.__setattr__(self, "kind", Kind(self.kind))
        object.__setattr__(self, "state", State(self.state))
        object.__setattr__(self, "flag", AccusationFlag(self.flag))
        if self.paused_from is not None:
            object.__setattr__(self, "paused_from", State(self.paused_from))
        if self.proposed_finding is not None:
            object.__setattr__(self, "proposed_finding", Finding(self.proposed_finding))
        if self.finding is not None:
            object.__setattr__(self, "finding", Finding(self.finding))
        if self.refusal_reason is not None:
            object.__setattr__(self, "refusal_reason", RefusalReason(self.refusal_reason))
        object.__setattr__(self, "assignable", frozenset(self.assignable))
        if self.proposed_tolerance is not None:
            object.__setattr__(self, "proposed_tolerance", ToleranceOutcome(self.proposed_tolerance))
        if self.tolerance_outcome is not None:
            object.__setattr__(self, "tolerance_outcome", ToleranceOutcome(self.tolerance_outcome))
        object.__setattr__(self, "approvers", frozenset(self.approvers))


@dataclass(frozen=True)
class Outcome:
    """What an applied step leaves behind: new facts and how to record them."""

    facts: Facts
    visible_to_submitter: bool
    clock: Clock | None
    detail: str | None = None  # what was picked, where the timeline keeps it (``Rule.shows_choice``)
    target_user_id: int | None = None  # the person a step names (the assignee), for the audit log


def new_case(kind: Kind, submitted_on: date, deadlines: Deadlines, real_name: bool = False) -> Facts:
    """The facts of a case just filed; the acceptance clock starts at once (and, for a real-name
    concern, the clock to tell the submitter whether it is accepted)."""
    if real_name and kind is not Kind.CONCERN:
        raise ValueError("only a concern is filed real-name or anonymously")
    return Facts(
        kind=kind,
        state=State.SUBMITTED,
        submitted_on=submitted_on,
        accept_due=add_working_days(submitted_on, deadlines.accept_working_days),
        real_name=real_name,
        tell_accept_due=add_working_days(submitted_on, deadlines.tell_working_days) if real_name else None,
    )


def apply(
    facts: Facts,
    actor: Actor,
    action: Action,
    today: date,
    deadlines: Deadlines,
    *,
    reason: str | None = None,
    finding: Finding | str | None = None,
    assignee_id: int | None = None,
    flag: AccusationFlag | str | None = None,
    refusal_reason: RefusalReason | str | None = None,
    mode: ClarificationMode | str | None = None,
    false_items: tuple[str, ...] = (),
    tolerance: ToleranceOutcome | str | None = None,
    approver_id: int | None = None,
    filing: Filing | str | None = None,
    visit_form: VisitForm | str | None = None,
) -> Outcome:
    """Take one step, or raise the :class:`WorkflowError` that says why it is refused.

    Of the picks given, only the one the rule asks for (``Rule.choice``) is read; it is checked
    here, so no service decides who may be assigned or what counts as a finding.
    """
    rule, target = _check(facts, actor, action, today, deadlines)
    if rule.needs_reason and (reason is None or not reason.strip()):
        raise ReasonRequired(f"{action} needs a reason")
    given = {
        Choice.ASSIGNEE: assignee_id,
        Choice.FINDING: finding,
        Choice.FLAG: flag,
        Choice.REFUSAL_REASON: refusal_reason,
        Choice.MODE: mode,
        Choice.TOLERANCE: tolerance,
        Choice.APPROVER: approver_id,
        Choice.FILING: filing,  # issue 10
        Choice.VISIT_FORM: visit_form,  # issue 10
    }
    choice = rule.asks_choice(facts.kind)
    picked = _picked(choice, given[choice], facts) if choice is not None else None
    if action is Action.PROPOSE_FINDING and picked is Finding.PARTLY_FALSE:
        _check_false_items(false_items)
    new = replace(facts, state=target)
    if choice is Choice.ASSIGNEE:
        new = replace(new, assignee_id=picked)
    new = _effect(new, facts, actor, action, today, deadlines, choice, picked)
    if action is Action.APPROVE_FINDING:  # 部分失实 (issue 10): the case remembers which finding
        new = replace(new, finding=facts.proposed_finding)
    new = _aftercare_effect(new, action, today, deadlines)
    return Outcome(
        facts=new,
        visible_to_submitter=rule.visible,
        clock=rule.clock,
        detail=str(picked) if rule.shows_choice else None,
        target_user_id=picked if choice in (Choice.ASSIGNEE, Choice.APPROVER) else None,
    )


def _picked(choice: Choice, value: object, facts: Facts) -> Any:
    """The checked pick for a step: one of the listed codes, or a case worker of the case's body."""
    if choice is Choice.ASSIGNEE:
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise MissingChoice(choice)
        if value not in facts.assignable:
            raise NotAssignable("the assignee is not a confirmed case worker of this body")
        return value
    if choice is Choice.APPROVER:
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise MissingChoice(choice)
        if value not in facts.approvers:
            raise NotAnApprover("the approver is not a confirmed leader of this body")
        return value
    values = _CHOICES[choice]
    if value is None or value not in values:
        raise MissingChoice(choice)
    return values[str(value)]


def allowed(facts: Facts, actor: Actor, today: date, deadlines: Deadlines) -> list[Action]:
    """The actions to offer this actor now, from the same checks :func:`apply` makes."""
    offered = []
    for action in Action:
        try:
            _check(facts, actor, action, today, deadlines)
        except WorkflowError:
            continue
        offered.append(action)
    return offered


def may_record(facts: Facts, actor: Actor, record: Record) -> bool:
    """Whether this actor may write a message or note on the case now (see ``RECORDS``)."""
    try:
        _check_record(facts, actor, record)
    except WorkflowError:
        return False
    return True


def check_record(facts: Facts, actor: Actor, record: Record) -> None:
    """Raise :class:`NotPermitted` unless this actor may write a message or note on the case."""
    _check_record(facts, actor, record)


def _check_record(facts: Facts, actor: Actor, record: Record) -> None:
    if actor.role not in RECORDS[Record(record)]:
        raise NotPermitted(f"a {actor.role} may not write a {record}")
    if actor.role in _DESK_ROLES and facts.assignee_id not in (None, actor.user_id):
        raise NotPermitted(f"only the assignee or a supervisor may write a {record}")


def current_due(facts: Facts) -> date | None:
    """The soonest deadline running now (the state's own, a real-name clock, the 回访), so queues
    can show and sort by it."""
    running = [d for d in (_course_due(facts), *_aftercare_dues(facts)) if d is not None]
    return min(running, default=None)


def _course_due(facts: Facts) -> date | None:
    """The deadline the current state runs against."""
    if facts.state is State.SUBMITTED:
        return facts.accept_due
    if facts.state in _ANSWER_CLOCK_STATES:
        return facts.answer_due
    if facts.state is State.PLAN_APPROVED:
        return facts.carry_out_due
    return None


def is_overdue(facts: Facts, today: date) -> bool:
    """Whether the current deadline has passed (a paused clock never is), so it stands out."""
    due = current_due(facts)
    return due is not None and today > due


#: Roles that write on a case only while it is unassigned (intake) or assigned to them.
_DESK_ROLES = frozenset({Role.REVIEWER, Role.INTAKE})

_SETTLES_CORRECTION = frozenset({Action.CONSENT_CORRECTION, Action.DECLINE_CORRECTION, Action.DROP_CORRECTION})

_ANSWER_CLOCK_STATES = frozenset(
    {
        State.ACCEPTED,
        State.IN_PROGRESS,
        State.VERIFYING,
        State.FINDING_PROPOSED,
        State.DECISION_PROPOSED,  # fault tolerance (issue 10): the clock runs until the decision
        State.COLLECTIVELY_DECIDED,
    }
)


def _check(facts: Facts, actor: Actor, action: Action, today: date, deadlines: Deadlines) -> tuple[Rule, State]:
    """Every refusal that does not depend on text arguments, shared by apply and allowed."""
    rule = RULES[action]
    if actor.role not in rule.roles:
        raise NotPermitted(f"a {actor.role} may not {action}")
    possible = targets(facts.kind, facts.state, action)
    if not possible:
        raise WrongState(f"cannot {action} a {facts.kind} that is {facts.state}")
    if actor.role is Role.REVIEWER and facts.assignee_id != actor.user_id:
        raise NotPermitted("the case is not assigned to you")
    if rule.four_eyes and facts.proposer_id is not None and actor.user_id == facts.proposer_id:
        raise FourEyes(f"the proposer may not {action}")
    _guard(facts, actor, action, today, deadlines)
    return rule, _target(facts, action, possible)


def _guard(facts: Facts, actor: Actor, action: Action, today: date, deadlines: Deadlines) -> None:
    """Conditions beyond the graph: assignment, the objection window, the referral."""
    if action is Action.TAKE and facts.assignee_id == actor.user_id:
        raise WrongState("the case is already yours")
    window_open = _objection_window_open(facts, today, deadlines)
    if action is Action.OBJECT:
        if facts.objected:
            raise AlreadyUsed("an answer can be objected to once")
        if not window_open:
            raise WindowClosed("the objection period has ended")
    if action is Action.CLOSE and window_open and not facts.objected:
        raise WrongState("the submitter may still object to the answer")
    # A case may be referred to more than one body (纪检 and 公安); its judgement is final once it is.
    if action is Action.FLAG and facts.referred:
        raise WrongState("the accusation has already been referred")
    if action is Action.REFER and facts.flag is not AccusationFlag.SUSPECTED_MALICIOUS:
        raise WrongState("only a suspected malicious accusation is referred")
    if action is Action.CARRY_OUT and not facts.plan_complete:
        raise PlanIncomplete("record every mode of the plan first")
    if action is Action.PROPOSE_CORRECTION and facts.correction_pending:
        raise WrongState("a correction already awaits the cadre's consent")
    if action in _SETTLES_CORRECTION and not facts.correction_pending:
        raise WrongState("no correction awaits the cadre's consent")
    # -- the 诬告陷害 ledger (issue 10) --
    if action in (*REFERRAL_ACTIONS, Action.CHECK_ACCUSER) and not facts.referred:  # h11x: 一信双查 too
        raise WrongState("nothing was referred")
    if action is Action.EDUCATE and facts.flag is not AccusationFlag.MISTAKEN:
        raise WrongState("only a mistaken accuser is reminded and educated")
    _guard_tolerance(facts, actor, action)
    _aftercare_guard(facts, action)


def _guard_tolerance(facts: Facts, actor: Actor, action: Action) -> None:
    """Fault tolerance (issue 10): only the named leader approves; measures are done before closing."""
    if action is Action.APPROVE_DECISION and (facts.approver_id is None or actor.user_id != facts.approver_id):
        raise NotPermitted("only the leader the decision was submitted to may approve it")
    if facts.kind is Kind.FAULT_TOLERANCE and action is Action.CLOSE and not facts.measures_complete:
        raise MeasuresIncomplete("record every measure as done first")
    if action is Action.RECORD_MEASURE and facts.measures_complete:
        raise WrongState("every measure is recorded as done")


def _objection_window_open(facts: Facts, today: date, deadlines: Deadlines) -> bool:
    """Whether today is within the objection days after the answer (the last day counts)."""
    if facts.answered_on is None:
        return False
    return today <= add_days(facts.answered_on, deadlines.objection_days)


def _target(facts: Facts, action: Action, possible: frozenset[State]) -> State:
    """Pick the one declared target, using the facts where the graph branches."""
    preferred: State | None = None
    if action in (Action.PROVIDE_INFO, Action.RESUME):
        preferred = facts.paused_from
    elif action is Action.APPROVE_FINDING and facts.proposed_finding is not None:
        preferred = FINDING_STATE[facts.proposed_finding]
    if preferred is not None and preferred in possible:
        return preferred
    if len(possible) == 1:
        return next(iter(possible))
    raise WrongState(f"no single outcome for {action} from {facts.state}")


def _effect(
    new: Facts,
    old: Facts,
    actor: Actor,
    action: Action,
    today: date,
    deadlines: Deadlines,
    choice: Choice | None,
    picked: Any,
) -> Facts:
    """The facts an action changes besides the state (the pick already checked)."""
    match action:
        case Action.TAKE:
            return replace(new, assignee_id=actor.user_id)
        case Action.ACCEPT:
            return replace(new, answer_due=add_days(today, deadlines.answer_days))
        case Action.REFUSE:
            return replace(new, refusal_reason=picked if choice is Choice.REFUSAL_REASON else None)
        case Action.ASK:
            return replace(new, paused_from=old.state, paused_on=today)
        case Action.PROVIDE_INFO | Action.RESUME:
            return replace(new, answer_due=_extended(old, today), paused_from=None, paused_on=None)
        case Action.ANSWER:
            return replace(new, answered_on=today)
        case Action.OBJECT:
            # The reopened case gets a fresh answer period, not an already-passed one.
            return replace(new, objected=True, answer_due=add_days(today, deadlines.answer_days))
        case Action.PROPOSE_FINDING:
            return replace(new, proposer_id=actor.user_id, proposed_finding=picked)
        case Action.APPROVE_FINDING | Action.RETURN_FINDING:
            return replace(new, proposer_id=None, proposed_finding=None)
        case Action.DRAFT_PLAN:
            return replace(new, proposer_id=actor.user_id)
        case Action.DECLINE | Action.RETURN_PLAN:
            return replace(new, proposer_id=None)
        case Action.TRANSFER:
            # The target body starts afresh: its own acceptance clock, and nobody of the source assigned.
            due = add_working_days(today, deadlines.transfer_working_days)
            return replace(new, accept_due=due, assignee_id=None)
        case Action.APPROVE_PLAN:
            due = add_working_days(today, deadlines.carry_out_working_days)
            return replace(new, proposer_id=None, carry_out_due=due)
        case Action.FLAG:
            return replace(new, flag=picked)
        case Action.REFER:
            return replace(new, referred=True)
        case Action.PROPOSE_CORRECTION:
            return replace(new, correction_pending=True)
        case Action.CONSENT_CORRECTION | Action.DECLINE_CORRECTION | Action.DROP_CORRECTION:
            return replace(new, correction_pending=False)
        # -- fault tolerance (issue 10) --
        case Action.PROPOSE_DECISION:
            return replace(new, proposer_id=actor.user_id, proposed_tolerance=picked)
        case Action.RECORD_COLLECTIVE:
            return replace(new, approver_id=picked)
        case Action.RETURN_DECISION:
            return replace(new, proposer_id=None, proposed_tolerance=None, approver_id=None)
        case Action.APPROVE_DECISION:
            # The decision is told to the applicant now: their one objection window opens.
            return replace(
                new,
                tolerance_outcome=old.proposed_tolerance,
                proposer_id=None,
                proposed_tolerance=None,
                approver_id=None,
                answered_on=today,
            )
        case _:
            return new


def _extended(old: Facts, today: date) -> date | None:
    """The answer deadline pushed back by the days the clock stood still."""
    if old.answer_due is None or old.paused_on is None:
        return old.answer_due
    return old.answer_due + timedelta(days=max(0, (today - old.paused_on).days))


#: The codes each listed choice accepts ("none" is no judgement of an accusation).
_CHOICES: dict[Choice, dict[str, object]] = {
    Choice.FINDING: {f.value: f for f in Finding},
    Choice.FLAG: {f.value: f for f in AccusationFlag if f is not AccusationFlag.NONE},
    Choice.REFUSAL_REASON: {r.value: r for r in RefusalReason},
    Choice.MODE: {m.value: m for m in ClarificationMode},
    Choice.TOLERANCE: {t.value: t for t in ToleranceOutcome},
    # -- 回访 and filing (issue 10) --
    Choice.FILING: {f.value: f for f in Filing},
    Choice.VISIT_FORM: {f.value: f for f in VisitForm},
}


# -- real-name concerns and 回访 (issue 10) --


def _aftercare_dues(facts: Facts) -> tuple[date | None, ...]:
    """The clocks of issue 10 still running: telling a real-name submitter, and the 回访."""
    return (
        facts.tell_accept_due if facts.told_accept_on is None else None,
        facts.tell_result_due if facts.told_result_on is None else None,
        facts.visit_due if facts.visited_on is None else None,
    )


def _aftercare_guard(facts: Facts, action: Action) -> None:
    """The result is told once, to a real-name submitter; one 回访 and one feedback on it."""
    if action is Action.TELL_RESULT and (facts.tell_result_due is None or facts.told_result_on is not None):
        raise WrongState("only a real-name submitter is told the result, once")
    if action is Action.RECORD_VISIT and facts.visited_on is not None:
        raise WrongState("the follow-up visit is recorded")
    if action is Action.FEEDBACK and facts.feedback_given:
        raise WrongState("the feedback is given")


def _aftercare_effect(new: Facts, action: Action, today: date, deadlines: Deadlines) -> Facts:
    """Start and meet the clocks: ACCEPT or REFUSE tells a real-name submitter whether accepted
    (a TRANSFER does not, and does not restart the clock: it counts from the submitter's filing);
    CLOSE starts the clock to tell the result; CARRY_OUT schedules the 回访."""
    if action in (Action.ACCEPT, Action.REFUSE) and new.tell_accept_due is not None and new.told_accept_on is None:
        return replace(new, told_accept_on=today)
    if action is Action.CLOSE and new.real_name:
        return replace(new, tell_result_due=add_working_days(today, deadlines.tell_working_days))
    if action is Action.TELL_RESULT:
        return replace(new, told_result_on=today)
    if action is Action.CARRY_OUT:
        return replace(new, visit_due=add_months(today, deadlines.visit_months))
    if action is Action.RECORD_VISIT:
        return replace(new, visited_on=today)
    if action is Action.FEEDBACK:
        return replace(new, feedback_given=True)
    return new


# -- 部分失实 and clarification on the body's own motion (主动澄清) (issue 10) --


def _check_false_items(items: tuple[str, ...]) -> None:
    """A partly-false finding names at least one item found false; only those are clarified."""
    if not any(item.strip() for item in items):
        raise ItemsRequired("a partly-false finding names the items found false")


def own_motion_case(
    submitted_on: date,
    deadlines: Deadlines,
    opener: Actor,
    finding: Finding | str | None,
    false_items: tuple[str, ...] = (),
) -> Facts:
    """The facts of a clarification a body opens itself from a verification concluded elsewhere.

    It enters at the finding step, the opener its proposer and assignee, so a supervisor other than
    the opener approves the finding (four eyes) before any plan; only a clearing finding opens one."""
    if opener.role not in RULES[Action.PROPOSE_FINDING].roles:
        raise NotPermitted(f"a {opener.role} may not open a clarification")
    picked = Finding(str(finding)) if str(finding) in set(Finding) else None
    if picked not in (Finding.FOUND_FALSE, Finding.PARTLY_FALSE):
        raise MissingChoice(Choice.FINDING)
    if picked is Finding.PARTLY_FALSE:
        _check_false_items(false_items)
    return Facts(
        kind=Kind.CLARIFICATION,
        state=State.FINDING_PROPOSED,
        submitted_on=submitted_on,
        assignee_id=opener.user_id,
        proposer_id=opener.user_id,
        proposed_finding=picked,
        answer_due=add_days(submitted_on, deadlines.answer_days),
    )
