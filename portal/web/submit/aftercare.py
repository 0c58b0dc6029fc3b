"""The applicant's feedback on the 回访 (issue 10), through the receipt like every step of theirs."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField

from portal.services import aftercare
from portal.web.fields import text_field
from portal.web.refusals import REFUSED, refusal
from portal.web.submit.routes import _access, _limit, _status_page, bp


class FeedbackForm(FlaskForm):
    """The applicant's own word on the follow-up visit."""

    form_token = HiddenField()
    feedback = text_field(_l("Your feedback on the follow-up visit"), 5000, area=True, render_kw={"rows": 4})


@bp.post("/followup/feedback")
@_limit("LIMIT_REPLY")
def feedback():
    access = _access()
    form = FeedbackForm()
    if not form.validate():
        return _status_page(access, status=400, refused=_("Please write your feedback first."))
    try:
        aftercare.leave_feedback(access, form.feedback.data, form.form_token.data)
    except REFUSED as exc:
        refused = refusal(exc)
        return _status_page(access, status=refused.status, refused=str(refused.message))
    flash(_("Thank you. Your feedback was recorded; the staff who handled your case will read it."))
    return redirect(url_for("submit.status"), code=303)
