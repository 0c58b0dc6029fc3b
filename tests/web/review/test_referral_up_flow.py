"""The flow the bodies issue names: a clarification request filed to a township body whose remit
does not cover the cadre's rank is referred up (报送上一级) and ends as a notice the county issues."""

from __future__ import annotations

from portal.extensions import db
from portal.models import Case, Notice, Transfer
from tests.web.body_helpers import Member, default_body_id, make_body
from tests.web.review.test_clarification_plan import draft, status, submitter_post


def test_a_request_outside_a_townships_remit_is_referred_up_and_cleared_by_the_county(app, cadre, staff, client):
    county = default_body_id(app)  # a county 纪委监委 handling 一般干部 and 科级
    township = make_body(app, "城关镇纪委", "township", "township", parent_id=county, ranks=("general",))
    town_intake = Member(app, "zhen.intake", "intake", township)
    county_intake = staff("xian.intake", "intake")
    reviewer = staff("zhao.rev", "reviewer")
    chief = staff("qian.sup", "supervisor")

    receipt = cadre.receipt_of(cadre.file_clarification(rank="section", body=str(township)))
    with app.app_context():
        case_id = db.session.scalar(db.select(Case.id))
        assert db.session.get(Case, case_id).body_id == township
    # Only the township's intake holds it; it reads the rank and refers the request up.
    assert county_intake.get(f"/review/cases/{case_id}").status_code == 403
    page = town_intake.get(f"/review/cases/{case_id}").get_data(as_text=True)
    assert "Section level" in page and "is outside this body" in page  # and it links to the transfer
    assert f'href="/review/cases/{case_id}/transfer"' in page
    page = f"/review/cases/{case_id}/transfer"
    sent = town_intake.post(page, {"to_body": str(county), "reason": "outside_remit"}, form_page=page)
    assert sent.status_code == 303
    assert town_intake.get(f"/review/cases/{case_id}").status_code == 403  # the township keeps no key
    assert case_id[:8] in town_intake.get("/review/transfers").get_data(as_text=True)  # only its stub
    assert "测试县纪委监委" in status(cadre, receipt)  # the cadre reads who handles it now

    # The county works it to a consented, approved plan, which publishes its notice.
    assert case_id[:8] in county_intake.get("/review?queue=new").get_data(as_text=True)
    assert county_intake.accept(case_id, reviewer).status_code == 303
    assert reviewer.act(case_id, "verify").status_code == 303
    assert reviewer.act(case_id, "propose_finding", finding="found_false", reason="Accounts.").status_code == 303
    assert chief.act(case_id, "approve_finding", reason="经核查，反映问题失实。").status_code == 303
    assert draft(reviewer, case_id).status_code == 303
    status(cadre, receipt)
    assert submitter_post(cadre, "/followup/consent").status_code == 303
    assert chief.act(case_id, "approve_plan").status_code == 303

    with app.app_context():
        notice = db.session.scalar(db.select(Notice).where(Notice.case_id == case_id))
        assert notice is not None and notice.status == "published" and notice.body_id == county
        stub = db.session.scalar(db.select(Transfer).where(Transfer.case_id == case_id))
        assert (stub.from_body_id, stub.to_body_id, stub.reason) == (township, county, "outside_remit")
    assert client.get(f"/notices/{notice.id}").status_code == 200
