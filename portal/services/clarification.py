"""The clarification plan: drafted by a reviewer, consented by the cadre, approved by a
supervisor who did not draft it, then carried out mode by mode (a public notice is published)."""

from __future__ import annotations

from dataclasses import replace

from portal.domain.cases import ClarificationMode, Finding, Kind
from portal.domain.documents import DocumentKind
from portal.domain.plan import Plan, PlanError, make_plan
from portal.domain.workflow import Action, WrongState
from portal.extensions import db
from portal.models import Case, Notice
from portal.services import case_files, false_items, notices, numbering, plan_store
from portal.services.errors import ServiceError
from portal.services.opened_case import OpenedCase, StepInput


class NoPlan(ServiceError):
    """The case has no plan yet."""


def read(case: Case, key: bytes) -> Plan | None:
    """The decrypted plan of a case, if any."""
    return plan_store.read(case, key)


def draft(opened: OpenedCase, modes: list[str], scope: str, notice: dict | None) -> None:
    """Write the plan and send it to the cadre for consent (caller commits)."""
    if opened.case.kind != Kind.CLARIFICATION:
        raise WrongState("only clarification requests have a plan")
    real_name = case_files.read_submission(opened.case, opened.key).get("real_name", "")
    items = false_items.read(opened.case, opened.key) if opened.case.finding == Finding.PARTLY_FALSE else ()
    plan = make_plan(modes, scope, real_name, notice, items)  # PlanError if incomplete
    if plan.notice is not None:
        notices.check_issued_on(plan.notice.issued_on)
    opened.step(Action.DRAFT_PLAN)
    plan_store.write(opened.case, opened.key, plan, opened.actor_id)


def on_approved(opened: OpenedCase) -> None:
    """Approval publishes the consented notice verbatim and marks that mode done (caller commits)."""
    plan = plan_store.read(opened.case, opened.key)
    if plan is None:
        raise NoPlan(opened.case.id)
    if plan.notice is not None and ClarificationMode.PUBLIC_NOTICE in plan.modes:
        # -- issue 11 (h11d1): the notice is numbered from the body's yearly sequence as it is published --
        number = numbering.allocate(opened.case.body_id, DocumentKind.NOTICE)
        notice = notices.publish(replace(plan.notice, number=number), opened.case.id)
        plan_store.write(
            opened.case, opened.key, plan.with_done(ClarificationMode.PUBLIC_NOTICE, f"notice:{notice.id}")
        )


def record_done(opened: OpenedCase, mode: str, record: str) -> None:
    """Record one mode of the approved plan as carried out (meeting date, letter sent...) (caller commits)."""
    plan = plan_store.read(opened.case, opened.key)
    if plan is None:
        raise NoPlan(opened.case.id)
    if not record.strip():
        raise PlanError("record")
    opened.step(Action.RECORD_FORM, StepInput(mode=mode))  # the engine checks who, when and which mode
    plan_store.write(opened.case, opened.key, plan.with_done(ClarificationMode(mode), record.strip()))


def published_notice(case_id: str) -> Notice | None:
    """The public notice of a case, if one was published."""
    return db.session.scalar(db.select(Notice).where(Notice.case_id == case_id))
