"""Public responses: cacheable for a minute, revalidated by ETag, answered 304 without rendering.

The ETag is a hash of everything the bytes depend on: the data version the view
read (a notice's newest revision id, or the newest of all), the language, the
address with its query (the language switch links back to it) and the site root
(the feed's links are absolute). So a correction, a new notice or another
language gives another ETag, and an unchanged page keeps its own.

Because the ETag names the bytes exactly, a worker keeps the bodies it rendered
by ETag (a bounded memo, least recently used out first): a page is rendered once
per version, language and address. Each request asks for the current version first;
a worker remembers it for NOTICES_VERSION_SECONDS (one second), so a cached page
costs no database connection, and no worker serves what another has replaced for
longer than that.
NOTICES_PAGE_MEMO_BYTES (per worker; 0 turns it off) bounds it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Hashable

from flask import Response, current_app, request, session
from flask_babel import get_locale
from werkzeug.http import is_resource_modified

from portal.services import notices_public
from portal.web.notices import front_cache
from portal.web.notices.memo import BoundedMemo

#: Shared caches and browsers may keep a public page this long (seconds) before revalidating.
MAX_AGE = 60
HTML = "text/html; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"


def _memo() -> BoundedMemo[str, bytes] | None:
    budget = current_app.config["NOTICES_PAGE_MEMO_BYTES"]
    if not budget:
        return None
    memo = current_app.extensions.get("zm_notice_pages")
    if memo is None:
        memo = current_app.extensions.setdefault("zm_notice_pages", BoundedMemo(int(budget), len))
    return memo


def forget_public_pages() -> None:
    """Drop every rendered body this worker keeps: after a withdrawal none may linger in memory.

    (Other workers' bodies are keyed by ETags that name the old version; no request can reach them.)
    """
    current_app.extensions.pop("zm_notice_pages", None)
    notices_public.forget_versions()  # which outdates every answer of the worker's front_cache too


def _body(etag: str, render: Callable[[], str]) -> bytes:
    memo = _memo()
    body = memo.get(etag) if memo is not None else None
    if body is None:
        body = render().encode()
        if memo is not None:
            memo.put(etag, body)
    return body


def _etag(version: tuple[Hashable, ...]) -> str:
    parts = (*version, str(get_locale()), request.url_root, request.full_path)
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]


def public_response(
    version: tuple[Hashable, ...],
    last_modified: dt.datetime | None,
    render: Callable[[], str],
    content_type: str = HTML,
    shareable: bool = True,
) -> Response:
    """A 200 with validators, or an empty 304 when the client's copy is current.

    A ``shareable`` answer (every page but a search, which has a rate limit to pass) is offered to
    the worker's front (`front_cache`), which answers the same request again without Flask for as
    long as the versions it was made from stay remembered."""
    if "_flashes" in session:
        # A message meant for one person: render it once, keep it out of every cache.
        response = Response(render(), content_type=content_type)
        response.headers["Cache-Control"] = "no-store"
        return response
    etag = _etag(version)
    if shareable:
        front_cache.offer(etag, last_modified)
    if is_resource_modified(request.environ, etag=etag, last_modified=last_modified):
        response = Response(_body(etag, render), content_type=content_type)
    else:
        response = Response(status=304)
    response.set_etag(etag)
    if last_modified is not None:
        response.last_modified = last_modified.replace(tzinfo=dt.UTC)
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    # The language comes from the zm_lang cookie.
    response.vary.add("Cookie")
    return response
