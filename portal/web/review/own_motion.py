"""Clarification on the body's own motion (主动澄清): the opening page and the 澄清告知书.

The 告知书 with the cadre's receipt is the answer to the opening POST itself: never a page of its
own, never in a URL, never cached (``no-store``). A reload sends the spent form again and is
refused, so the receipt cannot be shown a second time.
"""

from __future__ import annotations

import base64

from flask import make_response, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from portal.domain import receipts
from portal.domain.bodies import Rank
from portal.domain.cases import Finding
from portal.domain.staff import ASSIGNABLE_ROLES, CASE_WORKER_ROLES
from portal.services import case_state, false_items, form_tokens, gongwen_files, own_motion
from portal.web import document_files
from portal.web.body_labels import RANKS
from portal.web.fields import text_field
from portal.web.labels import FINDINGS
from portal.web.refusals import REFUSED, refusal, show_on
from portal.web.review import bp
from portal.web.review.case_forms import ActionForm
from portal.web.review.cases import render_case
from portal.web.staff import roles_required


def _approver_id(value) -> int | None:
    """The approver select's value as an id (a forged one is refused by the service)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class OwnMotionForm(FlaskForm):
    """What a body records when it opens a clarification itself."""

    form_token = HiddenField()
    origin_number = text_field(_l("Reference of the original case"), 100)
    origin_body = text_field(_l("Body that concluded it"), 200)
    origin_concluded_on = DateField(
        _l("Date of the conclusion"), validators=[DataRequired(message=_l("Please give the date."))]
    )
    finding = RadioField(
        _l("Finding"),
        choices=[SelectChoice(f.value, FINDINGS[f]) for f in (Finding.FOUND_FALSE, Finding.PARTLY_FALSE)],
        validators=[DataRequired(message=_l("Please choose the finding."))],
    )
    false_items = text_field(
        _l("Items found untrue (for 部分失实; one a line)"),
        12000,
        required=False,
        area=True,
        render_kw={"rows": 4},
    )
    grounds = text_field(
        _l("Grounds of the finding (for the approver; not shown to the cadre)"), 20000, area=True, render_kw={"rows": 5}
    )
    real_name = text_field(_l("Name"), 50, render_kw={"autocomplete": "off"})
    unit_name = text_field(_l("Unit"), 200)
    post = text_field(_l("Post"), 100)
    rank = RadioField(
        _l("Rank"),
        choices=[SelectChoice(r.value, RANKS[r]) for r in Rank],
        validators=[DataRequired(message=_l("Please choose the rank."))],
    )
    approver = SelectField(_l("Approver of the finding"), coerce=_approver_id, choices=[], validate_choice=False)


def _page(form: OwnMotionForm, status: int = 200):
    form.approver.choices = [SelectChoice(u.id, u.username) for u in own_motion.approvers(current_user.user)]
    return render_template("review/own_motion.html", form=form), status


@bp.route("/clarifications/new", methods=["GET", "POST"])
@roles_required(*sorted(ASSIGNABLE_ROLES))
def open_own_motion():
    form = OwnMotionForm()
    if not form.is_submitted():
        form.form_token.data = form_tokens.issue()
        return _page(form)
    if not form.validate():
        return _page(form, 400)
    opening = own_motion.Opening(
        real_name=form.real_name.data,
        unit_name=form.unit_name.data,
        post=form.post.data,
        rank=form.rank.data,
        origin_number=form.origin_number.data,
        origin_body=form.origin_body.data,
        origin_concluded_on=form.origin_concluded_on.data,
        finding=form.finding.data,
        false_items=false_items.parse(form.false_items.data),
        grounds=form.grounds.data,
        approver_id=form.approver.data,
    )
    try:
        issued = own_motion.open_case(current_user.user, opening, form.form_token.data)
    except REFUSED as exc:
        status = show_on(form, exc, "finding")
        form.form_token.data = form_tokens.issue()
        return _page(form, status)
    return _notice_to_cadre(issued)


def _notice_to_cadre(issued: own_motion.Issued):
    """The printable 澄清告知书: the answer to the POST that made the receipt, never cached."""
    response = make_response(
        render_template(
            "review/own_motion_notice.html",
            issued=issued,
            receipt=receipts.grouped(issued.receipt),
            followup=url_for("submit.followup_start", _external=True),
            today=case_state.today(),
            files=_files_with_receipt(issued),
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _files_with_receipt(issued: own_motion.Issued) -> dict[str, str]:
    """Issue 11 (h11d1): the numbered 告知书 with the receipt as PDF and .docx, inside this answer only.

    They are ``data:`` links of the page itself (saved with ``download``): no address on the server
    serves them, so nothing can fetch them again and no request, log or cache ever holds the receipt."""
    if issued.document is None:
        return {}
    made = {"pdf": gongwen_files.pdf(issued.document), "docx": gongwen_files.docx(issued.document)}
    return {
        fmt: f"data:{document_files.FORMATS[fmt]};base64,{base64.b64encode(data).decode()}"
        for fmt, data in made.items()
    }


class ReissueForm(FlaskForm):
    """A new receipt for a lost one: the old one stops working, so it is confirmed with a tick."""

    form_token = HiddenField()
    confirmed = BooleanField(
        _l("The cadre lost the receipt: issue a new one (the old one stops working)"),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )


@bp.post("/cases/<case_id>/receipt")
@roles_required(*CASE_WORKER_ROLES)
def reissue_receipt(case_id: str):
    form = ReissueForm()
    if not form.validate():
        return _case_page_refusing(case_id, 400, _("Tick the box to confirm."))
    try:
        issued = own_motion.reissue(current_user.user, current_user.private_key, case_id, form.form_token.data)
    except REFUSED as exc:
        refused = refusal(exc)
        return _case_page_refusing(case_id, refused.status, refused.message)
    return _notice_to_cadre(issued)


def _case_page_refusing(case_id: str, status: int, message) -> tuple:
    """The case page again, the refusal in its actions' error place."""
    action_form = ActionForm(formdata=None)
    action_form.action.errors = [str(message)]
    return render_case(case_id, status, action_form=action_form)
