"""The accusation page of a case (移送 and its outcomes, 一信双查, 提醒教育) and the referral ledger."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from portal.domain.cases import ReferralOutcome, ReferralTarget, ReminderForm
from portal.domain.referral import OUTCOME_ACTIONS
from portal.domain.staff import CASE_WORKER_ROLES, StaffRole
from portal.domain.workflow import Action
from portal.services import referrals as referral_service
from portal.web import labels
from portal.web.fields import text_field
from portal.web.refusals import REFUSED, show_on
from portal.web.review import bp
from portal.web.staff import roles_required


class ReferForm(FlaskForm):
    form_token = HiddenField()
    target = SelectField(
        _l("Kind of receiving body"),
        choices=[SelectChoice("", _l("Please choose"))]
        + [SelectChoice(t.value, labels.REFERRAL_TARGETS[t]) for t in ReferralTarget],
        validate_choice=False,
    )
    body_name = text_field(_l("Name of the receiving body"), referral_service.SHORT_TEXT, required=False)
    reference = text_field(_l("Reference of the referral (文号)"), referral_service.SHORT_TEXT, required=False)
    referred_on = DateField(_l("Date of the referral"), validators=[Optional()])
    notes = text_field(
        _l("Notes (internal)"), referral_service.LONG_TEXT, required=False, area=True, render_kw={"rows": 3}
    )
    double_check = BooleanField(_l("一信双查: the accuser was checked together with the accusation"))
    checked_on = DateField(_l("Date of the check of the accuser"), validators=[Optional()])
    check_note = text_field(
        _l("What was checked about the accuser"),
        referral_service.LONG_TEXT,
        required=False,
        area=True,
        render_kw={"rows": 3},
    )


class OutcomeForm(FlaskForm):
    form_token = HiddenField()
    referral_id = HiddenField()
    outcome = RadioField(
        _l("What the receiving body reported"),
        choices=[SelectChoice(o.value, labels.REFERRAL_OUTCOMES[o]) for o in ReferralOutcome],
        validators=[Optional()],
        validate_choice=False,
    )
    on = DateField(_l("Date"), validators=[Optional()])
    text = text_field(
        _l("What was decided, or why it is not pursued (the 立案 number may be noted)"),
        referral_service.LONG_TEXT,
        required=False,
        area=True,
        render_kw={"rows": 3},
    )


class EducateForm(FlaskForm):
    form_token = HiddenField()
    form = RadioField(
        _l("Form of the reminder"),
        choices=[SelectChoice(f.value, labels.REMINDER_FORMS[f]) for f in ReminderForm],
        validators=[Optional()],
        validate_choice=False,
    )
    given_on = DateField(_l("Date given"), validators=[Optional()])
    note = text_field(
        _l("To whom, and what was said"), referral_service.LONG_TEXT, required=False, area=True, render_kw={"rows": 3}
    )


class CheckForm(FlaskForm):
    """一信双查 recorded after the referral, on one referral made without it (h11x)."""

    form_token = HiddenField()
    #: Named apart from the outcome form's ``referral_id``: the two forms sit side by side.
    checked_referral = HiddenField()
    checked_on = DateField(_l("Date of the check of the accuser"), validators=[Optional()])
    check_note = text_field(
        _l("What was checked about the accuser"),
        referral_service.LONG_TEXT,
        required=False,
        area=True,
        render_kw={"rows": 3},
    )


def _render(
    case_id: str,
    status: int = 200,
    refer: ReferForm | None = None,
    outcome: OutcomeForm | None = None,
    educate: EducateForm | None = None,
    check: CheckForm | None = None,
):
    page = referral_service.page(current_user.user, current_user.private_key, case_id)
    return render_template(
        "review/referrals.html",
        page=page,
        refer_form=refer or ReferForm(formdata=None),
        outcome_form=outcome or OutcomeForm(formdata=None),
        educate_form=educate or EducateForm(formdata=None),
        failed_referral=outcome.referral_id.data if outcome is not None else None,
        check_form=check or CheckForm(formdata=None),
        failed_check=check.checked_referral.data if check is not None else None,
    ), status


def _done(case_id: str, message):
    flash(message)
    return redirect(url_for("review.referrals", case_id=case_id), code=303)


@bp.route("/cases/<case_id>/referrals", methods=["GET", "POST"])
@roles_required(*CASE_WORKER_ROLES)
def referrals(case_id: str):
    """The accusation page; a POST refers the accusation (移送) to one more receiving body."""
    form = ReferForm()
    if not form.is_submitted():
        return _render(case_id)
    if not form.validate():
        return _render(case_id, 400, refer=form)
    given = referral_service.ReferralInput(
        target=form.target.data or None,
        body_name=form.body_name.data or "",
        reference=form.reference.data or "",
        referred_on=form.referred_on.data,
        notes=form.notes.data or "",
        double_check=bool(form.double_check.data),
        checked_on=form.checked_on.data,
        check_note=form.check_note.data or "",
    )
    try:
        referral_service.refer(current_user.user, current_user.private_key, case_id, given, form.form_token.data)
    except REFUSED as exc:
        return _render(case_id, show_on(form, exc, "target"), refer=form)
    return _done(case_id, labels.DONE[Action.REFER])


@bp.post("/cases/<case_id>/referrals/outcome")
@roles_required(*CASE_WORKER_ROLES)
def referral_outcome(case_id: str):
    """Record what a receiving body reported: 立案, 处理结果 or 不予追究."""
    form = OutcomeForm()
    if not form.validate():
        return _render(case_id, 400, outcome=form)
    try:
        referral_service.record_outcome(
            current_user.user,
            current_user.private_key,
            case_id,
            form.referral_id.data or None,
            form.outcome.data or None,
            form.on.data,
            form.text.data or "",
            form.form_token.data,
        )
    except REFUSED as exc:
        return _render(case_id, show_on(form, exc, "outcome"), outcome=form)
    return _done(case_id, labels.DONE[OUTCOME_ACTIONS[ReferralOutcome(form.outcome.data)]])


@bp.post("/cases/<case_id>/reminder")
@roles_required(*CASE_WORKER_ROLES)
def reminder(case_id: str):
    """Record the 提醒教育 given to a mistaken accuser (错告)."""
    form = EducateForm()
    if not form.validate():
        return _render(case_id, 400, educate=form)
    try:
        referral_service.educate(
            current_user.user,
            current_user.private_key,
            case_id,
            form.form.data or None,
            form.given_on.data,
            form.note.data or "",
            form.form_token.data,
        )
    except REFUSED as exc:
        return _render(case_id, show_on(form, exc, "form"), educate=form)
    return _done(case_id, labels.DONE[Action.EDUCATE])


@bp.post("/cases/<case_id>/referrals/check")
@roles_required(*CASE_WORKER_ROLES)
def referral_check(case_id: str):
    """Record 一信双查 on a referral made without it (h11x): once, with its date and what was checked."""
    form = CheckForm()
    if not form.validate():
        return _render(case_id, 400, check=form)
    try:
        referral_service.record_check(
            current_user.user,
            current_user.private_key,
            case_id,
            form.checked_referral.data or None,
            form.checked_on.data,
            form.check_note.data or "",
            form.form_token.data,
        )
    except REFUSED as exc:
        return _render(case_id, show_on(form, exc, "checked_on"), check=form)
    return _done(case_id, labels.DONE[Action.CHECK_ACCUSER])


@bp.get("/referrals")
@roles_required(StaffRole.SUPERVISOR, StaffRole.LEADER)
def referral_ledger():
    """The 诬告陷害 ledger: the referrals of the cases the viewer holds, feedback due soonest first."""
    rows = referral_service.ledger(current_user.user)
    return render_template("review/referral_ledger.html", rows=rows)
