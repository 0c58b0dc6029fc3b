"""Threat model 1 and 2: a database dump holds no case content and nothing about the sender."""

from __future__ import annotations

import datetime as dt
import glob

from sqlalchemy import MetaData

from portal.extensions import db
from portal.models import Case
from tests.conftest import CLIENT_ADDRESS, CLIENT_AGENT
from tests.factories import gen_pdf, upload
from tests.web.review.test_clarification_plan import draft, found_false, submitter_post

SECRET_TEXT = "ZM-CANARY-文本-4d1f9"
SECRET_NAME = "ZM-CANARY-NAME-王二小"
SECRET_FILE = "ZM-CANARY-FILE-BYTES-77ab"
SECRET_REPLY = "ZM-CANARY-REPLY-91c2"
SECRET_FILENAME = "ZM-CANARY-FILENAME"


def every_stored_value(app) -> list[bytes]:
    """Every column of every row of every table, as bytes."""
    values: list[bytes] = []
    with app.app_context():
        meta = MetaData()
        meta.reflect(db.engine)
        with db.engine.connect() as conn:
            for table in meta.sorted_tables:
                for row in conn.execute(table.select()):
                    for value in row:
                        if isinstance(value, (bytes, bytearray, memoryview)):
                            values.append(bytes(value))
                        elif value is not None:
                            values.append(str(value).encode())
    return values


def database_files(app) -> list[bytes]:
    """For SQLite, the raw bytes of the database file and its journals."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite:///"):
        return []
    path = url.removeprefix("sqlite:///")
    blobs = []
    for name in glob.glob(path + "*"):
        with open(name, "rb") as fh:
            blobs.append(fh.read())
    return blobs


def test_database_holds_no_plaintext_of_what_was_sent(app, cadre, client):
    receipt = cadre.receipt_of(
        cadre.file_clarification(
            real_name=SECRET_NAME,
            allegation=SECRET_TEXT,
            files=[upload(gen_pdf(SECRET_FILE), f"{SECRET_FILENAME}.pdf")],
        )
    )
    cadre.follow_up(receipt)
    assert cadre.reply(SECRET_REPLY).status_code == 303
    # The content is really there: the receipt decrypts all of it.
    html = client.get("/followup/status").get_data(as_text=True)
    assert SECRET_NAME in html and SECRET_TEXT in html and SECRET_REPLY in html
    link = html.split('href="/followup/files/')[1].split('"')[0]
    assert SECRET_FILE.encode() in client.get(f"/followup/files/{link}").data

    digits = receipt.replace(" ", "")
    needles = [
        SECRET_TEXT,
        SECRET_NAME,
        SECRET_FILE,
        SECRET_REPLY,
        SECRET_FILENAME,
        CLIENT_ADDRESS,
        CLIENT_AGENT,
        digits,
        receipt,
    ]
    stored = every_stored_value(app) + database_files(app)
    assert stored
    for needle in needles:
        for encoded in {needle.encode("utf-8"), needle.encode("utf-16-le")}:
            assert not any(encoded in blob for blob in stored), needle


def _finer_than_the_hour(app) -> list[str]:
    """Every stored time not on the hour, except audit entries of a named staff member."""
    found = []
    with app.app_context():
        meta = MetaData()
        meta.reflect(db.engine)
        with db.engine.connect() as conn:
            for table in meta.sorted_tables:
                for row in conn.execute(table.select()):
                    fields = row._mapping
                    if table.name == "audit_entries" and fields["actor_id"] is not None:
                        continue  # staff actions may keep minutes
                    for name, value in fields.items():
                        if isinstance(value, dt.datetime) and (value.minute, value.second, value.microsecond) != (
                            0,
                            0,
                            0,
                        ):
                            found.append(f"{table.name}.{name}={value.isoformat()}")
    return found


def test_no_stored_time_dates_a_submitter_action_finer_than_the_hour(intake, app, cadre, staff):
    """File, sign in, reply, answer a question, object, consent: then walk every datetime stored."""
    receipt, clarification_id, drafter, _chief, _deputy = found_false(app, cadre, staff, intake)
    assert draft(drafter, clarification_id).status_code == 303
    assert cadre.follow_up(receipt).status_code == 303
    assert submitter_post(cadre, "/followup/consent").status_code == 303

    reviewer = staff("wang.rev", "reviewer")
    concern_receipt = cadre.receipt_of(cadre.file_concern())
    with app.app_context():
        concern_id = db.session.scalar(db.select(Case.id).where(Case.id != clarification_id))
    assert intake.accept(concern_id, reviewer).status_code == 303
    for action, extra in (("start", {}), ("ask", {"reason": "Which teams?"})):
        assert reviewer.act(concern_id, action, **extra).status_code == 303
    assert cadre.follow_up(concern_receipt).status_code == 303
    assert cadre.reply("County, township and the education bureau.").status_code == 303
    assert reviewer.act(concern_id, "answer", reason="Merged from next month.").status_code == 303
    assert submitter_post(cadre, "/followup/object", {"reason": "Nothing changed."}).status_code == 303

    assert _finer_than_the_hour(app) == []


OTHER_SECRET = "ZM-CANARY-OTHER-BODY-3b7e"
OTHER_ESCROW = "the other body's escrow passphrase"


def test_a_dump_and_one_bodys_credentials_open_none_of_the_other_bodys_cases(app, cadre, staff):
    """Threat model 3, with two bodies: an attacker with the whole database, every password of one
    body's staff and that body's escrow passphrase opens that body's cases and none of the other's."""
    from portal.domain import aad
    from portal.domain.crypto import CryptoError, decrypt, unseal
    from portal.models import CaseKey, User
    from portal.services import accounts
    from tests.conftest import ESCROW_PASSPHRASE, STAFF_PASSWORD
    from tests.factories import private_key_of
    from tests.web.body_helpers import Member, default_body_id, make_body

    here = default_body_id(app)
    there = make_body(app, "邻县纪委监委", "commission", "county", escrow=False)
    with app.app_context():
        accounts.create_escrow(OTHER_ESCROW, there)
    ours = [staff("xin.fang", "intake"), staff("li.rev", "reviewer"), staff("qian.sup", "supervisor")]
    Member(app, "lin.intake", "intake", there)
    Member(app, "lin.rev", "reviewer", there)
    cadre.file_concern(description=SECRET_TEXT)
    cadre.file_concern(description=OTHER_SECRET, body=str(there))
    with app.app_context():
        mine = db.session.scalar(db.select(Case.id).where(Case.body_id == here))
        theirs = db.session.scalar(db.select(Case.id).where(Case.body_id == there))
    assert mine and theirs
    assert ours[0].accept(mine, ours[1]).status_code == 303  # the reviewer and supervisor hold it too

    with app.app_context():
        # What the attacker can open: every private key of our body, and our escrow key.
        privates = [private_key_of(db.session.get(User, m.user_id), STAFF_PASSWORD) for m in ours]
        privates.append(accounts.unlock_escrow(ESCROW_PASSPHRASE, here))
        boxes = [(row.case_id, row.user_id, row.sealed_key) for row in db.session.scalars(db.select(CaseKey))]
        escrowed = [(case.id, case.escrow_sealed_key) for case in db.session.scalars(db.select(Case))]
        submissions = {case.id: case.submission for case in db.session.scalars(db.select(Case))}
    with app.app_context():  # the deployment's cipher suite decides how boxes open
        opened: dict[str, bytes] = {}
        for private in privates:  # every box in the dump, with every key, under every binding it could have
            for case_id, user_id, sealed in boxes:
                try:
                    opened[case_id] = unseal(private, sealed, aad.user_key(case_id, user_id))
                except CryptoError:
                    pass
            for case_id, sealed in escrowed:
                try:
                    opened[case_id] = unseal(private, sealed, aad.escrow_key(case_id))
                except CryptoError:
                    pass
        assert set(opened) == {mine}  # the attack works on our body's case, so its failure below is real
        readable = []
        for case_id, blob in submissions.items():
            for dk in opened.values():
                try:
                    readable.append(decrypt(dk, blob, aad.submission(case_id)).decode())
                except CryptoError:
                    pass
    assert any(SECRET_TEXT in text for text in readable)
    assert not any(OTHER_SECRET in text for text in readable)
    assert all(OTHER_SECRET.encode() not in value for value in every_stored_value(app))


# -- the 诬告陷害 ledger (issue 10): every text of a referral and a reminder is under the case key --
REFERRAL_SECRETS = {
    "body_name": "ZM-CANARY-REF-BODY-公安-51f0",
    "reference": "ZM-CANARY-REF-NO-〔2026〕-8c31",
    "notes": "ZM-CANARY-REF-NOTE-77d2",
    "check_note": "ZM-CANARY-REF-CHECK-检举人-0a9e",
}
FILED_SECRET = "ZM-CANARY-REF-FILED-43bb"
RESULT_SECRET = "ZM-CANARY-REF-RESULT-拘留-e612"
REMINDER_SECRET = "ZM-CANARY-REMINDER-谈话-9d07"


def test_a_dump_holds_none_of_the_referral_ledgers_texts(intake, app, cadre, staff):
    from portal.models import Referral
    from tests.web.referral_helpers import educate, page_of, record_outcome, refer, today

    _receipt, case_id, reviewer, chief, _deputy = found_false(app, cadre, staff, intake)
    assert reviewer.act(case_id, "flag", flag="suspected_malicious").status_code == 303
    t = today(app)
    fields = {**REFERRAL_SECRETS, "referred_on": t.isoformat(), "double_check": "y", "checked_on": t.isoformat()}
    assert refer(chief, case_id, **fields).status_code == 303
    with app.app_context():
        referral_id = db.session.scalar(db.select(Referral.id))
    assert record_outcome(chief, case_id, referral_id, "filed", t, FILED_SECRET).status_code == 303
    assert record_outcome(chief, case_id, referral_id, "handled", t, RESULT_SECRET).status_code == 303
    page = chief.get(page_of(case_id)).get_data(as_text=True)
    needles = [*REFERRAL_SECRETS.values(), FILED_SECRET, RESULT_SECRET]
    assert all(n in page for n in needles)  # the holder reads them all

    # A 错告 of another case, with its 提醒教育.
    other = cadre.receipt_of(cadre.file_clarification())
    assert other
    with app.app_context():
        other_id = db.session.scalar(db.select(Case.id).where(Case.id != case_id))
    assert intake.accept(other_id, reviewer).status_code == 303
    assert reviewer.act(other_id, "verify").status_code == 303
    assert reviewer.act(other_id, "flag", flag="mistaken").status_code == 303
    assert educate(reviewer, other_id, t, REMINDER_SECRET).status_code == 303
    assert REMINDER_SECRET in reviewer.get(page_of(other_id)).get_data(as_text=True)

    stored = every_stored_value(app) + database_files(app)
    for needle in [*needles, REMINDER_SECRET]:
        for encoded in {needle.encode("utf-8"), needle.encode("utf-16-le")}:
            assert not any(encoded in blob for blob in stored), needle


# -- 主动澄清 and 部分失实 (issue 10): what a body records when it opens a clarification itself --
OWN_MOTION_SECRETS = {
    "real_name": "ZM-CANARY-OM-NAME-李四",
    "unit_name": "ZM-CANARY-OM-UNIT-c41",
    "post": "ZM-CANARY-OM-POST-9e0",
    "origin_number": "ZM-CANARY-OM-REF-5a2",
    "origin_body": "ZM-CANARY-OM-BODY-d17",
    "false_items": "ZM-CANARY-OM-ITEM-一-7f3\nZM-CANARY-OM-ITEM-二-08b",
    "grounds": "ZM-CANARY-OM-GROUNDS-b66",
}


def test_a_dump_holds_nothing_a_body_recorded_opening_a_clarification(app, staff):
    from tests.web.own_motion_helpers import open_own_motion, receipt_on

    reviewer = staff("zhao.rev", "reviewer")
    chief = staff("qian.sup", "supervisor")
    page = open_own_motion(reviewer, chief, **OWN_MOTION_SECRETS)
    assert page.status_code == 200
    receipt = receipt_on(page)
    with app.app_context():
        case_id = db.session.scalar(db.select(Case.id))
    # The content is really there: its supervisor reads all of it.
    html = chief.get(f"/review/cases/{case_id}").get_data(as_text=True)
    needles = [*(line for value in OWN_MOTION_SECRETS.values() for line in value.split("\n"))]
    assert all(needle in html for needle in needles)
    needles += [receipt, receipt.replace(" ", "")]
    stored = every_stored_value(app) + database_files(app)
    for needle in needles:
        for encoded in {needle.encode("utf-8"), needle.encode("utf-16-le")}:
            assert not any(encoded in blob for blob in stored), needle


# -- fault tolerance (issue 10) --
SECRET_MATTER = "ZM-CANARY-MATTER-6e0a"
SECRET_FAULT = "ZM-CANARY-FAULT-19bd"
SECRET_DISTINCTION = "ZM-CANARY-DISTINCTION-c4f2"
SECRET_UNIT_CONTACT = "ZM-CANARY-UNITCONTACT-08d1"
SECRET_REASONS = "ZM-CANARY-REASONS-5a37"
SECRET_MEASURE = "ZM-CANARY-MEASURE-e2c9"
SECRET_MEETING = "ZM-CANARY-MEETING-7f10"
SECRET_RESULT = "ZM-CANARY-RESULT-3d66"
SECRET_MEASURE_NOTE = "ZM-CANARY-MEASURENOTE-b98e"


def test_database_holds_no_plaintext_of_a_fault_tolerance_application_or_its_decision(app, cadre, staff, intake):
    from portal.services import case_state
    from tests.conftest import only_case_id
    from tests.web.tolerance_helpers import file_application, propose, record_collective, record_measure

    reviewer, leader = staff("li.rev", "reviewer"), staff("zhao.lead", "leader")
    receipt = cadre.receipt_of(
        file_application(
            cadre,
            filed_by="unit",
            unit_contact=SECRET_UNIT_CONTACT,
            matter=SECRET_MATTER,
            fault=SECRET_FAULT,
            distinction_reason=SECRET_DISTINCTION,
        )
    )
    case_id = only_case_id(app)
    with app.app_context():
        day = case_state.today().isoformat()
    assert intake.accept(case_id, reviewer).status_code == 303
    assert reviewer.act(case_id, "verify").status_code == 303
    assert propose(reviewer, case_id, "reduced", SECRET_REASONS, SECRET_MEASURE).status_code == 303
    assert record_collective(reviewer, case_id, leader, day, SECRET_MEETING, SECRET_RESULT).status_code == 303
    assert leader.act(case_id, "approve_decision", reason=SECRET_REASONS).status_code == 303
    assert record_measure(reviewer, case_id, 0, day, SECRET_MEASURE_NOTE).status_code == 303
    page = reviewer.get(f"/review/cases/{case_id}").get_data(as_text=True)
    needles = [
        SECRET_MATTER,
        SECRET_FAULT,
        SECRET_DISTINCTION,
        SECRET_UNIT_CONTACT,
        SECRET_REASONS,
        SECRET_MEASURE,
        SECRET_MEETING,
        SECRET_RESULT,
        SECRET_MEASURE_NOTE,
    ]
    assert all(needle in page for needle in needles)  # the content is really there, for its holders
    digits = receipt.replace(" ", "")
    stored = every_stored_value(app) + database_files(app)
    for needle in [*needles, digits, receipt, CLIENT_ADDRESS, CLIENT_AGENT]:
        for encoded in {needle.encode("utf-8"), needle.encode("utf-16-le")}:
            assert not any(encoded in blob for blob in stored), needle


# -- issue 10 (h10rn): a real-name concern's name, unit and contact are encrypted with the rest --
REAL_NAME_SECRETS = ("ZM-CANARY-REALNAME-赵实名", "ZM-CANARY-REALNAME-UNIT", "ZM-CANARY-REALNAME-CONTACT")


def test_a_dump_holds_none_of_a_real_name_submitters_identity(app, cadre, client):
    name, unit, contact = REAL_NAME_SECRETS
    receipt = cadre.receipt_of(
        cadre.file_concern(identity="real_name", real_name=name, unit_name=unit, contact=contact)
    )
    cadre.follow_up(receipt)
    html = client.get("/followup/status").get_data(as_text=True)
    assert all(secret in html for secret in REAL_NAME_SECRETS)  # the receipt decrypts them
    stored = every_stored_value(app) + database_files(app)
    for needle in REAL_NAME_SECRETS:
        for encoded in {needle.encode("utf-8"), needle.encode("utf-16-le")}:
            assert not any(encoded in blob for blob in stored), needle


# -- 典型案例通报 (issue 10) --
SECRET_BULLETIN = ("ZM-BUL-TITLE", "ZM-BUL-FACTS", "ZM-BUL-TREAT", "ZM-CANARY-BUL-RETURN")


def test_a_dump_holds_no_plaintext_of_an_unpublished_bulletin_or_why_it_was_returned(app, cadre, staff, intake):
    from tests.web.bulletin_helpers import bulletin_form, referred_case
    from tests.web.review.test_authorization_matrix import fresh_form_token

    world = referred_case(app, cadre, staff, intake)
    page = f"/review/cases/{world.case_id}/bulletin"
    assert world.drafter.post(page, {**bulletin_form(), "approver": str(world.leader.user_id)}).status_code == 303
    returned = {"reason": SECRET_BULLETIN[3], "form_token": fresh_form_token(app)}
    assert world.leader.post(f"{page}/return", returned, form_page=page).status_code == 303
    assert SECRET_BULLETIN[3] in world.drafter.get(page).get_data(as_text=True)  # it is there, for holders
    stored = every_stored_value(app) + database_files(app)
    for needle in SECRET_BULLETIN:
        for encoded in {needle.encode("utf-8"), needle.encode("utf-16-le")}:
            assert not any(encoded in blob for blob in stored), needle


def test_a_bulletin_naming_the_cadre_keeps_the_name_in_ciphertext_until_published(app, cadre, staff, intake, caplog):
    """h12b: the name is only under the case key, in no log, URL, audit or event detail; the consent
    is bound to a digest keyed by the case, so a dump cannot confirm a guessed text."""
    import hashlib
    import json
    import logging

    from portal.models import AuditEntry, BulletinDraft, CaseEvent
    from tests.web.bulletin_helpers import CADRE_NAME, bulletin_form, referred_case
    from tests.web.review.test_bulletin_consent import CONSENT, NAMED_FACTS, answer

    caplog.set_level(logging.DEBUG)
    world = referred_case(app, cadre, staff, intake)
    page = f"/review/cases/{world.case_id}/bulletin"
    form = {**bulletin_form(facts=NAMED_FACTS), "approver": str(world.leader.user_id), "names_cadre": "y"}
    submitted = world.drafter.post(page, form)
    assert submitted.status_code == 303 and CADRE_NAME not in submitted.headers["Location"]
    cadre.follow_up(world.receipt)
    assert CADRE_NAME in cadre.client.get("/followup/status").get_data(as_text=True)  # the cadre reads it
    consented = answer(cadre, CONSENT)
    assert consented.status_code == 303 and CADRE_NAME not in consented.headers["Location"]
    stored = every_stored_value(app) + database_files(app)
    for encoded in {CADRE_NAME.encode("utf-8"), CADRE_NAME.encode("utf-16-le")}:
        assert not any(encoded in blob for blob in stored)
    with app.app_context():
        digest = db.session.get(BulletinDraft, world.case_id).consented_digest
        details = [
            *db.session.scalars(db.select(AuditEntry.detail).where(AuditEntry.detail.is_not(None))),
            *db.session.scalars(db.select(CaseEvent.detail).where(CaseEvent.detail.is_not(None))),
        ]
    text = {**bulletin_form(facts=NAMED_FACTS)}
    unkeyed = hashlib.sha256(json.dumps(text, ensure_ascii=False, sort_keys=True).encode()).digest()
    assert digest and digest != unkeyed
    assert not any(CADRE_NAME in detail for detail in details)
    assert not any(CADRE_NAME in record.getMessage() for record in caplog.records)


# -- h11d1: official documents (issue 11): a document's addressee and text are under the case key --
DOCUMENT_SECRETS = ("ZM-CANARY-DOC-ADDRESSEE-张三-5e21", "ZM-CANARY-DOC-TEXT-答复-c94a")


def test_a_dump_holds_none_of_an_issued_documents_content(intake, app, cadre, staff):
    from tests.web.document_helpers import draft_fields, issue

    reviewer = staff("wang.rev", "reviewer")
    receipt = cadre.receipt_of(cadre.file_concern(subject=SECRET_TEXT))
    with app.app_context():
        case_id = db.session.scalar(db.select(Case.id))
    assert intake.accept(case_id, reviewer).status_code == 303
    assert reviewer.act(case_id, "start").status_code == 303
    assert reviewer.act(case_id, "answer", reason="Merged from next month.").status_code == 303
    addressee, text = DOCUMENT_SECRETS
    fields = draft_fields(reviewer, case_id, "reply")
    assert issue(reviewer, case_id, "reply", addressee=addressee, text=fields["text"] + "\n" + text).status_code == 303
    cadre.follow_up(receipt)
    status = cadre.client.get("/followup/status").get_data(as_text=True)
    doc_id = status.split('href="/followup/documents/')[1].split(".")[0]
    printable = reviewer.get(f"/review/cases/{case_id}/documents/{doc_id}.html").get_data(as_text=True)
    assert addressee in printable and text in printable  # the holder reads both
    stored = every_stored_value(app) + database_files(app)
    for needle in DOCUMENT_SECRETS:
        for encoded in {needle.encode("utf-8"), needle.encode("utf-16-le")}:
            assert not any(encoded in blob for blob in stored), needle


# -- h12v: the reason a document was voided (作废原因) is under the case key too --
VOID_SECRET = "ZM-CANARY-VOID-REASON-作废-81f3"


def test_a_dump_holds_no_reason_a_document_was_voided(intake, app, cadre, staff, caplog):
    import logging

    from portal.models import AuditEntry, CaseEvent
    from tests.web.document_helpers import document_rows, issue

    caplog.set_level(logging.DEBUG)
    reviewer = staff("wang.rev", "reviewer")
    supervisor = staff("qian.sup", "supervisor")
    receipt = cadre.receipt_of(cadre.file_concern(subject=SECRET_TEXT))
    with app.app_context():
        case_id = db.session.scalar(db.select(Case.id))
    assert intake.accept(case_id, reviewer).status_code == 303
    assert issue(reviewer, case_id, "acceptance").status_code == 303
    [row] = document_rows(app, case_id)
    page = f"/review/cases/{case_id}/documents/{row.id}"
    voided = supervisor.post(f"{page}/void", {"reason": VOID_SECRET}, form_page=page)
    assert voided.status_code == 303 and VOID_SECRET not in voided.headers["Location"]
    assert VOID_SECRET in supervisor.get(f"{page}.html").get_data(as_text=True)  # the holder reads it
    cadre.follow_up(receipt)
    assert VOID_SECRET in cadre.client.get("/followup/status").get_data(as_text=True)  # and the cadre
    stored = every_stored_value(app) + database_files(app)
    for encoded in {VOID_SECRET.encode("utf-8"), VOID_SECRET.encode("utf-16-le")}:
        assert not any(encoded in blob for blob in stored)
    with app.app_context():
        details = [
            *db.session.scalars(db.select(AuditEntry.detail).where(AuditEntry.detail.is_not(None))),
            *db.session.scalars(db.select(CaseEvent.detail).where(CaseEvent.detail.is_not(None))),
        ]
    assert not any(VOID_SECRET in detail for detail in details)
    assert not any(VOID_SECRET in record.getMessage() for record in caplog.records)
