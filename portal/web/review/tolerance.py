"""The 容错纠错 decision page (issue 10): propose the decision, record the collective decision and
the leader it goes to, and record each 纠错 measure done. Approval and return are case-page steps."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired

from portal.domain.cases import ToleranceOutcome
from portal.domain.staff import CASE_WORKER_ROLES
from portal.domain.workflow import Action
from portal.services import casework, tolerance
from portal.services.opened_case import approvers
from portal.web import labels
from portal.web.fields import text_field
from portal.web.refusals import REFUSED, refusal, show_on
from portal.web.review import bp
from portal.web.review.plan import _case_page_refusing
from portal.web.staff import roles_required

_DATE_MESSAGE = _l("Please enter a date.")


class ProposeForm(FlaskForm):
    """提出容错纠错意见."""

    form_token = HiddenField()
    outcome = RadioField(
        _l("Proposed outcome"),
        choices=[SelectChoice(t.value, labels.TOLERANCE_OUTCOMES[t]) for t in ToleranceOutcome],
        validators=[DataRequired(message=_l("Please choose an outcome."))],
    )
    reasons = text_field(
        _l("Reasons (the applicant reads the approved reasons)"), 20000, area=True, render_kw={"rows": 6}
    )
    measures = text_field(
        _l("Correction measures (纠错), one per line"), 10000, required=False, area=True, render_kw={"rows": 5}
    )


class CollectiveForm(FlaskForm):
    """集体研究 and the leader the decision is submitted to."""

    form_token = HiddenField()
    held_on = DateField(_l("Date of the collective decision"), validators=[DataRequired(message=_DATE_MESSAGE)])
    meeting = text_field(_l("Body or meeting that decided (e.g. 常委会)"), 200)
    result = text_field(_l("Result of the collective decision"), 5000, area=True, render_kw={"rows": 4})
    approver = SelectField(_l("Leader who approves it"), choices=[], validate_choice=False)


class MeasureForm(FlaskForm):
    """One 纠错 measure recorded done."""

    form_token = HiddenField()
    index = IntegerField(validators=[InputRequired()])
    done_on = DateField(_l("Done on"), validators=[DataRequired(message=_DATE_MESSAGE)])
    note = text_field(_l("How it was done (the applicant reads it)"), 500)


def _page(
    case_id: str, status: int = 200, propose: ProposeForm | None = None, collective: CollectiveForm | None = None
):
    view = casework.open_case(current_user.user, current_user.private_key, case_id)
    propose = propose or ProposeForm(formdata=None)
    collective = collective or CollectiveForm(formdata=None)
    collective.approver.choices = [SelectChoice("", _("Please choose"))] + [
        SelectChoice(str(u.id), u.username) for u in approvers(view.case)
    ]
    if propose.reasons.data is None and view.tolerance is not None:  # a returned proposal is the starting point
        propose.outcome.data = view.tolerance.outcome.value
        propose.reasons.data = view.tolerance.reasons
        propose.measures.data = "\n".join(m.text for m in view.tolerance.measures)
    return render_template(
        "review/decision.html",
        view=view,
        propose=propose,
        collective=collective,
        may_propose=Action.PROPOSE_DECISION in view.offered,
        may_record=Action.RECORD_COLLECTIVE in view.offered,
    ), status


@bp.get("/cases/<case_id>/decision")
@roles_required(*CASE_WORKER_ROLES)
def decision(case_id: str):
    return _page(case_id)


@bp.post("/cases/<case_id>/decision")
@roles_required(*CASE_WORKER_ROLES)
def propose_decision(case_id: str):
    form = ProposeForm()
    if not form.validate():
        return _page(case_id, 400, propose=form)
    try:
        tolerance.propose(
            current_user.user,
            current_user.private_key,
            case_id,
            form.outcome.data,
            form.reasons.data,
            form.measures.data or "",
            form.form_token.data,
        )
    except REFUSED as exc:
        return _page(case_id, show_on(form, exc, "reasons"), propose=form)
    flash(_("The proposed decision awaits the collective decision."))
    return redirect(url_for("review.case", case_id=case_id), code=303)


@bp.post("/cases/<case_id>/decision/collective")
@roles_required(*CASE_WORKER_ROLES)
def record_collective(case_id: str):
    form = CollectiveForm()
    if not form.validate():
        return _page(case_id, 400, collective=form)
    try:
        approver_id = int(form.approver.data) if (form.approver.data or "").isdigit() else None
        tolerance.record_collective(
            current_user.user,
            current_user.private_key,
            case_id,
            form.held_on.data,
            form.meeting.data,
            form.result.data,
            approver_id,
            form.form_token.data,
        )
    except REFUSED as exc:
        return _page(case_id, show_on(form, exc, "result"), collective=form)
    flash(_("The collective decision was recorded; the leader named approves it."))
    return redirect(url_for("review.case", case_id=case_id), code=303)


@bp.post("/cases/<case_id>/decision/measure")
@roles_required(*CASE_WORKER_ROLES)
def record_measure(case_id: str):
    form = MeasureForm()
    if not form.validate():
        return _case_page_refusing(case_id, 400, _("Please enter the date and how the measure was carried out."))
    try:
        tolerance.record_measure(
            current_user.user,
            current_user.private_key,
            case_id,
            form.index.data,
            form.done_on.data,
            form.note.data,
            form.form_token.data,
        )
    except REFUSED as exc:
        refused = refusal(exc)
        return _case_page_refusing(case_id, refused.status, refused.message)
    flash(_("Recorded."))
    return redirect(url_for("review.case", case_id=case_id), code=303)
