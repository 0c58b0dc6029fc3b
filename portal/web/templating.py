"""Template helpers: labels, times to the hour, dates and lists by locale, file sizes, form errors,
and translations that stay text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from flask import Flask
from flask_babel import format_date, format_datetime, get_locale, get_translations
from flask_babel.speaklater import LazyString
from jinja2 import pass_context, pass_eval_context
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from markupsafe import Markup, escape
from wtforms import Form
from wtforms.widgets import ListWidget

from portal.domain.gongwen import VOID_MARK, written_date
from portal.domain.workflow_rules import RULES
from portal.services import form_tokens
from portal.web import labels
from portal.web.attachment_errors import megabytes

#: Fields whose errors have nothing to focus: the token, hidden action codes.
_UNSEEN = ("CSRFTokenField", "HiddenField")


def hour(value: dt.datetime) -> str:
    """Stored times are UTC to the hour; show them in Beijing time."""
    return format_datetime(value, "yyyy-MM-dd HH:00")


def minute(value: dt.datetime) -> str:
    """Staff actions are stored in UTC to the minute; show them in Beijing time."""
    return format_datetime(value, "yyyy-MM-dd HH:mm")


def day(value: dt.date | str) -> str:
    """A date in running text: 2026年12月4日 in Chinese, December 4, 2026 in English."""
    if isinstance(value, str):  # a date kept as ISO text in an encrypted field (issue 10: 主动澄清)
        try:
            return format_date(dt.date.fromisoformat(value), "long")
        except ValueError:
            return value
    return format_date(value, "long")


def listing(values: Iterable) -> str:
    """A list in running text: 、 between Chinese items, a comma between English ones."""
    return (", " if get_locale().language == "en" else "、").join(str(v) for v in values)


def filesize(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def choice_label(value: str, field: str):
    return labels.choice_label(field, value)


def html_lang() -> str:
    """The page's lang attribute."""
    return "en" if get_locale().language == "en" else "zh-CN"


def zh_text() -> Markup:
    """A lang attribute for Chinese content (a notice's name, unit, body) on an English page."""
    return Markup(' lang="zh-CN"') if html_lang() == "en" else Markup("")


class FieldError(NamedTuple):
    """One line of the error summary: where to go and what is wrong."""

    target: str
    label: str
    message: str


def _target(field) -> str:
    """The id the summary links to: a group's first option, a hidden field's message, else the field."""
    if field.type in _UNSEEN:
        return f"{field.id}-error"
    if isinstance(field.widget, ListWidget):
        return f"{field.id}-0"
    return field.id


@pass_context
def form_errors(context: Context) -> list[FieldError]:
    """Every field in error among the page's forms, so the layout can summarise them once."""
    seen: set[int] = set()
    found: list[FieldError] = []
    for value in context.get_all().values():
        if not isinstance(value, Form) or id(value) in seen:
            continue
        seen.add(id(value))
        for field in value:
            if field.errors and field.type != "CSRFTokenField":
                label = field.label.text if field.type not in _UNSEEN else ""
                found.extend(FieldError(_target(field), str(label), str(e)) for e in field.errors)
    return found


def _as_text(eval_ctx: EvalContext, translated: str) -> str | Markup:
    """A translation is text, never markup: escaped where the template autoescapes."""
    return escape(translated) if eval_ctx.autoescape else translated


@pass_eval_context
def _gettext(eval_ctx: EvalContext, string: str) -> str | Markup:
    return _as_text(eval_ctx, get_translations().ugettext(string))


@pass_eval_context
def _ngettext(eval_ctx: EvalContext, singular: str, plural: str, n: int) -> str | Markup:
    return _as_text(eval_ctx, get_translations().ungettext(singular, plural, n))


@pass_eval_context
def _pgettext(eval_ctx: EvalContext, context: str, string: str) -> str | Markup:
    return _as_text(eval_ctx, get_translations().upgettext(context, string))


@pass_eval_context
def _npgettext(eval_ctx: EvalContext, context: str, singular: str, plural: str, n: int) -> str | Markup:
    return _as_text(eval_ctx, get_translations().unpgettext(context, singular, plural, n))


def _lazy_as_text(self: LazyString) -> Markup:
    """A lazy translation (form labels, error titles) is escaped wherever it is put into HTML."""
    return escape(str(self))


def _translations_are_text(app: Flask) -> None:
    """Jinja's newstyle gettext marks translations safe, and Flask-Babel's LazyString claims to be
    HTML; both would let a translated "<p>" become markup. Replace both so every translated string
    is escaped like any other text (variables are escaped too, by Markup's % formatting)."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]  # added by the jinja2.ext.i18n extension
        gettext=_gettext, ngettext=_ngettext, pgettext=_pgettext, npgettext=_npgettext, newstyle=True
    )
    LazyString.__html__ = _lazy_as_text


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        hour=hour,
        minute=minute,
        day=day,
        listing=listing,
        filesize=filesize,
        megabytes=megabytes,
        choice_label=choice_label,
    )
    # one_time_token(): a fresh token for each state-changing form a page renders (form_tokens).
    app.jinja_env.globals.update(
        labels=labels,
        html_lang=html_lang,
        rules=RULES,
        form_errors=form_errors,
        zh_text=zh_text,
        one_time_token=form_tokens.issue,
        written_date=written_date,  # issue 11 (h11d1): a 公文's date, 2026年12月1日
        void_mark=VOID_MARK,  # h12v: the mark of a voided 公文
    )
    _translations_are_text(app)
