"""The submitter's way back in: receipt check, status, thread, reply, leave."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portal.domain import aad, receipts, workflow
from portal.domain.cases import Author, Finding
from portal.domain.crypto import CryptoError, decrypt
from portal.domain.plan import Plan
from portal.domain.real_name import TellClock, tell_clocks
from portal.domain.waiting import Waiting, waiting_for
from portal.domain.workflow import Action
from portal.extensions import db
from portal.models import Case
from portal.services import (
    bodies,
    bulletin_consent,
    case_files,
    case_state,
    clarification,
    corrections,
    documents,
    false_items,
    form_tokens,
    key_sessions,
    notices,
    timeline,
    tolerance,
    transfers,
)
from portal.services.case_files import FileInfo, ThreadMessage
from portal.services.errors import ReceiptNotFound
from portal.services.intake import Upload, clean_uploads
from portal.services.opened_case import OpenedCase, StepInput, open_for_submitter
from portal.services.settings import argon2_profile, receipt_pepper
from portal.services.timeline import TimelineEntry
from portal.services.transaction import use_case


@dataclass(frozen=True)
class SubmitterView:
    """Everything the status page shows, decrypted."""

    kind: str
    state: str
    category: str | None
    created_at: dt.datetime
    fields: dict
    files: list[FileInfo]
    steps: list[TimelineEntry]
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
    moved: transfers.Moved | None = None  # the case went to another body (named if its name is public)
    handled_by: str | None = None  # the body handling the case, if its name is public
    # -- 主动澄清 and 部分失实 (issue 10) --
    origin: str = "applied"  # own_motion: the body opened the case, the cadre filed nothing
    false_items: tuple[str, ...] = ()  # the items an approved partly-untrue finding names
    tolerance: tolerance.ApplicantDecision | None = None  # the approved 容错纠错 decision (issue 10)
    # -- real-name concerns and 回访 (issue 10) --
    clocks: tuple[TellClock, ...] = ()  # a real-name submitter's clocks: told whether accepted, told the result
    today: dt.date | None = None  # the day the clocks are judged against
    can_feedback: bool = False  # the applicant may leave their feedback on the 回访
    # -- official documents (issue 11, h11d1) --
    number: str | None = None  # the 受理编号, once accepted
    documents: tuple[documents.DocumentRow, ...] = ()  # the documents meant for the cadre, to download
    # -- a 典型案例通报 that would name the cadre, awaiting or holding their consent (issue 10, h12b) --
    naming: bulletin_consent.NamingDraft | None = None


@dataclass(frozen=True)
class Access:
    """What the submitter's cookie carries: the case and the session's cookie half."""

    case_id: str
    session_secret: str


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
        dk = decrypt(keys.wrap_key, case.submitter_wrapped_key, aad.submitter_key(case.id))
    except CryptoError as exc:
        raise ReceiptNotFound() from exc
    session_secret = key_sessions.start(dk, aad.submitter_session(case.id, case.receipt_lookup))
    db.session.commit()
    return Access(case_id=case.id, session_secret=session_secret)


def _open(access: Access) -> OpenedCase:
    return open_for_submitter(access.case_id, access.session_secret)


@use_case
def status(access: Access) -> SubmitterView:
    """The decrypted status page; slides the session's idle expiry."""
    opened = _open(access)
    case, dk = opened.case, opened.key
    files, by_message = case_files.list_files(case, dk)
    steps = timeline.read(case, dk)
    facts = opened.facts()
    today, deadlines = case_state.today(), case_state.deadlines()
    submitter_actions = opened.allowed()
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
            case.answered_on + dt.timedelta(days=deadlines.objection_days)
            if case.answered_on and not case.objected
            else None
        ),
        waiting=waiting_for(facts, today, deadlines),
        deadlines=deadlines,
        finding=Finding(case.finding) if case.finding else _approved_finding(steps),
        moved=transfers.moved_to(case),
        handled_by=bodies.public_name(case.body_id),
        origin=case.origin,
        false_items=false_items.read(case, dk) if case.finding == Finding.PARTLY_FALSE else (),
        tolerance=tolerance.for_applicant(case, dk, steps),
        clocks=tell_clocks(facts),
        today=today,
        can_feedback=Action.FEEDBACK in submitter_actions,
        number=case.number,
        documents=tuple(documents.for_cadre(case, dk)),
        naming=bulletin_consent.for_cadre(case, dk),
    )
    db.session.commit()
    return view


def _approved_finding(steps: list[TimelineEntry]) -> Finding | None:
    """The finding a supervisor approved, read from the state its approval step entered."""
    approved = [s.state for s in steps if s.action == Action.APPROVE_FINDING.value]
    return Finding(approved[-1]) if approved and approved[-1] in set(Finding) else None


def check(access: Access, action: Action, reason: str | None = None) -> str:
    """Raise what the cadre's step would refuse, writing nothing: a confirmation is asked only for a step that may happen.
    Returns the kind of case, so the confirmation can word the step for it."""
    try:
        opened = _open(access)
        opened.check(action, StepInput(reason=reason))
        return opened.case.kind
    finally:
        db.session.rollback()  # opening slid the session's expiry: a question changes nothing


@use_case
def reply(access: Access, body: str, uploads: list[Upload], form_token: str) -> None:
    """The submitter writes to the reviewers; an awaited answer restarts the clock."""
    files = clean_uploads(uploads)
    opened = _open(access)
    form_tokens.spend(form_token)
    case_files.add_message(opened.case, opened.key, Author.SUBMITTER.value, body, files)
    if Action.PROVIDE_INFO in opened.allowed():
        opened.step(Action.PROVIDE_INFO)
    opened.audit("message_from_submitter")
    db.session.commit()


@use_case
def consent(access: Access, form_token: str) -> None:
    """本人确认: the cadre agrees to the exact plan and notice draft shown to them."""
    opened = _open(access)
    form_tokens.spend(form_token)
    opened.step(Action.CONSENT)
    db.session.commit()


@use_case
def decline(access: Access, comment: str, form_token: str) -> None:
    """The cadre declines the plan with a comment; it goes back to the reviewer."""
    opened = _open(access)
    form_tokens.spend(form_token)
    opened.step(Action.DECLINE, StepInput(reason=comment))
    db.session.commit()


@use_case
def consent_to_correction(access: Access, form_token: str) -> None:
    """本人同意 to a correction: only now does it replace the published text."""
    opened = _open(access)
    form_tokens.spend(form_token)
    content = corrections.settle(opened, Action.CONSENT_CORRECTION)
    notice = clarification.published_notice(opened.case.id)
    if content is not None and notice is not None:
        notices.publish_correction(notice, content["changes"], content["reason"])
        opened.audit("notice_corrected", detail=f"notice:{notice.id}")
    db.session.commit()


@use_case
def decline_correction(access: Access, comment: str, form_token: str) -> None:
    """The cadre declines a correction: the published text stays; staff read the comment."""
    opened = _open(access)
    form_tokens.spend(form_token)
    corrections.settle(opened, Action.DECLINE_CORRECTION, comment)
    db.session.commit()


def check_naming(access: Access, agree: bool, seen_digest: str | None) -> None:
    """Raise what the cadre's answer to being named would refuse, writing nothing (before confirming it)."""
    try:
        bulletin_consent.check(_open(access), agree, seen_digest)
    finally:
        db.session.rollback()


@use_case
def answer_naming(access: Access, agree: bool, seen_digest: str | None, form_token: str) -> None:
    """同意公开姓名 or 不同意 (or a consent withdrawn) for the bulletin's text the cadre read."""
    opened = _open(access)
    form_tokens.spend(form_token)
    bulletin_consent.record(opened, agree, seen_digest)
    db.session.commit()


@use_case
def object_to_answer(access: Access, reason: str, form_token: str) -> None:
    """The one objection to a concern's answer, within the window; reopens the case."""
    opened = _open(access)
    form_tokens.spend(form_token)
    opened.step(Action.OBJECT, StepInput(reason=reason))
    db.session.commit()


@use_case
def download(access: Access, file_id: str) -> tuple[FileInfo, bytes] | None:
    """One of the case's files, decrypted, or None if it is not this case's."""
    opened = _open(access)
    found = case_files.read_file(opened.case, opened.key, file_id)
    db.session.commit()
    return found


@use_case
def leave(access: Access | None) -> None:
    """Forget the server half of the session."""
    if access is not None:
        key_sessions.end(access.session_secret)
        db.session.commit()
