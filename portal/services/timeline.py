"""The case timeline: one step per action, with an optional reason under the case key."""

from __future__ import annotations

from portal.domain import aad
from portal.domain.clock import this_hour
from portal.domain.crypto import encrypt
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
