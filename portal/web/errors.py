"""The one place that turns failures into a status and a page in the user's language."""

from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin, current_user
from flask_wtf.csrf import CSRFError
from limits import parse_many
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from portal.extensions import db
from portal.services.case_keys import NoAccess
from portal.services.errors import FormReplayed, NotInitialised, SessionExpired
from portal.services.notices import NoSuchNotice, SupervisorsOnly
from portal.services.opened_case import NoSuchCase
from portal.web.attachment_errors import megabytes
from portal.web.request_checks import MalformedRequest
from portal.web.sessions import is_staff_path

#: Flask-Limiter's error message for the per-account sign-in limit.
ACCOUNT_LOCKED = "account-locked"

_PAGES = {
    400: (
        _l("Request not accepted"),
        _l("The request could not be processed. Go back, reload the page and try again."),
    ),
    403: (_l("Not allowed"), _l("You are not allowed to do this.")),
    404: (_l("Page not found"), _l("There is no page at this address.")),
    405: (_l("Not allowed"), _l("This page cannot be used that way.")),
    429: (
        _l("Too many attempts"),
        _l("Too many attempts from this connection. Please wait a while and try again. Nothing was saved."),
    ),
    500: (_l("Something went wrong"), _l("An internal error occurred. Nothing was saved. Please try again later.")),
    503: (_l("Not available"), _l("The portal is not ready yet. Please try again later.")),
}


def _too_much_data():
    config = current_app.config
    return _l("Too much data"), _l(
        "What you sent is too large. Each attachment may be at most %(size)s MB, %(count)d at most. Nothing was saved.",
        size=megabytes(config["MAX_ATTACHMENT_BYTES"]),
        count=config["MAX_ATTACHMENTS"],
    )


def error_page(status: int, title=None, message=None):
    """Render the generic error page."""
    default_title, default_message = _too_much_data() if status == 413 else _PAGES.get(status, _PAGES[500])
    # Staff stay in the staff layout (their navigation, their home), whatever went wrong.
    staff = has_request_context() and is_staff_path(request.path)
    if staff:
        _signed_in_or_anonymous()
    return (
        render_template(
            "errors/error.html", title=title or default_title, message=message or default_message, staff=staff
        ),
        status,
    )


def _window_minutes(limit: str) -> int:
    """The longest window of a limit such as "5 per 15 minutes", in minutes: how long a lock lasts."""
    return max(item.get_expiry() for item in parse_many(limit)) // 60


def _signed_in_or_anonymous() -> None:
    """Load the staff member the layout names; with the database away, render as signed out
    (an error page must not fail on the way: that would be a bare 500)."""
    try:
        _ = current_user.is_authenticated
    except (OperationalError, InterfaceError):
        db.session.rollback()
        g._login_user = AnonymousUserMixin()


def _http_error(exc: HTTPException):
    # Unhandled exceptions arrive here as 500; Flask logs only the path and method.
    if exc.code == 429 and exc.description == ACCOUNT_LOCKED:
        # Said the same way for names that exist and names that do not.
        return error_page(
            429,
            _l("Account temporarily locked"),
            _l(
                "Too many failed sign-ins for this account name. Wait %(minutes)d minutes and try again.",
                minutes=_window_minutes(current_app.config["LIMIT_LOGIN_ACCOUNT"]),
            ),
        )
    return error_page(exc.code or 500)


def _csrf_error(exc: CSRFError):
    return error_page(
        400,
        _l("Form expired"),
        _l(
            "This form has expired or was not sent from this site. Nothing was saved. Please go back, reload the page and fill it in again."
        ),
    )


def _malformed(exc: MalformedRequest):
    return error_page(
        400,
        _l("Request not accepted"),
        _l(
            "The request was malformed or held characters that are not allowed (such as a NUL byte). Nothing was saved. Go back, reload the page and try again."
        ),
    )


def _replayed(exc: FormReplayed):
    return error_page(
        400,
        _l("Form already sent"),
        _l("This form was already sent, or it is too old. Nothing more was saved. To write again, open the form anew."),
    )


def _session_expired(exc: SessionExpired):
    if is_staff_path(request.path):
        return error_page(
            401,
            _l("Please sign in again"),
            _l(
                "Your session has ended (you signed out, it was idle for too long, or the account changed). Sign in again to continue."
            ),
        )
    return error_page(
        401,
        _l("Please enter your receipt again"),
        _l(
            "Your follow-up session has ended (you left, or it was idle for too long). Enter your receipt again to continue."
        ),
    )


def _not_initialised(exc: NotInitialised):
    return error_page(503)


def _not_found(exc: NoSuchCase | NoSuchNotice):
    return error_page(404)


def _forbidden(exc: SupervisorsOnly):
    return error_page(403)


def _no_access(exc: NoAccess):
    """The one "no access" page: the case is sealed to others (a supervisor can grant it)."""
    return render_template("review/no_access.html"), 403


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(MalformedRequest, _malformed)
    app.register_error_handler(FormReplayed, _replayed)
    app.register_error_handler(SessionExpired, _session_expired)
    app.register_error_handler(NotInitialised, _not_initialised)
    app.register_error_handler(NoSuchCase, _not_found)
    app.register_error_handler(NoSuchNotice, _not_found)
    app.register_error_handler(NoAccess, _no_access)
    app.register_error_handler(SupervisorsOnly, _forbidden)
    app.register_error_handler(HTTPException, _http_error)
