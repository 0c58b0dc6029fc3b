"""The submitter's way back in: receipt check, status, thread, reply, leave."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portal.domain import aad, receipts, workflow
from portal.domain.cases import Author, Finding, State
from portal.domain.crypto import CryptoError, decrypt
from portal.domain.plan import Plan
from portal.domain.waiting import Waiting, waiting_for
from portal.domain.workflow import Action, Actor, Role
from portal.extensions import db
from portal.models import Case, CaseEvent
from portal.services import (
    audit,
    case_files,
    case_state,
    clarification,
    corrections,
    form_tokens,
    key_sessions,
    notices,
    timeline,
)
from portal.services.case_files import FileInfo, ThreadMessage
from portal.services.errors import ReceiptNotFound, SessionExpired
from portal.services.intake import Upload, clean_uploads
from portal.services.settings import argon2_profile, receipt_pepper
from portal.services.transaction import use_case

SUBMITTER = Actor(user_id=None, role=Role.SUBMITTER)


@dataclass(frozen=True)
class Step:
    """One visible step of the timeline."""

    state: str
    action: str
    created_at: dt.datetime
    reason: str | None
    detail: str | None = None  # which form a carried-out step carried out


@dataclass(frozen=True)
class SubmitterView:
    """Everything the status page shows, decrypted."""

    kind: str
    state: str
    category: str | None
    created_at: dt.datetime
    fields: dict
    files: list[FileInfo]
    steps: list[Step]
    thread: list[ThreadMessage]
    can_object: bool
    objection_until: dt.date | None
    plan: Plan | None
    can_consent: bool
    notice_id: int | None
    correction: corrections.Proposed | None = None  # a correction of the notice awaiting consent
    waiting: tuple[Waiting, ...] = ()  # what the case waits for now, and until when
    deadlines: workflow.Deadlines | None = None  # the lengths the deadlines above count
    finding: Finding | None = None  # the approved finding of a clarification


@dataclass(frozen=True)
class Access:
    """What the submitter's cookie carries: the case and the cookie half of the key."""

    case_id: str
    credential: str


@use_case
def sign_in(receipt_text: str) -> Access:
    """Check a receipt (one Argon2id) and open a follow-up session; one generic failure."""
    try:
        receipt = receipts.normalize(receipt_text)
    except receipts.MalformedReceipt as exc:
        raise ReceiptNotFound() from exc
    keys = receipts.derive(receipt, receipt_pepper(), argon2_profile())
    case = db.session.scalar(db.select(Case).where(Case.receipt_lookup == keys.lookup))
    if case is None:
        raise ReceiptNotFound()
    try:
        dk = decrypt(keys.wrap_key, case.submitter_key, aad.submitter_key(case.id))
    except CryptoError as exc:
        raise ReceiptNotFound() from exc
    credential = key_sessions.start(dk, aad.submitter_session(case.id))
    db.session.commit()
    return Access(case_id=case.id, credential=credential)


def _open(access: Access) -> tuple[Case, bytes]:
    case = db.session.get(Case, access.case_id)
    if case is None:
        raise SessionExpired("case gone")
    return case, key_sessions.resume(access.credential, aad.submitter_session(case.id))


@use_case
def status(access: Access) -> SubmitterView:
    """The decrypted status page; slides the session's idle expiry."""
    case, dk = _open(access)
    files, by_message = case_files.list_files(case, dk)
    events = db.session.scalars(
        db.select(CaseEvent)
        .where(CaseEvent.case_id == case.id, CaseEvent.visible_to_submitter.is_(True))
        .order_by(CaseEvent.position)
    )
    steps = [
        Step(
            state=e.state,
            action=e.action,
            created_at=e.created_at,
            reason=decrypt(dk, e.reason, aad.event_reason(case.id, e.id)).decode() if e.reason else None,
            detail=e.detail if e.action == "record_form" else None,
        )
        for e in events
    ]
    facts = case_state.facts_of(case)
    today, deadlines = case_state.today(), case_state.deadlines()
    submitter_actions = workflow.allowed(facts, SUBMITTER, today, deadlines)
    view = SubmitterView(
        kind=case.kind,
        state=case.state,
        category=case.category,
        created_at=case.created_at,
        fields=case_files.read_submission(case, dk),
        files=files,
        steps=steps,
        thread=case_files.read_thread(case, dk, by_message),
        can_object=Action.OBJECT in submitter_actions,
        plan=clarification.read(case, dk),
        can_consent=Action.CONSENT in submitter_actions,
        notice_id=notice.id if (notice := clarification.published_notice(case.id)) else None,
        correction=corrections.pending(case, dk) if Action.CONSENT_CORRECTION in submitter_actions else None,
        objection_until=(
            case.answered_on + dt.timedelta(days=case_state.deadlines().objection_days)
            if case.answered_on and not case.objected
            else None
        ),
        waiting=waiting_for(facts, today, deadlines),
        deadlines=deadlines,
        finding=_approved_finding(steps),
    )
    db.session.commit()
    return view


def _approved_finding(steps: list[Step]) -> Finding | None:
    """The finding a supervisor approved, read from the state its approval step entered."""
    approved = [s.state for s in steps if s.action == Action.APPROVE_FINDING.value]
    return Finding(approved[-1]) if approved and approved[-1] in set(Finding) else None


def _submitter_act(case: Case, dk: bytes, action: Action, reason: str | None = None) -> None:
    """Fire a submitter's workflow action and record the step (caller commits)."""
    outcome = workflow.apply(
        case_state.facts_of(case), SUBMITTER, action, case_state.today(), case_state.deadlines(), reason=reason
    )
    case_state.store(case, outcome.facts)
    timeline.add_event(case, dk, case.state, action.value, None, outcome.visible_to_submitter, reason)
    audit.record(f"transition:{action.value}", case_id=case.id)


def check(access: Access, action: Action, reason: str | None = None) -> None:
    """Raise what the cadre's step would refuse, writing nothing: a confirmation is asked only for a step that may happen."""
    case, _dk = _open(access)
    try:
        workflow.apply(
            case_state.facts_of(case), SUBMITTER, action, case_state.today(), case_state.deadlines(), reason=reason
        )
    finally:
        db.session.rollback()  # opening slid the session's expiry: a question changes nothing


@use_case
def reply(access: Access, body: str, uploads: list[Upload], form_token: str) -> None:
    """The submitter writes to the reviewers; an awaited answer restarts the clock."""
    files = clean_uploads(uploads)
    case, dk = _open(access)
    form_tokens.spend(form_token)
    case_files.add_message(case, dk, Author.SUBMITTER.value, body, files)
    if case.state == State.AWAITING_INFO:
        _submitter_act(case, dk, Action.PROVIDE_INFO)
    audit.record("message_from_submitter", case_id=case.id)
    db.session.commit()


@use_case
def consent(access: Access, form_token: str) -> None:
    """本人确认: the cadre agrees to the exact plan and notice draft shown to them."""
    case, dk = _open(access)
    form_tokens.spend(form_token)
    _submitter_act(case, dk, Action.CONSENT)
    db.session.commit()


@use_case
def decline(access: Access, comment: str, form_token: str) -> None:
    """The cadre declines the plan with a comment; it goes back to the reviewer."""
    case, dk = _open(access)
    form_tokens.spend(form_token)
    _submitter_act(case, dk, Action.DECLINE, comment)
    db.session.commit()


@use_case
def consent_to_correction(access: Access, form_token: str) -> None:
    """本人同意 to a correction: only now does it replace the published text."""
    case, dk = _open(access)
    form_tokens.spend(form_token)
    content = corrections.settle(case, dk, SUBMITTER, Action.CONSENT_CORRECTION)
    notice = clarification.published_notice(case.id)
    if content is not None and notice is not None:
        notices.publish_correction(notice, content["changes"], content["reason"])
        audit.record("notice_corrected", case_id=case.id, detail=f"notice:{notice.id}")
    db.session.commit()


@use_case
def decline_correction(access: Access, comment: str, form_token: str) -> None:
    """The cadre declines a correction: the published text stays; staff read the comment."""
    case, dk = _open(access)
    form_tokens.spend(form_token)
    corrections.settle(case, dk, SUBMITTER, Action.DECLINE_CORRECTION, comment)
    db.session.commit()


@use_case
def object_to_answer(access: Access, reason: str, form_token: str) -> None:
    """The one objection to a concern's answer, within the window; reopens the case."""
    case, dk = _open(access)
    form_tokens.spend(form_token)
    _submitter_act(case, dk, Action.OBJECT, reason)
    db.session.commit()


@use_case
def download(access: Access, file_id: str) -> tuple[FileInfo, bytes] | None:
    """One of the case's files, decrypted, or None if it is not this case's."""
    case, dk = _open(access)
    found = case_files.read_file(case, dk, file_id)
    db.session.commit()
    return found


@use_case
def leave(access: Access | None) -> None:
    """Forget the server half of the session."""
    if access is not None:
        key_sessions.end(access.credential)
        db.session.commit()
