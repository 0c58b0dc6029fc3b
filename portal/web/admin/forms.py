"""Admin forms."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from portal.domain.staff import StaffRole

#: The audit log's dates: anything outside is a typing error, not a search.
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2999, 12, 31)

ROLE_LABELS: dict[str, object] = {
    StaffRole.REVIEWER: _l("Reviewer"),
    StaffRole.SUPERVISOR: _l("Supervisor"),
    StaffRole.ADMIN: _l("Administrator"),
}


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
