"""Issue 7 items 2 and 10: the receipt survives a reload, a double tap and Back, and only there.

POST, redirect, GET: the receipt page shows the receipt again on reload until the
cadre confirms they have written it down. A resend of the same form (same one-time
token) leads the same browser to the receipt of the case it made, for a short
time; another browser never sees it; nothing ever says "nothing was saved" when a
case was.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

from werkzeug.serving import make_server

from portal.extensions import db
from portal.models import Case, SpentFormToken
from tests.conftest import RECEIPT, Cadre, _client, hidden

CONCERN = {"category": "other", "subject": "Inspections", "description": "Three teams a week."}
NOTHING_SAVED = ("Nothing was saved", "未保存任何内容")


def cases(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(Case))


def receipt_on(response) -> str | None:
    match = RECEIPT.search(response.get_data(as_text=True))
    return match.group(1) if match else None


def says_nothing_saved(response) -> bool:
    page = response.get_data(as_text=True)
    return any(phrase in page for phrase in NOTHING_SAVED)


def test_receipt_survives_a_reload_until_written_down_then_is_gone(app, cadre, client):
    sent = cadre.post("/submit/concern", CONCERN)
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/submit/receipt")
    assert "receipt" not in sent.headers["Location"].split("/submit/receipt")[1]  # nothing in the URL
    first = client.get("/submit/receipt")
    receipt = receipt_on(first)
    assert receipt and first.headers["Cache-Control"] == "no-store"
    assert receipt_on(client.get("/submit/receipt")) == receipt  # reload
    assert cases(app) == 1

    # Back to the form before writing it down leads to the receipt, not to a second case.
    back = client.get("/submit/concern")
    assert back.status_code == 303 and back.headers["Location"].endswith("/submit/receipt")

    done = client.post("/submit/receipt", data={"csrf_token": hidden(first.get_data(as_text=True), "csrf_token")})
    assert done.status_code == 303
    gone = client.get("/submit/receipt")
    assert gone.status_code == 404 and receipt_on(gone) is None
    assert client.get("/submit/concern").status_code == 200  # a new form now
    # The receipt really opens the case.
    assert cadre.follow_up(receipt).status_code == 303


def test_receipt_is_never_stored_readable(app, cadre, client):
    cadre.post("/submit/concern", CONCERN)
    receipt = receipt_on(client.get("/submit/receipt"))
    digits = receipt.replace(" ", "").encode()
    with app.app_context():
        held = db.session.scalar(db.select(SpentFormToken.receipt))
    assert held and digits not in held and receipt.encode() not in held
    # The cookie is signed, not encrypted: it holds a key and a form token, never the receipt.
    cookie = app.session_interface.get_signing_serializer(app).loads(client.get_cookie("zm_session").value)
    assert digits.decode() not in json.dumps(cookie) and receipt not in json.dumps(cookie)


def test_double_submit_ends_on_one_receipt_and_other_browsers_see_nothing(app, cadre, client):
    tokens = cadre.form("/submit/concern")
    first = cadre.post("/submit/concern", CONCERN, tokens)
    second = cadre.post("/submit/concern", CONCERN, tokens)
    assert first.status_code == second.status_code == 303
    shown = receipt_on(client.get("/submit/receipt"))
    assert shown is not None and cases(app) == 1

    # Another browser replays the very same form with a session of its own.
    other = Cadre(_client(app))
    replay = other.post(
        "/submit/concern", CONCERN, {**tokens, "csrf_token": other.form("/submit/concern")["csrf_token"]}
    )
    assert replay.status_code == 400 and receipt_on(replay) is None and shown not in replay.get_data(as_text=True)
    assert receipt_on(other.client.get("/submit/receipt")) is None
    assert not says_nothing_saved(replay)
    assert cases(app) == 1


def test_after_the_short_time_a_resend_is_told_the_form_was_sent(cadre_factory):
    app, cadre, client = cadre_factory(RECEIPT_RESEND_MINUTES=0)
    tokens = cadre.form("/submit/concern")
    assert cadre.post("/submit/concern", CONCERN, tokens).status_code == 303
    late = cadre.post("/submit/concern", CONCERN, tokens)
    assert late.status_code == 400 and receipt_on(late) is None
    page = late.get_data(as_text=True)
    assert "已提交过" in page or "already sent" in page
    assert not says_nothing_saved(late)
    assert cases(app) == 1


def _browser(base: str):
    jar = http.cookiejar.CookieJar()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())


def _post(opener, url: str, fields: dict) -> tuple[int, str]:
    try:
        response = opener.open(url, data=urllib.parse.urlencode(fields).encode(), timeout=60)
        return response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as exc:  # a 303 arrives here too: redirects are not followed
        return exc.code, exc.headers.get("Location") or exc.read().decode()


def test_two_taps_at_once_on_a_live_server_both_end_on_the_receipt(cadre_factory):
    """The issue's 8 of 8: the losing copy of a double tap got the 500 "nothing was saved"."""
    app, _cadre, _client = cadre_factory(ARGON2_MEMORY_KIB=65536, ARGON2_ITERATIONS=3, ARGON2_LANES=4)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        opener = _browser(base)
        html = opener.open(f"{base}/submit/concern", timeout=60).read().decode()
        fields = {"csrf_token": hidden(html, "csrf_token"), "form_token": hidden(html, "form_token"), **CONCERN}
        answers: dict[int, tuple[int, str]] = {}
        taps = [
            threading.Thread(
                target=lambda i=i: answers.__setitem__(i, _post(opener, f"{base}/submit/concern", fields)), daemon=True
            )
            for i in range(2)
        ]
        for tap in taps:
            tap.start()
        for tap in taps:
            tap.join(90)
        assert not any(t.is_alive() for t in taps), "a tap hung"
        assert [a[0] for a in answers.values()] == [303, 303], answers
        assert all(a[1].endswith("/submit/receipt") for a in answers.values())
        page = opener.open(f"{base}/submit/receipt", timeout=60).read().decode()
        assert re.search(RECEIPT, page)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert cases(app) == 1
