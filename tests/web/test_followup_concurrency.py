"""Issue 7 item 3: receipt checks at once through a threaded server, at production cost.

Before the fix two concurrent /followup posts hung (and a third got a 500):
the Argon2id lanes of both derivations fought over OpenSSL's thread pool.
"""

from __future__ import annotations

import http.cookiejar
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from tests.conftest import hidden

PRODUCTION_COST = {"ARGON2_MEMORY_KIB": 65536, "ARGON2_ITERATIONS": 3, "ARGON2_LANES": 4}
CHECKS = 3
DEADLINE_SECONDS = 60


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def threaded_server(cadre_factory) -> Iterator[tuple[str, str]]:
    """A threaded werkzeug server (as `flask run` starts) at production cost, and one receipt."""
    app, cadre, _client = cadre_factory(**PRODUCTION_COST)
    receipt = cadre.receipt_of(cadre.file_concern())
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", receipt
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _check_receipt(base: str, receipt: str) -> int:
    """One browser: open the form, send the receipt; the status code of the answer."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect())
    html = opener.open(f"{base}/followup", timeout=DEADLINE_SECONDS).read().decode()
    body = urllib.parse.urlencode({"csrf_token": hidden(html, "csrf_token"), "receipt": receipt}).encode()
    try:
        return opener.open(f"{base}/followup", data=body, timeout=DEADLINE_SECONDS).status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_concurrent_receipt_checks_all_sign_in(threaded_server):
    base, receipt = threaded_server
    statuses: dict[int, object] = {}

    def check(i: int) -> None:
        try:
            statuses[i] = _check_receipt(base, receipt)
        except Exception as exc:  # noqa: BLE001 - a timeout is the failure we look for
            statuses[i] = exc

    threads = [threading.Thread(target=check, args=(i,), daemon=True) for i in range(CHECKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(DEADLINE_SECONDS + 5)
    assert not any(t.is_alive() for t in threads), "receipt checks hung"
    assert statuses == {i: 303 for i in range(CHECKS)}
