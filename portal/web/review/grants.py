"""Who holds a case: confirming new accounts, per-case grants (协办), recovery from the escrow.

``/review/grants`` lists the accounts of the supervisor's body awaiting confirmation;
``/review/cases/<id>/holders`` shows a case's holders (知悉人员) and, to a supervisor or
leader holding it, the forms to add or remove a 协办; ``/review/recover`` reopens one
case whose holders are all gone from the body's escrow key.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from portal.domain.staff import CASE_WORKER_ROLES, SUPERVISING_ROLES
from portal.services import grants as grant_service
from portal.services.errors import WrongPassphrase
from portal.services.grants import NotConfirmable
from portal.web import staff
from portal.web.admin.forms import ROLE_LABELS
from portal.web.client_key import staff_account_key
from portal.web.fields import text_field
from portal.web.rate_limits import limiter
from portal.web.refusals import REFUSED, refusal, show_on
from portal.web.request_checks import parse_id
from portal.web.review import bp
from portal.web.review.auth_forms import EmptyForm
from portal.web.staff import roles_required

SUPERVISING = tuple(sorted(SUPERVISING_ROLES))
CASE_WORKERS = tuple(sorted(CASE_WORKER_ROLES))
_CHOOSE = _l("Please choose")


class GrantForm(FlaskForm):
    """Add one colleague of the case's body to it (增加协办人员), with a reason."""

    form_token = HiddenField()
    user_id = SelectField(_l("Colleague to add"), choices=[], validate_choice=False, validators=[DataRequired()])
    reason = text_field(
        _l("Reason for the grant (internal)"), 2000, area=True, id="grant-reason", render_kw={"rows": 3}
    )


class RevokeForm(FlaskForm):
    form_token = HiddenField()
    user_id = HiddenField(validators=[DataRequired()])


class RecoverForm(FlaskForm):
    """Reopen one case from the body's escrow key for one person."""

    form_token = HiddenField()
    case_id = text_field(_l("Case number"), 64, render_kw={"autocomplete": "off", "spellcheck": "false"})
    user_id = SelectField(_l("Seal the case to"), choices=[], validate_choice=False, validators=[DataRequired()])
    reason = text_field(_l("Reason for the recovery (internal)"), 2000, area=True, render_kw={"rows": 3})
    passphrase = PasswordField(
        _l("Escrow passphrase"), validators=[DataRequired(), Length(max=256)], render_kw={"autocomplete": "off"}
    )


def _choices(users) -> list[SelectChoice]:
    return [SelectChoice("", str(_CHOOSE))] + [SelectChoice(str(u.id), u.username) for u in users]


@bp.get("/grants")
@roles_required(*SUPERVISING)
def grants():
    """The accounts of this body that wait for a supervisor's confirmation."""
    return render_template(
        "review/grants.html",
        awaiting=grant_service.awaiting(current_user.user.body_id),
        roles=ROLE_LABELS,
        button=EmptyForm(),
    )


@bp.post("/grants/<int:user_id>/confirm")
@roles_required(*SUPERVISING)
def confirm(user_id: int):
    """Vouch for a new or reset case worker (CSRFProtect has checked the token)."""
    try:
        grant_service.confirm(current_user.user, user_id)
    except NotConfirmable:
        flash(
            _(
                "This account cannot be confirmed: it must be another active case worker of your body who has signed in and set up the authenticator."
            )
        )
    else:
        flash(_("Account confirmed: new cases are sealed to it from now on."))
    return redirect(url_for("review.grants"), code=303)


def _holders_page(case_id: str, status: int = 200, grant_form: GrantForm | None = None, error=None):
    view = grant_service.holders_of(current_user.user, current_user.private_key, case_id)
    form = grant_form or GrantForm()
    form.user_id.choices = _choices(view.candidates)
    return render_template(
        "review/grants_holders.html",
        view=view,
        form=form,
        revoke=RevokeForm(),
        hold_words=_HOLD_WORDS,
        roles=ROLE_LABELS,
        error=error,
    ), status


@bp.get("/cases/<case_id>/holders")
@roles_required(*CASE_WORKERS)
def holders(case_id: str):
    return _holders_page(case_id)


@bp.post("/cases/<case_id>/holders")
@roles_required(*SUPERVISING)
def grant(case_id: str):
    form = GrantForm()
    if not form.validate():
        return _holders_page(case_id, 400, form)
    try:
        target = parse_id(form.user_id.data)
    except ValueError:
        form.user_id.errors = [_("Please choose a colleague.")]
        return _holders_page(case_id, 400, form)
    try:
        grant_service.grant(
            current_user.user, current_user.private_key, case_id, target, form.reason.data, form.form_token.data
        )
    except REFUSED as exc:
        return _holders_page(case_id, show_on(form, exc, "user_id"), form)
    flash(_("The colleague was added to this case (协办)."))
    return redirect(url_for("review.holders", case_id=case_id), code=303)


@bp.post("/cases/<case_id>/holders/revoke")
@roles_required(*SUPERVISING)
def revoke(case_id: str):
    form = RevokeForm()
    try:
        target = parse_id(form.user_id.data) if form.validate() else None
    except ValueError:
        target = None
    if target is None:
        return _holders_page(case_id, 400, error=_("Nothing was changed."))
    try:
        grant_service.revoke(current_user.user, case_id, target, form.form_token.data)
    except REFUSED as exc:
        refused = refusal(exc)
        return _holders_page(case_id, refused.status, error=refused.message)
    flash(_("The colleague no longer holds this case."))
    return redirect(url_for("review.holders", case_id=case_id), code=303)


def _recover_page(form: RecoverForm, status: int):
    form.user_id.choices = _choices(grant_service.recovery_targets(current_user.user.body_id))
    return render_template("review/grants_recover.html", form=form), status


@bp.route("/recover", methods=["GET", "POST"])
@roles_required(*SUPERVISING)
@limiter.limit(
    lambda: current_app.config["LIMIT_ESCROW_PASSPHRASE"],
    key_func=staff_account_key,
    methods=["POST"],
    deduct_when=staff.was_secret_refused,
)
def recover():
    form = RecoverForm()
    if not form.validate_on_submit():
        return _recover_page(form, 400 if form.is_submitted() else 200)
    case_id = "".join(form.case_id.data.split()).replace("-", "").lower()
    try:
        target = parse_id(form.user_id.data)
    except ValueError:
        form.user_id.errors = [_("Please choose a colleague.")]
        return _recover_page(form, 400)
    try:
        grant_service.recover(
            current_user.user, form.passphrase.data, case_id, target, form.reason.data, form.form_token.data
        )
    except WrongPassphrase as exc:
        staff.secret_refused()
        return _recover_page(form, show_on(form, exc, "passphrase"))
    except REFUSED as exc:
        return _recover_page(form, show_on(form, exc, "case_id"))
    flash(_("The case was recovered from the escrow key and sealed to the colleague chosen."))
    return redirect(url_for("review.recover"), code=303)


#: How the holders page names each reason for holding a case.
_HOLD_WORDS = {
    "intake": _l("Intake officer of the body (registers and accepts it)"),
    "assigned": _l("Assignee (承办人)"),
    "supervisor": _l("Supervisor of the assignee (审核人)"),
    "grant": _l("Added to the case (协办)"),
    "recovery": _l("Recovered from the escrow key"),
    "legacy": _l("Held before bodies were set up"),
    "approver": _l("Leader the proposal is submitted to for approval (分管领导)"),
}
