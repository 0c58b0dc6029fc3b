"""Fixtures: an app on a fresh database per test (SQLite, or PostgreSQL via DATABASE_URL)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from html import unescape

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import MetaData, create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.datastructures import MultiDict

from portal import create_app
from portal.extensions import db
from portal.services import accounts, bodies
from portal.web.rate_limits import limiter

ESCROW_PASSPHRASE = "escrow passphrase for tests"
#: Every request of the tests comes from this address and agent; neither may be stored.
CLIENT_ADDRESS = "203.0.113.77"
CLIENT_AGENT = "DistinctiveAgent/9.9 (zm-test)"


#: Under pytest-xdist each worker (gw0, gw1...) has its own databases: its own PostgreSQL
#: database beside DATABASE_URL's and its own Redis database, so workers never share state.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
WORKER_INDEX = int(WORKER[2:]) if WORKER.startswith("gw") and WORKER[2:].isdigit() else 0
os.environ.setdefault("ZM_TEST_REDIS_URL", f"redis://127.0.0.1:6379/{3 + WORKER_INDEX}")


def _worker_database(url: str) -> str:
    """DATABASE_URL itself, or under xdist a fresh database of this worker's beside it."""
    parsed = make_url(url)
    if not WORKER or parsed.get_backend_name() != "postgresql":
        return url
    name = f"{parsed.database}_{WORKER}"
    admin = create_engine(parsed, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if os.environ.get("DATABASE_URL"):
        return _worker_database(os.environ["DATABASE_URL"])
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "portal.sqlite3")


def make_app(database_url: str, **overrides) -> Flask:
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, **overrides}, config_name="testing")


def reset_schema(app: Flask) -> None:
    """Drop everything, then build the schema through the migrations."""
    with app.app_context():
        existing = MetaData()
        existing.reflect(db.engine)
        existing.drop_all(db.engine)
        upgrade()


@pytest.fixture(scope="session")
def schema(database_url: str) -> str:
    reset_schema(make_app(database_url))
    return database_url


def _empty_tables() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


#: The body every test deployment starts with (its default body).
TEST_BODY = "测试县纪委监委"


def _prepare(app: Flask) -> None:
    with app.app_context():
        _empty_tables()
        limiter.reset()
        bodies.create(TEST_BODY, "测纪", "commission", "county", ("general", "section"))
        accounts.create_escrow(ESCROW_PASSPHRASE)


def _finish(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


def _client(app: Flask) -> FlaskClient:
    client = app.test_client()
    client.environ_base.update(REMOTE_ADDR=CLIENT_ADDRESS, HTTP_USER_AGENT=CLIENT_AGENT)
    return client


@pytest.fixture
def app(schema: str) -> Iterator[Flask]:
    app = make_app(schema)
    _prepare(app)
    yield app
    _finish(app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return _client(app)


@pytest.fixture
def cadre_factory(schema: str):
    """Build an initialised app with configuration overrides: (app, cadre, client)."""
    made: list[Flask] = []

    def build(**overrides):
        app = make_app(schema, **overrides)
        _prepare(app)
        made.append(app)
        client = _client(app)
        return app, Cadre(client), client

    yield build
    for app in made:
        _finish(app)


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


def hidden(html: str, name: str) -> str:
    """The value of the first hidden input with this name in a page."""
    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="{name}"' in tag and 'type="hidden"' in tag:
            value = re.search(r'value="([^"]*)"', tag)
            if value:
                return value.group(1)
    raise AssertionError(f"no hidden field {name}")


_CONFIRM_FORM = re.compile(r'<form method="post" action="([^"]*)" class="inline confirm">(.*?)</form>', re.S)


def confirmation_form(html: str) -> tuple[str, MultiDict] | None:
    """The action and fields of a confirmation page's confirm button (portal.web.confirm), if it is one."""
    match = _CONFIRM_FORM.search(html)
    if match is None:
        return None
    fields = MultiDict()
    for tag in re.findall(r"<input[^>]*>", match.group(2)):
        name, value = re.search(r'name="([^"]*)"', tag), re.search(r'value="([^"]*)"', tag)
        fields.add(unescape(name.group(1)), unescape(value.group(1)) if value else "")
    return unescape(match.group(1)), fields


def confirming(client: FlaskClient, response):
    """Press "confirm" when the response is a confirmation page; any other response is returned as it is."""
    found = confirmation_form(response.get_data(as_text=True)) if response.status_code == 200 else None
    if found is None:
        return response
    action, fields = found
    return client.post(action, data=fields, content_type="multipart/form-data")


RECEIPT = re.compile(r'<p class="receipt">(\d{4} \d{4} \d{4} \d{4})</p>')


class Cadre:
    """Drives the anonymous side like a person with a browser (the tutorial's AuthActions)."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def form(self, path: str) -> dict[str, str]:
        html = self.client.get(path).get_data(as_text=True)
        tokens = {"csrf_token": hidden(html, "csrf_token")}
        if 'name="form_token"' in html:
            tokens["form_token"] = hidden(html, "form_token")
        return tokens

    def post(self, path: str, data: dict, tokens: dict | None = None, confirm: bool = True):
        """Post a form; a step that asks for confirmation is confirmed unless ``confirm`` is False."""
        payload = {**(self.form(path) if tokens is None else tokens), **data}
        response = self.client.post(path, data=payload, content_type="multipart/form-data")
        return confirming(self.client, response) if confirm else response

    def submit(self, path: str, data: dict):
        """Send a form as a person would: read the receipt page, then confirm it is written down."""
        response = self.post(path, data)
        if response.status_code != 303 or not response.headers["Location"].endswith("/submit/receipt"):
            return response
        page = self.client.get("/submit/receipt")
        self.client.post("/submit/receipt", data={"csrf_token": hidden(page.get_data(as_text=True), "csrf_token")})
        return page

    def file_concern(self, files=None, **fields):
        data = {
            "category": "workload",
            "subject": "Too many inspections",
            "description": "Every week three inspection teams ask for the same reports.",
            "unit": "",
            **fields,
        }
        if files:
            data["attachments"] = files
        return self.submit("/submit/concern", data)

    def file_clarification(self, files=None, **fields):
        data = {
            "real_name": "王某某",
            "unit_name": "某县某镇人民政府",
            "post": "副镇长",
            "rank": "section",
            "contact": "",
            "allegation": "Accused of taking gifts at a village project.",
            "allegation_source": "An anonymous letter in March.",
            "harms": ["promotion", "reputation"],
            "harm_detail": "",
            "wanted": ["public_notice"],
            "wanted_detail": "",
            **fields,
        }
        if files:
            data["attachments"] = files
        return self.submit("/submit/clarification", data)

    @staticmethod
    def receipt_of(response) -> str:
        match = RECEIPT.search(response.get_data(as_text=True))
        assert match, "no receipt on the page"
        return match.group(1)

    def follow_up(self, receipt: str):
        return self.post("/followup", {"receipt": receipt})

    def reply(self, body: str, files=None):
        tokens = self.form("/followup/status")
        data = {"body": body}
        if files:
            data["attachments"] = files
        return self.client.post("/followup/reply", data={**tokens, **data}, content_type="multipart/form-data")


@pytest.fixture
def cadre(client: FlaskClient) -> Cadre:
    return Cadre(client)


STAFF_PASSWORD = "staff password for tests"


class Staff:
    """A staff member at their own browser: signs in with password and TOTP (like AuthActions)."""

    def __init__(self, app: Flask, username: str, role: str, body_id: int | None = None) -> None:
        """An account of ``body_id`` (the default body when None), confirmed as the operator's are."""
        import pyotp

        from portal.services import accounts as account_service

        self.app = app
        self.username = username
        self.role = role
        with app.app_context():
            created = account_service.create_user(username, role, STAFF_PASSWORD, body_id=body_id, confirmed=True)
        self.user_id = created.user_id
        self.totp = pyotp.parse_uri(created.totp_uri)
        self.client = _client(app)
        self.step = 0

    def code(self) -> str:
        """A valid code newer than the last one used (the server refuses replays).

        Codes start at the current step, so one stays valid if a 30-second boundary
        passes before the server checks it (TestingConfig accepts 3 steps of drift).
        """
        import time

        now = int(time.time()) // self.totp.interval
        self.step = max(self.step + 1, now)
        assert self.step <= now + 2, "too many sign-ins in 30 s for one account"
        return self.totp.generate_otp(self.step)

    def tokens(self, path: str) -> dict[str, str]:
        html = self.client.get(path).get_data(as_text=True)
        tokens = {"csrf_token": hidden(html, "csrf_token")}
        if 'name="form_token"' in html:
            tokens["form_token"] = hidden(html, "form_token")
        return tokens

    def login(self, password: str = STAFF_PASSWORD):
        tokens = self.tokens("/review/login")
        response = self.client.post(
            "/review/login", data={**tokens, "username": self.username, "password": password, "code": self.code()}
        )
        if response.headers.get("Location", "").endswith("/review/enrol"):
            self.step -= 1  # that code was not used
            tokens = self.tokens("/review/enrol")
            response = self.client.post("/review/enrol", data={**tokens, "code": self.code()})
        return response

    def get(self, path: str):
        return self.client.get(path)

    def post(self, path: str, data: dict | None = None, form_page: str | None = None, confirm: bool = True):
        """Post a form; a step that asks for confirmation is confirmed unless ``confirm`` is False."""
        tokens = self.tokens(form_page or path)
        response = self.client.post(path, data={**tokens, **(data or {})}, content_type="multipart/form-data")
        return confirming(self.client, response) if confirm else response

    def act(self, case_id: str, action: str, confirm: bool = True, **fields):
        page = f"/review/cases/{case_id}"
        return self.post(f"{page}/act", {"action": action, **fields}, form_page=page, confirm=confirm)

    def accept(self, case_id: str, assignee: Staff, **fields):
        """受理并分办: an intake officer accepts the case and assigns it (sealing it to them)."""
        return self.act(case_id, "accept", assignee=str(assignee.user_id), **fields)


@pytest.fixture
def staff(app: Flask):
    """Make signed-in staff: staff("li", "reviewer")."""

    def make(username: str, role: str, login: bool = True) -> Staff:
        member = Staff(app, username, role)
        if login:
            response = member.login()
            assert response.status_code == 303, response.get_data(as_text=True)[:2000]
        return member

    return make


@pytest.fixture
def intake(staff) -> Staff:
    """The body's intake officer (信访干部), signed in; made before any case is filed, so each is sealed to them."""
    return staff("xin.fang", "intake")


def only_case_id(app: Flask) -> str:
    from portal.models import Case

    with app.app_context():
        return db.session.scalar(db.select(Case.id))
