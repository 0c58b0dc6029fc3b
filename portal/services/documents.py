"""Issuing a case's official documents, reading them back, and the cadre's copies.

A staff member holding the case sees the draft of an allowed kind (``draft``), may change the
addressee and the paragraphs, and issues it (``issue``): the number is drawn from the body's
yearly sequence in the same transaction, the ``Gongwen`` is stored under the case key, and the
audit chain gets ``document.issue`` with the kind and number only. Every read of a file is
audited (``document.download``), the cadre's with no actor.

A supervisor or leader holding the case voids (作废) an issued document with a reason (``void``):
the row keeps its number, gains the day and the reason (under the case key), and every list and
file shows it voided from then on; a corrected document is simply issued anew, with a new number.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from portal.domain import aad, documents
from portal.domain.cases import Kind, State
from portal.domain.clock import utcnow
from portal.domain.crypto import decrypt, encrypt
from portal.domain.documents import DocumentKind, NotVoidable, WrongKind
from portal.domain.gongwen import Gongwen, GongwenError, void_line, written_date
from portal.domain.staff import SUPERVISING_ROLES
from portal.extensions import db
from portal.models import Case, Document, User
from portal.models.types import new_id
from portal.services import audit, case_state, document_drafts, form_tokens, numbering, timeline
from portal.services.errors import ServiceError
from portal.services.opened_case import OpenedCase, open_for_staff, open_for_submitter
from portal.services.transaction import use_case

if TYPE_CHECKING:  # followup lists a case's documents for the cadre: imported only for the type
    from portal.services.followup import Access

__all__ = [
    "AlreadyVoided",
    "BadDocument",
    "DocumentRow",
    "NoSuchDocument",
    "NotAVoider",
    "NotVoidable",
    "WrongKind",
    "draft",
    "for_cadre",
    "issue",
    "issue_with_receipt",
    "listing",
    "read",
    "read_for_submitter",
    "void",
    "voidable",
]

#: Longest addressee, paragraph and whole text a staff member may give.
ADDRESSEE_MAX, PARAGRAPH_MAX, PARAGRAPHS_MAX = 100, 2000, 30
#: Longest reason for voiding a document (作废原因).
VOID_REASON_MAX = 500
#: The timeline step of a void (the cadre sees it when the document was meant for them).
VOIDED = "document_voided"


class NoSuchDocument(ServiceError):
    """No document with this id on this case (or not one meant for the cadre)."""


class BadDocument(ServiceError):
    """The edited document is missing its text, or a part is too long; ``field`` names it."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


class AlreadyVoided(ServiceError):
    """The document was voided already: a void is done once."""


class NotAVoider(ServiceError):
    """Only a supervisor or leader voids an issued document."""


@dataclass(frozen=True)
class DocumentRow:
    """One issued document as lists show it: its plain columns, and the reason if it was voided."""

    id: str
    kind: DocumentKind
    number: str
    issued_at: dt.datetime
    for_cadre: bool
    voided_at: dt.datetime | None = None
    void_reason: str | None = None  # decrypted with the case key


@dataclass(frozen=True)
class Listing:
    """A case's documents page: what was issued and what may be issued now."""

    case: Case
    rows: list[DocumentRow]
    issuable: tuple[DocumentKind, ...]


def _listed(case: Case, key: bytes, row: Document) -> DocumentRow:
    reason = (
        decrypt(key, row.void_reason, aad.document_void_reason(case.id, row.id)).decode()
        if row.void_reason is not None
        else None
    )
    return DocumentRow(row.id, DocumentKind(row.kind), row.number, row.issued_at, row.for_cadre, row.voided_at, reason)


def _documents(case_id: str, cadre_only: bool = False) -> list[Document]:
    query = db.select(Document).where(Document.case_id == case_id)
    if cadre_only:
        query = query.where(Document.for_cadre.is_(True))
    return list(db.session.scalars(query.order_by(Document.issued_at, Document.number)))


def _rows(case: Case, key: bytes, cadre_only: bool = False) -> list[DocumentRow]:
    return [_listed(case, key, d) for d in _documents(case.id, cadre_only)]


def _issuable(case: Case) -> tuple[DocumentKind, ...]:
    return documents.issuable(Kind(case.kind), State(case.state), case.referred)


def to_json(doc: Gongwen) -> dict:
    value = dataclasses.asdict(doc)
    value["date"] = doc.date.isoformat()
    del value["voided"]  # never stored: read from the document's own void record
    value["paragraphs"], value["attachments"], value["notes"] = (
        list(doc.paragraphs),
        list(doc.attachments),
        list(doc.notes),
    )
    return value


def from_json(value: dict) -> Gongwen:
    return Gongwen(
        issuer=value["issuer"],
        number=value["number"],
        title=value["title"],
        paragraphs=tuple(value["paragraphs"]),
        signatory=value["signatory"],
        date=dt.date.fromisoformat(value["date"]),
        addressee=value.get("addressee"),
        attachments=tuple(value.get("attachments", ())),
        notes=tuple(value.get("notes", ())),
    )


def _kind(opened: OpenedCase, kind: str | None) -> DocumentKind:
    """The kind asked for, if the case may be given one now; WrongKind otherwise."""
    if kind not in set(DocumentKind):
        raise WrongKind(str(kind))
    found = DocumentKind(str(kind))
    case = opened.case
    documents.check_issue(found, Kind(case.kind), State(case.state), case.referred)
    return found


@use_case
def listing(user: User, private_key: bytes | None, case_id: str) -> Listing:
    """The documents page of a case (holders only); the view is audited as a case view."""
    opened = open_for_staff(user, private_key, case_id)
    page = Listing(opened.case, _rows(opened.case, opened.key), _issuable(opened.case))
    opened.audit("case_view")
    db.session.commit()
    return page


@use_case
def draft(user: User, private_key: bytes | None, case_id: str, kind: str | None) -> Gongwen:
    """The draft of one kind, filled from the case, for the issue form."""
    opened = open_for_staff(user, private_key, case_id)
    found = _kind(opened, kind)
    doc = document_drafts.build(opened.case, opened.key, found)
    opened.audit("case_view")
    db.session.commit()
    return doc


def _edited(doc: Gongwen, addressee: str, text: str) -> Gongwen:
    """The draft with the staff member's addressee and paragraphs (one per non-empty line)."""
    addressee = addressee.strip()
    if len(addressee) > ADDRESSEE_MAX:
        raise BadDocument("addressee")
    paragraphs = tuple(p.strip() for p in text.replace("\r\n", "\n").split("\n") if p.strip())
    if not paragraphs:
        raise BadDocument("text")
    if len(paragraphs) > PARAGRAPHS_MAX or any(len(p) > PARAGRAPH_MAX for p in paragraphs):
        raise BadDocument("text")
    try:
        return dataclasses.replace(doc, addressee=addressee or None, paragraphs=paragraphs)
    except GongwenError as exc:
        raise BadDocument("text") from exc


def _store(case: Case, key: bytes, kind: DocumentKind, doc: Gongwen, actor_id: int | None) -> Document:
    """Number the document, store it under the case key and audit the issue (caller commits)."""
    number = numbering.allocate(case.body_id, kind)
    numbered = dataclasses.replace(doc, number=number)
    doc_id = new_id()
    row = Document(
        id=doc_id,
        case_id=case.id,
        body_id=case.body_id,
        kind=kind.value,
        number=number,
        issued_at=utcnow().replace(second=0, microsecond=0),
        issued_by=actor_id,
        for_cadre=documents.for_cadre(kind),
        content=encrypt(
            key, json.dumps(to_json(numbered), ensure_ascii=False).encode(), aad.document_content(case.id, doc_id)
        ),
    )
    db.session.add(row)
    audit.record("document.issue", actor_id=actor_id, case_id=case.id, detail=f"{kind.value} {number}"[:64])
    return row


def issue_with_receipt(case: Case, key: bytes, actor_id: int, receipt: str) -> Gongwen:
    """The 澄清正名告知书 of a case the body opened itself, issued as its receipt is (caller's transaction).

    The copy returned carries the receipt, for the one answer that shows it; the stored copy (the
    cadre's and the file's) says instead that the receipt was handed over in person, since the
    portal never keeps a receipt readable."""
    doc = document_drafts.build(case, key, DocumentKind.CLARIFICATION)
    handed = f"本告知书所附查询码已于{written_date(doc.date)}当面交本人；本平台不保存查询码。"
    row = _store(case, key, DocumentKind.CLARIFICATION, dataclasses.replace(doc, notes=(handed,)), actor_id)
    return dataclasses.replace(
        doc,
        number=row.number,
        notes=(
            f"查询码：{receipt}",
            "请妥善保管查询码，勿告知他人。凭查询码可登录本平台查看澄清正名方案、办理进展并与承办人联系；"
            "查询码遗失的，可向我委申请重新发放。",
        ),
    )


@use_case
def issue(
    user: User,
    private_key: bytes | None,
    case_id: str,
    kind: str | None,
    addressee: str,
    text: str,
    form_token: str | None,
) -> str:
    """Issue one document of the case as confirmed on the form; the new document's id."""
    opened = open_for_staff(user, private_key, case_id, lock=True)
    found = _kind(opened, kind)
    doc = _edited(document_drafts.build(opened.case, opened.key, found), addressee, text)
    form_tokens.spend(form_token)
    row = _store(opened.case, opened.key, found, doc, user.id)
    db.session.commit()
    return row.id


def _decrypted(case: Case, key: bytes, row: Document) -> Gongwen:
    return from_json(json.loads(decrypt(key, row.content, aad.document_content(case.id, row.id))))


def _shown(case: Case, key: bytes, row: Document) -> tuple[DocumentRow, Gongwen]:
    """The row and its document as every file shows it: marked voided, with day and reason, once voided."""
    listed, doc = _listed(case, key, row), _decrypted(case, key, row)
    if listed.voided_at is not None and listed.void_reason is not None:
        doc = dataclasses.replace(doc, voided=void_line(case_state.local_day(listed.voided_at), listed.void_reason))
    return listed, doc


def _row(case_id: str, doc_id: str | None, cadre_only: bool = False) -> Document:
    row = db.session.get(Document, doc_id) if doc_id else None
    if row is None or row.case_id != case_id or (cadre_only and not row.for_cadre):
        raise NoSuchDocument(str(doc_id))
    return row


@use_case
def read(user: User, private_key: bytes | None, case_id: str, doc_id: str, fmt: str) -> tuple[DocumentRow, Gongwen]:
    """One issued document for a holder, audited as viewed (html) or downloaded (a file)."""
    opened = open_for_staff(user, private_key, case_id)
    row = _row(opened.case.id, doc_id)
    shown = _shown(opened.case, opened.key, row)
    opened.audit("document.view" if fmt == "html" else "document.download", detail=f"{row.number} {fmt}"[:64])
    db.session.commit()
    return shown


def of_opened(opened: OpenedCase) -> list[tuple[DocumentRow, Gongwen]]:
    """Every document issued in an opened case, decrypted, oldest first (the paper-archive copy)."""
    return [_shown(opened.case, opened.key, r) for r in _documents(opened.case.id)]


def for_cadre(case: Case, key: bytes) -> list[DocumentRow]:
    """The documents meant for the cadre, for their status page (a void's reason decrypted)."""
    return _rows(case, key, cadre_only=True)


def _voidable(user: User, opened: OpenedCase, doc_id: str | None) -> Document:
    """The document, if this user may void it now; the refusal otherwise (nothing written)."""
    if user.role not in SUPERVISING_ROLES:
        raise NotAVoider(user.role)
    row = _row(opened.case.id, doc_id)
    documents.check_void(DocumentKind(row.kind))
    if row.voided_at is not None:
        raise AlreadyVoided(row.id)
    return row


@use_case
def voidable(user: User, private_key: bytes | None, case_id: str, doc_id: str) -> DocumentRow:
    """The document a void form names, checked as ``void`` will check it; for the confirmation page."""
    opened = open_for_staff(user, private_key, case_id)
    listed = _listed(opened.case, opened.key, _voidable(user, opened, doc_id))
    db.session.rollback()
    return listed


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason or len(reason) > VOID_REASON_MAX:
        raise BadDocument("reason")
    return reason


@use_case
def void(user: User, private_key: bytes | None, case_id: str, doc_id: str, reason: str, form_token: str | None) -> None:
    """作废: the document keeps its number and is marked voided, with the day and the reason (one transaction).

    The reason goes under the case key; the audit entry names the kind and number only, and the
    timeline step is shown to the cadre when the document was meant for them."""
    opened = open_for_staff(user, private_key, case_id, lock=True)
    row = _voidable(user, opened, doc_id)
    text = _reason(reason)
    form_tokens.spend(form_token)
    row.voided_at = utcnow().replace(second=0, microsecond=0)
    row.voided_by = user.id
    row.void_reason = encrypt(opened.key, text.encode(), aad.document_void_reason(opened.case.id, row.id))
    timeline.add_event(opened.case, opened.key, opened.case.state, VOIDED, user.id, row.for_cadre, text, row.number)
    audit.record("document.void", actor_id=user.id, case_id=opened.case.id, detail=f"{row.kind} {row.number}"[:64])
    db.session.commit()


@use_case
def read_for_submitter(access: Access, doc_id: str, fmt: str) -> tuple[DocumentRow, Gongwen]:
    """One document meant for the cadre, opened with the follow-up session's key; audited, no actor."""
    opened = open_for_submitter(access.case_id, access.session_secret)
    row = _row(opened.case.id, doc_id, cadre_only=True)
    shown = _shown(opened.case, opened.key, row)
    opened.audit("document.download", detail=f"{row.number} {fmt}"[:64])
    db.session.commit()
    return shown
