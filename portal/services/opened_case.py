"""A case opened by someone: the one way a use case reads a case's key and moves it.

``open_for_staff`` (a case worker's private key) and ``open_for_submitter`` (the
receipt session) return an :class:`OpenedCase` holding the case, its data key and
who acts. Its :meth:`OpenedCase.step` is the only writer of a workflow step: it
runs the engine, stores the new facts, adds the timeline entry, writes the audit
entry and dates the change, all in the caller's transaction. What a step needs
beyond the engine's pure rules (who holds the key, whether the plan is recorded)
is gathered here into the engine's facts, so the engine decides every refusal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.domain import aad, workflow
from portal.domain.cases import Finding, Kind, State
from portal.domain.clock import this_hour
from portal.domain.documents import DocumentKind
from portal.domain.staff import CASE_WORKER_ROLES
from portal.domain.workflow import Action, Actor, Record, Role
from portal.extensions import db
from portal.models import Case, CaseKey, User
from portal.services import (
    accounts,
    audit,
    case_state,
    false_items,
    holdings,
    key_sessions,
    milestones,
    numbering,
    plan_store,
    timeline,
    tolerance_store,
)
from portal.services.case_keys import NoAccess, case_key
from portal.services.errors import ServiceError, SessionExpired

SUBMITTER = Actor(user_id=None, role=Role.SUBMITTER)


class NoSuchCase(ServiceError):
    """No case with this id."""


@dataclass(frozen=True)
class StepInput:
    """What a person typed or picked for a step; the engine reads the pick its rule asks for."""

    reason: str | None = None
    finding: str | None = None
    assignee_id: int | None = None
    flag: str | None = None
    refusal_reason: str | None = None
    mode: str | None = None  # a mode of the clarification (书面, 会议…)
    false_items: tuple[str, ...] = ()  # 部分失实 (issue 10): the items found false, for a proposed finding
    tolerance: str | None = None  # the proposed 容错纠错 outcome (issue 10)
    approver_id: int | None = None  # the leader a collective decision is submitted to (issue 10)
    filing: str | None = None  # issue 10: 归入廉政档案 or 抄送组织人事部门
    visit_form: str | None = None  # issue 10: how the 回访 took place


#: A step with nothing typed or picked.
NO_INPUT = StepInput()


@dataclass
class OpenedCase:
    """A case with its data key in hand, and who is acting on it."""

    case: Case
    held_key: bytes | None  # None only for steps that carry no text (see ``open_without_key``)
    actor: Actor
    _facts: workflow.Facts | None = field(default=None, repr=False)  # until the next step

    @property
    def key(self) -> bytes:
        """The case's data key; NoAccess when it was opened without one."""
        if self.held_key is None:
            raise NoAccess(self.case.id)
        return self.held_key

    @property
    def actor_id(self) -> int | None:
        return self.actor.user_id

    def facts(self) -> workflow.Facts:
        """The engine's view, with who may be assigned and whether the plan is fully recorded."""
        if self._facts is None:
            staff = self.actor.role is not Role.SUBMITTER
            self._facts = case_state.facts_of(
                self.case,
                assignable=frozenset(u.id for u in assignable(self.case)) if staff else (),
                plan_complete=self._plan_complete(),
                approvers=frozenset(u.id for u in approvers(self.case)) if staff and self._tolerance() else (),
                measures_complete=self._measures_complete(),
            )
        return self._facts

    def _plan_complete(self) -> bool:
        if self.case.kind != Kind.CLARIFICATION or self.case.state != State.PLAN_APPROVED or self.held_key is None:
            return False
        plan = plan_store.read(self.case, self.key)
        return plan is not None and plan.all_done

    def _tolerance(self) -> bool:
        return self.case.kind == Kind.FAULT_TOLERANCE

    def _measures_complete(self) -> bool:
        """Fault tolerance (issue 10): every 纠错 measure of the approved decision is recorded done."""
        if self.case.kind != Kind.FAULT_TOLERANCE or self.case.state != State.DECIDED or self.held_key is None:
            return False
        decision = tolerance_store.read(self.case, self.key)
        return decision is not None and decision.measures_complete

    def check(self, action: Action, given: StepInput = NO_INPUT) -> workflow.Outcome:
        """The engine's verdict on a step, or the refusal it raises; nothing is written."""
        return workflow.apply(
            self.facts(),
            self.actor,
            action,
            case_state.today(),
            case_state.deadlines(),
            reason=given.reason,
            finding=given.finding,
            assignee_id=given.assignee_id,
            flag=given.flag,
            refusal_reason=given.refusal_reason,
            mode=given.mode,
            false_items=given.false_items,
            tolerance=given.tolerance,
            approver_id=given.approver_id,
            filing=given.filing,
            visit_form=given.visit_form,
        )

    def allowed(self) -> list[Action]:
        """Every step the engine lets this actor take now."""
        return workflow.allowed(self.facts(), self.actor, case_state.today(), case_state.deadlines())

    def step(self, action: Action, given: StepInput = NO_INPUT) -> workflow.Outcome:
        """Take one step: new facts, a timeline entry, an audit entry, the change dated (caller commits)."""
        outcome = self.check(action, given)
        key = self.key if given.reason else self.held_key  # a reason is kept under the case key
        # -- h11s1: statistics milestones, measured against the dues the case had before the step --
        milestones.record(self.case, action.value, case_state.today())
        if outcome.facts.assignee_id != self.case.assignee_id:
            holdings.assign(self.case, self.key, self.case.assignee_id, outcome.facts.assignee_id)
        case_state.store(self.case, outcome.facts)
        # -- 部分失实 (issue 10): the items found false go, encrypted, with the proposal they belong to --
        if action in (Action.PROPOSE_FINDING, Action.RETURN_FINDING):
            partly = outcome.facts.proposed_finding is Finding.PARTLY_FALSE
            false_items.write(self.case, self.key, given.false_items if partly else ())
        # -- 受理编号 (issue 11, h11d1): the body that accepts the case numbers it --
        if action is Action.ACCEPT:
            self.case.number = numbering.allocate(self.case.body_id, DocumentKind.CASE)
        self._facts = None
        self.case.updated_at = this_hour()
        timeline.add_event(
            self.case,
            key,
            self.case.state,
            action.value,
            self.actor_id,
            outcome.visible_to_submitter,
            given.reason,
            outcome.detail,
        )
        audit.record(
            f"transition:{action.value}",
            actor_id=self.actor_id,
            case_id=self.case.id,
            target_user_id=outcome.target_user_id,
            detail=outcome.detail,
        )
        return outcome

    def may_write(self, record: Record) -> bool:
        """Whether this actor may write a message or note on the case now."""
        return workflow.may_record(self.facts(), self.actor, record)

    def check_write(self, record: Record) -> None:
        """Raise the engine's refusal unless this actor may write a message or note now."""
        workflow.check_record(self.facts(), self.actor, record)

    def audit(self, what: str, detail: str | None = None) -> None:
        """An audit entry for something done with the opened case (viewing, downloading...)."""
        audit.record(what, actor_id=self.actor_id, case_id=self.case.id, detail=detail)


def actor_of(user: User) -> Actor:
    """Staff roles map onto the engine's roles; admins have none and never open a case."""
    if user.role not in CASE_WORKER_ROLES:
        raise NoAccess("admins hold no case key")
    return Actor(user_id=user.id, role=Role(user.role))


def _case(case_id: str | None, lock: bool = False) -> Case:
    case = db.session.get(Case, case_id, with_for_update=lock or None) if case_id else None
    if case is None:
        raise NoSuchCase(str(case_id))
    return case


def open_for_staff(user: User, private_key: bytes | None, case_id: str | None, *, lock: bool = False) -> OpenedCase:
    """The case opened with this staff member's key; NoSuchCase, or NoAccess without a key for it.

    ``lock`` (for a step) takes the case row's lock first, so the key is looked up after any
    concurrent step or transfer of the case has committed: a step never runs on stale facts,
    nor seals the key to someone after the case has moved to another body."""
    case = _case(case_id, lock)
    actor = actor_of(user)
    if private_key is None:
        raise NoAccess(case.id)
    return OpenedCase(case=case, held_key=case_key(case, user, private_key), actor=actor)


def open_without_key(user: User, case_id: str | None) -> OpenedCase:
    """A case for a step that carries no text, by a staff member who may not hold its key
    (a supervisor withdrawing its notice drops a pending correction)."""
    return OpenedCase(case=_case(case_id), held_key=None, actor=actor_of(user))


def open_for_submitter(case_id: str, session_secret: str) -> OpenedCase:
    """The case of a follow-up session, its key held by the session; SessionExpired when gone."""
    case = db.session.get(Case, case_id)
    if case is None:
        raise SessionExpired("case gone")
    key = key_sessions.resume(session_secret, aad.submitter_session(case.id, case.receipt_lookup))
    return OpenedCase(case=case, held_key=key, actor=SUBMITTER)


def assignable(case: Case) -> list[User]:
    """Who the case may be assigned to: the confirmed case workers of its body, by name."""
    return list(db.session.scalars(accounts.assignable(case.body_id).order_by(User.username)))


def approvers(case: Case) -> list[User]:
    """Who a 容错纠错 decision may be submitted to: the confirmed leaders of its body, by name (issue 10)."""
    return list(db.session.scalars(accounts.approvers(case.body_id).order_by(User.username)))


def holders(case_id: str) -> list[User]:
    """Active staff who hold this case's key, by name."""
    return list(
        db.session.scalars(
            db.select(User)
            .join(CaseKey, CaseKey.user_id == User.id)
            .where(CaseKey.case_id == case_id, User.disabled.is_(False))
            .order_by(User.username)
        )
    )


def names() -> dict[int, str]:
    """Staff names by id, for timelines and notes."""
    return dict(db.session.execute(db.select(User.id, User.username)).all())


__all__ = [
    "SUBMITTER",
    "NoAccess",
    "NO_INPUT",
    "NoSuchCase",
    "OpenedCase",
    "StepInput",
    "actor_of",
    "approvers",
    "assignable",
    "holders",
    "names",
    "open_for_staff",
    "open_for_submitter",
    "open_without_key",
]
