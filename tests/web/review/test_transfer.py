"""转办 / 转送 / 报送上一级 through HTTP: the case and its key leave the source body, the target's
intake officers open it, the source keeps a stub, and the cadre's receipt still works."""

from __future__ import annotations

import pytest
from flask import Flask

from portal.domain import aad
from portal.domain.crypto import CryptoError, unseal
from portal.domain.working_days import add_working_days
from portal.extensions import db
from portal.models import AuditEntry, Body, Case, CaseKey, Transfer
from portal.services import accounts, bodies, case_state, queues
from tests.conftest import ESCROW_PASSPHRASE, Cadre, Staff, only_case_id

OTHER_PASSPHRASE = "the other body's escrow passphrase"


def signed_in(app: Flask, username: str, role: str, body_id: int) -> Staff:
    member = Staff(app, username, role, body_id)
    assert member.login().status_code == 303
    return member


def new_body(app: Flask, name: str, kind: str, level: str, parent_id=None, *, public=True, escrow=True) -> int:
    with app.app_context():
        body_id = bodies.create(name, name[:2], kind, level, ("general",), parent_id, name_public=public)
        if escrow:
            accounts.create_escrow(OTHER_PASSPHRASE, body_id)
    return body_id


def default_body(app: Flask) -> int:
    with app.app_context():
        return bodies.default().id


@pytest.fixture
def desk(app: Flask, staff, cadre: Cadre):
    """A concern filed to the default (county) body, its intake officer, and a second county's intake."""
    intake = staff("liwei", "intake")
    county = default_body(app)
    other = new_body(app, "另一县纪委监委", "commission", "county")
    chen = signed_in(app, "chenli", "intake", other)
    receipt = Cadre.receipt_of(cadre.file_concern())
    return intake, chen, county, other, receipt, only_case_id(app)


def transfer(member: Staff, case_id: str, to_body: int, reason: str, confirm: bool = True, form_page=None, **extra):
    page = f"/review/cases/{case_id}/transfer"
    data = {"to_body": str(to_body), "reason": reason, **extra}
    return member.post(page, data, form_page=form_page, confirm=confirm)


def queue_pages(member: Staff) -> str:
    return "".join(member.get(f"/review?queue={name}").get_data(as_text=True) for name in queues.QUEUES)


def holders(app: Flask, case_id: str) -> set[int]:
    with app.app_context():
        return set(db.session.scalars(db.select(CaseKey.user_id).where(CaseKey.case_id == case_id)))


def test_transfer_moves_the_case_and_its_key_to_the_other_body(app: Flask, desk, cadre: Cadre) -> None:
    intake, chen, county, other, receipt, case_id = desk
    assert case_id in queue_pages(intake)
    link = f'href="/review/cases/{case_id}/transfer"'
    assert link in intake.get(f"/review/cases/{case_id}").get_data(as_text=True)
    form = intake.get(f"/review/cases/{case_id}/transfer").get_data(as_text=True)
    assert 'name="to_body"' in form and '<optgroup label="县级">' in form and "另一县纪委监委" in form

    response = transfer(intake, case_id, other, "other_body")
    assert response.status_code == 303 and response.headers["Location"].endswith("/review")

    # The source's intake officer no longer finds or opens it.
    assert case_id not in queue_pages(intake)
    assert intake.get(f"/review/cases/{case_id}").status_code == 403
    assert holders(app, case_id) == {chen.user_id}
    # The target's intake officer finds it among new cases and opens it.
    assert case_id in chen.get("/review?queue=new").get_data(as_text=True)
    page = chen.get(f"/review/cases/{case_id}")
    assert page.status_code == 200 and "Too many inspections" in page.get_data(as_text=True)
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.body_id == other and case.state == "submitted"
        # The escrow copy is the target body's now; the source's escrow no longer opens it.
        assert unseal(accounts.unlock_escrow(OTHER_PASSPHRASE, other), case.escrow_sealed_key, aad.escrow_key(case_id))
        with pytest.raises(CryptoError):
            unseal(accounts.unlock_escrow(ESCROW_PASSPHRASE, county), case.escrow_sealed_key, aad.escrow_key(case_id))
        # Five working days from the transfer to accept or refuse.
        assert case.accept_due == add_working_days(case_state.today(), 5)
        stub = db.session.scalar(db.select(Transfer).where(Transfer.case_id == case_id))
        assert (stub.from_body_id, stub.to_body_id, stub.reason, stub.actor_id) == (
            county,
            other,
            "other_body",
            intake.user_id,
        )
        assert stub.due_on == case.accept_due
        entry = db.session.scalar(
            db.select(AuditEntry).where(AuditEntry.action == "case_transferred", AuditEntry.case_id == case_id)
        )
        assert entry is not None and entry.actor_id == intake.user_id

    # The source keeps the stub: the body it went to and why, no content.
    stubs = intake.get("/review/transfers").get_data(as_text=True)
    assert "另一县纪委监委" in stubs and case_id[:8] in stubs and "转办" in stubs
    assert "Too many inspections" not in stubs
    assert case_id[:8] not in chen.get("/review/transfers").get_data(as_text=True)

    # The cadre's receipt still works, and the page names the body now handling the case.
    status = cadre.follow_up(receipt)
    assert status.status_code == 303
    page = cadre.client.get("/followup/status").get_data(as_text=True)
    assert "本件已转至：另一县纪委监委办理" in page


def test_a_target_whose_name_is_not_public_is_not_named_to_the_cadre(app: Flask, staff, cadre: Cadre) -> None:
    intake = staff("liwei", "intake")
    hidden = new_body(app, "某保密单位纪检组", "dispatched", "county", public=False)
    signed_in(app, "chenli", "intake", hidden)
    receipt = Cadre.receipt_of(cadre.file_concern())
    case_id = only_case_id(app)
    assert transfer(intake, case_id, hidden, "other_body").status_code == 303
    cadre.follow_up(receipt)
    page = cadre.client.get("/followup/status").get_data(as_text=True)
    assert "某保密单位纪检组" not in page
    assert "本件已转至其他机关办理" in page


def test_refer_up_goes_only_to_a_body_above(app: Flask, staff, cadre: Cadre) -> None:
    """A township's case goes up to its county; the county cannot 报送上一级 to a township below it."""
    county_intake = staff("liwei", "intake")
    county = default_body(app)
    township = new_body(app, "某镇纪委", "township", "township", county)
    zhou = signed_in(app, "zhouyi", "intake", township)
    with app.app_context():
        bodies.route_category("workload", township)
    cadre.file_concern()
    case_id = only_case_id(app)
    assert transfer(zhou, case_id, county, "outside_remit").status_code == 303
    assert holders(app, case_id) == {county_intake.user_id}

    # Back down is not "up": refused, with the words, and nothing changes.
    before = holders(app, case_id)
    response = transfer(county_intake, case_id, township, "outside_remit", confirm=False)
    assert response.status_code == 400
    assert "报送上一级" in response.get_data(as_text=True)
    _unchanged(app, case_id, county, before, transfers=1)


def test_pass_on_goes_only_to_a_department(app: Flask, desk) -> None:
    intake, chen, county, other, _receipt, case_id = desk
    before = holders(app, case_id)
    # Refused on the first post and on a forged confirmed post alike.
    assert transfer(intake, case_id, other, "not_discipline", confirm=False).status_code == 400
    assert transfer(intake, case_id, other, "not_discipline", confirm=False, confirmed="1").status_code == 400
    _unchanged(app, case_id, county, before)
    assert intake.get(f"/review/cases/{case_id}").status_code == 200

    department = new_body(app, "测试县委组织部", "department", "county", county)
    signed_in(app, "sunwu", "intake", department)
    # A department takes 转送, not 转办.
    assert transfer(intake, case_id, department, "other_body", confirm=False).status_code == 400
    _unchanged(app, case_id, county, before)
    assert transfer(intake, case_id, department, "not_discipline").status_code == 303
    with app.app_context():
        assert db.session.get(Case, case_id).body_id == department


def test_a_clarification_request_never_goes_to_a_department(app: Flask, staff, cadre: Cadre) -> None:
    intake = staff("liwei", "intake")
    county = default_body(app)
    department = new_body(app, "测试县委组织部", "department", "county", county)
    signed_in(app, "sunwu", "intake", department)
    cadre.file_clarification()
    case_id = only_case_id(app)
    before = holders(app, case_id)
    for reason in ("not_discipline", "other_body"):
        assert transfer(intake, case_id, department, reason, confirm=False).status_code == 400
    _unchanged(app, case_id, county, before)


def test_a_body_nobody_could_open_the_case_in_is_refused(app: Flask, desk) -> None:
    intake, _chen, county, _other, _receipt, case_id = desk
    empty = new_body(app, "无人县纪委监委", "commission", "county")
    no_escrow = new_body(app, "无钥县纪委监委", "commission", "county", escrow=False)
    signed_in(app, "qian", "intake", no_escrow)
    before = holders(app, case_id)
    for target in (empty, no_escrow):
        response = transfer(intake, case_id, target, "other_body", confirm=False, confirmed="1")
        assert response.status_code == 409
    _unchanged(app, case_id, county, before)


def test_only_intake_transfers_and_only_a_case_not_yet_accepted(app: Flask, desk, staff) -> None:
    intake, _chen, county, other, _receipt, case_id = desk
    reviewer, admin = staff("wangfang", "reviewer"), staff("root", "admin")
    supervisor = staff("zhaoyun", "supervisor")
    before = holders(app, case_id)
    for member in (reviewer, admin, supervisor):
        assert member.get(f"/review/cases/{case_id}/transfer").status_code == 403
        data = {"to_body": str(other), "reason": "other_body", "confirmed": "1"}
        home = "/admin/accounts" if member is admin else "/review"
        assert member.post(f"/review/cases/{case_id}/transfer", data, form_page=home).status_code == 403
    _unchanged(app, case_id, county, before)

    assert intake.act(case_id, "accept", assignee=str(reviewer.user_id)).status_code == 303
    page = intake.get(f"/review/cases/{case_id}/transfer")
    assert page.status_code == 409 and 'name="to_body"' not in page.get_data(as_text=True)
    # Even a forged confirmation with a fresh one-time token from the case page is refused.
    case_page = f"/review/cases/{case_id}"
    refused = transfer(intake, case_id, other, "other_body", confirm=False, form_page=case_page, confirmed="1")
    assert refused.status_code == 409
    with app.app_context():
        assert db.session.get(Case, case_id).body_id == county


def _unchanged(app: Flask, case_id: str, body_id: int, holder_ids: set[int], transfers: int = 0) -> None:
    with app.app_context():
        assert db.session.get(Case, case_id).body_id == body_id
        assert db.session.scalar(db.select(db.func.count()).select_from(Transfer)) == transfers
        assert db.session.scalar(db.select(db.func.count()).select_from(Body)) >= 1
    assert holders(app, case_id) == holder_ids
