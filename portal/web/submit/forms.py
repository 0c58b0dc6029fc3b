"""Forms of the cadre's side."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from portal.domain.cases import Category, ClarificationMode, Harm
from portal.web.fields import CheckboxesField, attachments_field, text_field
from portal.web.labels import CATEGORIES, FIELDS, FORMS, HARMS


class ConcernForm(FlaskForm):
    """意见反映."""

    form_token = HiddenField()
    category = RadioField(
        FIELDS["category"],
        choices=[SelectChoice(c.value, CATEGORIES[c]) for c in Category],
        validators=[DataRequired(message=_l("Please choose a category."))],
    )
    subject = text_field(FIELDS["subject"], 200)
    description = text_field(FIELDS["description"], 20000, area=True, render_kw={"rows": 10})
    unit = text_field(FIELDS["unit"], 200, required=False)
    attachments = attachments_field()

    text_fields = ("subject", "description", "unit")


class ClarificationRequestForm(FlaskForm):
    """澄清正名申请."""

    form_token = HiddenField()
    real_name = text_field(FIELDS["real_name"], 50, render_kw={"autocomplete": "off"})
    unit_name = text_field(FIELDS["unit_name"], 200)
    post = text_field(FIELDS["post"], 100)
    contact = text_field(FIELDS["contact"], 200, required=False, render_kw={"autocomplete": "off"})
    allegation = text_field(FIELDS["allegation"], 20000, area=True, render_kw={"rows": 8})
    allegation_source = text_field(FIELDS["allegation_source"], 2000, area=True, render_kw={"rows": 3})
    harms = CheckboxesField(FIELDS["harms"], choices=[SelectChoice(h.value, HARMS[h]) for h in Harm])
    harm_detail = text_field(FIELDS["harm_detail"], 5000, required=False, area=True, render_kw={"rows": 4})
    wanted = CheckboxesField(
        FIELDS["wanted"],
        choices=[SelectChoice(f.value, FORMS[f]) for f in ClarificationMode if f is not ClarificationMode.WRITTEN],
    )
    wanted_detail = text_field(FIELDS["wanted_detail"], 2000, required=False, area=True, render_kw={"rows": 3})
    attachments = attachments_field()

    text_fields = (
        "real_name",
        "unit_name",
        "post",
        "contact",
        "allegation",
        "allegation_source",
        "harm_detail",
        "wanted_detail",
    )


class ReceiptForm(FlaskForm):
    """Enter a receipt to follow up."""

    receipt = StringField(
        _l("Receipt (16 digits)"),
        validators=[DataRequired(message=_l("Please enter your receipt.")), Length(max=64)],
        render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 64},
    )


class ReplyForm(FlaskForm):
    """The submitter writes back."""

    form_token = HiddenField()
    body = text_field(_l("Your message"), 20000, area=True, render_kw={"rows": 6})
    attachments = attachments_field()


class LeaveForm(FlaskForm):
    """Only the CSRF token: leaving is a POST."""


class ReceiptDoneForm(FlaskForm):
    """Only the CSRF token: "I have written it down" is a POST."""


class ObjectionForm(FlaskForm):
    """The submitter's one objection to an answer."""

    form_token = HiddenField()
    reason = text_field(_l("Why you disagree"), 5000, area=True, render_kw={"rows": 4})


class ConsentForm(FlaskForm):
    """本人确认."""

    form_token = HiddenField()


class DeclineForm(FlaskForm):
    """Declining the plan, with a comment for the reviewer."""

    form_token = HiddenField()
    comment = text_field(_l("What should change (if you decline)"), 5000, area=True, render_kw={"rows": 3})


class CorrectionConsentForm(FlaskForm):
    """本人同意 to a correction of the published notice."""

    form_token = HiddenField()


class CorrectionDeclineForm(FlaskForm):
    """Declining a correction, with a comment for the supervisor."""

    form_token = HiddenField()
    comment = text_field(
        _l("Why you do not agree with the correction"), 5000, area=True, id="correction-comment", render_kw={"rows": 3}
    )
