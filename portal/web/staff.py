"""Staff identity for a request (Flask-Login), and the role guard every staff route uses."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Flask, abort, g, render_template, session
from flask_login import UserMixin, current_user, login_required, login_user

from portal.domain.staff import SUPERVISING_ROLES
from portal.extensions import login_manager
from portal.models import User
from portal.services import staff_admin, staff_auth
from portal.services.errors import SessionExpired
from portal.services.staff_auth import StaffAccess

SESSION_KEY = "staff_key"
#: Flask-Login's session key for a SHA-512 of the client's address and user agent.
_CLIENT_IDENTIFIER = "_id"


class StaffUser(UserMixin):
    """The signed-in account and the key its session holds for this request."""

    def __init__(self, user: User, private_key: bytes | None) -> None:
        self.user = user
        self.private_key = private_key

    def get_id(self) -> str:
        return str(self.user.id)

    @property
    def role(self) -> str:
        return self.user.role

    @property
    def is_supervisor(self) -> bool:
        """A supervisor or a leader: they approve, edit their body's notices, grant and recover."""
        return self.user.role in SUPERVISING_ROLES

    @property
    def reads_audit_log(self) -> bool:
        return staff_admin.reads_audit_log(self.user)

    @property
    def awaits_confirmation(self) -> bool:
        """A case worker no supervisor has confirmed yet: it holds no case key and sees no case."""
        return self.user.public_key is not None and not self.user.keys_confirmed


def start_session(user: StaffUser, session_secret: str) -> None:
    """A fresh staff cookie: who, and the session key's cookie half; nothing about the client."""
    session.clear()
    session[SESSION_KEY] = session_secret
    login_user(user)
    session.pop(_CLIENT_IDENTIFIER, None)  # login_user sets it whatever session_protection says


def secret_refused() -> None:
    """Mark this request as a wrong password or passphrase, for the limiter's deduct_when."""
    g.zm_secret_refused = True


def was_secret_refused(_response) -> bool:
    return bool(g.get("zm_secret_refused"))


def access() -> StaffAccess | None:
    """The staff cookie's session secret (the cookie half of the key session), if any."""
    user_id, session_secret = session.get("_user_id"), session.get(SESSION_KEY)
    if not user_id or not session_secret:
        return None
    return StaffAccess(user_id=int(user_id), session_secret=str(session_secret))


def _load(user_id: str) -> StaffUser | None:
    found = access()
    if found is None or str(found.user_id) != user_id:
        return None
    try:
        unlocked = staff_auth.resume(found)
    except SessionExpired:
        return None
    return StaffUser(unlocked.user, unlocked.private_key)


def roles_required(*roles: str) -> Callable:
    """Signed in with one of these roles, or 403 (the server enforces; hidden buttons do not)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def guarded(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            if current_user.awaits_confirmation:
                return render_template("review/awaiting_confirmation.html"), 403
            return view(*args, **kwargs)

        return guarded

    return decorate


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "review.login"
    login_manager.session_protection = None  # it would hash the address and agent into the cookie
    # Other Flask-Login paths (next-URL in session, refresh) also store an identifier: keep it empty.
    login_manager._session_identifier_generator = lambda: ""  # noqa: SLF001
    login_manager.login_message = None
    login_manager.user_loader(_load)
