"""Admin forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

ROLE_LABELS = {"reviewer": _l("Reviewer"), "supervisor": _l("Supervisor"), "admin": _l("Administrator")}


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
    since = DateField(_l("From"), validators=[Optional()], render_kw={"type": "date"})
    until = DateField(_l("Until"), validators=[Optional()], render_kw={"type": "date"})
