"""A published notice on the staff side: its full history, corrections (更正) and withdrawal (撤回)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField
from wtforms.validators import DataRequired, Optional

from portal.domain.notice_text import plain_text
from portal.domain.staff import StaffRole
from portal.models import Notice
from portal.services import notices, notices_public
from portal.web import confirm
from portal.web.fields import text_field
from portal.web.notices import labels as notice_labels
from portal.web.notices.conditional import forget_public_pages
from portal.web.refusals import REFUSED, show_on
from portal.web.review import bp
from portal.web.staff import roles_required


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


@bp.route("/notices/<int:notice_id>/correct", methods=["GET", "POST"])
@roles_required(StaffRole.SUPERVISOR)
def correct_notice(notice_id: int):
    notice = notices.for_staff(current_user.user, notice_id)
    form = CorrectionForm(obj=notice)  # POST data wins over the stored values
    if notice.clarified:  # 部分失实 (issue 10): the items found untrue stand in for a free-text allegation
        form.allegation.validators = [Optional()]
    withdraw = WithdrawForm(formdata=None)
    if form.validate_on_submit():
        changes = {name: getattr(form, name).data for name in notices.CORRECTABLE}
        try:
            published = notices.correct(
                current_user.user, current_user.private_key, notice_id, changes, form.reason.data, form.form_token.data
            )
        except REFUSED as exc:
            return _edit_page(notice, form, withdraw, show_on(form, exc, "reason"))
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
    history = found[1] if found is not None else []
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
@roles_required(StaffRole.SUPERVISOR)
def withdraw_notice(notice_id: int):
    notice = notices.for_staff(current_user.user, notice_id)
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
        except REFUSED as exc:
            correction = CorrectionForm(obj=notice, formdata=None)
            return _edit_page(notice, correction, form, show_on(form, exc, "reason"))
        else:
            forget_public_pages()
            flash(_("The notice was withdrawn; its page stays, marked withdrawn."))
            return redirect(url_for("review.correct_notice", notice_id=notice_id), code=303)
    correction = CorrectionForm(obj=notice, formdata=None)
    return _edit_page(notice, correction, form, 400)
