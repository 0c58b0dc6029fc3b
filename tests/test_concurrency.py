"""Many audited requests at once, against a real threaded server: every one answered, every one recorded."""

from __future__ import annotations

import http.cookiejar
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from werkzeug.serving import make_server

from portal.extensions import db
from portal.models import AuditEntry
from portal.services import audit
from tests.conftest import hidden

REQUESTS = 16


@contextmanager
def serving(app) -> Iterator[str]:
    """The app under Werkzeug's threaded server (what `make run` starts), on a free port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)


def _failed_sign_in(base: str, username: str, start: threading.Barrier) -> int:
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    token = hidden(browser.open(base + "/review/login", timeout=60).read().decode(), "csrf_token")
    form = urllib.parse.urlencode(
        {"csrf_token": token, "username": username, "password": "wrong password", "code": "000000"}
    ).encode()
    start.wait(60)
    try:
        return browser.open(base + "/review/login", data=form, timeout=120).status
    except urllib.error.HTTPError as answer:
        return answer.code


def test_simultaneous_failed_sign_ins_are_each_answered_and_audited(cadre_factory):
    app, _cadre, _client = cadre_factory(LIMIT_LOGIN_CLIENT="1000 per minute", PROPAGATE_EXCEPTIONS=False)
    with app.app_context():
        before = db.session.scalar(db.select(db.func.count()).select_from(AuditEntry))
    start = threading.Barrier(REQUESTS)
    statuses: list[int] = []
    with serving(app) as base:
        workers = [
            threading.Thread(target=lambda i=i: statuses.append(_failed_sign_in(base, f"ghost{i}", start)))
            for i in range(REQUESTS)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(180)
    assert sorted(statuses) == [401] * REQUESTS
    with app.app_context():
        failed = db.session.scalar(
            db.select(db.func.count()).select_from(AuditEntry).where(AuditEntry.action == "sign_in_failed")
        )
        total = db.session.scalar(db.select(db.func.count()).select_from(AuditEntry))
        check = audit.verify()
    assert failed == REQUESTS and total == before + REQUESTS
    assert check.broken is None and check.checked == total
