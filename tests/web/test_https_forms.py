"""Forms over HTTPS, posted with exactly the headers a browser sends under the page's policy.

Production runs behind a TLS proxy (ProxyFix trusts X-Forwarded-Proto); a
browser decides Origin and Referer from the Referrer-Policy the page itself
set (the <meta name="referrer"> wins over the header), per the Fetch standard.
"""

from __future__ import annotations

import re

import pytest

from portal.extensions import db
from portal.models import Case
from tests.conftest import STAFF_PASSWORD, Staff, hidden, only_case_id

SITE = "https://portal.example"
PRODUCTION_LIKE = {"PROXY_COUNT": 1, "SESSION_COOKIE_SECURE": True, "HSTS": True, "PREFERRED_URL_SCHEME": "https"}
_META = re.compile(r'<meta name="referrer" content="([^"]+)">')


def sent_by_browser(policy: str, page_url: str) -> dict[str, str]:
    """Origin and Referer of a same-origin form POST from page_url (Fetch, Referrer Policy)."""
    if policy == "no-referrer":
        return {"Origin": "null"}
    if policy in ("origin", "strict-origin"):
        return {"Origin": SITE, "Referer": SITE + "/"}
    return {"Origin": SITE, "Referer": page_url}  # same-origin, *-when-cross-origin, unsafe-url


class Browser:
    """A browser at https://portal.example; the TLS proxy in front adds its headers (or not)."""

    def __init__(self, client, proxied: bool) -> None:
        self.client = client
        self.base = "http://portal.example" if proxied else SITE
        self.proxy = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.77"} if proxied else {}
        self.page, self.policy, self.html = SITE + "/", "no-referrer", ""

    def get(self, path: str):
        response = self.client.get(path, base_url=self.base, headers=self.proxy)
        self.html = response.get_data(as_text=True)
        meta = _META.search(self.html)
        self.page = SITE + path
        self.policy = meta.group(1) if meta else response.headers.get("Referrer-Policy", "")
        return response

    def submit(self, path: str, data: dict, headers: dict | None = None):
        """Post the form of the page last opened, as the browser would (or with forged headers)."""
        fields = {"csrf_token": hidden(self.html, "csrf_token")}
        if 'name="form_token"' in self.html:
            fields["form_token"] = hidden(self.html, "form_token")
        sent = headers if headers is not None else sent_by_browser(self.policy, self.page)
        return self.client.post(
            path,
            base_url=self.base,
            headers={**self.proxy, **sent},
            data={**fields, **data},
            content_type="multipart/form-data",
        )


CONCERN = {"category": "workload", "subject": "Inspections", "description": "Three teams a week.", "unit": ""}


@pytest.fixture(params=[True, False], ids=["behind-tls-proxy", "direct-tls"])
def site(request, cadre_factory):
    app, _cadre, _client = cadre_factory(**PRODUCTION_LIKE)
    return app, request.param


def test_pages_keep_the_referrer_on_the_site(site):
    app, proxied = site
    browser = Browser(app.test_client(), proxied)
    response = browser.get("/submit/concern")
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert browser.policy == "same-origin"
    assert response.headers["Strict-Transport-Security"]


def test_cadre_submits_and_follows_up_over_https(site):
    app, proxied = site
    browser = Browser(app.test_client(), proxied)
    browser.get("/submit/concern")
    filed = browser.submit("/submit/concern", CONCERN)
    assert filed.status_code < 400, filed.get_data(as_text=True)[:500]
    assert only_case_id(app)
    page = filed if filed.status_code == 200 else browser.get(filed.headers["Location"])
    receipt = re.search(r'<p class="receipt">([\d ]+)</p>', page.get_data(as_text=True)).group(1)
    follow = Browser(app.test_client(), proxied)
    follow.get("/followup")
    signed_in = follow.submit("/followup", {"receipt": receipt})
    assert signed_in.status_code == 303, signed_in.get_data(as_text=True)[:500]
    assert follow.get("/followup/status").status_code == 200


def test_staff_sign_in_over_https(site):
    app, proxied = site
    member = Staff(app, "tls_reviewer", "reviewer")
    browser = Browser(app.test_client(), proxied)
    browser.get("/review/login")
    first = browser.submit("/review/login", {"username": member.username, "password": STAFF_PASSWORD, "code": ""})
    assert first.status_code == 303 and first.headers["Location"].endswith("/review/enrol")
    browser.get("/review/enrol")
    enrolled = browser.submit("/review/enrol", {"code": member.code()})
    assert enrolled.status_code == 303, enrolled.get_data(as_text=True)[:500]
    assert browser.get("/review").status_code == 200


@pytest.mark.parametrize(
    "forged",
    [
        {"Origin": "https://evil.example", "Referer": "https://evil.example/form"},
        {"Origin": "https://evil.example"},
        {"Referer": "https://evil.example/form"},
        {"Origin": "http://portal.example", "Referer": "http://portal.example/submit/concern"},
        {"Origin": SITE, "Referer": "https://evil.example/form"},
        {"Origin": "null"},
        {},
    ],
    ids=["both", "origin", "referer", "plain-http-origin", "mixed", "null", "none"],
)
def test_cross_site_post_is_refused(site, forged):
    app, proxied = site
    browser = Browser(app.test_client(), proxied)
    browser.get("/submit/concern")
    response = browser.submit("/submit/concern", CONCERN, headers=forged)
    assert response.status_code == 400
    assert 'class="box warn"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Case)) == 0
