"""``/review/escrow``: a body's supervisors set its escrow passphrase once, and change it.

An admin creates bodies but never their escrow keys; until a supervisor or leader of a body sets
its passphrase here, the body receives no case.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField
from wtforms.validators import DataRequired, Length

from portal.domain.staff import SUPERVISING_ROLES
from portal.services import body_escrow
from portal.services.accounts import MIN_SECRET_LENGTH
from portal.services.errors import WrongPassphrase
from portal.web import staff
from portal.web.client_key import staff_account_key
from portal.web.rate_limits import limiter
from portal.web.refusals import REFUSED, show_on
from portal.web.review import bp
from portal.web.staff import roles_required

SUPERVISING = tuple(sorted(SUPERVISING_ROLES))


def _secret(label, name: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(),
            Length(
                min=MIN_SECRET_LENGTH,
                max=256,
                message=_l("At least %(count)d characters.", count=MIN_SECRET_LENGTH),
            ),
        ],
        id=name,
        render_kw={"autocomplete": "new-password" if name != "current" else "off"},
    )


class SetUpForm(FlaskForm):
    form_token = HiddenField()
    passphrase = _secret(_l("Escrow passphrase"), "passphrase")
    repeat = _secret(_l("The same passphrase again"), "repeat")


class ChangeForm(FlaskForm):
    form_token = HiddenField()
    current = PasswordField(
        _l("Current escrow passphrase"), validators=[DataRequired(), Length(max=256)], render_kw={"autocomplete": "off"}
    )
    new = _secret(_l("New escrow passphrase"), "new")
    repeat = _secret(_l("The same passphrase again"), "repeat")


def _page(status: int = 200, set_up: SetUpForm | None = None, change: ChangeForm | None = None):
    state = body_escrow.state(current_user.user)
    return (
        render_template(
            "review/escrow.html",
            state=state,
            set_up=set_up or SetUpForm(formdata=None),
            change=change or ChangeForm(formdata=None),
            min_length=MIN_SECRET_LENGTH,
        ),
        status,
    )


@bp.route("/escrow")
@roles_required(*SUPERVISING)
def escrow():
    return _page()


@bp.route("/escrow", methods=["POST"])
@roles_required(*SUPERVISING)
def set_up_escrow():
    form = SetUpForm()
    if not form.validate_on_submit():
        return _page(400, set_up=form)
    try:
        body_escrow.set_up(current_user.user, form.passphrase.data, form.repeat.data, form.form_token.data)
    except REFUSED as exc:
        return _page(show_on(form, exc, "passphrase"), set_up=form)
    flash(_("The escrow key of your body is set: it now receives cases. Keep the passphrase among its supervisors."))
    return redirect(url_for("review.escrow"), code=303)


@bp.route("/escrow/passphrase", methods=["POST"])
@roles_required(*SUPERVISING)
@limiter.limit(
    lambda: current_app.config["LIMIT_ESCROW_PASSPHRASE"],
    key_func=staff_account_key,
    deduct_when=staff.was_secret_refused,
)
def change_escrow():
    form = ChangeForm()
    if not form.validate_on_submit():
        return _page(400, change=form)
    try:
        body_escrow.change(current_user.user, form.current.data, form.new.data, form.repeat.data, form.form_token.data)
    except WrongPassphrase as exc:
        staff.secret_refused()
        return _page(show_on(form, exc, "current"), change=form)
    except REFUSED as exc:
        return _page(show_on(form, exc, "new"), change=form)
    flash(_("The escrow passphrase was changed; the old one no longer opens the escrow key."))
    return redirect(url_for("review.escrow"), code=303)
