"""After a clarification is approved and carried out: the filings of the plan (归入廉政档案,
抄送组织人事部门), the 回访 and the applicant's feedback on it; and telling a real-name submitter
the result of a closed concern.

Each is a workflow step (the engine decides who and when); what is recorded beside it (dates,
document numbers, the visit's summary) is kept in the plan, under the case key.
"""

from __future__ import annotations

import datetime as dt

from portal.domain.cases import Filing, VisitForm
from portal.domain.workflow import Action
from portal.extensions import db
from portal.models import User
from portal.services import case_state, form_tokens, plan_store
from portal.services.clarification import NoPlan
from portal.services.followup import Access
from portal.services.opened_case import OpenedCase, StepInput, open_for_staff, open_for_submitter
from portal.services.transaction import use_case

__all__ = ["leave_feedback", "record_filing", "record_visit"]


def _plan(opened: OpenedCase):
    plan = plan_store.read(opened.case, opened.key)
    if plan is None:
        raise NoPlan(opened.case.id)
    return plan


@use_case
def record_filing(
    user: User,
    private_key: bytes | None,
    case_id: str,
    filing: str,
    filed_on: dt.date | None,
    number: str,
    form_token: str | None,
) -> None:
    """Record that the clarification material was filed (the day, the document number): a step of
    the approved plan, which carrying out waits for."""
    opened = open_for_staff(user, private_key, case_id, lock=True)
    form_tokens.spend(form_token)
    plan = _plan(opened)
    opened.check(Action.RECORD_FILING, StepInput(filing=filing))  # the engine checks the code first
    updated = plan.with_filing(Filing(filing), filed_on, number, case_state.today())
    opened.step(Action.RECORD_FILING, StepInput(filing=filing))
    plan_store.write(opened.case, opened.key, updated)
    db.session.commit()


@use_case
def record_visit(
    user: User,
    private_key: bytes | None,
    case_id: str,
    form: str,
    visited_on: dt.date | None,
    summary: str,
    form_token: str | None,
) -> None:
    """Record the 回访: when and how it took place, and its summary (kept for staff, encrypted)."""
    opened = open_for_staff(user, private_key, case_id, lock=True)
    form_tokens.spend(form_token)
    plan = _plan(opened)
    opened.check(Action.RECORD_VISIT, StepInput(visit_form=form))
    updated = plan.with_visit(VisitForm(form), visited_on, summary, case_state.today())
    opened.step(Action.RECORD_VISIT, StepInput(visit_form=form))
    plan_store.write(opened.case, opened.key, updated)
    db.session.commit()


@use_case
def leave_feedback(access: Access, text: str, form_token: str) -> None:
    """The applicant's own word on the 回访, once, through the receipt; staff read it in the timeline."""
    opened = open_for_submitter(access.case_id, access.session_secret)
    form_tokens.spend(form_token)
    opened.step(Action.FEEDBACK, StepInput(reason=text))
    db.session.commit()
