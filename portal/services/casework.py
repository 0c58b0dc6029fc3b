"""Reviewer use cases on one case: open it, act on it, write to the submitter, note, download.

Every function opens the case through ``opened_case``, audits what it did (never content)
and commits once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portal.domain import aad, workflow
from portal.domain.cases import Author, Finding, State
from portal.domain.clock import this_hour
from portal.domain.crypto import decrypt, encrypt
from portal.domain.plan import Plan
from portal.domain.real_name import TellClock, tell_clocks
from portal.domain.tolerance import Decision
from portal.domain.waiting import Waiting, waiting_for
from portal.domain.workflow import Action, Record
from portal.domain.workflow_rules import ACTION_BOX, CASE_PAGE, RULES
from portal.extensions import db
from portal.models import Case, Note, Notice, User
from portal.models.types import new_id
from portal.services import bodies, case_files, case_state, clarification, false_items, form_tokens, timeline, tolerance
from portal.services.case_files import FileInfo, ThreadMessage
from portal.services.intake import Upload, clean_uploads
from portal.services.opened_case import NO_INPUT, NoSuchCase, OpenedCase, StepInput, assignable, names, open_for_staff
from portal.services.timeline import TimelineEntry
from portal.services.transaction import use_case

__all__ = ["NoSuchCase", "StepInput", "act", "check", "download", "draft_plan", "message", "note", "open_case"]


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
    steps: list[TimelineEntry]
    thread: list[ThreadMessage]
    notes: list[NoteView]
    allowed: list[Action]  # what the case page offers (the action box, the plan page's link)
    offered: frozenset[Action]  # every step the engine allows now, those on their own page too
    overdue: bool
    due: dt.date | None
    workers: list[User]
    plan: Plan | None
    notice: Notice | None
    approval: Approval | None
    can_message: bool
    can_note: bool
    waiting: tuple[Waiting, ...] = ()  # what the case waits for now, and until when
    outside_remit: bool = False  # the applicant's rank is not one the body handles (干部管理权限)
    false_items: tuple[str, ...] = ()  # 部分失实 (issue 10): the items the finding names as untrue
    tolerance: Decision | None = None  # a fault-tolerance application's decision (issue 10)
    clocks: tuple[TellClock, ...] = ()  # issue 10: a real-name submitter's clocks
    today: dt.date | None = None  # issue 10: the day the clocks are judged against


@use_case
def open_case(user: User, private_key: bytes | None, case_id: str) -> CaseFile:
    """Decrypt a case for its page; the view is audited."""
    opened = open_for_staff(user, private_key, case_id)
    case, dk = opened.case, opened.key
    staff_names = names()
    steps = timeline.read(case, dk, staff_names)
    notes = [
        NoteView(
            staff_names.get(n.author_id, "?"), n.created_at, decrypt(dk, n.body, aad.note_body(case.id, n.id)).decode()
        )
        for n in db.session.scalars(db.select(Note).where(Note.case_id == case.id).order_by(Note.position))
    ]
    files, by_message = case_files.list_files(case, dk)
    facts = opened.facts()
    today = case_state.today()
    offered = opened.allowed()
    fields = case_files.read_submission(case, dk)
    view = CaseFile(
        case=case,
        facts=facts,
        fields=fields,
        files=files,
        steps=steps,
        thread=case_files.read_thread(case, dk, by_message),
        notes=notes,
        allowed=[a for a in offered if a in CASE_PAGE],
        offered=frozenset(offered),
        overdue=workflow.is_overdue(facts, today),
        due=workflow.current_due(facts),
        workers=assignable(case),
        plan=clarification.read(case, dk),
        notice=clarification.published_notice(case.id),
        approval=_approval(facts, steps, staff_names),
        can_message=opened.may_write(Record.MESSAGE),
        can_note=opened.may_write(Record.NOTE),
        waiting=waiting_for(facts, today, case_state.deadlines()),
        outside_remit=bodies.outside_remit(case.body_id, fields.get("rank")),
        false_items=false_items.read(case, dk),
        tolerance=tolerance.read(case, dk),
        clocks=tell_clocks(facts),
        today=today,
    )
    opened.audit("case_view")
    db.session.commit()
    return view


def _approval(facts: workflow.Facts, steps: list[TimelineEntry], staff_names: dict[int, str]) -> Approval | None:
    """The pending finding (with the reason its proposal gave) or plan, and who put it forward."""
    proposer = staff_names.get(facts.proposer_id) if facts.proposer_id else None
    if facts.state is State.FINDING_PROPOSED:
        proposal = next((s for s in reversed(steps) if s.action == Action.PROPOSE_FINDING.value), None)
        return Approval("finding", proposer, facts.proposed_finding, proposal.reason if proposal else None)
    if facts.state is State.PLAN_CONSENTED:
        return Approval("plan", proposer)
    return None


def _opened_for_box(user: User, private_key: bytes | None, case_id: str, action: Action) -> OpenedCase:
    """The case opened for a step of the action box; a step with its own page is refused here."""
    opened = open_for_staff(user, private_key, case_id, lock=True)
    if action not in ACTION_BOX:
        raise workflow.WrongState(f"{action} is not fired from the action box")
    return opened


@use_case
def act(
    user: User,
    private_key: bytes | None,
    case_id: str,
    action: Action,
    given: StepInput = NO_INPUT,
    form_token: str | None = None,
) -> State:
    """Fire one workflow action as this staff member; the engine decides if it may happen."""
    opened = _opened_for_box(user, private_key, case_id, action)
    # Spent first, so a replay is told so whatever the engine would say; it commits only with the
    # write (a refused step's page is re-rendered with fresh tokens).
    form_tokens.spend(form_token)
    approver_id = opened.case.approver_id
    outcome = opened.step(action, given)
    if RULES[action].publishes:
        clarification.on_approved(opened)
    tolerance.after_step(opened, action, approver_id)  # issue 10
    db.session.commit()
    return outcome.facts.state


def check(user: User, private_key: bytes | None, case_id: str, action: Action, given: StepInput = NO_INPUT) -> Case:
    """Raise what act() would refuse, writing nothing: a confirmation is asked only for a step that may happen."""
    opened = _opened_for_box(user, private_key, case_id, action)
    opened.check(action, given)
    return opened.case


@use_case
def draft_plan(
    user: User,
    private_key: bytes | None,
    case_id: str,
    modes: list[str],
    scope: str,
    notice: dict | None,
    form_token: str | None,
) -> None:
    """Write the clarification plan and put it before the cadre for consent."""
    opened = open_for_staff(user, private_key, case_id, lock=True)
    form_tokens.spend(form_token)
    clarification.draft(opened, modes, scope, notice)
    db.session.commit()


@use_case
def record_mode(
    user: User, private_key: bytes | None, case_id: str, mode: str, record: str, form_token: str | None
) -> None:
    """Record one mode of the approved plan as carried out."""
    opened = open_for_staff(user, private_key, case_id, lock=True)
    form_tokens.spend(form_token)
    clarification.record_done(opened, mode, record)
    db.session.commit()


@use_case
def message(
    user: User, private_key: bytes | None, case_id: str, body: str, uploads: list[Upload], form_token: str | None
) -> None:
    """Write to the submitter (shown on their status page); the reviewer's name is not."""
    files = clean_uploads(uploads)
    opened = open_for_staff(user, private_key, case_id, lock=True)
    opened.check_write(Record.MESSAGE)
    form_tokens.spend(form_token)
    case_files.add_message(opened.case, opened.key, Author.REVIEWER.value, body, files, user_id=user.id)
    opened.audit("message")
    db.session.commit()


@use_case
def note(user: User, private_key: bytes | None, case_id: str, body: str, form_token: str | None) -> None:
    """An internal note, encrypted, never shown to the submitter."""
    opened = open_for_staff(user, private_key, case_id, lock=True)
    opened.check_write(Record.NOTE)
    form_tokens.spend(form_token)
    case = opened.case
    last = db.session.scalar(db.select(db.func.max(Note.position)).where(Note.case_id == case.id))
    note_id = new_id()
    db.session.add(
        Note(
            id=note_id,
            case_id=case.id,
            position=(last or 0) + 1,
            author_id=user.id,
            created_at=this_hour(),
            body=encrypt(opened.key, body.encode(), aad.note_body(case.id, note_id)),
        )
    )
    opened.audit("note")
    db.session.commit()


@use_case
def download(user: User, private_key: bytes | None, case_id: str, file_id: str) -> tuple[FileInfo, bytes] | None:
    """One decrypted file of this case (audited), or None."""
    opened = open_for_staff(user, private_key, case_id)
    found = case_files.read_file(opened.case, opened.key, file_id)
    if found is not None:
        opened.audit("download")
    db.session.commit()
    return found
