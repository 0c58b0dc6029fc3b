"""Staff sign-in: password and mandatory TOTP, enrolment, throttling, sessions, password change."""

from __future__ import annotations

import datetime as dt

from portal.extensions import db
from portal.models import AuditEntry, KeySession
from tests.conftest import STAFF_PASSWORD, Staff


def entries(app, action: str) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def login_form(member: Staff, username: str, password: str, code: str = ""):
    tokens = member.tokens("/review/login")
    return member.client.post(
        "/review/login", data={**tokens, "username": username, "password": password, "code": code}
    )


def test_first_sign_in_enrols_totp_with_a_local_qr_code(app):
    member = Staff(app, "li.ming", "reviewer")
    response = login_form(member, "li.ming", STAFF_PASSWORD)
    assert response.status_code == 303 and response.headers["Location"].endswith("/review/enrol")
    page = member.get("/review/enrol").get_data(as_text=True)
    assert "<svg" in page and "https://" not in page.split("<svg")[1].split("</svg>")[0].replace(
        "http://www.w3.org", ""
    )
    tokens = member.tokens("/review/enrol")
    assert member.client.post("/review/enrol", data={**tokens, "code": "000000"}).status_code == 401
    response = member.client.post("/review/enrol", data={**tokens, "code": member.code()})
    assert response.status_code == 303 and response.headers["Location"].endswith("/review")
    assert member.get("/review").status_code == 200
    assert entries(app, "totp_enrolled") == 1


def test_totp_is_mandatory_once_enrolled(app, staff):
    member = staff("li.ming", "reviewer")
    member.post("/review/logout", form_page="/review")
    assert login_form(member, "li.ming", STAFF_PASSWORD, "").status_code == 401
    assert login_form(member, "li.ming", STAFF_PASSWORD, "123456").status_code == 401
    assert member.login().status_code == 303


def test_a_used_code_cannot_be_replayed(app, staff):
    member = staff("li.ming", "reviewer")
    used = member.totp.generate_otp(member.step)
    member.post("/review/logout", form_page="/review")
    assert login_form(member, "li.ming", STAFF_PASSWORD, used).status_code == 401


def test_wrong_password_and_unknown_user_look_the_same(app, staff):
    member = staff("li.ming", "reviewer", login=False)
    wrong = login_form(member, "li.ming", "not the password", member.code())
    unknown = login_form(member, "nobody", "not the password", "123456")
    assert wrong.status_code == unknown.status_code == 401
    error = '<p class="error" id="code-error">'
    assert (
        wrong.get_data(as_text=True).split(error)[1].split("<")[0]
        == unknown.get_data(as_text=True).split(error)[1].split("<")[0]
    )
    assert entries(app, "sign_in_failed") == 2


def test_account_is_locked_after_five_failures_without_revealing_it_exists(app, staff):
    member = staff("li.ming", "reviewer", login=False)
    real = [login_form(member, "li.ming", "wrong password!", "1").status_code for _ in range(6)]
    ghost = [login_form(member, "ghost", "wrong password!", "1").status_code for _ in range(6)]
    assert real == ghost == [401] * 5 + [429]
    locked_real = login_form(member, "li.ming", STAFF_PASSWORD, member.code())
    locked_ghost = login_form(member, "ghost", STAFF_PASSWORD, "1")
    assert locked_real.status_code == locked_ghost.status_code == 429
    assert locked_real.get_data(as_text=True) == locked_ghost.get_data(as_text=True)
    assert "15" in locked_real.get_data(as_text=True)  # says the account is locked and for how long


def test_one_client_is_throttled_across_account_names(app):
    member = Staff(app, "li.ming", "reviewer")
    statuses = [login_form(member, f"name{i}", "wrong password!", "1").status_code for i in range(21)]
    assert statuses[:20] == [401] * 20 and statuses[20] == 429


def test_sign_out_deletes_the_server_half_and_the_cookie_opens_nothing(app, staff):
    member = staff("li.ming", "reviewer")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(KeySession)) == 1
    kept = member.client.get_cookie("zm_staff").value
    assert member.post("/review/logout", form_page="/review").status_code == 303
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(KeySession)) == 0
    member.client.set_cookie("zm_staff", kept)
    response = member.get("/review")
    assert response.status_code == 302 and "/review/login" in response.headers["Location"]


def test_idle_staff_session_expires(app, staff):
    member = staff("li.ming", "reviewer")
    with app.app_context():
        for row in db.session.scalars(db.select(KeySession)):
            row.expires_at = dt.datetime(2000, 1, 1)
        db.session.commit()
    assert member.get("/review").status_code == 302


def test_staff_and_cadre_cookies_are_separate(app, staff, cadre, client):
    member = staff("li.ming", "reviewer")
    assert member.client.get_cookie("zm_staff") is not None
    assert member.client.get_cookie("zm_staff").same_site == "Strict"
    # A cadre's cookie jar holds no staff cookie, and its session is not a staff session.
    cadre.follow_up(cadre.receipt_of(cadre.file_concern()))
    assert client.get_cookie("zm_staff") is None
    assert client.get("/review").status_code == 302


def test_password_change_rewraps_the_key_and_nothing_else(app, staff, cadre):
    member = staff("li.ming", "intake")  # holds the new case's key from filing
    cadre.file_concern()
    case_id = _case_id(app)
    new = "a brand new password"
    response = member.post("/review/account/password", {"current": "wrong", "new": new, "repeat": new})
    assert response.status_code == 400
    response = member.post("/review/account/password", {"current": STAFF_PASSWORD, "new": new, "repeat": new})
    assert response.status_code == 303
    member.post("/review/logout", form_page="/review")
    assert login_form(member, "li.ming", STAFF_PASSWORD, member.code()).status_code == 401
    member.step -= 1
    assert member.login(password=new).status_code == 303
    assert "Too many inspections" in member.get(f"/review/cases/{case_id}").get_data(as_text=True)


def _case_id(app) -> str:
    from tests.conftest import only_case_id

    return only_case_id(app)
