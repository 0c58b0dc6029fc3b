"""A part behind the portal goes away and comes back: the portal's own 503, nothing half-saved, no restart.

PostgreSQL and Redis are shared with other people on this machine, so neither
is stopped: each is reached through a TCP forwarder (tests/tcp_proxy.py) that
the test stops (every connection reset, new ones refused) and starts again.
"""

from __future__ import annotations

import os
import socket

import pytest
from sqlalchemy.engine import make_url

from portal.extensions import db
from portal.models import Case
from portal.web.rate_limits import limiter
from tests.conftest import Cadre, _client, _finish, _prepare, make_app
from tests.tcp_proxy import TcpProxy

REDIS_URL = os.environ.get("ZM_TEST_REDIS_URL", "redis://127.0.0.1:6379/3")


def _cases(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(Case))


def _reachable(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture
def database_behind_proxy(schema):
    url = make_url(schema)
    if url.get_backend_name() != "postgresql":
        pytest.skip("the outage test needs PostgreSQL (DATABASE_URL=postgresql+psycopg://...)")
    with TcpProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        app = make_app(url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False))
        _prepare(app)
        try:
            yield app, proxy
        finally:
            proxy.stop()
            proxy.start()
            _finish(app)


def test_database_outage_gets_the_portals_503_then_works_without_a_restart(database_behind_proxy, staff):
    app, proxy = database_behind_proxy
    cadre = Cadre(_client(app))
    receipt = cadre.receipt_of(cadre.file_concern(subject="Before the outage"))
    english = Cadre(_client(app))
    english.client.get("/lang/en")
    tokens = cadre.form("/submit/concern"), english.form("/submit/concern")
    fields = {"category": "workload", "subject": "During the outage", "description": "Sent while the database is away."}

    proxy.stop()
    for who, form, words in ((cadre, tokens[0], "未保存任何内容"), (english, tokens[1], "Nothing was saved")):
        response = who.post("/submit/concern", fields, form)
        assert response.status_code == 503
        html = response.get_data(as_text=True)
        assert words in html and 'class="box warn"' in html
        assert who.follow_up(receipt).status_code == 503
    proxy.start()

    assert _cases(app) == 1  # nothing of the refused submissions
    for who in (cadre, english):
        answer = who.file_concern(subject="After the outage")
        assert answer.status_code == 200 and who.receipt_of(answer)
    assert cadre.follow_up(receipt).status_code == 303
    assert "Before the outage" in cadre.client.get("/followup/status").get_data(as_text=True)
    assert _cases(app) == 3


def test_a_staff_error_page_during_an_outage_is_the_portals_own(database_behind_proxy, staff):
    """A 404 on a staff page loads the signed-in member for the layout; with the database away that must not
    turn into a bare 500."""
    app, proxy = database_behind_proxy
    from tests.conftest import Staff

    member = Staff(app, "out.rev", "reviewer")
    assert member.login().status_code == 303
    proxy.stop()
    try:
        response = member.get("/review/no-such-page")
        assert response.status_code in (404, 503)
        assert 'class="box warn"' in response.get_data(as_text=True) or "正名" in response.get_data(as_text=True)
    finally:
        proxy.start()
    assert member.get("/review").status_code == 200


def test_database_outage_on_a_staff_page_gets_the_503_and_the_session_survives_it(database_behind_proxy):
    app, proxy = database_behind_proxy
    from tests.conftest import Staff

    reviewer = Staff(app, "reviewer1", "reviewer")
    assert reviewer.login().status_code == 303
    proxy.stop()
    response = reviewer.get("/review")
    assert response.status_code == 503
    assert "未保存任何内容" in response.get_data(as_text=True)
    proxy.start()
    assert reviewer.get("/review").status_code == 200


@pytest.fixture
def redis_behind_proxy(schema):
    url = make_url(REDIS_URL.replace("redis://", "redis+x://", 1))
    if not _reachable(url.host or "127.0.0.1", url.port or 6379):
        pytest.skip("no Redis at " + REDIS_URL)
    with TcpProxy(url.host or "127.0.0.1", url.port or 6379) as proxy:
        storage = f"redis://127.0.0.1:{proxy.port}/{url.database or 0}"
        app = make_app(schema, RATELIMIT_STORAGE_URI=storage)
        _prepare(app)
        try:
            yield app, proxy
        finally:
            proxy.stop()
            proxy.start()
            # Flask-Limiter notices the return only on later requests; the next test's app must not
            # inherit "storage dead" from this one (the extension object is shared by all test apps).
            limiter._storage_dead = False  # noqa: SLF001
            _finish(app)


def test_redis_down_the_cadres_side_keeps_working_and_limits_count_per_process(redis_behind_proxy):
    app, proxy = redis_behind_proxy
    cadre = Cadre(_client(app))
    receipt = cadre.receipt_of(cadre.file_concern(subject="Before Redis went away"))
    proxy.stop()

    filed = cadre.file_concern(subject="While Redis is away")
    assert filed.status_code == 200 and cadre.receipt_of(filed)
    assert cadre.follow_up(receipt).status_code == 303
    assert cadre.reply("A reply while Redis is away.").status_code == 303
    # The limits still hold, counted in this process's memory (portal/web/outages.py says why).
    guesser = Cadre(_client(app))
    wrong = [guesser.follow_up("1111 2222 3333 4444").status_code for _ in range(11)]
    assert wrong == [400] * 10 + [429]

    proxy.start()
    again = cadre.file_concern(subject="After Redis came back")
    assert again.status_code == 200 and cadre.receipt_of(again)
    assert _cases(app) == 3


def test_when_redis_returns_the_limits_are_counted_there_again(redis_behind_proxy):
    """The fallback is for the outage only: once Redis answers, the workers share their counts again."""
    import time

    import redis

    app, proxy = redis_behind_proxy
    direct = redis.Redis.from_url(REDIS_URL)
    proxy.stop()
    guesser = Cadre(_client(app))
    assert guesser.follow_up("1111 2222 3333 4444").status_code == 400  # counted in this process's memory
    direct.flushdb()  # the database of this test's own (ZM_TEST_REDIS_URL): nothing of the outage is there
    proxy.start()
    deadline = time.monotonic() + 20  # Flask-Limiter checks a dead storage again with back-off from 1 s
    while not direct.dbsize() and time.monotonic() < deadline:
        assert Cadre(_client(app)).follow_up("1111 2222 3333 4444").status_code in (400, 429)
        time.sleep(0.5)
    assert direct.dbsize() > 0, "the limits never went back to Redis"
