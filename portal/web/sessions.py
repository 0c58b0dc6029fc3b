"""Two cookies: the cadre's session and the staff session never share a cookie.

SecureDrop keeps one app per audience; we keep one app and pick the cookie by
path, so a staff cookie is never read on the cadre's side and vice versa.
"""

from __future__ import annotations

from flask import Flask, has_request_context, request
from flask.sessions import SecureCookieSessionInterface

STAFF_COOKIE = "zm_staff"
STAFF_PREFIXES = ("/review", "/admin")


def is_staff_path(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in STAFF_PREFIXES)


class PortalSessionInterface(SecureCookieSessionInterface):
    """Signed cookie sessions, named by audience, with a separate signing salt for staff."""

    def _staff(self) -> bool:
        return has_request_context() and is_staff_path(request.path)

    def get_cookie_name(self, app: Flask) -> str:
        return STAFF_COOKIE if self._staff() else super().get_cookie_name(app)

    def get_signing_serializer(self, app: Flask):
        serializer = super().get_signing_serializer(app)
        if serializer is not None and self._staff():
            serializer.salt = b"zhengming-staff-session"
        return serializer


def init_app(app: Flask) -> None:
    app.session_interface = PortalSessionInterface()
