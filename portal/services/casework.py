"""Reviewer use cases on one case: open it, act on it, write to the submitter, note, download.

Every function audits what it did (never content) and commits once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portal.domain import aad, workflow
from portal.domain.cases import AccusationFlag, Author, Finding, Kind, RefusalReason, State
from portal.domain.clock import this_hour
from portal.domain.crypto import decrypt, encrypt
from portal.domain.plan import Plan
from portal.domain.waiting import Waiting, waiting_for
from portal.domain.workflow import Action, Actor, Record, Role
from portal.extensions import db
from portal.models import Case, CaseEvent, CaseKey, Note, Notice, User
from portal.models.types import new_id
from portal.services import audit, case_files, case_state, clarification, form_tokens, timeline
from portal.services.case_files import FileInfo, ThreadMessage
from portal.services.case_keys import NoAccess, case_key
from portal.services.errors import ServiceError
from portal.services.intake import Upload, clean_uploads
from portal.services.transaction import use_case


class NoSuchCase(ServiceError):
    """No case with this id."""


class NotACaseWorker(ServiceError):
    """The chosen assignee is not an active reviewer or supervisor holding this case's key."""


class InvalidRefusal(ServiceError):
    """A clarification request is refused only for one of the listed reasons."""


@dataclass(frozen=True)
class Step:
    """One timeline entry as reviewers see it."""

    state: str
    action: str
    created_at: dt.datetime
    actor: str | None
    reason: str | None
    visible_to_submitter: bool
    detail: str | None = None  # the finding a proposal named


@dataclass(frozen=True)
class Approval:
    """What a supervisor is asked to approve, so nobody approves blind."""

    what: str  # "finding" or "plan"
    proposer: str | None
    finding: Finding | None = None
    reason: str | None = None


@dataclass(frozen=True)
class NoteView:
    author: str
    created_at: dt.datetime
    body: str


@dataclass(frozen=True)
class CaseFile:
    """Everything a case page shows, decrypted with the reviewer's key."""

    case: Case
    facts: workflow.Facts
    fields: dict
    files: list[FileInfo]
    steps: list[Step]
    thread: list[ThreadMessage]
    notes: list[NoteView]
    allowed: list[Action]
    overdue: bool
    due: dt.date | None
    workers: list[User]
    plan: Plan | None
    notice: Notice | None
    approval: Approval | None
    can_message: bool
    can_note: bool
    waiting: tuple[Waiting, ...] = ()  # what the case waits for now, and until when


def actor_of(user: User) -> Actor:
    """Staff roles map onto the engine's roles; admins have none and never get here."""
    if user.role not in ("reviewer", "supervisor"):
        raise NoAccess("admins hold no case key")
    return Actor(user_id=user.id, role=Role(user.role))


def _case(case_id: str) -> Case:
    case = db.session.get(Case, case_id)
    if case is None:
        raise NoSuchCase(case_id)
    return case


def _unlock(case: Case, user: User, private_key: bytes | None) -> bytes:
    if private_key is None:
        raise NoAccess(case.id)
    return case_key(case, user, private_key)


def _names() -> dict[int, str]:
    return dict(db.session.execute(db.select(User.id, User.username)).all())


def workers_holding(case_id: str) -> list[User]:
    """Active case workers who can open this case (possible assignees)."""
    return list(
        db.session.scalars(
            db.select(User)
            .join(CaseKey, CaseKey.user_id == User.id)
            .where(CaseKey.case_id == case_id, User.disabled.is_(False))
            .order_by(User.username)
        )
    )


@use_case
def open_case(user: User, private_key: bytes | None, case_id: str) -> CaseFile:
    """Decrypt a case for its page; the view is audited."""
    case = _case(case_id)
    actor = actor_of(user)
    dk = _unlock(case, user, private_key)
    names = _names()
    events = db.session.scalars(db.select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.position))
    steps = [
        Step(
            state=e.state,
            action=e.action,
            created_at=e.created_at,
            actor=names.get(e.actor_id) if e.actor_id else None,
            reason=decrypt(dk, e.reason, aad.event_reason(case.id, e.id)).decode() if e.reason else None,
            visible_to_submitter=e.visible_to_submitter,
            detail=e.detail,
        )
        for e in events
    ]
    notes = [
        NoteView(names.get(n.author_id, "?"), n.created_at, decrypt(dk, n.body, aad.note_body(case.id, n.id)).decode())
        for n in db.session.scalars(db.select(Note).where(Note.case_id == case.id).order_by(Note.position))
    ]
    files, by_message = case_files.list_files(case, dk)
    facts = case_state.facts_of(case)
    today = case_state.today()
    view = CaseFile(
        case=case,
        facts=facts,
        fields=case_files.read_submission(case, dk),
        files=files,
        steps=steps,
        thread=case_files.read_thread(case, dk, by_message),
        notes=notes,
        allowed=[a for a in workflow.allowed(facts, actor, today, case_state.deadlines()) if a in STAFF_ACTIONS],
        overdue=workflow.is_overdue(facts, today),
        due=workflow.current_due(facts),
        workers=workers_holding(case.id),
        plan=clarification.read(case, dk),
        notice=clarification.published_notice(case.id),
        approval=_approval(facts, steps, names),
        can_message=workflow.may_record(facts, actor, Record.MESSAGE),
        can_note=workflow.may_record(facts, actor, Record.NOTE),
        waiting=waiting_for(facts, today, case_state.deadlines()),
    )
    audit.record("case_view", actor_id=user.id, case_id=case.id)
    db.session.commit()
    return view


def _approval(facts: workflow.Facts, steps: list[Step], names: dict[int, str]) -> Approval | None:
    """The pending finding (with the reason its proposal gave) or plan, and who put it forward."""
    proposer = names.get(facts.proposer_id) if facts.proposer_id else None
    if facts.state is State.FINDING_PROPOSED:
        proposal = next((s for s in reversed(steps) if s.action == Action.PROPOSE_FINDING.value), None)
        return Approval("finding", proposer, facts.proposed_finding, proposal.reason if proposal else None)
    if facts.state is State.PLAN_CONSENTED:
        return Approval("plan", proposer)
    return None


#: Actions staff fire; DRAFT_PLAN has its own form (draft_plan), the rest go through act().
STAFF_ACTIONS = (
    Action.TAKE,
    Action.ASSIGN,
    Action.ACCEPT,
    Action.REFUSE,
    Action.START,
    Action.VERIFY,
    Action.ASK,
    Action.RESUME,
    Action.ANSWER,
    Action.CLOSE,
    Action.PROPOSE_FINDING,
    Action.APPROVE_FINDING,
    Action.RETURN_FINDING,
    Action.DRAFT_PLAN,
    Action.APPROVE_PLAN,
    Action.RETURN_PLAN,
    Action.CARRY_OUT,
    Action.FLAG,
    Action.REFER,
)


def _opened_for_step(user: User, private_key: bytes | None, case_id: str, action: Action) -> tuple[Case, Actor, bytes]:
    """The case, who acts and its data key, for a step fired through act() (or checked before it)."""
    case = _case(case_id)
    actor = actor_of(user)
    if action not in STAFF_ACTIONS or action is Action.DRAFT_PLAN:
        raise workflow.WrongState(f"{action} is not fired through act()")
    return case, actor, _unlock(case, user, private_key)


@dataclass(frozen=True)
class StepInput:
    """What a staff member typed or chose for a step; the engine decides what of it counts."""

    reason: str | None = None
    finding: str | None = None
    assignee_id: int | None = None
    flag: str | None = None
    refusal_reason: str | None = None


@use_case
def act(
    user: User,
    private_key: bytes | None,
    case_id: str,
    action: Action,
    step: StepInput = StepInput(),
    form_token: str | None = None,
) -> State:
    """Fire one workflow action as this staff member; the engine decides if it may happen."""
    case, actor, dk = _opened_for_step(user, private_key, case_id, action)
    # Spent first, so a replay is told so whatever the engine would say; it commits only with the
    # write (a refused step's page is re-rendered with fresh tokens).
    form_tokens.spend(form_token)
    outcome = _outcome(case, dk, actor, action, step)
    if action is Action.REFUSE and case.kind == Kind.CLARIFICATION:
        case.refusal_reason = step.refusal_reason
    proposed = outcome.facts.proposed_finding
    detail = proposed.value if action is Action.PROPOSE_FINDING and proposed is not None else None
    _record(
        case,
        dk,
        user,
        action,
        outcome,
        step.reason,
        target_user_id=step.assignee_id if action is Action.ASSIGN else None,
        detail=detail,
    )
    if action is Action.APPROVE_PLAN:
        clarification.on_approved(case, dk)
    db.session.commit()
    return outcome.facts.state


def check(user: User, private_key: bytes | None, case_id: str, action: Action, step: StepInput = StepInput()) -> Case:
    """Raise what act() would refuse, writing nothing: a confirmation is asked only for a step that may happen."""
    case, actor, dk = _opened_for_step(user, private_key, case_id, action)
    _outcome(case, dk, actor, action, step)
    return case


def _outcome(case: Case, dk: bytes, actor: Actor, action: Action, step: StepInput) -> workflow.Outcome:
    """Every guard of a staff step, ending in the engine's pure verdict; nothing is written."""
    if action is Action.ASSIGN and step.assignee_id not in {u.id for u in workers_holding(case.id)}:
        raise NotACaseWorker(str(step.assignee_id))
    refusing = action is Action.REFUSE and case.kind == Kind.CLARIFICATION
    if refusing and step.refusal_reason not in {r.value for r in RefusalReason}:
        raise InvalidRefusal(str(step.refusal_reason))
    if action is Action.CARRY_OUT:
        clarification.require_all_done(case, dk)
    return workflow.apply(
        case_state.facts_of(case),
        actor,
        action,
        case_state.today(),
        case_state.deadlines(),
        reason=step.reason,
        finding=Finding(step.finding) if step.finding in {f.value for f in Finding} else None,
        assignee_id=step.assignee_id,
        flag=AccusationFlag(step.flag) if step.flag in {f.value for f in AccusationFlag} else None,
    )


def _record(
    case: Case,
    dk: bytes,
    user: User,
    action: Action,
    outcome: workflow.Outcome,
    reason: str | None,
    target_user_id: int | None = None,
    detail: str | None = None,
) -> None:
    """Store the new facts, the timeline step and the audit entry of one transition."""
    case_state.store(case, outcome.facts)
    case.updated_at = this_hour()
    timeline.add_event(case, dk, case.state, action.value, user.id, outcome.visible_to_submitter, reason, detail)
    audit.record(f"transition:{action.value}", actor_id=user.id, case_id=case.id, target_user_id=target_user_id)


@use_case
def draft_plan(
    user: User,
    private_key: bytes | None,
    case_id: str,
    forms: list[str],
    scope: str,
    notice: dict | None,
    form_token: str | None,
) -> None:
    """Write the clarification plan and put it before the cadre for consent."""
    case = _case(case_id)
    actor = actor_of(user)
    dk = _unlock(case, user, private_key)
    form_tokens.spend(form_token)
    outcome = clarification.draft(case, dk, user, actor, forms, scope, notice)
    _record(case, dk, user, Action.DRAFT_PLAN, outcome, None)
    db.session.commit()


@use_case
def record_form(
    user: User, private_key: bytes | None, case_id: str, form: str, record: str, form_token: str | None
) -> None:
    """Record one form of the approved plan as carried out."""
    case = _case(case_id)
    actor_of(user)
    dk = _unlock(case, user, private_key)
    if user.role == "reviewer" and case.assignee_id != user.id:
        raise workflow.NotPermitted("not the assignee")
    form_tokens.spend(form_token)
    clarification.record_done(case, dk, user, form, record)
    timeline.add_event(case, dk, case.state, "record_form", user.id, True, None, detail=form)
    db.session.commit()


@use_case
def message(
    user: User, private_key: bytes | None, case_id: str, body: str, uploads: list[Upload], form_token: str | None
) -> None:
    """Write to the submitter (shown on their status page); the reviewer's name is not."""
    files = clean_uploads(uploads)
    case = _case(case_id)
    workflow.check_record(case_state.facts_of(case), actor_of(user), Record.MESSAGE)
    dk = _unlock(case, user, private_key)
    form_tokens.spend(form_token)
    case_files.add_message(case, dk, Author.REVIEWER.value, body, files, user_id=user.id)
    audit.record("message", actor_id=user.id, case_id=case.id)
    db.session.commit()


@use_case
def note(user: User, private_key: bytes | None, case_id: str, body: str, form_token: str | None) -> None:
    """An internal note, encrypted, never shown to the submitter."""
    case = _case(case_id)
    workflow.check_record(case_state.facts_of(case), actor_of(user), Record.NOTE)
    dk = _unlock(case, user, private_key)
    form_tokens.spend(form_token)
    last = db.session.scalar(db.select(db.func.max(Note.position)).where(Note.case_id == case.id))
    note_id = new_id()
    db.session.add(
        Note(
            id=note_id,
            case_id=case.id,
            position=(last or 0) + 1,
            author_id=user.id,
            created_at=this_hour(),
            body=encrypt(dk, body.encode(), aad.note_body(case.id, note_id)),
        )
    )
    audit.record("note", actor_id=user.id, case_id=case.id)
    db.session.commit()


@use_case
def download(user: User, private_key: bytes | None, case_id: str, file_id: str) -> tuple[FileInfo, bytes] | None:
    """One decrypted file of this case (audited), or None."""
    case = _case(case_id)
    actor_of(user)
    dk = _unlock(case, user, private_key)
    found = case_files.read_file(case, dk, file_id)
    if found is not None:
        audit.record("download", actor_id=user.id, case_id=case.id)
    db.session.commit()
    return found
