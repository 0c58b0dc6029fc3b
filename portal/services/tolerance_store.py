"""Where a 容错纠错 decision is kept: one row per case, its content under the case key (issue 10)."""

from __future__ import annotations

import json

from portal.domain import aad
from portal.domain.clock import this_hour
from portal.domain.crypto import decrypt, encrypt
from portal.domain.tolerance import Decision
from portal.extensions import db
from portal.models import Case, ToleranceDecision


def read(case: Case, key: bytes) -> Decision | None:
    """The decrypted decision of a case, if one was proposed."""
    row = db.session.get(ToleranceDecision, case.id)
    if row is None:
        return None
    return Decision.from_json(json.loads(decrypt(key, row.content, aad.tolerance_decision(case.id))))


def write(case: Case, key: bytes, decision: Decision) -> None:
    """Store the decision in place of the one before (caller commits)."""
    content = encrypt(key, json.dumps(decision.to_json(), ensure_ascii=False).encode(), aad.tolerance_decision(case.id))
    row = db.session.get(ToleranceDecision, case.id)
    if row is None:
        db.session.add(ToleranceDecision(case_id=case.id, updated_at=this_hour(), content=content))
    else:
        row.updated_at, row.content = this_hour(), content
