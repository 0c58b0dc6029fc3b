"""The front of the public pages: a page this worker just answered, answered again before Flask runs.

A public notices page is the same bytes for everyone who asks for the same address, in the same
language, while the version it was made from stays the same (`conditional.py`). The view already
keeps rendered bodies by ETag; what is left per request is Flask itself (the request context, the
limiter's checks, the locale, the headers), which costs more than the page. So the view offers
its finished answer here, valid until this worker's memory of the versions it read runs out
(NOTICES_VERSION_SECONDS, one second): until then the same request is answered from here, a 304
when the browser holds it, without entering Flask. After that, the next request goes through Flask
again, which reads the version (from the database when it changed) and offers its answer anew. So
no page is served here longer than the version memory would keep it anyway, and whatever makes
the worker forget its versions (its own publication, correction or withdrawal) outdates every
answer kept here at once.

Only what is the same for everyone is kept: GET answers 200 with no cookie set, to requests
without a session cookie (a flashed message is one person's), never a search (it has a rate
limit, which must see every request). The key is the address, the language cookie and the
headers the answer's absolute links and scheme could depend on. The store is bounded in bytes
(NOTICES_PAGE_MEMO_BYTES), least recently used out first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import Flask, current_app, request
from werkzeug.http import is_resource_modified, parse_cookie

from portal.services import notices_public
from portal.web.notices.memo import BoundedMemo

#: The environ key through which the view offers its answer (set only on requests this front may keep).
OFFER = "zm.front_cache.offer"
#: Paths this front considers; everything else goes straight to Flask.
PREFIX = "/notices"
#: Headers a 304 does not repeat.
_ENTITY = frozenset(("content-length", "content-type"))


@dataclass(frozen=True)
class Offer:
    until: float
    memory: object  # the worker's version memory it was made from (notices_public.versions_memory)
    etag: str
    last_modified: dt.datetime | None


@dataclass(frozen=True)
class Entry:
    until: float
    memory: object
    etag: str
    last_modified: dt.datetime | None
    headers: list[tuple[str, str]]
    body: bytes

    def answer(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if not is_resource_modified(environ, etag=self.etag, last_modified=self.last_modified):
            start_response("304 NOT MODIFIED", [h for h in self.headers if h[0].lower() not in _ENTITY])
            return [b""]
        start_response("200 OK", list(self.headers))
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else self.body]


def offer(etag: str, last_modified: dt.datetime | None) -> None:
    """The view's answer may be kept (called by `conditional.public_response`, for a shareable page)."""
    until = notices_public.remembered_until()
    memory = notices_public.versions_memory(current_app.extensions)
    if until is not None and memory is not None and OFFER in request.environ:
        request.environ[OFFER] = Offer(until, memory, etag, last_modified)


class FrontCache:
    """WSGI middleware around the app (outside ProxyFix: it keys on the raw forwarding headers)."""

    def __init__(self, app: Flask, wsgi_app: Callable) -> None:
        self.wsgi_app = wsgi_app
        self.session_cookie = app.config["SESSION_COOKIE_NAME"]
        self.languages = frozenset(app.config["LANGUAGES"])
        self.store: BoundedMemo[tuple, Entry] = BoundedMemo(
            int(app.config["NOTICES_PAGE_MEMO_BYTES"]), lambda entry: len(entry.body)
        )
        self.extensions = app.extensions

    def _key(self, environ: dict) -> tuple | None:
        method = environ.get("REQUEST_METHOD")
        path = environ.get("PATH_INFO", "")
        if method not in ("GET", "HEAD") or not path.startswith(PREFIX):
            return None
        language = None
        if "HTTP_COOKIE" in environ:
            cookies = parse_cookie(environ)
            if self.session_cookie in cookies:
                return None
            language = cookies.get("zm_lang")
            if language not in self.languages:
                language = None
        return (
            path,
            environ.get("QUERY_STRING", ""),
            language,
            environ.get("SCRIPT_NAME", ""),
            environ.get("wsgi.url_scheme"),
            environ.get("HTTP_HOST"),
            environ.get("HTTP_X_FORWARDED_HOST"),
            environ.get("HTTP_X_FORWARDED_PROTO"),
            environ.get("HTTP_X_FORWARDED_PREFIX"),
        )

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        key = self._key(environ)
        if key is None:
            return self.wsgi_app(environ, start_response)
        entry = self.store.get(key)
        if (
            entry is not None
            and entry.until > notices_public.clock()
            and entry.memory is notices_public.versions_memory(self.extensions)
        ):
            return entry.answer(environ, start_response)
        if environ["REQUEST_METHOD"] != "GET":
            return self.wsgi_app(environ, start_response)
        environ[OFFER] = None
        answered: list = []

        def keep_start_response(status: str, headers: list[tuple[str, str]], exc_info=None):
            answered[:] = [status, headers]
            return start_response(status, headers, exc_info)

        chunks = self.wsgi_app(environ, keep_start_response)
        offered = environ.get(OFFER)
        if (
            not isinstance(offered, Offer)
            or not answered
            or not answered[0].startswith("200 ")
            or any(name.lower() == "set-cookie" for name, _ in answered[1])
        ):
            return chunks
        try:
            body = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        entry = Entry(offered.until, offered.memory, offered.etag, offered.last_modified, list(answered[1]), body)
        self.store.put(key, entry)
        return [body]
