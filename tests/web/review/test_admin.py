"""Admins through HTTP: accounts (create, disable, enable, reset) and the audit log."""

from __future__ import annotations

import html
import re
from types import SimpleNamespace

import pyotp
import pytest
from flask import Flask

from portal.extensions import db
from portal.models import AuditEntry, CaseKey, User
from portal.services import audit
from tests.conftest import STAFF_PASSWORD, Staff, _client, hidden, only_case_id
from tests.web.body_helpers import Member

PASSWORD_ONCE = re.compile(r'<p class="receipt">([^<]+)</p>')
SECRET = re.compile(r'<code class="text">([A-Z2-7]+)</code>')
AUDIT_ROW = re.compile(r"<tr><td>(\d+)</td>" + r"<td>([^<]*)</td>" * 6 + r"</tr>")
OWN_ACCOUNT = "You cannot do this to your own account."


def english(member):
    member.client.set_cookie("zm_lang", "en")
    return member


@pytest.fixture
def admin(staff) -> Staff:
    return english(staff("root.admin", "admin"))


class Newcomer:
    """Someone with a temporary password at a fresh browser; learns the TOTP secret at enrolment."""

    code = Staff.code  # same replay-safe stepping, once the secret is known

    def __init__(self, app: Flask, username: str, password: str) -> None:
        self.client = _client(app)
        self.client.set_cookie("zm_lang", "en")
        self.username, self.password = username, password
        self.totp: pyotp.TOTP | None = None
        self.step = 0

    def tokens(self, path: str) -> dict[str, str]:
        return {"csrf_token": hidden(self.client.get(path).get_data(as_text=True), "csrf_token")}

    def sign_in(self):
        data = {"username": self.username, "password": self.password, "code": self.code() if self.totp else ""}
        return self.client.post("/review/login", data={**self.tokens("/review/login"), **data})

    def enrol(self):
        page = self.client.get("/review/enrol")
        assert page.status_code == 200
        self.totp, self.step = pyotp.TOTP(SECRET.search(page.get_data(as_text=True)).group(1)), 0
        return self.client.post("/review/enrol", data={**self.tokens("/review/enrol"), "code": self.code()})


def password_once(response) -> str:
    assert response.status_code == 200, response.status_code
    found = PASSWORD_ONCE.search(response.get_data(as_text=True))
    assert found, "no temporary password on the page"
    return html.unescape(found.group(1))


def create(admin: Staff, username: str, role: str = "reviewer"):
    return admin.post("/admin/accounts", {"username": username, "role": role}, form_page="/admin")


def account_action(admin: Staff, user_id: int, action: str):
    return admin.post(f"/admin/accounts/{user_id}/{action}", form_page="/admin")


def audited(app: Flask, action: str) -> list[tuple[int | None, int | None]]:
    """(actor, target) of each audit entry with this action, oldest first."""
    with app.app_context():
        rows = db.session.execute(
            db.select(AuditEntry.actor_id, AuditEntry.target_user_id)
            .where(AuditEntry.action == action)
            .order_by(AuditEntry.id)
        )
        return [tuple(r) for r in rows]


def user(app: Flask, user_id: int) -> dict:
    with app.app_context():
        u = db.session.get(User, user_id)
        keys = db.session.scalar(db.select(db.func.count()).select_from(CaseKey).where(CaseKey.user_id == user_id))
        return {
            "role": u.role,
            "disabled": u.disabled,
            "enrolled": u.totp_enrolled,
            "public_key": u.public_key,
            "credential": u.credential,
            "totp_secret": u.totp_secret,
            "case_keys": keys,
        }


def user_id_of(app: Flask, username: str) -> int | None:
    with app.app_context():
        return db.session.scalar(db.select(User.id).where(User.username == username))


def row_of(page: str, username: str) -> str:
    """The accounts list entry of one user."""
    return page.split(f'<strong class="text">{username}</strong>')[1].split("</li>")[0]


def audit_rows(admin: Staff, query: str = "") -> list[dict]:
    response = admin.get("/admin/audit" + query)
    assert response.status_code == 200, response.status_code
    return [
        dict(id=int(r[0]), when=r[1], who=r[2], action=html.unescape(r[3]), account=r[5], detail=r[6])
        for r in AUDIT_ROW.findall(response.get_data(as_text=True))
    ]


def option_value(page: str, select: str, words: str) -> str:
    """The value behind the option a person picks by its words in one of the filter's lists."""
    body = page.split(f'<select id="{select}" name="{select}">')[1].split("</select>")[0]
    options = {
        html.unescape(text): html.unescape(value)
        for value, text in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', body)
    }
    assert words in options, (words, sorted(options))
    return options[words]


def pick(admin: Staff, **chosen: str) -> str:
    """A filter query built the way the form builds it: each list's option chosen by its words."""
    from urllib.parse import urlencode

    page = admin.get("/admin/audit").get_data(as_text=True)
    return "?" + urlencode({name: option_value(page, name, words) for name, words in chosen.items()})


def older_link(admin: Staff, query: str) -> str | None:
    page = admin.get("/admin/audit" + query).get_data(as_text=True)
    found = re.search(r'<a href="(/admin/audit\?[^"]*)">Older entries</a>', page)
    return html.unescape(found.group(1)) if found else None


# --- creating ---------------------------------------------------------------


def test_admin_creates_an_account_which_signs_in_with_the_temporary_password_and_enrols(app, admin):
    response = create(admin, "new.rev")
    assert "Temporary password for new.rev" in response.get_data(as_text=True)
    password = password_once(response)
    assert len(password) >= 12
    new_id = user_id_of(app, "new.rev")
    created = user(app, new_id)
    assert (created["role"], created["disabled"], created["enrolled"]) == ("reviewer", False, False)
    assert created["public_key"] is not None  # a case worker gets a key pair
    accounts = admin.get("/admin").get_data(as_text=True)
    assert password not in accounts  # shown once only
    assert "Not yet signed in" in row_of(accounts, "new.rev")
    assert audited(app, "account_created")[-1] == (admin.user_id, new_id)

    newcomer = Newcomer(app, "new.rev", password)
    response = newcomer.sign_in()
    assert response.status_code == 303 and response.headers["Location"].endswith("/review/enrol")
    assert newcomer.client.get("/review").status_code == 302  # not signed in before the code is confirmed
    wrong = newcomer.client.post("/review/enrol", data={**newcomer.tokens("/review/enrol"), "code": "000000"})
    assert wrong.status_code == 401
    response = newcomer.enrol()
    assert response.status_code == 303 and response.headers["Location"].endswith("/review")
    waiting = newcomer.client.get("/review")  # signed in, but no supervisor has confirmed it yet
    assert waiting.status_code == 403 and "Your account awaits confirmation" in waiting.get_data(as_text=True)
    assert user(app, new_id)["enrolled"] is True
    row = row_of(admin.get("/admin").get_data(as_text=True), "new.rev")
    assert "Active" in row and "Awaiting confirmation by a supervisor" in row


def test_a_new_admin_account_holds_no_key_pair_and_lands_on_the_accounts_page(app, admin):
    password = password_once(create(admin, "second.admin", "admin"))
    assert user(app, user_id_of(app, "second.admin"))["public_key"] is None
    newcomer = Newcomer(app, "second.admin", password)
    assert newcomer.sign_in().headers["Location"].endswith("/review/enrol")
    response = newcomer.enrol()
    assert response.status_code == 303 and response.headers["Location"].endswith("/admin")


def test_a_taken_username_is_refused(app, admin):
    Staff(app, "li.rev", "reviewer")
    before = audited(app, "account_created")
    for taken in ("li.rev", "root.admin"):
        response = create(admin, taken, "supervisor")
        assert response.status_code == 400
        assert "This username is taken." in response.get_data(as_text=True)
    assert user(app, user_id_of(app, "li.rev"))["role"] == "reviewer"
    assert audited(app, "account_created") == before


@pytest.mark.parametrize(
    ("username", "role"),
    [
        pytest.param("Upper.Case", "reviewer", id="upper-case"),
        pytest.param("ab", "reviewer", id="too-short"),
        pytest.param("x" * 65, "reviewer", id="too-long"),
        pytest.param("-leading", "reviewer", id="leading-dash"),
        pytest.param("has space", "reviewer", id="space"),
        pytest.param("wang<b>", "reviewer", id="markup"),
        pytest.param("名字名字", "reviewer", id="non-ascii"),
        pytest.param("trailing.newline\n", "reviewer", id="trailing-newline"),
        pytest.param("", "reviewer", id="empty"),
        pytest.param("good.name", "superuser", id="unknown-role"),
    ],
)
def test_an_invalid_account_is_refused(app, admin, username, role):
    with app.app_context():
        before = db.session.scalar(db.select(db.func.count()).select_from(User))
    response = create(admin, username, role)
    assert response.status_code == 400
    assert PASSWORD_ONCE.search(response.get_data(as_text=True)) is None
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == before


# --- disabling and enabling ---------------------------------------------------


def test_disabling_ends_access_at_the_next_request(app, admin, staff):
    reviewer = staff("li.rev", "reviewer")
    assert reviewer.get("/review").status_code == 200
    response = account_action(admin, reviewer.user_id, "disable")
    assert response.status_code == 303 and response.headers["Location"].endswith("/admin")
    for path in ("/review", "/review/account/password"):
        response = reviewer.get(path)  # the same cookie as before
        assert response.status_code == 302 and "/review/login" in response.headers["Location"]
    assert reviewer.login().status_code == 401  # right password and code, but disabled
    assert user(app, reviewer.user_id)["disabled"] is True
    row = row_of(admin.get("/admin").get_data(as_text=True), "li.rev")
    assert "Disabled" in row and f"/admin/accounts/{reviewer.user_id}/enable" in row
    assert audited(app, "account_disabled") == [(admin.user_id, reviewer.user_id)]


def test_enabling_restores_sign_in(app, admin, staff):
    reviewer = staff("li.rev", "reviewer")
    account_action(admin, reviewer.user_id, "disable")
    reviewer.client = _client(app)  # a fresh browser (the old cookie has its own test below)
    assert reviewer.login().status_code == 401
    response = account_action(admin, reviewer.user_id, "enable")
    assert response.status_code == 303 and response.headers["Location"].endswith("/admin")
    assert user(app, reviewer.user_id)["disabled"] is False
    assert "Active" in row_of(admin.get("/admin").get_data(as_text=True), "li.rev")
    assert reviewer.login().status_code == 303
    assert reviewer.get("/review").status_code == 200
    assert audited(app, "account_enabled") == [(admin.user_id, reviewer.user_id)]


def test_enabling_does_not_revive_a_session_from_before_the_disable(app, admin, staff):
    reviewer = staff("li.rev", "reviewer")
    account_action(admin, reviewer.user_id, "disable")
    assert reviewer.get("/review").status_code == 302
    account_action(admin, reviewer.user_id, "enable")
    response = reviewer.get("/review")  # the cookie from before the disable
    assert response.status_code == 302 and "/review/login" in response.headers["Location"]


# --- resetting ----------------------------------------------------------------


def test_reset_gives_a_new_password_key_pair_and_enrolment(app, admin, staff, cadre):
    reviewer = staff("li.rev", "intake")  # an intake officer holds every new case of the body
    supervisor = Staff(app, "qian.sup", "intake")
    cadre.file_concern()
    case_id = only_case_id(app)
    before, colleague = user(app, reviewer.user_id), user(app, supervisor.user_id)
    assert before["case_keys"] == 1 and colleague["case_keys"] == 1

    response = account_action(admin, reviewer.user_id, "reset")
    assert "Temporary password for li.rev" in response.get_data(as_text=True)
    password = password_once(response)
    assert password != STAFF_PASSWORD
    after = user(app, reviewer.user_id)
    assert after["public_key"] is not None and after["public_key"] != before["public_key"]
    assert after["credential"] != before["credential"] and after["totp_secret"] != before["totp_secret"]
    assert (after["case_keys"], after["enrolled"], after["disabled"]) == (0, False, False)
    assert user(app, supervisor.user_id)["case_keys"] == 1  # nobody else loses anything
    assert "Not yet signed in" in row_of(admin.get("/admin").get_data(as_text=True), "li.rev")
    assert audited(app, "account_reset") == [(admin.user_id, reviewer.user_id)]

    assert Newcomer(app, "li.rev", STAFF_PASSWORD).sign_in().status_code == 401  # the old password is gone
    newcomer = Newcomer(app, "li.rev", password)
    response = newcomer.sign_in()
    assert response.status_code == 303 and response.headers["Location"].endswith("/review/enrol")
    response = newcomer.enrol()  # TOTP again, with a new secret
    assert response.status_code == 303 and response.headers["Location"].endswith("/review")
    assert newcomer.totp.secret != reviewer.totp.secret
    case_page = newcomer.client.get(f"/review/cases/{case_id}")
    assert case_page.status_code == 403  # until a supervisor grants access again
    assert "Too many inspections" not in case_page.get_data(as_text=True)


def test_reset_ends_the_users_existing_sessions(app, admin, staff):
    reviewer = staff("li.rev", "reviewer")
    password_once(account_action(admin, reviewer.user_id, "reset"))
    response = reviewer.get("/review")
    assert response.status_code == 302 and "/review/login" in response.headers["Location"]


# --- not on yourself, not on nobody ---------------------------------------------


def test_admin_cannot_disable_or_reset_themselves(app, admin):
    before = user(app, admin.user_id)
    page = admin.get("/admin").get_data(as_text=True)
    assert f"/admin/accounts/{admin.user_id}/" not in page  # no buttons on one's own row
    for action in ("disable", "reset"):
        response = account_action(admin, admin.user_id, action)
        assert response.status_code == 303 and response.headers["Location"].endswith("/admin")
        assert OWN_ACCOUNT in admin.get("/admin").get_data(as_text=True)
    assert user(app, admin.user_id) == before
    assert audited(app, "account_disabled") == audited(app, "account_reset") == []
    assert admin.get("/admin").status_code == 200  # still signed in


@pytest.mark.parametrize("action", ["disable", "enable", "reset"])
def test_an_unknown_account_is_404(app, admin, action):
    assert account_action(admin, 999999, action).status_code == 404


# --- the audit log --------------------------------------------------------------------


def test_audit_log_lists_and_filters_by_name_and_action_chosen_from_lists(app, admin, staff):
    reviewer = staff("li.rev", "reviewer")
    account_action(admin, reviewer.user_id, "disable")
    account_action(admin, reviewer.user_id, "enable")
    password_once(create(admin, "new.rev"))

    everything = audit_rows(admin)
    actions = {row["action"] for row in everything}
    assert {"Signed in", "Created an account", "Disabled an account", "Enabled an account"} <= actions
    assert [row["id"] for row in everything] == sorted((row["id"] for row in everything), reverse=True)
    disabled = next(row for row in everything if row["action"] == "Disabled an account")
    assert (disabled["who"], disabled["account"]) == ("root.admin", "li.rev")

    disabling = audit_rows(admin, pick(admin, action="Disabled an account"))
    assert [(row["action"], row["account"]) for row in disabling] == [("Disabled an account", "li.rev")]

    mine = audit_rows(admin, pick(admin, actor="root.admin"))
    assert mine and all(row["who"] == "root.admin" for row in mine)
    assert {"Signed in", "Disabled an account", "Enabled an account", "Created an account"} <= {
        row["action"] for row in mine
    }
    theirs = audit_rows(admin, pick(admin, actor="li.rev"))
    assert theirs and all(row["who"] == "li.rev" for row in theirs)

    both = audit_rows(admin, pick(admin, actor="root.admin", action="Created an account"))
    assert [(row["action"], row["account"], row["detail"]) for row in both] == [
        ("Created an account", "new.rev", "Reviewer")
    ]
    assert admin.get("/admin/audit?actor=nobody.here").status_code == 400
    assert admin.get("/admin/audit?action=no_such_code").status_code == 400


def test_audit_log_speaks_words_in_chinese_and_beijing_time(app, admin, monkeypatch):
    import datetime as dt

    from portal.services import audit as audit_service

    monkeypatch.setattr(audit_service, "utcnow", lambda: dt.datetime(2026, 3, 1, 17, 5, 42))
    outsider = _client(app)
    outsider.post(
        "/review/login",
        data={
            "csrf_token": hidden(outsider.get("/review/login").get_data(as_text=True), "csrf_token"),
            "username": "root.admin",
            "password": "wrong",
            "code": "000000",
        },
    )
    monkeypatch.undo()

    admin.client.set_cookie("zm_lang", "zh_CN")
    response = admin.get("/admin/audit")
    page = response.get_data(as_text=True)
    assert "<th>时间（北京时间）</th>" in page and "UTC" not in page
    failed = next(row for row in audit_rows(admin) if row["action"] == "登录失败")
    assert failed["when"] == "2026-03-02 01:05"  # 17:05 UTC is past midnight in Beijing
    assert failed["detail"] == "密码错误"
    for row in audit_rows(admin):
        assert not re.search(r"[a-z]+_[a-z]+|transition:", row["action"] + row["detail"]), row

    assert [r["when"] for r in audit_rows(admin, "?since=2026-03-02&until=2026-03-02")] == ["2026-03-02 01:05"]
    assert audit_rows(admin, "?since=2026-03-01&until=2026-03-01") == []  # a Beijing day, not a UTC one
    assert admin.get("/admin/audit?until=9999-12-31&since=0001-01-01").status_code == 400  # a clear error, not a 500


def test_audit_log_pages_with_before(app, admin):
    with app.app_context():
        for i in range(60):
            audit.record("bulk_entry", actor_id=admin.user_id, detail=f"bulk {i}")
        db.session.commit()
        expected = set(db.session.scalars(db.select(AuditEntry.id).where(AuditEntry.action == "bulk_entry")))

    first = audit_rows(admin, "?action=bulk_entry")
    assert len(first) == 50
    link = older_link(admin, "?action=bulk_entry")
    assert link and f"before={first[-1]['id']}" in link and "action=bulk_entry" in link
    second = audit_rows(admin, link.removeprefix("/admin/audit"))
    assert len(second) == 10
    assert older_link(admin, link.removeprefix("/admin/audit")) is None
    ids = [row["id"] for row in first + second]
    assert ids == sorted(ids, reverse=True) and set(ids) == expected and len(ids) == 60

    unfiltered = audit_rows(admin)
    assert len(unfiltered) == 50 and older_link(admin, "") is not None  # > 60 entries in all


def test_every_audited_action_has_words():
    """Each action code the portal writes to the audit log reads as words on the admin's page."""
    from pathlib import Path

    from portal.web.labels import AUDIT_ACTIONS

    source = "\n".join(p.read_text(encoding="utf-8") for p in Path("portal").rglob("*.py"))
    codes = set(re.findall(r'audit\.record\(\s*"([a-z_:]+)"', source))
    assert codes and codes <= set(AUDIT_ACTIONS), sorted(codes - set(AUDIT_ACTIONS))


# --- bodies: an admin manages their body and those below it ------------------------


FORBIDDEN = "This account or body is outside your body and the bodies below it."


@pytest.fixture
def township(app):
    """A township below the county (the default body), its admin and intake officer, and the county's staff."""
    from tests.web.body_helpers import Member, default_body_id, make_body

    county = default_body_id(app)
    east = make_body(app, "东镇纪委", "township", "township", county)
    return SimpleNamespace(
        county=county,
        east=east,
        admin=Member(app, "east.admin", "admin", east),
        intake=Member(app, "east.in", "intake", east, login=False),
        county_reviewer=Member(app, "county.rev", "reviewer", county, login=False),
        county_admin=Member(app, "county.admin", "admin", county, login=False),
    )


def test_a_township_admin_sees_only_the_accounts_of_their_body(app, township):
    page = township.admin.get("/admin").get_data(as_text=True)
    assert '<strong class="text">east.in</strong>' in page and '<strong class="text">east.admin</strong>' in page
    assert "county.rev" not in page and "county.admin" not in page
    assert "测试县纪委监委" not in page  # nor the county among the bodies offered


def test_a_county_admin_sees_the_accounts_of_the_bodies_below(app, township):
    township.county_admin.login()
    page = township.county_admin.get("/admin").get_data(as_text=True)
    for name in ("east.in", "east.admin", "county.rev"):
        assert f'<strong class="text">{name}</strong>' in page
    assert "东镇纪委" in row_of(page, "east.in")


@pytest.mark.parametrize("action", ["disable", "enable", "reset"])
def test_a_township_admin_cannot_change_an_account_of_the_county(app, township, action):
    target = township.county_reviewer.user_id
    before, entries = user(app, target), audited(app, f"account_{action}d" if action != "reset" else "account_reset")
    response = account_action(township.admin, target, action)
    assert response.status_code == 403
    assert FORBIDDEN in response.get_data(as_text=True)
    assert user(app, target) == before
    assert audited(app, f"account_{action}d" if action != "reset" else "account_reset") == entries
    assert township.county_reviewer.login().status_code == 303  # still signs in as before


def test_a_township_admin_cannot_create_an_account_in_the_county(app, township):
    with app.app_context():
        before = db.session.scalar(db.select(db.func.count()).select_from(User))
    for body in (township.county, 999999):
        response = township.admin.post(
            "/admin/accounts", {"username": "sneaky.rev", "role": "reviewer", "body": str(body)}, form_page="/admin"
        )
        assert response.status_code == 403 and FORBIDDEN in response.get_data(as_text=True)
    assert user_id_of(app, "sneaky.rev") is None
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == before


def test_an_admin_creates_accounts_of_every_role_in_a_body_below_with_a_supervisor(app, admin, township):
    page = admin.get("/admin").get_data(as_text=True)
    for role in ("Intake officer", "Reviewer", "Supervisor", "Leader", "Administrator"):
        assert f">{role}</option>" in page
    chief = Member(app, "east.sup", "supervisor", township.east, login=False)
    page = admin.get("/admin").get_data(as_text=True)
    assert f'<optgroup label="东镇纪委"><option value="{chief.user_id}">east.sup' in page
    response = admin.post(
        "/admin/accounts",
        {"username": "east.rev", "role": "reviewer", "body": str(township.east), "supervisor": str(chief.user_id)},
        form_page="/admin",
    )
    password_once(response)
    with app.app_context():
        made = db.session.scalar(db.select(User).where(User.username == "east.rev"))
        assert (made.body_id, made.supervisor_id, made.keys_confirmed) == (township.east, chief.user_id, False)
    assert "Supervisor: east.sup" in row_of(admin.get("/admin").get_data(as_text=True), "east.rev")
    for role in ("intake", "leader"):
        password_once(create(admin, f"new.{role}", role))
        assert user(app, user_id_of(app, f"new.{role}"))["public_key"] is not None


def test_a_supervisor_of_another_body_is_refused(app, admin, township):
    chief = Member(app, "east.sup", "supervisor", township.east, login=False)
    for role, body in (("reviewer", township.county), ("intake", township.east)):
        response = admin.post(
            "/admin/accounts",
            {"username": "odd.one", "role": role, "body": str(body), "supervisor": str(chief.user_id)},
            form_page="/admin",
        )
        assert response.status_code == 400
        assert "Choose a supervisor or leader of the same body, and only for a reviewer." in response.get_data(
            as_text=True
        )
    assert user_id_of(app, "odd.one") is None


def body_form(admin: Staff, parent: int, name: str, **fields):
    data = {
        "parent": str(parent),
        "name": name,
        "short_name": "西纪",
        "kind": "township",
        "level": "township",
        "ranks": ["general", "section"],
        "name_public": "y",
        **fields,
    }
    return admin.post("/admin/bodies", data, form_page="/admin/bodies")


def test_an_admin_creates_a_body_below_theirs_which_waits_for_its_escrow_key(app, admin, township):
    response = body_form(township.admin, township.east, "东镇某村纪检小组")
    assert response.status_code == 303 and response.headers["Location"].endswith("/admin/bodies")
    page = township.admin.get("/admin/bodies").get_data(as_text=True)
    entry = page.split("东镇某村纪检小组")[1].split("</li>")[0]
    assert "Escrow key not yet set" in entry and "General cadre、Section level" in entry
    assert page.index("东镇纪委") < page.index("东镇某村纪检小组")  # below its parent
    assert audited(app, "body_created")[-1][0] == township.admin.user_id
    rows = audit_rows(admin, pick(admin, action="Created a body"))
    assert rows and rows[0]["detail"] == "东镇某村纪检小组"


def test_an_admin_cannot_create_a_body_outside_their_subtree(app, township):
    from portal.models import Body

    with app.app_context():
        before = db.session.scalar(db.select(db.func.count()).select_from(Body))
    for parent in (township.county, 999999):
        response = body_form(township.admin, parent, "西镇纪委")
        assert response.status_code == 403 and FORBIDDEN in response.get_data(as_text=True)
    assert body_form(township.admin, township.east, "x").status_code == 400  # too short a name
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Body)) == before
    assert audited(app, "body_created")[-1][0] is None  # only the bodies the fixtures made


def test_routes_change_only_between_the_admins_bodies_with_escrow(app, admin, township):
    from tests.web.body_helpers import make_body

    unsealed = make_body(app, "南镇纪委", "township", "township", township.county, escrow=False)
    response = admin.post(
        "/admin/bodies/routes", {"category": "workload", "body": str(unsealed)}, form_page="/admin/bodies"
    )
    assert response.status_code == 409
    assert "This body cannot receive cases until its supervisors set its escrow key." in response.get_data(as_text=True)
    page = township.admin.get("/admin/bodies").get_data(as_text=True)
    assert 'id="route-workload"' not in page  # it goes to the county: not the township admin's to change
    response = township.admin.post(
        "/admin/bodies/routes", {"category": "workload", "body": str(township.east)}, form_page="/admin/bodies"
    )
    assert response.status_code == 403
    assert audited(app, "category_routed") == []
    response = admin.post(
        "/admin/bodies/routes", {"category": "workload", "body": str(township.east)}, form_page="/admin/bodies"
    )
    assert response.status_code == 303
    assert audited(app, "category_routed") == [(admin.user_id, None)]
    [row] = audit_rows(admin, pick(admin, action="Set the body a concern category goes to"))
    assert row["detail"] == "Workload and formalism → 东镇纪委"


def test_only_an_admin_of_a_top_body_reads_the_audit_log(app, admin, township):
    response = township.admin.get("/admin/audit")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "only an administrator of a top body reads it" in page and "county.rev" not in page
    assert admin.get("/admin/audit").status_code == 200


def test_a_route_without_a_body_is_a_clear_400(app, admin):
    response = admin.post("/admin/bodies/routes", {"category": "workload"}, form_page="/admin/bodies")
    assert response.status_code == 400
    assert "Choose one of the bodies listed." in response.get_data(as_text=True)
    assert audited(app, "category_routed") == []
