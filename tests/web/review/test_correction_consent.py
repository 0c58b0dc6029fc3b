"""A correction that changes what a notice says about the cadre waits for the cadre's consent."""

from __future__ import annotations

from portal.extensions import db
from portal.models import Notice
from tests.web.review.test_clarification_plan import CLEANED_BODY, NOTICE, draft, found_false, status, submitter_post

NEW_POST = "党委书记"
REASON = "The post was given wrongly."


def published(app, cadre, staff):
    """A consented, approved plan with its notice out; returns (receipt, case_id, reviewer, deputy, notice_id)."""
    receipt, case_id, reviewer, chief, deputy = found_false(app, cadre, staff)
    assert draft(reviewer, case_id).status_code == 303
    status(cadre, receipt)
    assert submitter_post(cadre, "/followup/consent").status_code == 303
    assert chief.act(case_id, "approve_plan").status_code == 303
    with app.app_context():
        notice_id = db.session.scalar(db.select(Notice.id).where(Notice.case_id == case_id))
    return receipt, case_id, reviewer, deputy, notice_id


def propose(deputy, notice_id, **changes):
    form = {
        "number": NOTICE["number"],
        "title": NOTICE["title"],
        "unit": NOTICE["unit"],
        "post": NOTICE["post"],
        "allegation": NOTICE["allegation"],
        "body_html": CLEANED_BODY,
        "issuer": NOTICE["issuer"],
        "issued_on": NOTICE["issued_on"],
        "reason": REASON,
        **changes,
    }
    return deputy.post(f"/review/notices/{notice_id}/correct", form)


def public_page(client, notice_id) -> str:
    return client.get(f"/notices/{notice_id}").get_data(as_text=True)


def test_a_correction_is_published_only_after_the_cadre_consents(app, cadre, staff, client):
    receipt, case_id, reviewer, deputy, notice_id = published(app, cadre, staff)
    assert propose(deputy, notice_id, post=NEW_POST).status_code == 303
    assert NEW_POST not in public_page(client, notice_id)  # the consented text stays
    assert NEW_POST not in client.get("/notices/feed.atom").get_data(as_text=True)

    page = status(cadre, receipt)
    assert REASON in page and NEW_POST in page and NOTICE["post"] in page
    assert "/followup/correction/consent" in page and "/followup/correction/decline" in page
    # A second correction cannot be stacked on one still waiting.
    assert propose(deputy, notice_id, post="镇长助理").status_code == 409

    assert submitter_post(cadre, "/followup/correction/consent").status_code == 303
    public = public_page(client, notice_id)
    assert NEW_POST in public and REASON in public and "<del>副镇长</del>" in public  # history shows it
    after = cadre.client.get("/followup/status").get_data(as_text=True)
    assert "/followup/correction/consent" not in after
    timeline = reviewer.get(f"/review/cases/{case_id}").get_data(as_text=True)
    assert REASON in timeline


def test_a_declined_correction_leaves_the_published_text(app, cadre, staff, client):
    receipt, case_id, reviewer, deputy, notice_id = published(app, cadre, staff)
    assert propose(deputy, notice_id, allegation="Reported for something else entirely.").status_code == 303
    status(cadre, receipt)
    assert submitter_post(cadre, "/followup/correction/decline", {"comment": ""}).status_code == 400
    comment = "That is not what I was accused of."
    assert submitter_post(cadre, "/followup/correction/decline", {"comment": comment}).status_code == 303
    public = public_page(client, notice_id)
    assert NOTICE["allegation"] in public and "something else entirely" not in public
    assert comment in reviewer.get(f"/review/cases/{case_id}").get_data(as_text=True)
    assert "/followup/correction/consent" not in cadre.client.get("/followup/status").get_data(as_text=True)
    # Declined, a new correction may be put to the cadre.
    assert propose(deputy, notice_id, post=NEW_POST).status_code == 303


def test_a_correction_of_the_number_alone_needs_no_new_consent(app, cadre, staff, client):
    receipt, case_id, reviewer, deputy, notice_id = published(app, cadre, staff)
    assert propose(deputy, notice_id, number="X县纪委〔2026〕99号").status_code == 303
    assert "X县纪委〔2026〕99号" in public_page(client, notice_id)
    assert "/followup/correction/consent" not in status(cadre, receipt)


def test_withdrawal_drops_a_waiting_correction(app, cadre, staff, client):
    receipt, case_id, reviewer, deputy, notice_id = published(app, cadre, staff)
    assert propose(deputy, notice_id, post=NEW_POST).status_code == 303
    edit = f"/review/notices/{notice_id}/correct"
    assert (
        deputy.post(f"/review/notices/{notice_id}/withdraw", {"reason": "Withdrawn."}, form_page=edit).status_code
        == 303
    )
    assert "/followup/correction/consent" not in status(cadre, receipt)
    assert NEW_POST not in public_page(client, notice_id)
