"""Forms of the cadre's side."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from portal.domain.bodies import DISCIPLINE_KINDS, LEVEL_ORDER, Rank
from portal.domain.cases import Category, ClarificationMode, Harm
from portal.services.bodies import BodyChoice
from portal.web.body_labels import LEVELS, RANKS
from portal.web.fields import CheckboxesField, attachments_field, text_field
from portal.web.labels import CATEGORIES, FIELDS, HARMS, IDENTITIES, MODES, READ_FIELDS
from portal.web.real_name import Identity

#: The words of a forged or stale body choice (also bodies.NoSuchBody's, in portal.web.refusals).
NOT_LISTED = _l("The body chosen is not one of those listed. Choose one of the list; nothing was sent.")


def _body_id(value) -> int | None:
    """A body select's value as an id; the empty choice (let the category decide) is None."""
    if value in (None, ""):
        return None
    return int(value)


def body_field(label, required: bool):
    """受理机关: a select of the bodies a cadre may file to, grouped by level; choices set by offer_bodies."""
    return SelectField(
        label,
        coerce=_body_id,
        choices=[],
        validators=[DataRequired(message=_l("Please choose the receiving body."))] if required else [Optional()],
        invalid_choice_message=NOT_LISTED,
        invalid_value_message=NOT_LISTED,
    )


def offer_bodies(field: SelectField, choices: list[BodyChoice], default_id: int | None, auto: bool) -> None:
    """Offer ``choices`` grouped by level (highest first) with the default preselected; ``auto`` adds
    the empty choice that lets the concern's category decide, which is then what is preselected.
    A form sent without the field at all (the page showed one body as a line) gets the same choice."""
    ordered = sorted(choices, key=lambda c: (LEVEL_ORDER.index(c.level), c.id))
    offered = [SelectChoice(c.id, c.name, optgroup=str(LEVELS.get(c.level, c.level))) for c in ordered]
    if auto:
        offered.insert(0, SelectChoice("", _l("Decided by the category of the concern")))
    field.choices = offered
    if not field.raw_data:  # shown, not posted (None), or posted without the field ([])
        ids = {c.id for c in ordered}
        field.data = None if auto else (default_id if default_id in ids else (ordered[0].id if ordered else None))
        if field.raw_data == []:
            field.raw_data = [str(field.data or "")]


def discipline_only(choices: list[BodyChoice]) -> list[BodyChoice]:
    """A clarification request goes to a discipline-inspection body only."""
    return [c for c in choices if c.kind in DISCIPLINE_KINDS]


class ConcernForm(FlaskForm):
    """意见反映."""

    form_token = HiddenField()
    category = RadioField(
        FIELDS["category"],
        choices=[SelectChoice(c.value, CATEGORIES[c]) for c in Category],
        validators=[DataRequired(message=_l("Please choose a category."))],
    )
    body = body_field(_l("Receiving body (optional)"), required=False)
    subject = text_field(FIELDS["subject"], 200)
    description = text_field(FIELDS["description"], 20000, area=True, render_kw={"rows": 10})
    unit = text_field(FIELDS["unit"], 200, required=False)
    attachments = attachments_field()
    # -- real-name concerns (issue 10) --
    identity = RadioField(
        _l("Anonymous or real-name"),
        choices=[SelectChoice(i.value, IDENTITIES[i]) for i in Identity],
        default=Identity.ANONYMOUS.value,
        validators=[DataRequired(message=_l("Please choose anonymous or real-name."))],
    )
    real_name = text_field(FIELDS["real_name"], 50, required=False, render_kw={"autocomplete": "off"})
    unit_name = text_field(FIELDS["unit_name"], 200, required=False, render_kw={"autocomplete": "off"})
    contact = text_field(READ_FIELDS["contact"], 200, required=False, render_kw={"autocomplete": "off"})

    text_fields = ("subject", "description", "unit")
    #: What a real-name submitter gives besides the concern; never stored for an anonymous one.
    identity_fields = ("real_name", "unit_name", "contact")

    @property
    def is_real_name(self) -> bool:
        return self.identity.data == Identity.REAL_NAME.value

    def reporter(self) -> dict[str, str]:
        """The real-name submitter's name, unit and contact; nothing when the concern is anonymous."""
        return {name: getattr(self, name).data for name in self.identity_fields} if self.is_real_name else {}

    def validate(self, extra_validators=None) -> bool:
        """A real-name concern needs the name, the unit and a contact; an anonymous one ignores them."""
        valid = super().validate(extra_validators)
        if self.is_real_name:
            for name in self.identity_fields:
                field = getattr(self, name)
                if not (field.data or "").strip() and not field.errors:
                    field.errors = [*field.errors, _l("A real-name concern needs this.")]
                    valid = False
        return valid


class ClarificationRequestForm(FlaskForm):
    """澄清正名申请."""

    form_token = HiddenField()
    body = body_field(_l("Receiving body"), required=True)
    real_name = text_field(FIELDS["real_name"], 50, render_kw={"autocomplete": "off"})
    unit_name = text_field(FIELDS["unit_name"], 200)
    post = text_field(FIELDS["post"], 100)
    rank = RadioField(
        _l("Your rank"),
        choices=[SelectChoice(r.value, RANKS[r]) for r in Rank],
        validators=[DataRequired(message=_l("Please choose your rank."))],
    )
    contact = text_field(FIELDS["contact"], 200, required=False, render_kw={"autocomplete": "off"})
    allegation = text_field(FIELDS["allegation"], 20000, area=True, render_kw={"rows": 8})
    allegation_source = text_field(FIELDS["allegation_source"], 2000, area=True, render_kw={"rows": 3})
    harms = CheckboxesField(FIELDS["harms"], choices=[SelectChoice(h.value, HARMS[h]) for h in Harm])
    harm_detail = text_field(FIELDS["harm_detail"], 5000, required=False, area=True, render_kw={"rows": 4})
    wanted = CheckboxesField(
        FIELDS["wanted"],
        choices=[SelectChoice(f.value, MODES[f]) for f in ClarificationMode if f is not ClarificationMode.WRITTEN],
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


class NamingConsentForm(FlaskForm):
    """同意公开姓名: the cadre consents to be named in the bulletin's text they read (its digest)."""

    form_token = HiddenField()
    text_digest = HiddenField()


class NamingDeclineForm(FlaskForm):
    """不同意: the cadre declines to be named, or withdraws the consent they gave."""

    form_token = HiddenField()


# -- fault tolerance (issue 10) --
from portal.domain.cases import Accountability, Distinction, FiledBy  # noqa: E402
from portal.web.labels import ACCOUNTABILITY, DISTINCTIONS, FILED_BY  # noqa: E402


class FaultToleranceForm(FlaskForm):
    """容错纠错申请: real name, filed by the cadre or by their unit on their behalf."""

    form_token = HiddenField()
    body = body_field(_l("Receiving body"), required=True)
    filed_by = RadioField(
        FIELDS["filed_by"],
        choices=[SelectChoice(f.value, FILED_BY[f]) for f in FiledBy],
        default=FiledBy.SELF.value,
        validators=[DataRequired(message=_l("Please choose who files the application."))],
    )
    real_name = text_field(FIELDS["real_name"], 50, render_kw={"autocomplete": "off"})
    unit_name = text_field(FIELDS["unit_name"], 200)
    post = text_field(FIELDS["post"], 100)
    rank = RadioField(
        _l("Your rank"),
        choices=[SelectChoice(r.value, RANKS[r]) for r in Rank],
        validators=[DataRequired(message=_l("Please choose your rank."))],
    )
    contact = text_field(FIELDS["contact"], 200, required=False, render_kw={"autocomplete": "off"})
    unit_contact = text_field(FIELDS["unit_contact"], 200, required=False, render_kw={"autocomplete": "off"})
    matter = text_field(FIELDS["matter"], 20000, area=True, render_kw={"rows": 8})
    fault = text_field(FIELDS["fault"], 5000, area=True, render_kw={"rows": 4})
    accountability = RadioField(
        FIELDS["accountability"],
        choices=[SelectChoice(a.value, ACCOUNTABILITY[a]) for a in Accountability],
        validators=[DataRequired(message=_l("Please choose the accountability you face."))],
    )
    accountability_detail = text_field(
        FIELDS["accountability_detail"], 5000, required=False, area=True, render_kw={"rows": 3}
    )
    distinctions = CheckboxesField(
        FIELDS["distinctions"], choices=[SelectChoice(d.value, DISTINCTIONS[d]) for d in Distinction]
    )
    distinction_reason = text_field(
        FIELDS["distinction_reason"], 5000, required=False, area=True, render_kw={"rows": 4}
    )
    attachments = attachments_field()

    text_fields = (
        "real_name",
        "unit_name",
        "post",
        "contact",
        "unit_contact",
        "matter",
        "fault",
        "accountability_detail",
        "distinction_reason",
    )

    def validate(self, extra_validators=None) -> bool:
        """A unit filing on the cadre's behalf says who to contact there (an empty optional field
        stops its own validators, so the rule is checked here)."""
        valid = super().validate(extra_validators)
        if self.filed_by.data == FiledBy.UNIT.value and not (self.unit_contact.data or "").strip():
            self.unit_contact.errors = [*self.unit_contact.errors, _l("Please name the unit's contact person.")]
            return False
        return valid

    def choice_fields(self) -> dict:
        """The picked codes, stored beside the text fields."""
        return {
            "rank": self.rank.data,
            "filed_by": self.filed_by.data,
            "accountability": self.accountability.data,
            "distinctions": self.distinctions.data or [],
        }
