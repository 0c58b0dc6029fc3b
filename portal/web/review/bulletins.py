"""典型案例通报 on the staff side: draft and submit, the named leader's decision, correction, withdrawal."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, SelectField
from wtforms.validators import DataRequired

from portal.domain.bulletins import MAX_FACTS, MAX_TITLE, MAX_TREATMENT, BulletinText, ConsentStatus, DraftStatus
from portal.domain.staff import StaffRole
from portal.models import Bulletin
from portal.services import bulletins
from portal.web import confirm
from portal.web.errors import error_page
from portal.web.fields import text_field
from portal.web.notices import labels as notice_labels
from portal.web.notices.bulletins import field_label
from portal.web.notices.conditional import forget_public_pages
from portal.web.refusals import REFUSED, refusal, show_on
from portal.web.review import bp
from portal.web.staff import roles_required

_DATE_REQUIRED = DataRequired(message=_l("Please fill this in."))


class BulletinForm(FlaskForm):
    """The bulletin's text; the same fields as its public page and its correction."""

    form_token = HiddenField()
    title = text_field(_l("Bulletin title"), MAX_TITLE)
    facts = text_field(_l("What happened (anonymised)"), MAX_FACTS, area=True, render_kw={"rows": 8})
    treatment = text_field(_l("How the accuser was dealt with"), MAX_TREATMENT, area=True, render_kw={"rows": 4})
    issued_on = DateField(_l("Date of the bulletin"), validators=[_DATE_REQUIRED])

    def text(self) -> BulletinText:
        return BulletinText(self.title.data, self.facts.data, self.treatment.data, self.issued_on.data)


class DraftForm(BulletinForm):
    approver = SelectField(_l("Submit to the leader"), choices=[], validate_choice=False)
    names_cadre = BooleanField(_l("Name the cadre, with their consent (征得本人同意后公开姓名)"))


class CorrectionForm(BulletinForm):
    reason = text_field(
        _l("Reason for the correction (shown publicly)"), 2000, area=True, id="correction-reason", render_kw={"rows": 2}
    )


class ApproveForm(FlaskForm):
    form_token = HiddenField()


class ReturnForm(FlaskForm):
    form_token = HiddenField()
    reason = text_field(_l("Why it is returned"), 2000, area=True, id="return-reason", render_kw={"rows": 3})


class WithdrawForm(FlaskForm):
    form_token = HiddenField()
    reason = text_field(
        _l("Reason for the withdrawal (shown publicly)"), 2000, area=True, id="withdraw-reason", render_kw={"rows": 2}
    )


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 10 else None


def _draft_page(case_id: str, form: DraftForm | None, status: int | None = None):
    """The case's bulletin page: the draft form for its drafter, the decision for its leader."""
    view = bulletins.draft_page(current_user.user, current_user.private_key, case_id)
    if form is None:
        values = (
            {**vars(view.text), "approver": str(view.approver_id or ""), "names_cadre": view.names_cadre}
            if view.text
            else {}
        )
        form = DraftForm(formdata=None, data=values)
    form.approver.choices = [("", _("Choose a leader")), *[(str(u.id), u.username) for u in view.leaders]]
    if status is None:
        status = 200 if view.eligible or view.status is not None else 409
    return render_template(
        "review/bulletin_draft.html",
        view=view,
        form=form,
        approve=ApproveForm(formdata=None),
        give_back=ReturnForm(formdata=None),
        statuses=DraftStatus,
        consents=ConsentStatus,
    ), status


@bp.route("/cases/<case_id>/bulletin", methods=["GET", "POST"])
@roles_required(StaffRole.SUPERVISOR, StaffRole.LEADER)
def case_bulletin(case_id: str):
    if request.method == "GET":
        return _draft_page(case_id, None)
    form = DraftForm()
    if not form.validate_on_submit():
        return _draft_page(case_id, form, 400)
    try:
        bulletins.submit(
            current_user.user,
            current_user.private_key,
            case_id,
            form.text(),
            _int(form.approver.data),
            form.form_token.data,
            names_cadre=bool(form.names_cadre.data),
        )
    except REFUSED as exc:
        return _draft_page(case_id, form, show_on(form, exc, "title"))
    if form.names_cadre.data:
        flash(
            _("The bulletin was submitted; the cadre is asked on their status page whether they consent to be named.")
        )
    else:
        flash(_("The bulletin was submitted to the leader for approval."))
    return redirect(url_for("review.case_bulletin", case_id=case_id), code=303)


def _refused(exc: Exception):
    refused = refusal(exc)
    return error_page(refused.status, None, str(refused.message))


@bp.post("/cases/<case_id>/bulletin/approve")
@roles_required(StaffRole.LEADER)
def approve_bulletin(case_id: str):
    user, key = current_user.user, current_user.private_key
    form = ApproveForm()
    if confirm.revising():
        return redirect(url_for("review.case_bulletin", case_id=case_id), code=303)
    if not form.validate():
        return error_page(400)
    try:
        if confirm.pending("approve_bulletin"):
            bulletins.decidable(user, key, case_id)
            return confirm.page("approve_bulletin", staff=True)
        bulletin_id = bulletins.approve(user, key, case_id, form.form_token.data)
    except REFUSED as exc:
        return _refused(exc)
    forget_public_pages()
    flash(_("The bulletin was approved and published."))
    return redirect(url_for("review.correct_bulletin", bulletin_id=bulletin_id), code=303)


@bp.post("/cases/<case_id>/bulletin/return")
@roles_required(StaffRole.LEADER)
def return_bulletin(case_id: str):
    form = ReturnForm()
    if not form.validate():
        return error_page(400, None, _("Please give a reason or text for this step."))
    try:
        bulletins.return_draft(
            current_user.user, current_user.private_key, case_id, form.reason.data, form.form_token.data
        )
    except REFUSED as exc:
        return _refused(exc)
    flash(_("The bulletin was returned to its drafter with your reason."))
    return redirect(url_for("review.bulletin_list"), code=303)


@bp.get("/bulletins")
@roles_required(StaffRole.SUPERVISOR, StaffRole.LEADER)
def bulletin_list():
    found = bulletins.worklist(current_user.user)
    return render_template("review/bulletins.html", work=found, statuses=DraftStatus)


def _edit_page(bulletin: Bulletin, form: CorrectionForm, withdraw: WithdrawForm, status: int):
    """The staff page of a published bulletin: its full text and full history."""
    return render_template(
        "review/bulletin_edit.html",
        bulletin=bulletin,
        form=form,
        withdraw=withdraw,
        history=[(r, bulletins.parse_changes(r.changes)) for r in bulletins.history(bulletin.id)],
        field_label=field_label,
        kinds=notice_labels.KINDS,
    ), status


def _correction_form(bulletin: Bulletin, formdata: bool = True) -> CorrectionForm:
    """The form with the published text (what was posted wins, when ``formdata``)."""
    values = vars(bulletins.text_of(bulletin))
    return CorrectionForm(data=values) if formdata else CorrectionForm(formdata=None, data=values)


def _issued(bulletin_id: int) -> Bulletin:
    """A bulletin of the signed-in supervisor's or leader's body, or 404 / 403."""
    try:
        return bulletins.for_staff(current_user.user, bulletin_id)
    except bulletins.NoSuchBulletin:
        abort(404)
    except bulletins.NotIssuer:
        abort(403)


@bp.route("/bulletins/<int:bulletin_id>/correct", methods=["GET", "POST"])
@roles_required(StaffRole.SUPERVISOR, StaffRole.LEADER)
def correct_bulletin(bulletin_id: int):
    bulletin = _issued(bulletin_id)
    form = _correction_form(bulletin)
    withdraw = WithdrawForm(formdata=None)
    if form.validate_on_submit():
        try:
            bulletins.correct(
                current_user.user,
                current_user.private_key,
                bulletin_id,
                form.text(),
                form.reason.data,
                form.form_token.data,
            )
        except REFUSED as exc:
            return _edit_page(bulletin, form, withdraw, show_on(form, exc, "reason"))
        forget_public_pages()
        flash(_("The bulletin was corrected; the correction is shown on its page."))
        return redirect(url_for("review.correct_bulletin", bulletin_id=bulletin_id), code=303)
    return _edit_page(bulletin, form, withdraw, 400 if form.is_submitted() else 200)


@bp.post("/bulletins/<int:bulletin_id>/withdraw")
@roles_required(StaffRole.SUPERVISOR, StaffRole.LEADER)
def withdraw_bulletin(bulletin_id: int):
    bulletin = _issued(bulletin_id)
    form = WithdrawForm()
    if confirm.revising():
        return _edit_page(bulletin, _correction_form(bulletin, formdata=False), form, 200)
    if form.validate():
        try:
            if confirm.pending("withdraw_bulletin"):
                bulletins.withdrawable(current_user.user, bulletin_id)
                return confirm.page(
                    "withdraw_bulletin",
                    [(_("Bulletin"), bulletin.title), (form.reason.label.text, form.reason.data)],
                    staff=True,
                )
            bulletins.withdraw(current_user.user, bulletin_id, form.reason.data, form.form_token.data)
        except REFUSED as exc:
            return _edit_page(bulletin, _correction_form(bulletin, False), form, show_on(form, exc, "reason"))
        forget_public_pages()
        flash(_("The bulletin was withdrawn; its page stays, marked withdrawn."))
        return redirect(url_for("review.correct_bulletin", bulletin_id=bulletin_id), code=303)
    return _edit_page(bulletin, _correction_form(bulletin, False), form, 400)


@bp.app_context_processor
def _eligibility() -> dict:
    """The case page asks the one eligibility rule whether to link to the bulletin."""
    return {"bulletin_eligible": bulletins.eligible}
