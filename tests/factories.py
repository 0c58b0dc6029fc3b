"""gen_* factories for test data: files, accounts, cases filed through the services."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from dataclasses import dataclass

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from portal.extensions import db
from portal.models import Case, User
from portal.services import accounts

PASSWORD = "correct horse battery staple"


def gen_png(width: int = 24, height: int = 16, color: str = "navy") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


def gen_jpeg_with_gps(marker: str = "ZmSecretCamera") -> bytes:
    img = Image.new("RGB", (32, 24), "green")
    exif = img.getexif()
    exif[0x010F] = marker  # Make
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 26.0), 3: "E", 4: (116.0, 23.0, 30.0)}  # GPS
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


def gen_pdf(text: str = "ZM-PDF-CONTENT", author: str = "ZmSecretAuthor") -> bytes:
    """A one-page PDF whose content stream carries `text` uncompressed."""
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode())
    page[NameObject("/Contents")] = writer._add_object(stream)  # noqa: SLF001
    writer.add_metadata({"/Author": author})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def gen_user(username: str = "reviewer1", role: str = "reviewer", password: str = PASSWORD) -> User:
    created = accounts.create_user(username, role, password, confirmed=True)
    return db.session.get(User, created.user_id)


def upload(data: bytes, name: str):
    """A file tuple for the Flask test client."""
    return (io.BytesIO(data), name)


#: Each active part of gen_hostile_pdf carries one of these in plain bytes.
HOSTILE_PDF_MARKERS = (
    b"ZZOpenActionJs",
    b"ZZNextJs",
    b"ZZNamesJs",
    b"ZZPageAA",
    b"ZZUriJs",
    b"ZZLaunch",
    b"ZZSubmit",
    b"ZZImport",
    b"ZZEmbedded",
    b"ZZXfaScript",
    b"ZZFieldJs",
    b"ZZAnnotFile",
)
#: Names that only active content uses; none may be left in a cleaned file.
ACTIVE_PDF_NAMES = (
    b"/JavaScript",
    b"/JS",
    b"/OpenAction",
    b"/AA",
    b"/Launch",
    b"/SubmitForm",
    b"/ImportData",
    b"/EmbeddedFile",
    b"/AcroForm",
    b"/XFA",
    b"/URI",
    b"/FileAttachment",
)


def gen_hostile_pdf(text: str = "ZM-PDF-CONTENT") -> bytes:
    """gen_pdf's page plus every kind of active content a PDF can carry."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, NumberObject, RectangleObject, TextStringObject

    def js(code: str) -> DictionaryObject:
        return DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(code)}
        )

    def action(kind: str, **entries) -> DictionaryObject:
        return DictionaryObject(
            {
                NameObject("/S"): NameObject(kind),
                **{NameObject("/" + k): TextStringObject(v) for k, v in entries.items()},
            }
        )

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(gen_pdf(text))))
    page = writer.pages[0]
    opening = js("app.alert('ZZOpenActionJs')")
    opening[NameObject("/Next")] = js("app.alert('ZZNextJs')")
    writer.root_object[NameObject("/OpenAction")] = opening
    scripts = DictionaryObject(
        {
            NameObject("/Names"): ArrayObject(
                [TextStringObject("startup"), writer._add_object(js("app.alert('ZZNamesJs')"))]
            )
        }
    )  # noqa: SLF001
    writer.root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): scripts})
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): js("app.alert('ZZPageAA')")})
    links = [
        action("/URI", URI="javascript:ZZUriJs()"),
        action("/Launch", F="ZZLaunch.exe"),
        action("/SubmitForm", F="http://ZZSubmit.example/"),
        action("/ImportData", F="ZZImport.fdf"),
    ]
    annots = ArrayObject()
    for i, link in enumerate(links):
        annots.append(
            writer._add_object(
                DictionaryObject(
                    {  # noqa: SLF001
                        NameObject("/Type"): NameObject("/Annot"),
                        NameObject("/Subtype"): NameObject("/Link"),
                        NameObject("/Rect"): RectangleObject([0, i * 20, 20, i * 20 + 20]),
                        NameObject("/A"): link,
                    }
                )
            )
        )
    field = writer._add_object(
        DictionaryObject(
            {  # noqa: SLF001
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Widget"),
                NameObject("/FT"): NameObject("/Tx"),
                NameObject("/T"): TextStringObject("name"),
                NameObject("/Rect"): RectangleObject([100, 100, 180, 120]),
                NameObject("/AA"): DictionaryObject({NameObject("/K"): js("ZZFieldJs()")}),
            }
        )
    )
    annots.append(field)
    attached = writer._add_object(
        DictionaryObject(
            {  # noqa: SLF001
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/FileAttachment"),
                NameObject("/Rect"): RectangleObject([0, 150, 20, 170]),
                NameObject("/Contents"): TextStringObject("ZZAnnotFile"),
            }
        )
    )
    annots.append(attached)
    page[NameObject("/Annots")] = annots
    xfa = DecodedStreamObject()
    xfa.set_data(b"<xdp:xdp><script>ZZXfaScript()</script></xdp:xdp>")
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject(
        {
            NameObject("/Fields"): ArrayObject([field]),
            NameObject("/XFA"): writer._add_object(xfa),  # noqa: SLF001
            NameObject("/NeedAppearances"): NumberObject(1),
        }
    )
    writer.add_attachment("ZZEmbedded.txt", b"ZZEmbedded data")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass(frozen=True)
class Worker:
    """A case worker as the services see one: the account and its unlocked private key."""

    user_id: int
    username: str
    private_key: bytes

    @property
    def user(self) -> User:
        return db.session.get(User, self.user_id)


def private_key_of(user: User, password: str = PASSWORD) -> bytes:
    """A staff member's private key, opened with their password as sign-in does."""
    from portal.domain import aad
    from portal.domain.crypto import decrypt, open_credential

    wrap_key = open_credential(password.encode(), user.credential)
    return decrypt(wrap_key, user.wrapped_private_key, aad.user_private_key(user.id))


def gen_worker(username: str, role: str, password: str = PASSWORD) -> Worker:
    """A confirmed case worker and their private key, opened with the password as sign-in does."""
    user = gen_user(username, role, password)
    return Worker(user.id, username, private_key_of(user, password))


@dataclass(frozen=True)
class GenCase:
    """A case made through the services, and who worked it there."""

    case_id: str
    receipt: str
    reviewer: Worker
    supervisor: Worker
    intake: Worker  # the intake officer (信访干部) who accepted it and assigned it to the reviewer
    leader: Worker | None = None  # the leader who approved a fault-tolerance decision (issue 10)


CONCERN_FIELDS = {"subject": "Too many inspections", "description": "Three teams ask for the same reports.", "unit": ""}
CLARIFICATION_FIELDS = {
    "real_name": "王某某",
    "unit_name": "某县某镇人民政府",
    "post": "副镇长",
    "contact": "",
    "allegation": "Accused of taking gifts at a village project.",
    "allegation_source": "An anonymous letter in March.",
    "harm_detail": "",
    "wanted_detail": "",
    "harms": ["reputation"],
    "wanted": ["written", "public_notice"],
}
PLAN_NOTICE = {
    "number": "X县纪委〔2026〕12号",
    "title": "关于王某某同志被反映问题的澄清正名公告",
    "naming": "surname",
    "unit": "某县某镇人民政府",
    "post": "副镇长",
    "allegation": "Reported for taking gifts at a village project.",
    "body": "<p>Verified with the project accounts.</p>",
    "issuer": "X县纪委监委",
}

#: The way to each state, as (who, action, what was typed or picked); "cadre" steps go through the receipt.
_CONCERN_PATH = {
    "submitted": [],
    "not_accepted": [("intake", "refuse", {"reason": "Not a matter for this body."})],
    "accepted": [("intake", "accept", {"assignee_id": "reviewer"})],
    "in_progress": [("intake", "accept", {"assignee_id": "reviewer"}), ("reviewer", "start", {})],
    "awaiting_info": [
        ("intake", "accept", {"assignee_id": "reviewer"}),
        ("reviewer", "start", {}),
        ("reviewer", "ask", {"reason": "Which?"}),
    ],
    "answered": [
        ("intake", "accept", {"assignee_id": "reviewer"}),
        ("reviewer", "start", {}),
        ("reviewer", "answer", {"reason": "The teams now share one report."}),
    ],
}
_CONCERN_PATH["closed"] = [
    *_CONCERN_PATH["answered"],
    ("cadre", "object", {"reason": "Nothing changed."}),
    ("reviewer", "answer", {"reason": "Checked again: one report from now on."}),
    ("reviewer", "close", {}),
]
_FOUND_FALSE = [
    ("intake", "accept", {"assignee_id": "reviewer"}),
    ("reviewer", "verify", {}),
    ("reviewer", "propose_finding", {"finding": "found_false", "reason": "Accounts and witnesses."}),
    ("supervisor", "approve_finding", {"reason": "The gifts never existed."}),
]
_CLARIFICATION_PATH = {
    "submitted": [],
    "not_accepted": [("intake", "refuse", {"reason": "Too early.", "refusal_reason": "no_conclusion"})],
    "accepted": [("intake", "accept", {"assignee_id": "reviewer"})],
    "verifying": [("intake", "accept", {"assignee_id": "reviewer"}), ("reviewer", "verify", {})],
    "awaiting_info": [
        ("intake", "accept", {"assignee_id": "reviewer"}),
        ("reviewer", "verify", {}),
        ("reviewer", "ask", {"reason": "When?"}),
    ],
    "finding_proposed": _FOUND_FALSE[:3],
    "found_false": _FOUND_FALSE,
    "substantiated": [
        *_FOUND_FALSE[:2],
        ("reviewer", "propose_finding", {"finding": "substantiated", "reason": "Receipts found."}),
        ("supervisor", "approve_finding", {"reason": "The gifts were taken."}),
    ],
    "awaiting_consent": [*_FOUND_FALSE, ("reviewer", "draft_plan", {})],
    "plan_consented": [*_FOUND_FALSE, ("reviewer", "draft_plan", {}), ("cadre", "consent", {})],
}
_CLARIFICATION_PATH["plan_approved"] = [*_CLARIFICATION_PATH["plan_consented"], ("supervisor", "approve_plan", {})]
_CLARIFICATION_PATH["carried_out"] = [
    *_CLARIFICATION_PATH["plan_approved"],
    ("reviewer", "record_form", {"mode": "written", "reason": "Letter handed over on 3 December."}),
    # issue 10: the filings are steps of the plan too
    ("reviewer", "record_filing", {"filing": "integrity_file", "number": "廉档〔2026〕1号"}),
    ("reviewer", "record_filing", {"filing": "personnel", "number": "抄〔2026〕2号"}),
    ("reviewer", "carry_out", {}),
]


# -- fault tolerance (issue 10) --
TOLERANCE_FIELDS = {
    "real_name": "李某某",
    "unit_name": "某县某镇人民政府",
    "post": "镇长",
    "contact": "",
    "unit_contact": "",
    "matter": "Approved an emergency road repair before the tender finished.",
    "fault": "The repair cost 20,000 yuan more than the tender price.",
    "accountability_detail": "",
    "distinction_reason": "The road was closed by a landslide; no rule covered it yet.",
    "rank": "section",
    "filed_by": "self",
    "accountability": "pending",
    "distinctions": ["unprecedented"],
}
_DECIDED = [
    ("intake", "accept", {"assignee_id": "reviewer"}),
    ("reviewer", "verify", {}),
    ("reviewer", "propose_decision", {}),
    ("reviewer", "record_collective", {}),
    ("leader", "approve_decision", {"reason": "An emergency, no private gain: liability reduced."}),
]
_TOLERANCE_PATH = {
    "submitted": [],
    "not_accepted": [("intake", "refuse", {"reason": "Not a matter of fault tolerance."})],
    "accepted": _DECIDED[:1],
    "verifying": _DECIDED[:2],
    "awaiting_info": [*_DECIDED[:2], ("reviewer", "ask", {"reason": "Which tender?"})],
    "decision_proposed": _DECIDED[:3],
    "collectively_decided": _DECIDED[:4],
    "decided": _DECIDED,
    "closed": [
        *_DECIDED,
        ("cadre", "object", {"reason": "The loss was the contractor's."}),
        *_DECIDED[2:],
        ("reviewer", "record_measure", {}),
        ("reviewer", "close", {}),
    ],
}


def _tolerance_step(worker: Worker, action: str, case_id: str, leader: Worker) -> bool:
    """The fault-tolerance steps with a page of their own; False for a plain step."""
    from portal.services import case_state, form_tokens, tolerance

    key, token = worker.private_key, form_tokens.issue()
    if action == "propose_decision":
        tolerance.propose(worker.user, key, case_id, "reduced", "No private gain.", "Return the excess cost.", token)
    elif action == "record_collective":
        today = case_state.today()
        tolerance.record_collective(
            worker.user, key, case_id, today, "县纪委常委会", "同意减责。", leader.user_id, token
        )
    elif action == "record_measure":
        tolerance.record_measure(worker.user, key, case_id, 0, case_state.today(), "Repaid in full.", token)
    else:
        return False
    return True


def gen_case(
    kind: str = "concern",
    state: str = "submitted",
    reviewer: Worker | None = None,
    supervisor: Worker | None = None,
    intake: Worker | None = None,
) -> GenCase:
    """A case filed and taken to ``state`` through the services only (never by writing columns),
    so a test of a late step starts there. Call inside an app context of an initialised app."""
    from portal.domain.cases import Kind
    from portal.domain.workflow import Action
    from portal.services import casework, followup, form_tokens
    from portal.services import intake as filing
    from portal.services.opened_case import StepInput

    reviewer = reviewer or gen_worker(f"gen.rev.{_counter()}", "reviewer")
    supervisor = supervisor or gen_worker(f"gen.sup.{_counter()}", "supervisor")
    intake = intake or gen_worker(f"gen.int.{_counter()}", "intake")  # before filing: it is sealed to them
    fields = {"concern": CONCERN_FIELDS, "fault_tolerance": TOLERANCE_FIELDS}.get(kind, CLARIFICATION_FIELDS)
    category = "workload" if kind == "concern" else None
    leader = gen_worker(f"gen.lead.{_counter()}", "leader") if kind == "fault_tolerance" else None
    receipt = filing.file_case(Kind(kind), category, dict(fields), [], form_tokens.issue())
    case_id = _newest_case(receipt)
    paths = {"concern": _CONCERN_PATH, "fault_tolerance": _TOLERANCE_PATH}.get(kind, _CLARIFICATION_PATH)
    workers = {"reviewer": reviewer, "supervisor": supervisor, "intake": intake}
    if leader is not None:
        workers["leader"] = leader
    for who, action, given in paths[state]:
        if who == "cadre":
            access = followup.sign_in(receipt)
            if action == "object":
                followup.object_to_answer(access, given["reason"], form_tokens.issue())
            else:
                followup.consent(access, form_tokens.issue())
            continue
        worker = workers[who]
        if leader is not None and _tolerance_step(worker, action, case_id, leader):
            continue
        if action == "draft_plan":
            notice = {**PLAN_NOTICE, "issued_on": dt.date.today() - dt.timedelta(days=1)}
            casework.draft_plan(
                worker.user,
                worker.private_key,
                case_id,
                ["public_notice"],
                "The township meeting.",
                notice,
                form_tokens.issue(),
            )
        elif action == "record_filing":
            from portal.services import aftercare, case_state

            aftercare.record_filing(
                worker.user,
                worker.private_key,
                case_id,
                given["filing"],
                case_state.today(),
                given["number"],
                form_tokens.issue(),
            )
        elif action == "record_form":
            casework.record_mode(
                worker.user, worker.private_key, case_id, given["mode"], given["reason"], form_tokens.issue()
            )
        else:
            if given.get("assignee_id") in workers:  # a role named in the path: that worker's id
                given = {**given, "assignee_id": workers[given["assignee_id"]].user_id}
            casework.act(
                worker.user, worker.private_key, case_id, Action(action), StepInput(**given), form_tokens.issue()
            )
    found = db.session.get(Case, case_id)
    assert found is not None and found.state == state, (kind, state, found.state if found else None)
    return GenCase(case_id, receipt, reviewer, supervisor, intake, leader)


def _newest_case(receipt: str) -> str:
    from portal.domain import receipts
    from portal.services.settings import argon2_profile, receipt_pepper

    lookup = receipts.derive(receipts.normalize(receipt), receipt_pepper(), argon2_profile()).lookup
    return db.session.scalar(db.select(Case.id).where(Case.receipt_lookup == lookup))


_made = itertools.count(1)


def _counter() -> int:
    return next(_made)
