"""Each kind of document through HTTP: issued from the state it belongs to, its text from the case,
its PDF and .docx read back as text, every fetch audited, and the cadre's downloads."""

from __future__ import annotations

import pytest

from portal.services import case_state
from tests.conftest import only_case_id
from tests.web.bulletin_helpers import referred_case
from tests.web.document_helpers import (
    audit_rows,
    document_rows,
    documents_page,
    docx_text,
    draft_fields,
    issue,
    issue_page,
    pdf_text,
    squeeze,
)
from tests.web.review.test_clarification_plan import found_false
from tests.web.tolerance_helpers import file_application, propose, record_collective

ANSWER = "三个检查组已合并为一个，报表只报一次 ZM-DOC-ANSWER-3310"
EDITED = "经研究，现答复如下 ZM-DOC-EDITED-8812"


def fetch(member_client, path: str):
    response = member_client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    assert response.headers["Cache-Control"] == "no-store"
    return response


def check_files(member, case_id: str, doc_id: str, *expected: str) -> None:
    """The PDF and .docx downloads carry the document's text, under the number as file name."""
    base = f"{documents_page(case_id)}/{doc_id}"
    pdf = fetch(member.client, base + ".pdf")
    assert pdf.mimetype == "application/pdf" and pdf.headers["Content-Disposition"].startswith("attachment")
    word = fetch(member.client, base + ".docx")
    assert word.headers["Content-Disposition"].startswith("attachment")
    printable = fetch(member.client, base + ".html").get_data(as_text=True)
    for text in expected:
        assert squeeze(text) in squeeze(pdf_text(pdf.data)), text
        assert squeeze(text) in squeeze(docx_text(word.data)), text
        assert text in printable, text


def test_a_concern_s_reply_edited_issued_downloaded_by_staff_and_cadre(intake, app, cadre, staff):
    reviewer = staff("wang.rev", "reviewer")
    receipt = cadre.receipt_of(cadre.file_concern())
    case_id = only_case_id(app)
    assert intake.accept(case_id, reviewer).status_code == 303
    assert reviewer.act(case_id, "start").status_code == 303
    assert reviewer.act(case_id, "answer", reason=ANSWER).status_code == 303

    fields = draft_fields(reviewer, case_id, "reply")
    assert fields["addressee"] == "反映人" and ANSWER in fields["text"]
    response = issue(reviewer, case_id, "reply", text=fields["text"] + "\n" + EDITED)
    assert response.status_code == 303
    [row] = document_rows(app, case_id)
    assert row.kind == "reply" and "复〔" in row.number
    check_files(reviewer, case_id, row.id, row.number, "答复意见书", "反映人", ANSWER, EDITED)
    actions = [a for a, _actor, _d in audit_rows(app, case_id)]
    assert actions == ["document.issue", "document.download", "document.download", "document.view"]

    # The cadre: the status page lists it (number, both formats) and the download is audited with no actor.
    cadre.follow_up(receipt)
    status = cadre.client.get("/followup/status").get_data(as_text=True)
    assert row.number in status and "答复意见书" in status
    path = f"/followup/documents/{row.id}.pdf"
    assert path in status and receipt.replace(" ", "") not in path
    got = fetch(cadre.client, path)
    assert squeeze(ANSWER) in squeeze(pdf_text(got.data))
    assert EDITED in docx_text(fetch(cadre.client, f"/followup/documents/{row.id}.docx").data)
    assert audit_rows(app, case_id)[-2:] == [
        ("document.download", None, f"{row.number} pdf"),
        ("document.download", None, f"{row.number} docx"),
    ]
    assert cadre.client.get("/followup/documents/nosuch.pdf").status_code == 404
    # Without the follow-up session the address opens nothing.
    cadre.client.post("/followup/leave", data={"csrf_token": _csrf(cadre)})
    assert cadre.client.get(path).status_code != 200


def _csrf(cadre) -> str:
    from tests.conftest import hidden

    return hidden(cadre.client.get("/followup/status").get_data(as_text=True), "csrf_token")


def test_a_refused_concern_gets_its_notice_of_non_acceptance(intake, app, cadre, staff):
    receipt = cadre.receipt_of(cadre.file_concern())
    case_id = only_case_id(app)
    assert intake.act(case_id, "refuse", reason="不属于本机关受理范围 ZM-DOC-REFUSE-1201").status_code == 303
    page = intake.get(documents_page(case_id)).get_data(as_text=True)
    assert issue_page(case_id, "refusal") in page and issue_page(case_id, "acceptance") not in page
    assert intake.get(issue_page(case_id, "acceptance")).status_code == 409
    assert issue(intake, case_id, "refusal").status_code == 303
    [row] = document_rows(app, case_id)
    check_files(intake, case_id, row.id, "不予受理告知书", "ZM-DOC-REFUSE-1201")
    cadre.follow_up(receipt)
    assert row.number in cadre.client.get("/followup/status").get_data(as_text=True)


def test_a_clarification_found_false_gets_its_notice_the_applicant_named(app, cadre, staff, intake):
    receipt, case_id, reviewer, _chief, _deputy = found_false(app, cadre, staff, intake)
    fields = draft_fields(reviewer, case_id, "clarification")
    assert fields["addressee"] == "王某某同志"  # the applicant, by the name they filed under
    assert reviewer.get(issue_page(case_id, "referral")).status_code == 409  # nothing referred
    assert issue(reviewer, case_id, "clarification").status_code == 303
    [row] = document_rows(app, case_id)
    check_files(reviewer, case_id, row.id, "澄清正名告知书", "王某某同志", "失实")
    cadre.follow_up(receipt)
    assert f"/followup/documents/{row.id}.docx" in cadre.client.get("/followup/status").get_data(as_text=True)


def test_a_referred_accusation_gets_its_letter_of_referral_which_the_cadre_never_sees(app, cadre, staff, intake):
    world = referred_case(app, cadre, staff, intake)
    fields = draft_fields(world.drafter, world.case_id, "referral")
    assert fields["addressee"] == "某县公安局"  # the receiving body as the referral recorded it
    assert issue(world.drafter, world.case_id, "referral").status_code == 303
    [row] = document_rows(app, world.case_id)
    assert not row.for_cadre and "移〔" in row.number
    check_files(world.drafter, world.case_id, row.id, "移送函", "某县公安局", "诬告陷害")
    cadre.follow_up(world.receipt)
    assert row.number not in cadre.client.get("/followup/status").get_data(as_text=True)
    assert cadre.client.get(f"/followup/documents/{row.id}.pdf").status_code == 404


def test_a_fault_tolerance_decision_gets_its_certificate(app, cadre, staff, intake):
    reviewer, leader = staff("li.rev", "reviewer"), staff("zhao.lead", "leader")
    cadre.receipt_of(file_application(cadre))
    case_id = only_case_id(app)
    with app.app_context():
        day = case_state.today().isoformat()
    assert intake.accept(case_id, reviewer).status_code == 303
    assert reviewer.act(case_id, "verify").status_code == 303
    assert reviewer.get(issue_page(case_id, "tolerance")).status_code == 409  # not decided yet
    assert propose(reviewer, case_id, "reduced", "抢险救灾，未谋私利 ZM-DOC-TOL-5150", "").status_code == 303
    assert record_collective(reviewer, case_id, leader, day).status_code == 303
    assert leader.act(case_id, "approve_decision", reason="同意。").status_code == 303
    fields = draft_fields(reviewer, case_id, "tolerance")
    assert fields["addressee"] == "李某某同志"
    assert issue(reviewer, case_id, "tolerance").status_code == 303
    [row] = [r for r in document_rows(app, case_id) if r.kind == "tolerance"]
    check_files(reviewer, case_id, row.id, "容错认定书", "减责", "ZM-DOC-TOL-5150")


@pytest.mark.parametrize("field", ["addressee", "text"])
def test_too_long_input_is_refused_and_writes_nothing(intake, app, cadre, staff, field):
    reviewer = staff("wang.rev", "reviewer")
    cadre.receipt_of(cadre.file_concern())
    case_id = only_case_id(app)
    assert intake.accept(case_id, reviewer).status_code == 303
    value = "长" * 101 if field == "addressee" else "长" * 2001
    response = issue(reviewer, case_id, "acceptance", **{field: value})
    assert response.status_code == 400
    assert document_rows(app, case_id) == [] and audit_rows(app, case_id) == []


def _data_file(html: str, fmt: str) -> bytes:
    import base64
    import re

    found = re.search(rf'href="data:[^;"]+;base64,([A-Za-z0-9+/=]+)" download="[^"]+\.{fmt}"', html)
    assert found, f"no {fmt} in the answer"
    return base64.b64decode(found.group(1))


def test_a_clarification_opened_by_the_body_hands_over_its_notice_with_the_receipt_once(app, cadre, staff):
    from tests.web.own_motion_helpers import OPENING, open_own_motion, receipt_on

    reviewer, chief = staff("zhao.rev", "reviewer"), staff("qian.sup", "supervisor")
    answer = open_own_motion(reviewer, chief)
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    receipt = receipt_on(answer)
    html = answer.get_data(as_text=True)
    case_id = only_case_id(app)
    [row] = document_rows(app, case_id)
    assert row.kind == "clarification" and row.for_cadre and row.number in html
    # The files in the answer carry the receipt; no address serves them.
    for text in (pdf_text(_data_file(html, "pdf")), docx_text(_data_file(html, "docx"))):
        assert squeeze(receipt) in squeeze(text) and squeeze(row.number) in squeeze(text)
        assert squeeze(OPENING["origin_body"]) in squeeze(text) and "主动为你澄清正名" in squeeze(text)
    # The stored copy says the receipt was handed over, and holds no receipt.
    stored = fetch(reviewer.client, f"{documents_page(case_id)}/{row.id}.docx")
    assert "当面交本人" in docx_text(stored.data) and squeeze(receipt) not in squeeze(docx_text(stored.data))
    cadre.follow_up(receipt)
    status = cadre.client.get("/followup/status").get_data(as_text=True)
    assert row.number in status
    mine = fetch(cadre.client, f"/followup/documents/{row.id}.pdf")
    assert squeeze(receipt) not in squeeze(pdf_text(mine.data))
    # A re-issue hands over a new notice with the new receipt.
    page = f"/review/cases/{case_id}"
    reissued = reviewer.post(f"{page}/receipt", {"confirmed": "y"}, form_page=page)
    assert reissued.status_code == 200
    new = receipt_on(reissued)
    assert squeeze(new) in squeeze(pdf_text(_data_file(reissued.get_data(as_text=True), "pdf")))
    assert len(document_rows(app, case_id)) == 2
