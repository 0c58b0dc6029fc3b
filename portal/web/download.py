"""Serving decrypted files: always as a download, never rendered by the browser."""

from __future__ import annotations

from flask import Response


def as_attachment(name: str, mime: str, data: bytes) -> Response:
    """A response that makes the browser save the file, with a sandbox CSP for safety."""
    response = Response(data, mimetype=mime)
    response.headers.set("Content-Disposition", "attachment", filename=name)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
