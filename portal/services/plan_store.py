"""Where a clarification plan is kept: one row per case, its content under the case key."""

from __future__ import annotations

import json

from portal.domain import aad
from portal.domain.clock import this_hour
from portal.domain.crypto import decrypt, encrypt
from portal.domain.plan import Plan
from portal.extensions import db
from portal.models import Case, ClarificationPlan


def read(case: Case, key: bytes) -> Plan | None:
    """The decrypted plan of a case, if any."""
    row = db.session.get(ClarificationPlan, case.id)
    if row is None:
        return None
    return Plan.from_json(json.loads(decrypt(key, row.content, aad.plan_content(case.id))))


def write(case: Case, key: bytes, plan: Plan, drafted_by: int | None = None) -> None:
    """Store the plan; a new draft names its drafter, later records keep the drafter (caller commits)."""
    content = encrypt(key, json.dumps(plan.to_json(), ensure_ascii=False).encode(), aad.plan_content(case.id))
    row = db.session.get(ClarificationPlan, case.id)
    if row is None:
        db.session.add(
            ClarificationPlan(case_id=case.id, drafted_by=drafted_by, updated_at=this_hour(), content=content)
        )
    else:
        row.drafted_by = drafted_by or row.drafted_by
        row.updated_at, row.content = this_hour(), content
