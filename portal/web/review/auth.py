"""Staff sign-in with password and TOTP, first-time enrolment, sign-out, password change."""

from __future__ import annotations

import segno
from flask import current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from portal.domain.staff import StaffRole
from portal.services import staff_auth
from portal.services.accounts import InvalidAccount
from portal.services.errors import SessionExpired
from portal.services.staff_auth import Enrolment, SignInFailed, WrongCode, WrongPassword
from portal.web import staff
from portal.web.client_key import account_client_key, account_key, staff_account_key
from portal.web.errors import ACCOUNT_LOCKED
from portal.web.rate_limits import limiter
from portal.web.review import bp
from portal.web.review.auth_forms import CodeForm, LoginForm, PasswordForm

_ENROLMENT = "enrolment"


def _failed(response) -> bool:
    return response.status_code >= 400


def _home() -> str:
    return url_for("admin.accounts") if current_user.role == StaffRole.ADMIN else url_for("review.queue")


def _start(access: staff_auth.StaffAccess):
    staff.start_session(staff.StaffUser(*_unlocked(access)), access.session_secret)
    return redirect(_home(), code=303)


def _unlocked(access: staff_auth.StaffAccess):
    unlocked = staff_auth.resume(access)
    return unlocked.user, unlocked.private_key


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LIMIT_LOGIN_CLIENT"], methods=["POST"], deduct_when=_failed)
@limiter.limit(
    lambda: current_app.config["LIMIT_LOGIN_ACCOUNT"],
    key_func=account_client_key,
    methods=["POST"],
    deduct_when=_failed,
    error_message=ACCOUNT_LOCKED,
)
@limiter.limit(
    lambda: current_app.config["LIMIT_LOGIN_ACCOUNT_ALL_CLIENTS"],
    key_func=account_key,
    methods=["POST"],
    deduct_when=_failed,
    error_message=ACCOUNT_LOCKED,
)
def login():
    if current_user.is_authenticated:
        return redirect(_home())
    form = LoginForm()
    if form.validate_on_submit():
        try:
            outcome = staff_auth.sign_in(form.username.data, form.password.data, form.code.data or "")
        except SignInFailed:
            form.code.errors = [_("Sign-in failed: check the username, password and authenticator code.")]
        else:
            if isinstance(outcome, Enrolment):
                session.clear()
                session[_ENROLMENT] = {"user": outcome.user_id, "key": outcome.session_secret}
                return redirect(url_for("review.enrol"), code=303)
            return _start(outcome)
    return render_template("review/login.html", form=form), 401 if form.is_submitted() else 200


def _enrolment() -> Enrolment:
    stored = session.get(_ENROLMENT)
    if not isinstance(stored, dict):
        raise SessionExpired("no enrolment in progress")
    return Enrolment(user_id=int(stored["user"]), session_secret=str(stored["key"]))


@bp.route("/enrol", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LIMIT_LOGIN_CLIENT"], methods=["POST"], deduct_when=_failed)
def enrol():
    enrolment = _enrolment()
    form = CodeForm()
    if form.validate_on_submit():
        try:
            access = staff_auth.confirm_enrolment(enrolment, form.code.data)
        except WrongCode:
            form.code.errors = [_("That code is not right. Check the time on your phone and try the newest code.")]
        else:
            return _start(access)
    uri = staff_auth.enrolment_uri(enrolment)
    qr = segno.make(uri, error="m").svg_inline(scale=4, dark="#1d2329", light="#fff")
    secret = uri.split("secret=")[1].split("&")[0]
    status = 401 if form.is_submitted() else 200
    return render_template("review/enrol.html", form=form, qr=qr, secret=secret), status


@bp.post("/logout")
@login_required
def logout():
    found = staff.access()
    if found is not None:
        staff_auth.sign_out(found)
    logout_user()
    session.clear()
    flash(_("You have signed out."))
    return redirect(url_for("review.login"), code=303)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit(
    lambda: current_app.config["LIMIT_CURRENT_PASSWORD"],
    key_func=staff_account_key,
    methods=["POST"],
    deduct_when=staff.was_secret_refused,
)
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            staff_auth.change_password(current_user.user, form.current.data, form.new.data)
        except WrongPassword:
            staff.secret_refused()
            form.current.errors = [_("The current password is wrong.")]
        except InvalidAccount:
            form.new.errors = [_("At least 12 characters.")]
        else:
            flash(_("Your password was changed."))
            return redirect(_home(), code=303)
    return render_template("review/password.html", form=form), 400 if form.is_submitted() else 200
