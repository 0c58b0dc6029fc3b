"""The items a 部分失实 finding found false: a list, encrypted under the case key (issue 10).

They are what the plan, the public notice and the applicant's status page clarify, and nothing
else: the notice takes them from here, never from free text that could add others.
"""

from __future__ import annotations

import json

from portal.domain import aad
from portal.domain.crypto import decrypt, encrypt
from portal.models import Case
from portal.services.errors import ServiceError

#: At most this many items, each at most this long (a finding lists allegations, not essays).
MAX_ITEMS = 20
MAX_ITEM_LENGTH = 500


class TooManyItems(ServiceError):
    """The list breaks the limits below; nothing was written."""


def parse(text: str | None) -> tuple[str, ...]:
    """One item a line, trimmed; empty lines and repeats dropped, order kept."""
    seen: dict[str, None] = {}
    for line in (text or "").splitlines():
        item = line.strip()
        if item:
            seen.setdefault(item, None)
    return tuple(seen)


def check(items: tuple[str, ...]) -> None:
    """Raise TooManyItems when a list breaks the limits above."""
    if len(items) > MAX_ITEMS or any(len(item) > MAX_ITEM_LENGTH for item in items):
        raise TooManyItems(str(len(items)))


def write(case: Case, key: bytes, items: tuple[str, ...]) -> None:
    """Keep the items under the case key, or none (caller commits)."""
    cleaned = tuple(i.strip() for i in items if i.strip())
    check(cleaned)
    if not cleaned:
        case.false_items = None
        return
    case.false_items = encrypt(key, json.dumps(cleaned, ensure_ascii=False).encode(), aad.false_items(case.id))


def read(case: Case, key: bytes) -> tuple[str, ...]:
    """The items found false of a partly-false finding (proposed or approved); empty otherwise."""
    if case.false_items is None:
        return ()
    return tuple(json.loads(decrypt(key, case.false_items, aad.false_items(case.id)).decode()))
