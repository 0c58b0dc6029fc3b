"""Access grants: a supervisor confirms new or reset case workers and, with the escrow passphrase,
opens older cases to them."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField
from wtforms.validators import DataRequired, Length

from portal.domain.staff import StaffRole
from portal.services import grants as grant_service
from portal.services.errors import WrongPassphrase
from portal.services.grants import NotACaseWorker, NotConfirmable, NotConfirmed
from portal.web import staff
from portal.web.client_key import staff_account_key
from portal.web.rate_limits import limiter
from portal.web.request_checks import parse_id
from portal.web.review import bp
from portal.web.review.auth_forms import EmptyForm
from portal.web.staff import roles_required


class GrantForm(FlaskForm):
    user_id = HiddenField(validators=[DataRequired()])
    passphrase = PasswordField(
        _l("Escrow passphrase"), validators=[DataRequired(), Length(max=256)], render_kw={"autocomplete": "off"}
    )


def _page(form: GrantForm, status: int):
    return render_template(
        "review/grants.html",
        gaps=grant_service.gaps(),
        awaiting=grant_service.awaiting(),
        form=form,
        button=EmptyForm(),
    ), status


@bp.route("/grants", methods=["GET", "POST"])
@roles_required(StaffRole.SUPERVISOR)
@limiter.limit(
    lambda: current_app.config["LIMIT_ESCROW_PASSPHRASE"],
    key_func=staff_account_key,
    methods=["POST"],
    deduct_when=staff.was_secret_refused,
)
def grants():
    form = GrantForm()
    if form.validate_on_submit():
        try:
            count = grant_service.grant_all(current_user.user, form.passphrase.data, parse_id(form.user_id.data))
        except WrongPassphrase:
            staff.secret_refused()
            form.passphrase.errors = [_("The escrow passphrase is wrong.")]
        except NotConfirmed:
            form.passphrase.errors = [_("A supervisor must confirm this account first.")]
        except (NotACaseWorker, ValueError):
            form.passphrase.errors = [_("This account cannot hold case keys.")]
        else:
            flash(_("Access granted to %(n)d case(s).", n=count))
            return redirect(url_for("review.grants"), code=303)
    return _page(form, 400 if form.is_submitted() else 200)


@bp.post("/grants/<int:user_id>/confirm")
@roles_required(StaffRole.SUPERVISOR)
def confirm(user_id: int):
    """Vouch for a new or reset case worker (CSRFProtect has checked the token)."""
    try:
        grant_service.confirm(current_user.user, user_id)
    except NotConfirmable:
        flash(
            _(
                "This account cannot be confirmed: it must be another active reviewer or supervisor who has signed in and set up the authenticator."
            )
        )
    else:
        flash(_("Account confirmed: new cases are sealed to it from now on."))
    return redirect(url_for("review.grants"), code=303)
