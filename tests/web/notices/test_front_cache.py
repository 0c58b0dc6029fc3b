"""The front of the public pages (portal/web/notices/front_cache.py): a page this worker answered is
answered again, byte for byte, without entering Flask, for as long as the versions it was made from
stay remembered; never a search, never a request with a session, never after the worker's own change."""

from __future__ import annotations

import pytest

from portal.services import notices_public
from portal.web.notices.front_cache import FrontCache


@pytest.fixture
def flask_calls(app, monkeypatch):
    """How many requests reached Flask behind the front (the front itself is app.wsgi_app)."""
    front = app.wsgi_app
    assert isinstance(front, FrontCache)
    inner, calls = front.wsgi_app, []

    def counted(environ, start_response):
        calls.append(environ["PATH_INFO"] + ("?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else ""))
        return inner(environ, start_response)

    monkeypatch.setattr(front, "wsgi_app", counted)
    now = [1000.0]
    monkeypatch.setattr(notices_public, "clock", lambda: now[0])
    return calls, now


def _same(first, again) -> None:
    assert again.status_code == first.status_code == 200
    assert again.data == first.data
    assert sorted(again.headers.items()) == sorted(first.headers.items())


@pytest.mark.parametrize("template", ["/notices", "/notices/{id}", "/notices/feed.atom", "/notices?older={older}"])
def test_a_page_is_answered_again_without_flask_byte_for_byte(client, desk, flask_calls, template):
    calls, _ = flask_calls
    notice_id = desk.publish()
    address = template.format(id=notice_id, older="20991231000000-999")
    first = client.get(address)
    for _ in range(3):
        _same(first, client.get(address))
    assert calls == [address]
    # The browser holding it gets the 304 from the front too: validators, no body.
    held = client.get(address, headers={"If-None-Match": first.headers["ETag"]})
    assert held.status_code == 304 and held.data == b"" and held.headers["ETag"] == first.headers["ETag"]
    assert held.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    head = client.head(address)
    assert head.status_code == 200 and head.data == b"" and head.headers["ETag"] == first.headers["ETag"]
    assert calls == [address]


def test_once_the_version_memory_runs_out_flask_answers_again(client, desk, flask_calls):
    calls, now = flask_calls
    desk.publish()
    client.get("/notices")
    now[0] += 0.9
    client.get("/notices")
    assert len(calls) == 1
    now[0] += 0.2  # past NOTICES_VERSION_SECONDS: the version is read again, the answer offered anew
    client.get("/notices")
    client.get("/notices")
    assert len(calls) == 2


def test_the_workers_own_correction_and_withdrawal_show_at_once(client, desk, flask_calls):
    calls, _ = flask_calls  # the clock stands still: only forgetting can end an answer kept here
    notice_id = desk.publish()
    address = f"/notices/{notice_id}"
    assert "平纪澄〔2024〕7号" in client.get(address).get_data(as_text=True)
    desk.correct(notice_id, number="平纪澄〔2024〕8号")
    assert "平纪澄〔2024〕8号" in client.get(address).get_data(as_text=True)
    desk.withdraw(notice_id)
    withdrawn = client.get(address).get_data(as_text=True)
    assert "村道硬化工程" not in withdrawn and "当事人撤回同意" in withdrawn  # the stub, with the reason
    assert len(calls) == 3


def test_a_search_always_passes_its_rate_limit(app, client, desk, flask_calls):
    calls, _ = flask_calls
    app.config["LIMIT_NOTICE_SEARCH"] = "3 per minute"
    desk.publish()
    answers = [client.get("/notices?q=王建国").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert len(calls) == 4


def test_a_request_with_a_session_cookie_goes_to_flask(app, client, desk, flask_calls):
    calls, _ = flask_calls
    desk.publish()
    client.get("/notices")
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], "anything")
    client.get("/notices")
    client.get("/notices")
    assert len(calls) == 3


def test_each_language_and_host_is_kept_apart(client, desk, flask_calls):
    calls, _ = flask_calls
    desk.publish()
    chinese = client.get("/notices").get_data(as_text=True)
    client.set_cookie("zm_lang", "en")
    english = client.get("/notices").get_data(as_text=True)
    assert english != chinese and "Clarification" in english
    assert client.get("/notices").get_data(as_text=True) == english
    client.set_cookie("zm_lang", "xx")  # not a language: the default's answer, kept once for both
    assert client.get("/notices").get_data(as_text=True) == chinese
    other = client.get("/notices", headers={"Host": "other.example"})
    assert other.status_code == 200
    assert len(calls) == 3  # zh, en and the other host: each once
