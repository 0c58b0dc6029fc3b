"""The admin's audit log names bodies: by name within the admin's tree, by id for any other."""

from __future__ import annotations

from flask import Flask

from portal.extensions import db
from portal.models import User
from portal.services import accounts, bodies, body_escrow, form_tokens
from portal.services.errors import WrongPassphrase
from tests.conftest import ESCROW_PASSPHRASE, TEST_BODY, Cadre, only_case_id
from tests.web.body_helpers import Member, default_body_id, make_body
from tests.web.review.test_admin import audit_rows, pick

NEW_PASSPHRASE = "a new escrow passphrase of the township"


def details(admin: Member, action_words: str) -> list[str]:
    return [row["detail"] for row in audit_rows(admin, pick(admin, action=action_words))]


def test_every_action_that_names_a_body_shows_its_name_or_only_its_id(app: Flask, cadre: Cadre):
    county = default_body_id(app)
    admin = Member(app, "county.admin", "admin", county)
    east = make_body(app, "东镇纪委", parent_id=county)  # body_created, escrow_created
    elsewhere = make_body(app, "另一县纪委监委", "commission", "county")  # a top body: outside the admin's tree
    Member(app, "east.in", "intake", east, login=False)
    Member(app, "other.in", "intake", elsewhere, login=False)
    chief = Member(app, "east.sup", "supervisor", east, login=False)
    with app.app_context():
        user = db.session.get(User, chief.user_id)
        try:
            body_escrow.change(user, "wrong passphrase", NEW_PASSPHRASE, NEW_PASSPHRASE, form_tokens.issue())
        except WrongPassphrase:
            pass
        body_escrow.change(user, ESCROW_PASSPHRASE, NEW_PASSPHRASE, NEW_PASSPHRASE, form_tokens.issue())
        accounts.change_escrow_passphrase(NEW_PASSPHRASE, ESCROW_PASSPHRASE, east)  # the command line's
        bodies.route_category("workload", east, actor_id=admin.user_id)
        bodies.route_category("rotation", elsewhere, actor_id=None)
    assert admin.post("/admin/bodies/default", {"body": str(east)}, form_page="/admin/bodies").status_code == 303

    intake = Member(app, "county.in", "intake", county)
    cadre.file_concern(category="other", body=str(county))
    case_id = only_case_id(app)
    page = f"/review/cases/{case_id}/transfer"
    moved = intake.post(page, {"to_body": str(elsewhere), "reason": "other_body"}, form_page=page)
    assert moved.status_code == 303, moved.get_data(as_text=True)[:3000]

    assert details(admin, "Created a body")[:2] == [f"body no. {elsewhere}", "东镇纪委"]
    assert set(details(admin, "Set the escrow key of a body")) >= {"东镇纪委", f"body no. {elsewhere}"}
    assert details(admin, "Recovery refused: wrong escrow passphrase") == ["东镇纪委"]
    assert details(admin, "Changed the escrow passphrase") == ["on the command line", "东镇纪委"]
    assert details(admin, "Set the body a concern category goes to") == [
        f"Exchange and rotation channels → body no. {elsewhere}",
        "Workload and formalism → 东镇纪委",
    ]
    assert details(admin, "Made another body the default") == [f"{TEST_BODY} → 东镇纪委"]
    assert details(admin, "Sent a case to another body") == [f"Transferred (转办): {TEST_BODY} → body no. {elsewhere}"]


def test_a_body_since_deleted_reads_as_its_id(app: Flask):
    from portal.models import Body

    county = default_body_id(app)
    admin = Member(app, "county.admin", "admin", county)
    gone = make_body(app, "北镇纪委", parent_id=county, escrow=False)
    with app.app_context():
        db.session.delete(db.session.get(Body, gone))
        db.session.commit()
    assert details(admin, "Created a body")[0] == f"body no. {gone}"
    admin.client.set_cookie("zm_lang", "zh_Hans_CN")
    rows = audit_rows(admin)
    assert any(row["detail"] == f"机关（编号{gone}）" for row in rows)
