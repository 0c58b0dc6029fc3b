"""Clearing a name end to end: plan, consent, four-eyes approval, publication, correction, withdrawal."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from portal.extensions import db
from portal.models import Case, Notice
from tests.conftest import confirming, only_case_id
from tests.web.aftercare_helpers import record_filings

ATOM = "{http://www.w3.org/2005/Atom}"
NOTICE = {
    "modes": ["public_notice", "meeting"],
    "scope": "Township cadre meeting and the county notice board.",
    "number": "X县纪委〔2026〕12号",
    "title": "关于王某某同志被反映问题的澄清正名公告",
    "naming": "surname",
    "unit": "某县某镇人民政府",
    "post": "副镇长",
    "allegation": "Reported for taking gifts at a village project.",
    "body": "<p>Verified with the project accounts and <strong>six witnesses</strong>.</p><script>alert(1)</script>",
    "issuer": "X县纪委监委",
    "issued_on": "2026-11-30",
}


#: NOTICE["body"] as publication stores it (the script escaped, not run).
CLEANED_BODY = (
    "<p>Verified with the project accounts and <strong>six witnesses</strong>.</p>&lt;script&gt;alert(1)&lt;/script&gt;"
)


def state(app, case_id):
    with app.app_context():
        return db.session.get(Case, case_id).state


def found_false(app, cadre, staff, intake=None):
    """A clarification request verified as untrue; returns (receipt, case_id, reviewer, chief, deputy)."""
    intake = intake or staff("xin.fang", "intake")
    reviewer = staff("zhao.rev", "reviewer")
    chief = staff("qian.sup", "supervisor")
    deputy = staff("sun.sup", "supervisor")
    receipt = cadre.receipt_of(cadre.file_clarification())
    case_id = only_case_id(app)
    assert intake.accept(case_id, reviewer).status_code == 303
    assert reviewer.act(case_id, "verify").status_code == 303
    reviewer.act(case_id, "propose_finding", finding="found_false", reason="Accounts and witnesses.")
    assert chief.act(case_id, "approve_finding", reason="经核查，反映问题失实。").status_code == 303
    assert state(app, case_id) == "found_false"
    return receipt, case_id, reviewer, chief, deputy


def draft(reviewer, case_id, **changes):
    page = f"/review/cases/{case_id}/plan"
    return reviewer.post(page, {**NOTICE, **changes})


def status(cadre, receipt):
    cadre.follow_up(receipt)
    return cadre.client.get("/followup/status").get_data(as_text=True)


def submitter_post(cadre, path, data=None, confirm=True):
    """Post one of the status page's forms; a step that asks for confirmation is confirmed unless told not to."""
    page = cadre.client.get("/followup/status").get_data(as_text=True)
    form = page.split(f'action="{path}"')[1].split("</form>")[0]
    token = form.split('name="form_token" type="hidden" value="')[1].split('"')[0]
    csrf = form.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = cadre.client.post(path, data={"csrf_token": csrf, "form_token": token, **(data or {})})
    return confirming(cadre.client, response) if confirm else response


def carry_out_the_plan(cadre, receipt, reviewer, chief, case_id):
    """Draft the plan (written and meeting), the cadre consents, it is approved, done and carried out."""
    page = f"/review/cases/{case_id}"
    assert draft(reviewer, case_id).status_code == 303
    status(cadre, receipt)
    assert submitter_post(cadre, "/followup/consent").status_code == 303
    assert chief.act(case_id, "approve_plan").status_code == 303
    for mode, record in (("written", "ZM-LETTER-SENT"), ("meeting", "Township meeting.")):
        reviewer.post(f"{page}/plan/done", {"mode": mode, "record": record}, form_page=page)
    record_filings(reviewer, case_id)
    assert reviewer.act(case_id, "carry_out").status_code == 303


def test_from_request_to_published_notice_then_corrected_and_withdrawn(app, cadre, staff, client):
    receipt, case_id, reviewer, chief, deputy = found_false(app, cadre, staff)

    assert draft(reviewer, case_id, number="").status_code == 400  # incomplete notice
    assert draft(reviewer, case_id).status_code == 303
    assert state(app, case_id) == "awaiting_consent"

    # The cadre sees the exact draft, cleaned, with their name as 王某.
    page = status(cadre, receipt)
    assert "X县纪委〔2026〕12号" in page and "王某，" in page and "王某某，" not in page
    assert "<strong>six witnesses</strong>" in page and "<script>alert(1)" not in page
    assert submitter_post(cadre, "/followup/consent").status_code == 303
    assert state(app, case_id) == "plan_consented"

    # Four eyes: the drafter's approval is refused; another supervisor approves and the notice goes out.
    assert reviewer.act(case_id, "approve_plan").status_code == 403
    assert chief.act(case_id, "approve_plan").status_code == 303
    assert state(app, case_id) == "plan_approved"
    with app.app_context():
        notice = db.session.scalar(db.select(Notice).where(Notice.case_id == case_id))
        notice_id, due = notice.id, db.session.get(Case, case_id).carry_out_due
    assert due is not None and due > dt.date.today() - dt.timedelta(days=1)
    public = client.get(f"/notices/{notice_id}").get_data(as_text=True)
    assert "关于王某某同志被反映问题的澄清正名公告" in public and "王某" in public
    assert "Accounts and witnesses." not in public and "zhao.rev" not in public
    feed = ET.fromstring(client.get("/notices/feed.atom").data)
    assert any(f"/notices/{notice_id}" in link.get("href") for link in feed.iter(f"{ATOM}link"))
    assert f"/notices/{notice_id}" in status(cadre, receipt)

    # Carrying out needs every form recorded; the notice is already done.
    assert reviewer.act(case_id, "carry_out").status_code == 409
    case_page = f"/review/cases/{case_id}"
    reviewer.post(f"{case_page}/plan/done", {"mode": "written", "record": "Letter sent 2 Dec."}, form_page=case_page)
    reviewer.post(
        f"{case_page}/plan/done", {"mode": "meeting", "record": "Township meeting 3 Dec."}, form_page=case_page
    )
    assert reviewer.act(case_id, "carry_out").status_code == 409  # the filings are steps of the plan too
    record_filings(reviewer, case_id)
    assert reviewer.act(case_id, "carry_out").status_code == 303
    assert state(app, case_id) == "carried_out"

    # A supervisor corrects the number (nothing said about the cadre changes, so no new consent):
    # the public page shows what changed, and why; the cadre is told.
    edit = f"/review/notices/{notice_id}/correct"
    assert reviewer.get(edit).status_code == 403
    form = {
        "number": "X县纪委〔2026〕13号",
        "title": NOTICE["title"],
        "unit": NOTICE["unit"],
        "post": NOTICE["post"],
        "allegation": NOTICE["allegation"],
        "body_html": CLEANED_BODY,
        "issuer": NOTICE["issuer"],
        "issued_on": "2026-11-30",
        "reason": "Wrong number.",
    }
    assert deputy.post(edit, form).status_code == 303
    public = client.get(f"/notices/{notice_id}").get_data(as_text=True)
    # issue 11 (h11d1): published under the number the body's sequence gave it, not the draft's
    published_as = f"测纪澄〔{dt.date.today().year}〕1号"
    assert "X县纪委〔2026〕13号" in public and "Wrong number." in public and published_as in public
    assert "〔2026〕12号" not in public
    assert "corrected" in status(cadre, receipt).lower() or "更正" in status(cadre, receipt)

    # Withdrawal keeps the page, marked, with the reason; the feed carries it.
    withdraw = f"/review/notices/{notice_id}/withdraw"
    assert deputy.post(withdraw, {"reason": "Published in error."}, form_page=edit).status_code == 303
    public = client.get(f"/notices/{notice_id}")
    assert public.status_code == 200 and "Published in error." in public.get_data(as_text=True)
    entries = ET.fromstring(client.get("/notices/feed.atom").data).findall(f"{ATOM}entry")
    assert len(entries) >= 3  # published, corrected, withdrawn
    assert deputy.post(edit, {**form, "reason": "again"}).status_code == 400  # withdrawn: no more corrections


def test_declined_plan_cannot_be_approved_and_goes_back(app, cadre, staff):
    receipt, case_id, reviewer, chief, _ = found_false(app, cadre, staff)
    draft(reviewer, case_id)
    status(cadre, receipt)
    assert submitter_post(cadre, "/followup/decline", {"comment": ""}).status_code == 400  # a comment is required
    assert submitter_post(cadre, "/followup/decline", {"comment": "Use my full name, please."}).status_code == 303
    assert state(app, case_id) == "found_false"
    assert chief.act(case_id, "approve_plan").status_code == 409
    assert "Use my full name, please." in reviewer.get(f"/review/cases/{case_id}").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Notice)) == 0
    assert draft(reviewer, case_id, naming="full").status_code == 303
    assert "王某某，" in status(cadre, receipt)


def test_no_path_publishes_without_consent(app, cadre, staff):
    receipt, case_id, reviewer, chief, deputy = found_false(app, cadre, staff)
    draft(reviewer, case_id)
    for member, refused in ((chief, 409), (deputy, 409), (reviewer, 403)):  # not consented; not a supervisor
        assert member.act(case_id, "approve_plan").status_code == refused
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Notice)) == 0


def test_a_returned_plan_is_redrafted(app, cadre, staff):
    receipt, case_id, reviewer, chief, _ = found_false(app, cadre, staff)
    draft(reviewer, case_id)
    status(cadre, receipt)
    submitter_post(cadre, "/followup/consent")
    assert chief.act(case_id, "return_plan", reason="Scope too narrow.").status_code == 303
    assert state(app, case_id) == "found_false"
    assert "Scope too narrow." not in status(cadre, receipt)  # internal


@pytest.mark.parametrize("field", ["number", "title", "unit", "post", "allegation", "issuer"])
def test_script_in_every_notice_field_is_escaped(app, cadre, staff, client, field):
    receipt, case_id, reviewer, chief, _ = found_false(app, cadre, staff)
    draft(reviewer, case_id, **{field: f"{field}<script>alert(1)</script>"})
    status(cadre, receipt)
    submitter_post(cadre, "/followup/consent")
    chief.act(case_id, "approve_plan")
    with app.app_context():
        notice_id = db.session.scalar(db.select(Notice.id))
    for page in (
        client.get(f"/notices/{notice_id}"),
        client.get("/notices"),
        client.get("/notices/feed.atom"),
        cadre.client.get("/followup/status"),
    ):
        body = page.get_data(as_text=True)
        assert "<script>alert(1)</script>" not in body
