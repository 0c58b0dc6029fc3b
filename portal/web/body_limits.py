"""Refuse an oversize request body before anything parses it.

MAX_CONTENT_LENGTH (five attachments) is what the forms with a file field may
send. Every other form is text only, and parsing a 50 MB urlencoded field costs
seconds of CPU and hundreds of MB before its field rules refuse it. So each
endpoint has a body limit, checked first thing (before the NUL check, CSRF or
any form access):

- forms with a file field (`FILE_FORMS`): MAX_CONTENT_LENGTH in multipart, and
  MAX_TEXT_FORM_BYTES in any other content type (no file comes that way);
- forms with long text, up to 20,000 characters a field (`TEXT_FORMS`): MAX_TEXT_FORM_BYTES;
- every other endpoint, and any path that is no endpoint at all (the receipt,
  sign-in and button forms): MAX_SHORT_FORM_BYTES.

A new form with a long text field or a file field must be named here; a test
(tests/web/test_body_limits.py) posts the largest body each form may carry.
A declared Content-Length over the limit is refused at once, without reading;
a chunked body is cut at the limit while it is read (Werkzeug's stream limit).
"""

from __future__ import annotations

from flask import Flask, current_app, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import RequestEntityTooLarge

#: Endpoints whose forms carry attachments.
FILE_FORMS = frozenset({"submit.concern", "submit.clarification", "submit.reply", "review.message"})
#: Endpoints whose forms carry long text but no file.
TEXT_FORMS = frozenset(
    {
        "submit.object_to_answer",
        "review.act",
        "review.note",
        "review.plan",
        "review.mode_done",
        "review.correct_notice",
        "review.withdraw_notice",
    }
)
_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class FormTooLarge(RequestEntityTooLarge):
    """A body over the limit of a form without attachments."""


def body_limit(endpoint: str | None, mimetype: str = "multipart/form-data") -> int:
    """The largest body (bytes) this endpoint accepts in this content type."""
    config = current_app.config
    if endpoint in FILE_FORMS and mimetype == "multipart/form-data":
        return int(config["MAX_CONTENT_LENGTH"])
    if endpoint in FILE_FORMS:
        # Files come only in multipart; an urlencoded body is all text, and Werkzeug parses it whole.
        return int(config["MAX_TEXT_FORM_BYTES"])
    if endpoint in TEXT_FORMS:
        return int(config["MAX_TEXT_FORM_BYTES"])
    return int(config["MAX_SHORT_FORM_BYTES"])


def check_body_size() -> None:
    """before_request: 413 for a declared length over the limit; limit the stream of the others."""
    limit = body_limit(request.endpoint, request.mimetype)
    declared = request.content_length
    if request.method in _SAFE_METHODS and not declared:
        return
    if declared is not None and declared > limit:
        raise RequestEntityTooLarge() if limit == current_app.config["MAX_CONTENT_LENGTH"] else FormTooLarge()
    # Chunked or lying bodies: Werkzeug stops reading at the limit and raises 413.
    request.max_content_length = limit


def _form_too_large(exc: FormTooLarge):
    from portal.web.errors import error_page

    return error_page(
        413,
        _l("Too much data"),
        _l("What you sent is far larger than this form can hold. Nothing was saved. Go back and try again."),
    )


def init_app(app: Flask) -> None:
    """Call first among the before_request checks: nothing may read the body before this."""
    app.before_request(check_body_size)
    app.register_error_handler(FormTooLarge, _form_too_large)
