"""Form building blocks shared by every blueprint: text rules and file uploads."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import SelectMultipleField, StringField, TextAreaField, ValidationError, widgets
from wtforms.validators import DataRequired, Length, Optional

from portal.domain.text import InvalidCharacters, check_characters, tidy
from portal.services.intake import Upload


def _characters(form, field) -> None:
    try:
        check_characters(field.data or "")
    except InvalidCharacters as exc:
        raise ValidationError(_l("Contains characters that cannot be stored (%(code)s).", code=str(exc))) from exc


def text_field(label, max_length: int, required: bool = True, area: bool = False, **kwargs):
    """A trimmed text field with a length limit and the character rule."""
    presence = DataRequired(message=_l("Please fill this in.")) if required else Optional()
    field_class = TextAreaField if area else StringField
    return field_class(
        label,
        validators=[
            presence,
            Length(max=max_length, message=_l("At most %(max)d characters.", max=max_length)),
            _characters,
        ],
        filters=[tidy],
        render_kw={"maxlength": max_length, **kwargs.pop("render_kw", {})},
        **kwargs,
    )


class CheckboxesField(SelectMultipleField):
    """Several checkboxes; works without JavaScript."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _attachments_rule(form, field) -> None:
    files = [f for f in (field.data or []) if f and f.filename]
    if len(files) > current_app.config["MAX_ATTACHMENTS"]:
        raise ValidationError(_l("At most %(n)d attachments.", n=current_app.config["MAX_ATTACHMENTS"]))


def attachments_field():
    """Up to five files, checked by content in the domain after validation."""
    return MultipleFileField(
        _l("Attachments (optional)"),
        validators=[_attachments_rule],
        render_kw={"accept": ".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"},
    )


def uploads_of(field) -> list[Upload]:
    """The files a field received, read into memory (bounded by MAX_CONTENT_LENGTH)."""
    limit = current_app.config["MAX_ATTACHMENT_BYTES"] + 1
    return [Upload(name=f.filename, data=f.read(limit)) for f in (field.data or []) if f and f.filename]
