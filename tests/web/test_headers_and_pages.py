"""What every page sends: security headers, cookies, no third-party asset, small weight."""

from __future__ import annotations

import os
import re

import pytest

from portal import create_app

ANONYMOUS_PAGES = ["/", "/submit/concern", "/submit/clarification", "/followup", "/no-such-page"]
#: The issue's budget per page: HTML, CSS and JS together, before compression.
PAGE_BUDGET = 30 * 1024


def all_pages(cadre, client) -> dict[str, tuple[int, str]]:
    """Every page of the anonymous side, including the receipt and status pages."""
    pages = {path: client.get(path) for path in ANONYMOUS_PAGES}
    receipt_page = cadre.file_clarification()
    pages["receipt"] = receipt_page
    cadre.follow_up(cadre.receipt_of(receipt_page))
    pages["/followup/status"] = client.get("/followup/status")
    pages["error:wrong-receipt"] = cadre.follow_up("1234")
    return pages


def test_security_headers_on_every_page(cadre, client):
    for name, response in all_pages(cadre, client).items():
        h = response.headers
        csp = h["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp, name
        assert "script-src" not in csp and "unsafe-inline" not in csp, name
        assert h["X-Content-Type-Options"] == "nosniff", name
        assert h["Referrer-Policy"] == "same-origin", name
        assert h["X-Frame-Options"] == "DENY", name
        assert h["Cache-Control"] == "no-store", name


def test_no_third_party_asset_on_any_page(cadre, client):
    for name, response in all_pages(cadre, client).items():
        html = response.get_data(as_text=True)
        refs = re.findall(r'(?:src|href|action)="([^"]*)"', html)
        assert refs, name
        for ref in refs:
            assert ref.startswith(("/", "#", "data:image/png;base64,")), (name, ref)
        assert "@import" not in html and "url(http" not in html


def test_pages_stay_within_the_weight_budget(cadre, client):
    css = len(client.get("/static/site.css").data)
    weights = {name: len(r.data) + css for name, r in all_pages(cadre, client).items()}
    for name, weight in weights.items():
        assert weight < PAGE_BUDGET, (name, weight)


def test_submitter_cookie_is_strict_httponly_and_not_persistent(cadre, client):
    response = cadre.follow_up(cadre.receipt_of(cadre.file_concern()))
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("zm_session="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Expires" not in cookie and "Max-Age" not in cookie
    assert "Secure" not in cookie  # development default: plain http on loopback


def test_production_cookies_are_secure_and_hsts_is_sent(schema, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("ZM_RECEIPT_PEPPER", "p" * 40)
    monkeypatch.setenv("ZM_SINGLE_PROCESS", "1")  # the test client is one process, limits in memory
    monkeypatch.setenv("ZM_CANONICAL_URL", "https://portal.example")
    production = create_app({"SQLALCHEMY_DATABASE_URI": schema}, config_name="production")
    assert production.config["SESSION_COOKIE_SECURE"] is True
    client = production.test_client()
    response = client.get("/submit/concern", base_url="https://portal.example")
    assert "Strict-Transport-Security" in response.headers
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("zm_session="))
    assert "Secure" in cookie and "SameSite=Strict" in cookie


def test_static_assets_are_cacheable(client):
    response = client.get("/static/site.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_the_stylesheet_has_a_content_hashed_address_cached_for_a_year(app, client):
    import hashlib

    page = client.get("/submit/concern").get_data(as_text=True)
    digest = hashlib.sha256(open(os.path.join(app.static_folder, "site.css"), "rb").read()).hexdigest()[:12]
    assert f'href="/static/site.css?v={digest}"' in page
    hashed = client.get(f"/static/site.css?v={digest}")
    assert hashed.status_code == 200 and hashed.data
    assert hashed.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # An address with another hash (a page rendered before a deploy) gets the file, revalidated as usual.
    stale = client.get("/static/site.css?v=000000000000")
    assert stale.status_code == 200 and "immutable" not in stale.headers.get("Cache-Control", "")


def test_the_icon_is_inline_once_per_page_and_the_csp_allows_it(client):
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert page.count('rel="icon"') == 1 and 'rel="icon" href="data:image/png;base64,' in page
    assert "img-src 'self' data:" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("path", ANONYMOUS_PAGES[:-1])
def test_every_page_offers_the_other_language(client, path):
    html = client.get(path).get_data(as_text=True)
    assert f'href="/lang/en?next={path}"' in html
