"""The clarification plan: drafted by a reviewer, consented by the cadre, approved by a
supervisor who did not draft it, then carried out form by form (a public notice is published)."""

from __future__ import annotations

import json

from portal.domain import aad, workflow
from portal.domain.cases import ClarificationMode, Kind, State
from portal.domain.clock import this_hour
from portal.domain.crypto import decrypt, encrypt
from portal.domain.plan import Plan, PlanError, make_plan
from portal.domain.workflow import Action
from portal.extensions import db
from portal.models import Case, ClarificationPlan, Notice, User
from portal.services import audit, case_files, case_state, notices
from portal.services.errors import ServiceError


class NoPlan(ServiceError):
    """The case has no plan yet."""


class PlanIncomplete(ServiceError):
    """Every form of the plan must be recorded as done before the case is carried out."""


def read(case: Case, dk: bytes) -> Plan | None:
    """The decrypted plan of a case, if any."""
    row = db.session.get(ClarificationPlan, case.id)
    if row is None:
        return None
    return Plan.from_json(json.loads(decrypt(dk, row.content, aad.plan_content(case.id))))


def _write(case: Case, dk: bytes, plan: Plan, drafted_by: int | None = None) -> None:
    """Store the plan; a new draft names its drafter, later records keep the drafter."""
    content = encrypt(dk, json.dumps(plan.to_json(), ensure_ascii=False).encode(), aad.plan_content(case.id))
    row = db.session.get(ClarificationPlan, case.id)
    if row is None:
        db.session.add(
            ClarificationPlan(case_id=case.id, drafted_by=drafted_by, updated_at=this_hour(), content=content)
        )
    else:
        row.drafted_by = drafted_by or row.drafted_by
        row.updated_at, row.content = this_hour(), content


def draft(
    case: Case, dk: bytes, user: User, actor: workflow.Actor, forms: list[str], scope: str, notice: dict | None
) -> workflow.Outcome:
    """Write the plan and send it to the cadre for consent (caller adds the event, audits, commits)."""
    if case.kind != Kind.CLARIFICATION:
        raise workflow.WrongState("only clarification requests have a plan")
    real_name = case_files.read_submission(case, dk).get("real_name", "")
    plan = make_plan(forms, scope, real_name, notice)  # PlanError if incomplete
    if plan.notice is not None:
        notices.check_issued_on(plan.notice.issued_on)
    outcome = workflow.apply(
        case_state.facts_of(case), actor, Action.DRAFT_PLAN, case_state.today(), case_state.deadlines()
    )
    _write(case, dk, plan, user.id)
    return outcome


def on_approved(case: Case, dk: bytes) -> None:
    """Approval publishes the consented notice verbatim and marks that form done."""
    plan = read(case, dk)
    if plan is None:
        raise NoPlan(case.id)
    if plan.notice is not None and ClarificationMode.PUBLIC_NOTICE in plan.forms:
        notice = notices.publish(plan.notice, case.id)
        plan = plan.with_done(ClarificationMode.PUBLIC_NOTICE, f"notice:{notice.id}")
        _write(case, dk, plan)


def require_all_done(case: Case, dk: bytes) -> None:
    """Carrying out needs every form recorded."""
    plan = read(case, dk)
    if plan is None or not plan.all_done:
        raise PlanIncomplete(case.id)


def record_done(case: Case, dk: bytes, user: User, form: str, record: str) -> None:
    """Record one form as carried out (meeting date, letter sent...) (caller commits)."""
    if case.state != State.PLAN_APPROVED:
        raise workflow.WrongState("forms are recorded after approval")
    plan = read(case, dk)
    if plan is None:
        raise NoPlan(case.id)
    if form not in {f.value for f in ClarificationMode} or not record.strip():
        raise PlanError("record")
    _write(case, dk, plan.with_done(ClarificationMode(form), record.strip()))
    audit.record("plan_form_done", actor_id=user.id, case_id=case.id, detail=form)


def published_notice(case_id: str) -> Notice | None:
    """The public notice of a case, if one was published."""
    return db.session.scalar(db.select(Notice).where(Notice.case_id == case_id))
