"""The case timeline: one step per action, with an optional reason under the case key."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portal.domain import aad
from portal.domain.clock import this_hour
from portal.domain.crypto import decrypt, encrypt
from portal.extensions import db
from portal.models import Case, CaseEvent
from portal.models.types import new_id


def add_event(
    case: Case,
    dk: bytes | None,
    outcome_state: str,
    action: str,
    actor_id: int | None,
    visible: bool,
    reason: str | None,
    detail: str | None = None,
) -> None:
    """Append a timeline step (caller commits); a reason is encrypted under the case key."""
    last = db.session.scalar(db.select(db.func.max(CaseEvent.position)).where(CaseEvent.case_id == case.id))
    event_id = new_id()
    sealed = encrypt(dk, reason.encode(), aad.event_reason(case.id, event_id)) if reason and dk else None
    db.session.add(
        CaseEvent(
            id=event_id,
            case_id=case.id,
            position=(last or 0) + 1,
            created_at=this_hour(),
            state=outcome_state,
            action=action,
            actor_id=actor_id,
            visible_to_submitter=visible,
            reason=sealed,
            detail=detail,
        )
    )


@dataclass(frozen=True)
class TimelineEntry:
    """One step of a case's timeline, its reason decrypted."""

    state: str
    action: str
    created_at: dt.datetime
    reason: str | None
    visible_to_submitter: bool
    detail: str | None = None  # what the step picked (the proposed finding, the form carried out)
    actor: str | None = None  # the staff member's name; never filled for the submitter's page


def read(case: Case, dk: bytes, names: dict[int, str] | None = None) -> list[TimelineEntry]:
    """The timeline in order: all of it with names for staff (``names`` given), otherwise only
    the steps the submitter's page shows, without any name."""
    query = db.select(CaseEvent).where(CaseEvent.case_id == case.id)
    if names is None:
        query = query.where(CaseEvent.visible_to_submitter.is_(True))
    return [
        TimelineEntry(
            state=e.state,
            action=e.action,
            created_at=e.created_at,
            reason=decrypt(dk, e.reason, aad.event_reason(case.id, e.id)).decode() if e.reason else None,
            visible_to_submitter=e.visible_to_submitter,
            detail=e.detail if names is not None or e.action in SHOWN_DETAILS else None,
            actor=names.get(e.actor_id) if names is not None and e.actor_id else None,
        )
        for e in db.session.scalars(query.order_by(CaseEvent.position))
    ]


#: Details the submitter's page shows: which mode of the clarification was carried out, which
#: document meant for them was voided (its number).
SHOWN_DETAILS = frozenset({"record_form", "document_voided"})
