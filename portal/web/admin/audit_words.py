"""The audit log's detail codes in words, so an admin reads no internal code."""

from __future__ import annotations

import re
from collections.abc import Mapping

from flask_babel import gettext as _

from portal.domain.bodies import TransferReason
from portal.domain.cases import Category, ClarificationMode
from portal.web import labels
from portal.web.admin.forms import ROLE_LABELS
from portal.web.review.transfers import REASON_WORDS

#: Actions whose whole detail is one body (``body:12``).
_ONE_BODY = frozenset({"body_created", "escrow_created", "escrow_passphrase_changed", "escrow_passphrase_failed"})
#: ``body:12>body:14``: from one body to another (the default moved; a case transferred, after its reason).
_TWO_BODIES = re.compile(r"body:(\d+)>body:(\d+)")


def body_words(value: str, names: Mapping[int, str]) -> str:
    """A body id by its name when the reader may know it (their tree, and not since deleted), else by its id."""
    if value.isdigit() and int(value) in names:
        return names[int(value)]
    return _("body no. %(id)s", id=value)


def _bodies(action: str, detail: str, names: Mapping[int, str]) -> str | None:
    """The words of a detail that names bodies, or None when it names none."""
    kind, _sep, value = detail.partition(":")
    if action in _ONE_BODY and kind == "body" and value.isdigit():
        return body_words(value, names)
    if action == "category_routed" and value.startswith("body:") and value[5:].isdigit():
        category = labels.CATEGORIES[Category(kind)] if kind in set(Category) else kind
        return f"{category} → {body_words(value[5:], names)}"
    if action == "default_body_changed":  # h11x
        moved = _TWO_BODIES.fullmatch(detail)
        if moved:
            return f"{body_words(moved[1], names)} → {body_words(moved[2], names)}"
        if kind == "body" and value.isdigit():
            return body_words(value, names)
    if action == "case_transferred":
        moved = _TWO_BODIES.fullmatch(value)
        if moved:
            reason = str(REASON_WORDS[TransferReason(kind)]) if kind in set(TransferReason) else kind
            return f"{reason}: {body_words(moved[1], names)} → {body_words(moved[2], names)}"
    return None


def audit_detail(action: str, detail: str | None, body_names: Mapping[int, str] | None = None) -> str:
    """What the stored detail says, in the admin's language; an unknown code is shown as it is.

    ``body_names`` holds the bodies the reader manages: any other body reads as its id only."""
    if not detail:
        return ""
    kind, _sep, value = detail.partition(":")
    named = _bodies(action, detail, body_names or {})
    if named is not None:
        return named
    if detail == "command_line":
        return _("on the command line")
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
