"""Template helpers: labels, times to the hour, file sizes, and translations that stay text."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask_babel import format_datetime, get_locale, get_translations
from flask_babel.speaklater import LazyString
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup, escape

from portal.domain.workflow_rules import RULES
from portal.services import form_tokens
from portal.web import labels


def hour(value: dt.datetime) -> str:
    """Stored times are UTC to the hour; show them in Beijing time."""
    return format_datetime(value, "yyyy-MM-dd HH:00")


def filesize(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def choice_label(value: str, field: str):
    return labels.choice_label(field, value)


def html_lang() -> str:
    """The page's lang attribute."""
    return "en" if get_locale().language == "en" else "zh-CN"


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
    app.jinja_env.install_gettext_callables(
        gettext=_gettext, ngettext=_ngettext, pgettext=_pgettext, npgettext=_npgettext, newstyle=True)
    LazyString.__html__ = _lazy_as_text  # type: ignore[method-assign]


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(hour=hour, filesize=filesize, choice_label=choice_label)
    # one_time_token(): a fresh token for each state-changing form a page renders (form_tokens).
    app.jinja_env.globals.update(labels=labels, html_lang=html_lang, rules=RULES, one_time_token=form_tokens.issue)
    _translations_are_text(app)
