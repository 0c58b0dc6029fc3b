"""The audit log's detail codes in words, so an admin reads no internal code."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _

from portal.domain.cases import Category, ClarificationMode
from portal.web import labels
from portal.web.admin.forms import ROLE_LABELS


def audit_detail(action: str, detail: str | None, body_names: Mapping[int, str] | None = None) -> str:
    """What the stored detail says, in the admin's language; an unknown code is shown as it is."""
    if not detail:
        return ""
    kind, _sep, value = detail.partition(":")
    names = body_names or {}
    if action == "body_created" and kind == "body" and value.isdigit():
        return names.get(int(value), detail)
    if action == "category_routed" and value.startswith("body:") and value[5:].isdigit():
        category = labels.CATEGORIES[Category(kind)] if kind in set(Category) else kind
        return f"{category} → {names.get(int(value[5:]), value)}"
    if action == "account_created" and detail in ROLE_LABELS:
        return str(ROLE_LABELS[detail])
    if action == "sign_in_failed" and detail in labels.SIGN_IN_FAILURES:
        return str(labels.SIGN_IN_FAILURES[detail])
    if action == "plan_form_done" and detail in set(ClarificationMode):
        return str(labels.MODES[ClarificationMode(detail)])
    if kind == "notice" and value.isdigit():
        return _("public notice no. %(id)s", id=value)
    if kind == "bulletin" and value.isdigit():  # 典型案例通报 (issue 10)
        return _("public bulletin no. %(id)s", id=value)
    if kind == "cases" and value.isdigit():
        return _("%(n)s cases", n=value)
    return detail
