"""Static files under content-hashed addresses, cached for a year; the favicon inline.

At start-up every file under static/ is hashed once; ``url_for('static', filename=...)``
then adds ``?v=<hash>``, so a changed file gets a new address and an unchanged one may be
kept by browsers and caches for a year without asking again (``immutable``). A request
for a stale or missing hash gets the current file with the ordinary revalidation.

The favicon is the 32 × 32 image of static/favicon.ico as a data: URI in the layout
(CSP img-src allows data:), so no page costs a request for it; /favicon.ico stays for
browsers that ask for it anyway.
"""

from __future__ import annotations

import base64
import hashlib
import os
import struct
from typing import Any

from flask import Flask, Response, request

#: A year, the longest lifetime caches honour.
IMMUTABLE = "public, max-age=31536000, immutable"
_HASH_CHARS = 12


def file_hashes(folder: str) -> dict[str, str]:
    """{path relative to the folder, with /: first hex digits of its SHA-256}."""
    found: dict[str, str] = {}
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()[:_HASH_CHARS]
            found[os.path.relpath(path, folder).replace(os.sep, "/")] = digest
    return found


def icon_data_uri(ico: bytes) -> str | None:
    """The largest PNG image of an ICO file as a data: URI (None if it holds no PNG)."""
    if len(ico) < 6 or ico[:4] != b"\x00\x00\x01\x00":
        return None
    (count,) = struct.unpack_from("<H", ico, 4)
    best: tuple[int, bytes] | None = None
    for i in range(count):
        width, _h, _c, _r, _p, _b, size, offset = struct.unpack_from("<BBBBHHII", ico, 6 + 16 * i)
        image = ico[offset : offset + size]
        if image[:8] == b"\x89PNG\r\n\x1a\n" and (best is None or (width or 256) > best[0]):
            best = (width or 256, image)
    return "data:image/png;base64," + base64.b64encode(best[1]).decode() if best else None


def init_app(app: Flask) -> None:
    folder = app.static_folder or ""
    hashes = file_hashes(folder) if os.path.isdir(folder) else {}
    favicon = None
    if "favicon.ico" in hashes:
        with open(os.path.join(folder, "favicon.ico"), "rb") as handle:
            favicon = icon_data_uri(handle.read())
    app.extensions["zm_static_hashes"] = hashes

    @app.url_defaults
    def hashed(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "v" not in values:
            digest = hashes.get(values.get("filename", ""))
            if digest:
                values["v"] = digest

    @app.after_request
    def cache_hashed(response: Response) -> Response:
        if request.endpoint == "static" and response.status_code in (200, 304):
            filename = (request.view_args or {}).get("filename", "")
            if request.args.get("v") and request.args.get("v") == hashes.get(filename):
                response.headers["Cache-Control"] = IMMUTABLE
        return response

    @app.context_processor
    def icon() -> dict[str, str]:
        return {"favicon_href": favicon or "/favicon.ico"}
