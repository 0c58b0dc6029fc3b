"""Recording the filings of an approved plan and the 回访 after it was carried out (issue 10)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from portal.domain.cases import VisitForm
from portal.domain.staff import CASE_WORKER_ROLES
from portal.services import aftercare
from portal.web import labels
from portal.web.fields import text_field
from portal.web.refusals import REFUSED, refusal
from portal.web.review import bp
from portal.web.review.plan import _case_page_refusing
from portal.web.staff import roles_required

_DAY = _l("Please give the day.")


class FilingForm(FlaskForm):
    """One filing of the approved plan: where, the day, the document number."""

    filing = HiddenField(validators=[DataRequired()])
    form_token = HiddenField()
    filed_on = DateField(_l("Day"), validators=[DataRequired(message=_DAY)])
    number = text_field(_l("Document number (文号)"), 64)


class VisitRecordForm(FlaskForm):
    """The 回访: the day, how, what was said."""

    form_token = HiddenField()
    visited_on = DateField(_l("Day of the visit"), validators=[DataRequired(message=_DAY)])
    how = RadioField(
        _l("How"),
        choices=[SelectChoice(f.value, labels.VISIT_FORMS[f]) for f in VisitForm],
        validators=[DataRequired(message=_l("Choose how the visit took place."))],
    )
    summary = text_field(_l("Summary (staff only)"), 5000, area=True, render_kw={"rows": 4})


def _first_error(form: FlaskForm) -> str:
    return next((str(e) for f in form for e in f.errors), _("Please fill this in."))


@bp.post("/cases/<case_id>/plan/filing")
@roles_required(*CASE_WORKER_ROLES)
def filing_done(case_id: str):
    form = FilingForm()
    if not form.validate():
        return _case_page_refusing(case_id, 400, _first_error(form))
    try:
        aftercare.record_filing(
            current_user.user,
            current_user.private_key,
            case_id,
            form.filing.data,
            form.filed_on.data,
            form.number.data,
            form.form_token.data,
        )
    except REFUSED as exc:
        refused = refusal(exc)
        return _case_page_refusing(case_id, refused.status, refused.message)
    flash(_("Recorded."))
    return redirect(url_for("review.case", case_id=case_id), code=303)


@bp.post("/cases/<case_id>/visit")
@roles_required(*CASE_WORKER_ROLES)
def visit(case_id: str):
    form = VisitRecordForm()
    if not form.validate():
        return _case_page_refusing(case_id, 400, _first_error(form))
    try:
        aftercare.record_visit(
            current_user.user,
            current_user.private_key,
            case_id,
            form.how.data,
            form.visited_on.data,
            form.summary.data,
            form.form_token.data,
        )
    except REFUSED as exc:
        refused = refusal(exc)
        return _case_page_refusing(case_id, refused.status, refused.message)
    flash(_("The follow-up visit was recorded."))
    return redirect(url_for("review.case", case_id=case_id), code=303)
