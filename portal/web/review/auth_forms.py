"""Forms of staff sign-in and account upkeep."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[DataRequired(), Length(max=64)],
        render_kw={"autocomplete": "username", "autocapitalize": "none"},
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(max=256)], render_kw={"autocomplete": "current-password"}
    )
    code = StringField(
        _l("Authenticator code (leave empty at first sign-in)"),
        validators=[Length(max=10)],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"},
    )


class CodeForm(FlaskForm):
    code = StringField(
        _l("Authenticator code"),
        validators=[DataRequired(), Length(max=10)],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"},
    )


class PasswordForm(FlaskForm):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    new = PasswordField(
        _l("New password (at least 12 characters)"),
        validators=[DataRequired(), Length(min=12, max=256)],
        render_kw={"autocomplete": "new-password"},
    )
    repeat = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new", message=_l("The two new passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


class EmptyForm(FlaskForm):
    """Only the CSRF token, for buttons that POST."""
