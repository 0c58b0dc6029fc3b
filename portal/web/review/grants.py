"""Access grants: a supervisor, with the escrow passphrase, opens old cases to a reviewer."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField
from wtforms.validators import DataRequired, Length

from portal.services import grants as grant_service
from portal.services.errors import WrongSecret
from portal.services.grants import NotACaseWorker
from portal.web.request_checks import parse_id
from portal.web.review import bp
from portal.web.staff import roles_required


class GrantForm(FlaskForm):
    user_id = HiddenField(validators=[DataRequired()])
    passphrase = PasswordField(_l("Escrow passphrase"), validators=[DataRequired(), Length(max=256)],
                               render_kw={"autocomplete": "off"})


@bp.route("/grants", methods=["GET", "POST"])
@roles_required("supervisor")
def grants():
    form = GrantForm()
    if form.validate_on_submit():
        try:
            count = grant_service.grant_all(current_user.user, form.passphrase.data, parse_id(form.user_id.data))
        except WrongSecret:
            form.passphrase.errors = [_("The escrow passphrase is wrong.")]
        except (NotACaseWorker, ValueError):
            form.passphrase.errors = [_("This account cannot hold case keys.")]
        else:
            flash(_("Access granted to %(n)d case(s).", n=count))
            return redirect(url_for("review.grants"), code=303)
    status = 400 if form.is_submitted() else 200
    return render_template("review/grants.html", gaps=grant_service.gaps(), form=form), status
