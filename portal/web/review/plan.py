"""The clarification plan page, and recording each mode of the approved plan as carried out."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional

from portal.domain.cases import ClarificationMode
from portal.domain.plan import Naming
from portal.domain.staff import CASE_WORKER_ROLES
from portal.services import casework
from portal.web import labels
from portal.web.fields import CheckboxesField, text_field
from portal.web.refusals import REFUSED, refusal, show_on
from portal.web.review import bp
from portal.web.review.case_forms import ActionForm
from portal.web.review.cases import render_case
from portal.web.staff import roles_required

NAMING_LABELS = {
    Naming.FULL: _l("Full name"),
    Naming.SURNAME: _l("Surname with 某 (e.g. 王某)"),
    Naming.NONE: _l("No name"),
}


class PlanForm(FlaskForm):
    form_token = HiddenField()
    modes = CheckboxesField(
        _l("Forms besides the written clarification"),
        choices=[
            SelectChoice(m.value, labels.MODES[m]) for m in ClarificationMode if m is not ClarificationMode.WRITTEN
        ],
    )
    scope = text_field(_l("Scope (who is told, where, when)"), 2000, area=True, render_kw={"rows": 3})
    number = text_field(_l("Notice number (文号)"), 64, required=False)
    title = text_field(_l("Notice title"), 200, required=False)
    naming = RadioField(
        _l("How the cadre is named"),
        validators=[Optional()],
        choices=[SelectChoice(n.value, NAMING_LABELS[n]) for n in Naming],
    )
    unit = text_field(_l("Unit"), 200, required=False)
    post = text_field(_l("Post"), 100, required=False)
    allegation = text_field(_l("The allegation in brief"), 2000, required=False, area=True, render_kw={"rows": 3})
    body = text_field(
        _l("How it was verified and the finding"), 20000, required=False, area=True, render_kw={"rows": 8}
    )
    issuer = text_field(_l("Issuing body"), 200, required=False)
    issued_on = DateField(_l("Date of the notice"), validators=[Optional()])


class ModeDoneForm(FlaskForm):
    """One mode of the approved plan recorded as carried out."""

    mode = HiddenField(validators=[DataRequired()])
    form_token = HiddenField()
    record = text_field(_l("Record (date, place, letter reference...)"), 500)


@bp.route("/cases/<case_id>/plan", methods=["GET", "POST"])
@roles_required(*CASE_WORKER_ROLES)
def plan(case_id: str):
    view = casework.open_case(current_user.user, current_user.private_key, case_id)
    form = PlanForm()
    if not form.is_submitted():
        _prefill(form, view)
    elif form.validate():
        notice = {
            name: getattr(form, name).data
            for name in ("number", "title", "naming", "unit", "post", "allegation", "body", "issuer", "issued_on")
        }
        try:
            casework.draft_plan(
                current_user.user,
                current_user.private_key,
                case_id,
                form.modes.data or [],
                form.scope.data,
                notice,
                form.form_token.data,
            )
        except REFUSED as exc:
            status = show_on(form, exc, "scope")
            return render_template("review/plan.html", view=view, form=form), status
        flash(_("The plan was sent to the cadre for consent."))
        return redirect(url_for("review.case", case_id=case_id), code=303)
    status = 400 if form.is_submitted() else 200
    return render_template("review/plan.html", view=view, form=form), status


def _prefill(form: PlanForm, view) -> None:
    """Start from the request: what the cadre asked for and their unit, post and allegation."""
    fields, current = view.fields, view.plan
    if current is not None:
        form.modes.data = [m.value for m in current.modes]
        form.scope.data = current.scope
        if current.notice:
            n = current.notice
            form.number.data, form.title.data, form.naming.data = n.number, n.title, n.naming.value
            form.unit.data, form.post.data, form.allegation.data = n.unit, n.post, n.allegation
            form.body.data, form.issuer.data, form.issued_on.data = n.body_html, n.issuer, n.issued_on
        return
    form.modes.data = [w for w in fields.get("wanted", []) if w != ClarificationMode.WRITTEN.value]
    form.unit.data, form.post.data = fields.get("unit_name", ""), fields.get("post", "")
    form.allegation.data = fields.get("allegation", "")[:2000]
    form.naming.data = Naming.SURNAME.value


@bp.post("/cases/<case_id>/plan/done")
@roles_required(*CASE_WORKER_ROLES)
def mode_done(case_id: str):
    form = ModeDoneForm()
    if not form.validate():
        return _case_page_refusing(case_id, 400, _("Please fill this in."))
    try:
        casework.record_mode(
            current_user.user, current_user.private_key, case_id, form.mode.data, form.record.data, form.form_token.data
        )
    except REFUSED as exc:
        refused = refusal(exc)
        return _case_page_refusing(case_id, refused.status, refused.message)
    flash(_("Recorded."))
    return redirect(url_for("review.case", case_id=case_id), code=303)


def _case_page_refusing(case_id: str, status: int, message) -> tuple:
    """The case page again, the refusal in its actions' error place (the record boxes have no field of their own)."""
    action_form = ActionForm(formdata=None)
    action_form.action.errors = [str(message)]
    return render_case(case_id, status, action_form=action_form)
