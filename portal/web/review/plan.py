"""The clarification plan page, carrying out each form, and supervisors' notice corrections."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional

from portal.domain.cases import ClarificationMode
from portal.domain.notice_text import plain_text
from portal.domain.plan import Naming, PlanError
from portal.domain.workflow import WorkflowError
from portal.extensions import db
from portal.models import Notice
from portal.services import casework, notices, notices_public
from portal.services.case_keys import NoAccess
from portal.services.casework import NoSuchCase
from portal.services.clarification import NoPlan
from portal.web import confirm, labels
from portal.web.fields import CheckboxesField, text_field
from portal.web.notices import labels as notice_labels
from portal.web.notices.conditional import forget_public_pages
from portal.web.review import bp
from portal.web.staff import roles_required
from portal.web.workflow_errors import workflow_message

NAMING_LABELS = {
    Naming.FULL: _l("Full name"),
    Naming.SURNAME: _l("Surname with 某 (e.g. 王某)"),
    Naming.NONE: _l("No name"),
}


class PlanForm(FlaskForm):
    form_token = HiddenField()
    forms = CheckboxesField(
        _l("Forms besides the written clarification"),
        choices=[
            SelectChoice(m.value, labels.FORMS[m]) for m in ClarificationMode if m is not ClarificationMode.WRITTEN
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


class FormDoneForm(FlaskForm):
    form = HiddenField(validators=[DataRequired()])
    form_token = HiddenField()
    record = text_field(_l("Record (date, place, letter reference...)"), 500)


class CorrectionForm(FlaskForm):
    form_token = HiddenField()
    number = text_field(_l("Notice number (文号)"), 64)
    title = text_field(_l("Notice title"), 200)
    unit = text_field(_l("Unit"), 200)
    post = text_field(_l("Post"), 100)
    allegation = text_field(_l("The allegation in brief"), 2000, area=True, render_kw={"rows": 3})
    body_html = text_field(_l("How it was verified and the finding"), 20000, area=True, render_kw={"rows": 8})
    issuer = text_field(_l("Issuing body"), 200)
    issued_on = DateField(_l("Date of the notice"), validators=[DataRequired()])
    reason = text_field(
        _l("Reason for the correction (shown publicly)"), 2000, area=True, id="correction-reason", render_kw={"rows": 2}
    )


class WithdrawForm(FlaskForm):
    form_token = HiddenField()
    reason = text_field(
        _l("Reason for the withdrawal (shown publicly)"), 2000, area=True, id="withdraw-reason", render_kw={"rows": 2}
    )


#: Why a notice date after today is refused (a notice is public from its approval or correction).
FUTURE_DATE = _l(
    "The date of the notice cannot be later than today: a notice is public from the moment it is published."
)

PLAN_FIELD_ERRORS = {
    "scope": "scope",
    "number": "number",
    "title": "title",
    "unit": "unit",
    "post": "post",
    "allegation": "allegation",
    "body": "body",
    "issuer": "issuer",
    "issued_on": "issued_on",
    "naming": "naming",
}


@bp.route("/cases/<case_id>/plan", methods=["GET", "POST"])
@roles_required("reviewer", "supervisor")
def plan(case_id: str):
    try:
        view = casework.open_case(current_user.user, current_user.private_key, case_id)
    except NoSuchCase:
        abort(404)
    except NoAccess:
        abort(403)
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
                form.forms.data or [],
                form.scope.data,
                notice,
                form.form_token.data,
            )
        except PlanError as exc:
            getattr(form, PLAN_FIELD_ERRORS.get(exc.field, "scope")).errors = [_("Please fill this in.")]
        except notices.FutureNoticeDate:
            form.issued_on.errors = [FUTURE_DATE]
        except WorkflowError as exc:
            form.scope.errors = [workflow_message(exc)]
        else:
            flash(_("The plan was sent to the cadre for consent."))
            return redirect(url_for("review.case", case_id=case_id), code=303)
    status = 400 if form.is_submitted() else 200
    return render_template("review/plan.html", view=view, form=form), status


def _prefill(form: PlanForm, view) -> None:
    """Start from the request: what the cadre asked for and their unit, post and allegation."""
    fields, current = view.fields, view.plan
    if current is not None:
        form.forms.data = [f.value for f in current.forms]
        form.scope.data = current.scope
        if current.notice:
            n = current.notice
            form.number.data, form.title.data, form.naming.data = n.number, n.title, n.naming.value
            form.unit.data, form.post.data, form.allegation.data = n.unit, n.post, n.allegation
            form.body.data, form.issuer.data, form.issued_on.data = n.body_html, n.issuer, n.issued_on
        return
    form.forms.data = [w for w in fields.get("wanted", []) if w != ClarificationMode.WRITTEN.value]
    form.unit.data, form.post.data = fields.get("unit_name", ""), fields.get("post", "")
    form.allegation.data = fields.get("allegation", "")[:2000]
    form.naming.data = Naming.SURNAME.value


@bp.post("/cases/<case_id>/plan/done")
@roles_required("reviewer", "supervisor")
def form_done(case_id: str):
    form = FormDoneForm()
    if form.validate():
        try:
            casework.record_form(
                current_user.user,
                current_user.private_key,
                case_id,
                form.form.data,
                form.record.data,
                form.form_token.data,
            )
        except NoSuchCase:
            abort(404)
        except NoAccess:
            abort(403)
        except (WorkflowError, PlanError, NoPlan) as exc:
            flash(workflow_message(exc) if isinstance(exc, WorkflowError) else _("Please fill this in."))
            return redirect(url_for("review.case", case_id=case_id), code=303)
        flash(_("Recorded."))
    else:
        flash(_("Please fill this in."))
    return redirect(url_for("review.case", case_id=case_id), code=303)


def _notice(notice_id: int) -> Notice:
    notice = db.session.get(Notice, notice_id)
    if notice is None:
        abort(404)
    return notice


@bp.route("/notices/<int:notice_id>/correct", methods=["GET", "POST"])
@roles_required("supervisor")
def correct_notice(notice_id: int):
    notice = _notice(notice_id)
    form = CorrectionForm(obj=notice)  # POST data wins over the stored values
    withdraw = WithdrawForm(formdata=None)
    if form.validate_on_submit():
        changes = {name: getattr(form, name).data for name in notices.CORRECTABLE}
        try:
            published = notices.correct(
                current_user.user, current_user.private_key, notice_id, changes, form.reason.data, form.form_token.data
            )
        except notices.NothingChanged:
            form.reason.errors = [_("Nothing was changed.")]
        except notices.FutureNoticeDate:
            form.issued_on.errors = [FUTURE_DATE]
        except notices.NotPublished:
            form.reason.errors = [_("A withdrawn notice cannot be corrected.")]
        except NoAccess:
            form.reason.errors = [_("Only someone who holds the case can put a correction to the cadre.")]
        except WorkflowError as exc:
            form.reason.errors = [workflow_message(exc)]
        else:
            flash(
                _("The notice was corrected; the correction is shown on its page.")
                if published
                else _(
                    "The correction changes what the notice says about the cadre: it was sent to them for "
                    "consent. The published notice stays as it is until they consent."
                )
            )
            return redirect(url_for("review.correct_notice", notice_id=notice_id), code=303)
    status = 400 if form.is_submitted() else 200
    return _edit_page(notice, form, withdraw, status)


def _edit_page(notice: Notice, form: CorrectionForm, withdraw: WithdrawForm, status: int):
    """The staff page of a notice: its full text and full history, whatever the public sees."""
    found = notices_public.notice(notice.id, public=False)
    if found is None:
        abort(404)
    _notice, history = found
    return render_template(
        "review/notice_edit.html",
        notice=notice,
        form=form,
        withdraw=withdraw,
        history=history,
        pending=notices.correction_pending(notice),
        field_label=notice_labels.field_label,
        kinds=notice_labels.KINDS,
        plain_text=plain_text,
    ), status


@bp.post("/notices/<int:notice_id>/withdraw")
@roles_required("supervisor")
def withdraw_notice(notice_id: int):
    notice = _notice(notice_id)
    form = WithdrawForm()
    if confirm.revising():
        return _edit_page(notice, CorrectionForm(obj=notice, formdata=None), form, 200)
    if form.validate():
        try:
            if confirm.pending("withdraw_notice"):
                notices.withdrawable(current_user.user, notice_id)
                return confirm.page(
                    "withdraw_notice",
                    [(_("Notice"), notice.title), (form.reason.label.text, form.reason.data)],
                    staff=True,
                )
            notices.withdraw(current_user.user, notice_id, form.reason.data, form.form_token.data)
        except notices.NotPublished:
            form.reason.errors = [_("This notice is already withdrawn.")]
        else:
            forget_public_pages()
            flash(_("The notice was withdrawn; its page stays, marked withdrawn."))
            return redirect(url_for("review.correct_notice", notice_id=notice_id), code=303)
    correction = CorrectionForm(obj=notice, formdata=None)
    return _edit_page(notice, correction, form, 400)
