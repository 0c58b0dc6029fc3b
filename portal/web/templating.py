"""Template helpers: labels, times to the hour, file sizes."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask_babel import format_datetime, get_locale

from portal.domain.workflow_rules import RULES
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


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(hour=hour, filesize=filesize, choice_label=choice_label)
    app.jinja_env.globals.update(labels=labels, html_lang=html_lang, rules=RULES)
