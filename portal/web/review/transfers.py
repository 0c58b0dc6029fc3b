"""转办 / 转送 / 报送上一级: the transfer page of a case, and the source body's list of stubs."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.fields.choices import SelectChoice

from portal.domain.bodies import LEVEL_ORDER, TransferReason
from portal.domain.staff import CASE_WORKER_ROLES, StaffRole
from portal.domain.workflow import Action
from portal.services import transfers as transfer_service
from portal.web import body_labels, confirm
from portal.web.refusals import REFUSED, refusal, show_on
from portal.web.request_checks import optional_id
from portal.web.review import bp
from portal.web.staff import roles_required

#: Why a case leaves the body, in the words of the rules (GLOSSARY: 转办, 转送, 报送上一级).
REASONS = {
    TransferReason.OTHER_BODY: _l("Transfer (转办): another discipline body handles it"),
    TransferReason.NOT_DISCIPLINE: _l("Pass on (转送): not a discipline matter, a department acts on it"),
    TransferReason.OUTSIDE_REMIT: _l("Refer up (报送上一级): the cadre is outside this body's remit"),
}

#: The short word for each reason, in the list of stubs.
REASON_WORDS = {
    TransferReason.OTHER_BODY: _l("Transferred (转办)"),
    TransferReason.NOT_DISCIPLINE: _l("Passed on (转送)"),
    TransferReason.OUTSIDE_REMIT: _l("Referred up (报送上一级)"),
}


class TransferForm(FlaskForm):
    form_token = HiddenField()
    to_body = SelectField(_l("Send to"), choices=[], validate_choice=False)
    reason = SelectField(_l("Reason for the transfer"), choices=[], validate_choice=False)


def _groups(case_body_id: int) -> list[tuple[object, list[transfer_service.Target]]]:
    """The other bodies under their level's heading, highest level first (an optgroup each)."""
    by_level: dict[str, list[transfer_service.Target]] = {}
    for target in transfer_service.targets(case_body_id):
        by_level.setdefault(target.level, []).append(target)
    return [(body_labels.LEVELS[level], by_level[level]) for level in LEVEL_ORDER if level in by_level]


def _page(form: TransferForm, page: transfer_service.TransferPage, status: int = 200):
    """The form; or, when the engine refuses a transfer now, why (with the refusal's status)."""
    refused = refusal(page.refused) if page.refused is not None else None
    if refused is not None and status == 200:
        status = refused.status
    form.reason.choices = [SelectChoice("", _("Please choose"))] + [
        SelectChoice(r.value, REASONS[r]) for r in TransferReason
    ]
    return render_template(
        "review/transfer.html", page=page, form=form, groups=_groups(page.body_id), refused=refused
    ), status


@bp.route("/cases/<case_id>/transfer", methods=["GET", "POST"])
@roles_required(StaffRole.INTAKE)
def transfer(case_id: str):
    user, key = current_user.user, current_user.private_key
    page = transfer_service.page(user, key, case_id)
    form = TransferForm()
    if not form.is_submitted() or confirm.revising():
        return _page(form, page)
    if not form.validate():
        return _page(form, page, 400)
    to_body, reason = optional_id(form.to_body.data), form.reason.data or None
    try:
        if confirm.pending(Action.TRANSFER):
            target, why = transfer_service.check(user, key, case_id, to_body, reason)
            review = [(form.to_body.label.text, target.name), (form.reason.label.text, REASONS[why])]
            return confirm.page(Action.TRANSFER.value, review, staff=True)
        transfer_service.transfer(user, key, case_id, to_body, reason, form.form_token.data)
    except REFUSED as exc:
        return _page(form, page, show_on(form, exc, "to_body"))
    flash(_("The case was sent to the other body; you no longer hold its key."))
    return redirect(url_for("review.queue"), code=303)


@bp.get("/transfers")
@roles_required(*CASE_WORKER_ROLES)
def transfers():
    """Cases this body sent away: date, case, target and reason; no content, no link into them."""
    stubs = transfer_service.stubs(current_user.user.body_id)
    return render_template("review/transfers.html", stubs=stubs, reasons=REASON_WORDS)
