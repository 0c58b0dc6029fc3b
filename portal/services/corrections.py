"""Corrections that change what a published notice says about the cadre wait for their consent.

The cadre consented to a text "published exactly as shown"; a correction of that text is a new
draft: it is kept under the case key, shown on the cadre's status page with its reason, and
replaces the published text only when the cadre consents. The engine tracks that a correction is
pending (``Facts.correction_pending``); this module keeps its text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from portal.domain import aad
from portal.domain.clock import this_hour
from portal.domain.crypto import decrypt, encrypt
from portal.domain.workflow import Action
from portal.extensions import db
from portal.models import Case, Notice, PendingCorrection, User
from portal.services.opened_case import OpenedCase, StepInput, open_for_staff, open_without_key

#: Fields that say something about the cadre: changing one needs their consent again.
ABOUT_THE_CADRE = ("title", "unit", "post", "allegation", "body_html")


@dataclass(frozen=True)
class Proposed:
    """A pending correction as the cadre reads it: what each changed field says now and would say."""

    reason: str
    changes: dict[str, tuple[str, str]]  # field: (published, proposed)


def needs_consent(notice: Notice, diff: dict) -> bool:
    """A notice of a case whose cadre can be asked, and a change to what it says about them."""
    return notice.case_id is not None and any(name in ABOUT_THE_CADRE for name in diff)


def _content(case: Case, dk: bytes, changes: dict, reason: str) -> bytes:
    raw = json.dumps({"changes": changes, "reason": reason}, ensure_ascii=False, default=str).encode()
    return encrypt(dk, raw, aad.correction_content(case.id))


def _read(case: Case, dk: bytes) -> tuple[PendingCorrection, dict] | None:
    row = db.session.get(PendingCorrection, case.id)
    if row is None:
        return None
    return row, json.loads(decrypt(dk, row.content, aad.correction_content(case.id)))


def propose(user: User, private_key: bytes | None, notice: Notice, changes: dict, reason: str) -> None:
    """Put a correction before the cadre; the published notice stays as it is (caller commits)."""
    opened = open_for_staff(user, private_key, notice.case_id)
    opened.step(Action.PROPOSE_CORRECTION, StepInput(reason=reason))
    db.session.add(
        PendingCorrection(
            case_id=opened.case.id,
            notice_id=notice.id,
            proposed_by=user.id,
            created_at=this_hour(),
            content=_content(opened.case, opened.key, changes, reason),
        )
    )


def pending(case: Case, dk: bytes) -> Proposed | None:
    """The correction awaiting the cadre, with the published text beside the proposed one."""
    found = _read(case, dk)
    if found is None:
        return None
    row, content = found
    notice = db.session.get(Notice, row.notice_id)
    changes = {name: (str(getattr(notice, name)), str(value)) for name, value in content["changes"].items()}
    return Proposed(reason=content["reason"], changes=changes)


def settle(opened: OpenedCase, action: Action, comment: str | None = None) -> dict | None:
    """The cadre consents or declines: the engine first, then the text is handed back for
    publication on consent and discarded otherwise (caller commits)."""
    found = _read(opened.case, opened.key)
    opened.step(action, StepInput(reason=comment))
    if found is None:
        return None
    row, content = found
    db.session.delete(row)
    return content if action is Action.CONSENT_CORRECTION else None


def drop(user: User, notice: Notice) -> None:
    """Withdrawing the notice ends any correction of it that still waits for the cadre (caller commits).

    The supervisor who withdraws may hold no key for the case: the step carries no text.
    """
    if notice.case_id is None:
        return
    opened = open_without_key(user, notice.case_id)
    if not opened.case.correction_pending:
        return
    opened.step(Action.DROP_CORRECTION)
    db.session.execute(db.delete(PendingCorrection).where(PendingCorrection.case_id == opened.case.id))
