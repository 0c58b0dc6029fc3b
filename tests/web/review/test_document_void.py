"""Voiding an issued document (作废) through HTTP: a supervisor or leader holding the case, confirmed
first; the number stays and is never given again; every list, file and copy shows the mark with the
day and the reason; a second void, a replayed form, the wrong role, a bystander and an outsider
change nothing."""

from __future__ import annotations

import html as entities

from portal.extensions import db
from portal.models import Case, CaseEvent, Document
from portal.services import bodies
from tests.conftest import Staff, confirmation_form, only_case_id
from tests.web.document_helpers import (
    audit_rows,
    document_rows,
    documents_page,
    docx_text,
    issue,
    pdf_text,
    squeeze,
)
from tests.web.review.test_clarification_plan import carry_out_the_plan, found_false

REASON = "文号所列受理日期有误 ZM-VOID-REASON-7731"
SCRIPT = "<script>alert('ZM-VOID-XSS')</script>"


def void_url(case_id: str, doc_id: str) -> str:
    return f"{documents_page(case_id)}/{doc_id}/void"


def doc_page(case_id: str, doc_id: str) -> str:
    return f"{documents_page(case_id)}/{doc_id}"


def accepted_with_a_notice(app, cadre, staff, intake):
    """A concern accepted (the supervisor made first, so it is sealed to them too) with its 受理告知书."""
    reviewer = staff("wang.rev", "reviewer")
    supervisor = staff("qian.sup", "supervisor")
    receipt = cadre.receipt_of(cadre.file_concern())
    case_id = only_case_id(app)
    assert intake.accept(case_id, reviewer).status_code == 303
    assert issue(reviewer, case_id, "acceptance").status_code == 303
    [row] = document_rows(app, case_id)
    return receipt, case_id, reviewer, supervisor, row


def void(member, case_id: str, doc_id: str, reason: str = REASON, confirm: bool = True):
    return member.post(
        void_url(case_id, doc_id), {"reason": reason}, form_page=doc_page(case_id, doc_id), confirm=confirm
    )


def state_of(app, case_id: str) -> tuple:
    """What a refused void must leave as it was: the documents' void columns and the audit trail."""
    with app.app_context():
        rows = db.session.execute(
            db.select(Document.id, Document.number, Document.voided_at, Document.voided_by, Document.void_reason)
            .where(Document.case_id == case_id)
            .order_by(Document.number)
        ).all()
        events = db.session.scalar(
            db.select(db.func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case_id)
        )
    return tuple(rows), events, audit_rows(app, case_id, "document.void")


def test_a_supervisor_voids_an_issued_notice_confirmed_first_and_everyone_sees_the_mark(app, cadre, staff, intake):
    receipt, case_id, _reviewer, supervisor, row = accepted_with_a_notice(app, cadre, staff, intake)
    page = supervisor.get(doc_page(case_id, row.id)).get_data(as_text=True)
    assert void_url(case_id, row.id) in page

    # The first POST only shows what will happen, with the reason as typed: nothing is written.
    before = state_of(app, case_id)
    asked = void(supervisor, case_id, row.id, confirm=False)
    assert asked.status_code == 200
    assert "作废" in asked.get_data(as_text=True) and REASON in asked.get_data(as_text=True)
    assert state_of(app, case_id) == before
    found = confirmation_form(asked.get_data(as_text=True))
    assert found is not None
    done = supervisor.client.post(found[0], data=found[1], content_type="multipart/form-data")
    assert done.status_code == 303 and done.headers["Location"].endswith(documents_page(case_id))
    assert REASON not in done.headers["Location"]

    [voided] = document_rows(app, case_id)
    assert voided.number == row.number and voided.voided_at is not None and voided.voided_by == supervisor.user_id
    assert voided.voided_at.second == 0 and voided.void_reason and REASON.encode() not in voided.void_reason
    assert audit_rows(app, case_id, "document.void") == [
        ("document.void", supervisor.user_id, f"acceptance {row.number}")
    ]

    # The staff's list: voided, with the minute and the reason; the page no longer offers the form.
    listed = supervisor.get(documents_page(case_id)).get_data(as_text=True)
    assert "已作废" in listed and REASON in listed and row.number in listed
    assert void_url(case_id, row.id) not in supervisor.get(doc_page(case_id, row.id)).get_data(as_text=True)

    # Its files still download, each marked 作废 with the day and the reason.
    base = doc_page(case_id, row.id)
    printable = supervisor.get(base + ".html").get_data(as_text=True)
    assert "（已作废）" in printable and REASON in printable and "作废原因" in printable
    pdf = supervisor.get(base + ".pdf")
    assert pdf.status_code == 200 and pdf.headers["Cache-Control"] == "no-store"
    assert squeeze("（已作废）") in squeeze(pdf_text(pdf.data)) and squeeze(REASON) in squeeze(pdf_text(pdf.data))
    word = docx_text(supervisor.get(base + ".docx").data)
    assert "（已作废）" in word and REASON in word and row.number in word

    # The cadre's copy: the status page marks it voided with the reason, the timeline says so, the file too.
    cadre.follow_up(receipt)
    mine = cadre.client.get("/followup/status").get_data(as_text=True)
    assert "已作废" in mine and REASON in mine and "送达您的一份公文已作废" in mine
    theirs = cadre.client.get(f"/followup/documents/{row.id}.docx")
    assert theirs.status_code == 200 and "（已作废）" in docx_text(theirs.data) and REASON in docx_text(theirs.data)


def test_the_number_is_not_given_again_and_a_second_void_or_a_replayed_form_changes_nothing(app, cadre, staff, intake):
    _receipt, case_id, reviewer, supervisor, first = accepted_with_a_notice(app, cadre, staff, intake)
    asked = void(supervisor, case_id, first.id, confirm=False)
    action, fields = confirmation_form(asked.get_data(as_text=True)) or ("", None)
    assert supervisor.client.post(action, data=fields, content_type="multipart/form-data").status_code == 303

    # A corrected notice is a new document: the next number, the voided one kept.
    assert issue(reviewer, case_id, "acceptance").status_code == 303
    second = next(r for r in document_rows(app, case_id) if r.id != first.id)
    assert first.number.endswith("〕1号") and second.number.endswith("〕2号") and second.voided_at is None

    before = state_of(app, case_id)
    # Voiding the voided one again: refused (409) in the user's language, nothing written.
    again = supervisor.post(
        void_url(case_id, first.id), {"reason": "再次作废", "confirmed": "1"}, form_page=f"/review/cases/{case_id}"
    )
    assert again.status_code == 409 and "该公文已经作废" in again.get_data(as_text=True)
    supervisor.client.set_cookie("zm_lang", "en")
    again = supervisor.post(
        void_url(case_id, first.id), {"reason": "again", "confirmed": "1"}, form_page=f"/review/cases/{case_id}"
    )
    assert again.status_code == 409 and "voided already" in again.get_data(as_text=True)
    # The confirmed form of the first void, sent again for the new document: its one-time token is spent.
    replayed = supervisor.client.post(void_url(case_id, second.id), data=fields, content_type="multipart/form-data")
    assert replayed.status_code == 400 and "already sent" in replayed.get_data(as_text=True)
    assert state_of(app, case_id) == before


def test_the_wrong_role_a_bystander_and_an_outsider_cannot_void(app, cadre, staff, intake):
    _receipt, case_id, reviewer, _supervisor, row = accepted_with_a_notice(app, cadre, staff, intake)
    bystander = staff("zhou.sup", "supervisor")  # made after the case was sealed: holds no key
    with app.app_context():
        other = bodies.create("邻县纪委监委", "邻纪", "commission", "county")
    outsider = Staff(app, "lin.sup", "supervisor", other)
    assert outsider.login().status_code == 303
    before = state_of(app, case_id)
    for member, expected in ((reviewer, 403), (intake, 403)):
        response = void(member, case_id, row.id, confirm=False)  # not even the confirmation page
        assert response.status_code == expected
        assert void_url(case_id, row.id) not in member.get(doc_page(case_id, row.id)).get_data(as_text=True)
    for member in (bystander, outsider):
        tokens = member.tokens("/review")
        for confirmed in ({}, {"confirmed": "1"}):
            response = member.client.post(
                void_url(case_id, row.id),
                data={**tokens, "reason": REASON, **confirmed},
                content_type="multipart/form-data",
            )
            assert response.status_code in (403, 404), response.status_code
            assert REASON not in response.get_data(as_text=True)
    assert state_of(app, case_id) == before


def test_a_void_needs_its_reason_escapes_script_and_refuses_a_public_notice_kind(app, cadre, staff, intake):
    _receipt, case_id, _reviewer, supervisor, row = accepted_with_a_notice(app, cadre, staff, intake)
    before = state_of(app, case_id)
    empty = void(supervisor, case_id, row.id, reason="   ")
    assert empty.status_code == 400 and state_of(app, case_id) == before

    # A public notice (澄清正名公告) has its corrections and withdrawal: never voided this way.
    with app.app_context():
        db.session.get(Document, row.id).kind = "notice"
        db.session.commit()
    refused = supervisor.post(
        void_url(case_id, row.id), {"reason": REASON, "confirmed": "1"}, form_page=f"/review/cases/{case_id}"
    )
    assert refused.status_code == 409 and "澄清正名公告不以作废方式处理" in refused.get_data(as_text=True)
    assert state_of(app, case_id) == before
    with app.app_context():
        db.session.get(Document, row.id).kind = "acceptance"
        db.session.commit()

    assert void(supervisor, case_id, row.id, reason=SCRIPT + REASON).status_code == 303
    for path in (documents_page(case_id), doc_page(case_id, row.id), doc_page(case_id, row.id) + ".html"):
        body = supervisor.get(path).get_data(as_text=True)
        assert SCRIPT not in body and entities.escape(SCRIPT, quote=False) in body.replace("&#39;", "'"), path


def test_the_archive_copy_lists_a_voided_document_with_its_day_and_reason(app, cadre, staff):
    receipt, case_id, reviewer, chief, _deputy = found_false(app, cadre, staff)
    page = f"/review/cases/{case_id}"
    assert issue(reviewer, case_id, "clarification").status_code == 303
    [row] = document_rows(app, case_id)
    assert void(chief, case_id, row.id).status_code == 303
    carry_out_the_plan(cadre, receipt, reviewer, chief, case_id)
    with app.app_context():
        assert db.session.get(Case, case_id).state == "carried_out"
    copy = reviewer.get(f"{page}/archive")
    assert copy.status_code == 200
    html = copy.get_data(as_text=True)
    assert row.number in html and "已作废" in html and REASON in html
