"""Refuse malformed requests before any form, session or database sees them.

PostgreSQL cannot store or even compare a string holding NUL, Flask-WTF
assumes every multipart part has a name, and Werkzeug's `int` converter accepts
numbers no database column holds: each would end in a 500 deep inside a view.
One check here turns all of them into the same clear 400.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain

from flask import Flask, request
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

#: The largest id a BIGINT column holds; larger path numbers are no page at all (404).
MAX_ID = 2**63 - 1


class MalformedRequest(BadRequest):
    """A request no browser sends from our pages: a NUL byte, a nameless form part."""


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` limited to what the database can compare."""

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 - Werkzeug's signature
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def parse_id(value: str | None) -> int:
    """A row id the database can hold; ValueError for anything else (huge, negative, not digits)."""
    text = (value or "").strip()
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= MAX_ID:
        raise ValueError("not a row id")
    return int(text)


def optional_id(value: str | None) -> int | None:
    """parse_id for an optional choice: None when absent or not a row id."""
    try:
        return parse_id(value)
    except ValueError:
        return None


def _strings(values: Iterable[str | None]) -> Iterable[str]:
    return (v for v in values if isinstance(v, str))


def _has_nul(*groups: Iterable[str | None]) -> bool:
    return any("\x00" in s for group in groups for s in _strings(group))


def check_request() -> None:
    """Raise MalformedRequest for a NUL anywhere in the path, query or form, or a nameless part."""
    args = request.args
    if "\x00" in request.path or _has_nul(args.keys(), chain.from_iterable(args.listvalues())):
        raise MalformedRequest()
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    form, files = request.form, request.files
    if None in form or None in files:
        raise MalformedRequest()
    filenames = (f.filename for f in files.values())
    if _has_nul(form.keys(), chain.from_iterable(form.listvalues()), files.keys(), filenames):
        raise MalformedRequest()


def init_app(app: Flask) -> None:
    """Call before binding Flask-WTF, so this runs first on every request."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request(check_request)
