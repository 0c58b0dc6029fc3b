"""Forms of the case page: one action form, a message, a note; each carries a one-time token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.validators import DataRequired

from portal.web.fields import attachments_field, text_field


class ActionForm(FlaskForm):
    """Every workflow action posts this; the engine says which fields it needs."""

    action = HiddenField(validators=[DataRequired()])
    form_token = HiddenField()
    reason = text_field(_l("Reason or text"), 20000, required=False, area=True, render_kw={"rows": 4})
    finding = SelectField(_l("Finding"), choices=[], validate_choice=False)
    assignee = SelectField(_l("Assign to"), choices=[], validate_choice=False)
    flag = SelectField(_l("Judgement"), choices=[], validate_choice=False)
    refusal_reason = SelectField(_l("Reason for not accepting"), choices=[], validate_choice=False)
    #: 部分失实 (issue 10): the items found untrue, one a line (the service checks the limits).
    false_items = text_field(
        _l("Items found untrue (for 部分失实; one a line)"), 12000, required=False, area=True, render_kw={"rows": 4}
    )

    #: The action box shows one error place ("action") and the judgement's own field.
    SHOWS_ERRORS_OF = ("flag",)


class MessageForm(FlaskForm):
    form_token = HiddenField()
    body = text_field(_l("Message to the submitter"), 20000, area=True, id="message-body", render_kw={"rows": 5})
    attachments = attachments_field()


class NoteForm(FlaskForm):
    form_token = HiddenField()
    body = text_field(
        _l("Internal note (never shown to the submitter)"), 20000, area=True, id="note-body", render_kw={"rows": 3}
    )
