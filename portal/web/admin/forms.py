"""Admin forms."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from portal.domain.bodies import BodyKind, BodyLevel, Rank
from portal.domain.staff import StaffRole
from portal.web.body_labels import KINDS, LEVELS, RANKS
from portal.web.fields import CheckboxesField, text_field

#: The audit log's dates: anything outside is a typing error, not a search.
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2999, 12, 31)

ROLE_LABELS: dict[str, object] = {
    StaffRole.INTAKE: _l("Intake officer"),
    StaffRole.REVIEWER: _l("Reviewer"),
    StaffRole.SUPERVISOR: _l("Supervisor"),
    StaffRole.LEADER: _l("Leader"),
    StaffRole.ADMIN: _l("Administrator"),
}

_CHOOSE_BODY = _l("Choose one of the bodies listed.")


def _optional_id(value) -> int | None:
    """A select's value as an id; the empty choice is None (a non-number fails the choice check)."""
    if value in (None, ""):
        return None
    return int(value)


class NewAccountForm(FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(),
            Length(min=3, max=64),
            Regexp(r"^[a-z0-9][a-z0-9._-]+$", message=_l("Lower-case letters, digits, dot, dash and underscore.")),
        ],
        render_kw={"autocapitalize": "none"},
    )
    role = SelectField(_l("Role"), choices=[SelectChoice(k, v) for k, v in ROLE_LABELS.items()])
    #: One of the admin's bodies; the choices are set by the view, the service refuses any other (403).
    body = SelectField(_l("Body"), coerce=int, choices=[], validate_choice=False, invalid_value_message=_CHOOSE_BODY)
    #: A reviewer's supervisor (审核人), among the supervisors and leaders of the admin's bodies.
    supervisor = SelectField(
        _l("Supervisor (reviewers only, optional)"),
        coerce=_optional_id,
        choices=[],
        validators=[Optional()],
        invalid_choice_message=_l("Choose one of the supervisors listed."),
    )


class NewBodyForm(FlaskForm):
    """A body below one of the admin's; it receives cases once its supervisors set its escrow key."""

    name = text_field(_l("Name"), 100)
    short_name = text_field(_l("Short name (for document numbers)"), 20)
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k.value, KINDS[k]) for k in BodyKind])
    level = SelectField(_l("Level"), choices=[SelectChoice(v.value, LEVELS[v]) for v in BodyLevel])
    ranks = CheckboxesField(_l("Cadre ranks it handles"), choices=[SelectChoice(r.value, RANKS[r]) for r in Rank])
    #: One of the admin's bodies; the service refuses any other (403).
    parent = SelectField(
        _l("Above it"), coerce=int, choices=[], validate_choice=False, invalid_value_message=_CHOOSE_BODY
    )
    name_public = BooleanField(_l("Its name may be shown to cadres"), default=True)


class RouteForm(FlaskForm):
    """Where new concerns of one category go when the cadre chose no body."""

    SHOWS_ERRORS_OF = ("body",)  # the category is a hidden field: its refusals show on the body
    category = HiddenField()
    #: One of the admin's bodies; the service refuses any other (403).
    body = SelectField(
        _l("Receiving body"),
        coerce=int,
        choices=[],
        validate_choice=False,
        validators=[DataRequired(message=_CHOOSE_BODY)],
        invalid_value_message=_CHOOSE_BODY,
    )


def _in_range(form, field) -> None:
    if field.data is not None and not FIRST_DAY <= field.data <= LAST_DAY:
        raise ValidationError(
            _l("Enter a date between %(first)s and %(last)s.", first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat())
        )


class AccountActionForm(FlaskForm):
    """Disable, enable or reset: the CSRF token and a one-time token, so a replay changes nothing."""

    form_token = HiddenField()


class AuditFilterForm(FlaskForm):
    """GET filters of the audit log (no CSRF: it changes nothing); people and actions are chosen by name."""

    class Meta:
        csrf = False

    actor = SelectField(_l("Who"), choices=[], validators=[Optional()])
    action = SelectField(_l("Action"), choices=[], validators=[Optional()])
    case = StringField(_l("Case"), validators=[Optional(), Length(max=32)])
    since = DateField(_l("From"), validators=[Optional(), _in_range], render_kw={"type": "date"})
    until = DateField(_l("Until"), validators=[Optional(), _in_range], render_kw={"type": "date"})


# -- h11x --
class DefaultBodyForm(FlaskForm):
    """Which of the admin's bodies becomes the default (a one-time token: a replay changes nothing)."""

    form_token = HiddenField()
    #: One of the admin's bodies; the service refuses any other (403).
    body = SelectField(
        _l("New default body"),
        coerce=int,
        choices=[],
        validate_choice=False,
        validators=[DataRequired(message=_CHOOSE_BODY)],
        invalid_value_message=_CHOOSE_BODY,
    )
