"""Response headers every page carries (strict CSP, no caching of private pages),
and the same-origin check on every form post."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, request
from flask_wtf.csrf import CSRFError

_SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
_DEFAULT_PORTS = {"http": "80", "https": "443"}

CSP = "; ".join(
    [
        "default-src 'none'",
        "style-src 'self'",
        "img-src 'self' data:",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)


def _headers(app: Flask):
    def apply(response: Response) -> Response:
        h = response.headers
        h.setdefault("Content-Security-Policy", CSP)
        h["X-Content-Type-Options"] = "nosniff"
        h["X-Frame-Options"] = "DENY"
        # Same-origin: no address ever leaves the site, yet our own form posts carry
        # Referer and Origin, which the same-origin check below needs over HTTPS.
        h["Referrer-Policy"] = "same-origin"
        h["Cross-Origin-Opener-Policy"] = "same-origin"
        h["Cross-Origin-Resource-Policy"] = "same-origin"
        h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        if app.config["HSTS"]:
            h["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
        if request.endpoint != "static" and "Cache-Control" not in h:
            h["Cache-Control"] = "no-store"
            h["Pragma"] = "no-cache"
        return response

    return apply


def _origin(url: str) -> tuple[str, str, str] | None:
    """(scheme, host, port) of a URL, with the default port filled in."""
    try:
        parts = urlsplit(url)
        port = str(parts.port) if parts.port else _DEFAULT_PORTS.get(parts.scheme, "")
    except ValueError:
        return None
    if not parts.scheme or not parts.hostname:
        return None
    return parts.scheme, parts.hostname.lower(), port


def check_same_origin() -> None:
    """Refuse a form post another site sent; accept what browsers send from our pages.

    Browsers send Origin on posts (``null`` when they withhold it) and, under our
    Referrer-Policy, a Referer of the page. Either naming us is enough; either
    naming someone else refuses. Over HTTPS one of them must be there (as
    Flask-WTF's strict check demanded, but that check wanted the Referer only).
    """
    if request.method in _SAFE_METHODS:
        return
    ours = _origin(request.host_url)
    origin = request.headers.get("Origin")
    referer = request.headers.get("Referer")
    named = [value for value in (origin, referer) if value and value != "null"]
    if any(_origin(value) != ours for value in named):
        raise CSRFError("The request was not sent from this site.")
    if not named and (request.is_secure or origin == "null"):
        raise CSRFError("The request does not say which site sent it.")


def init_app(app: Flask) -> None:
    app.after_request(_headers(app))
    app.before_request(check_same_origin)
