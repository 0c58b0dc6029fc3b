"""The public notice as a 公文 (issue 11, h11d1): numbered from the body's sequence when published,
its number on the public page, its PDF and .docx public, unaudited, and gone once withdrawn."""

from __future__ import annotations

import datetime as dt

from portal.extensions import db
from portal.models import AuditEntry, Notice
from tests.web.document_helpers import docx_text, pdf_text, squeeze
from tests.web.review.test_clarification_plan import draft, found_false, status, submitter_post


def test_a_published_notice_is_numbered_and_offered_as_pdf_and_docx(app, cadre, staff, intake, client):
    receipt, case_id, reviewer, chief, _deputy = found_false(app, cadre, staff, intake)
    assert draft(reviewer, case_id).status_code == 303
    status(cadre, receipt)
    assert submitter_post(cadre, "/followup/consent").status_code == 303
    assert chief.act(case_id, "approve_plan").status_code == 303
    with app.app_context():
        notice = db.session.scalar(db.select(Notice).where(Notice.case_id == case_id))
        notice_id, number = notice.id, notice.number
        audited = db.session.scalar(db.select(db.func.count()).select_from(AuditEntry))
    assert number == f"测纪澄〔{dt.date.today().year}〕1号"
    page = client.get(f"/notices/{notice_id}").get_data(as_text=True)
    assert number in page and f"/notices/{notice_id}.pdf" in page and f"/notices/{notice_id}.docx" in page

    pdf = client.get(f"/notices/{notice_id}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"].startswith("attachment")
    text = squeeze(pdf_text(pdf.data))
    assert squeeze(number) in text and "澄清正名公告" in text and "特此公告" in text
    word = client.get(f"/notices/{notice_id}.docx")
    assert word.status_code == 200 and number in docx_text(word.data)
    assert client.get(f"/notices/{notice_id}.pdf").data[:4] == b"%PDF"  # the kept copy
    with app.app_context():  # public fetches are not audited
        assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)) == audited
    assert client.get("/notices/999999.pdf").status_code == 404

    withdraw = f"/review/notices/{notice_id}/withdraw"
    edit = f"/review/notices/{notice_id}/correct"
    assert chief.post(withdraw, {"reason": "发布有误。", "confirmed": "1"}, form_page=edit).status_code == 303
    assert client.get(f"/notices/{notice_id}.pdf").status_code == 404
    assert client.get(f"/notices/{notice_id}.docx").status_code == 404
