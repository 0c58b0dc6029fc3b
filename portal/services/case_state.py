"""Between the Case row and the workflow engine's Facts; the only writer of workflow columns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from portal.domain.cases import AccusationFlag, Finding, Kind, RefusalReason, State, ToleranceOutcome
from portal.domain.workflow import Deadlines, Facts, current_due
from portal.models import Case
from portal.services.settings import setting


def deadlines() -> Deadlines:
    """The configured deadlines."""
    return Deadlines(
        accept_working_days=setting("DEADLINE_ACCEPT_WORKING_DAYS"),
        carry_out_working_days=setting("DEADLINE_CARRY_OUT_WORKING_DAYS"),
        answer_days=setting("DEADLINE_ANSWER_DAYS"),
        objection_days=setting("OBJECTION_DAYS"),
        transfer_working_days=setting("DEADLINE_TRANSFER_WORKING_DAYS"),
        # -- the 诬告陷害 ledger (issue 10) --
        referral_feedback_working_days=setting("DEADLINE_REFERRAL_FEEDBACK_WORKING_DAYS"),
        filed_feedback_working_days=setting("DEADLINE_FILED_FEEDBACK_WORKING_DAYS"),
        tell_working_days=setting("DEADLINE_TELL_REAL_NAME_WORKING_DAYS"),
        visit_months=setting("DEADLINE_VISIT_MONTHS"),
    )


def local_day(moment: dt.datetime) -> dt.date:
    """The calendar day in China of a stored (naive UTC) time: deadlines count in local days."""
    zone = ZoneInfo(setting("BABEL_DEFAULT_TIMEZONE"))
    return moment.replace(tzinfo=dt.UTC).astimezone(zone).date()


def today() -> dt.date:
    """Today in China."""
    return local_day(dt.datetime.now(dt.UTC).replace(tzinfo=None))


def facts_of(
    case: Case,
    assignable: Iterable[int] = (),
    plan_complete: bool = False,
    approvers: Iterable[int] = (),
    measures_complete: bool = False,
) -> Facts:
    """The engine's view of a stored case; who holds its key, who may approve and whether its plan
    or measures are fully recorded are not columns of it (``opened_case`` gathers them)."""
    return Facts(
        kind=Kind(case.kind),
        state=State(case.state),
        submitted_on=local_day(case.created_at),
        assignee_id=case.assignee_id,
        proposer_id=case.proposer_id,
        proposed_finding=Finding(case.proposed_finding) if case.proposed_finding else None,
        paused_from=State(case.paused_from) if case.paused_from else None,
        paused_on=case.paused_on,
        accept_due=case.accept_due,
        answer_due=case.answer_due,
        carry_out_due=case.carry_out_due,
        answered_on=case.answered_on,
        objected=case.objected,
        flag=AccusationFlag(case.flag),
        referred=case.referred,
        correction_pending=case.correction_pending,
        refusal_reason=RefusalReason(case.refusal_reason) if case.refusal_reason else None,
        assignable=frozenset(assignable),
        plan_complete=plan_complete,
        finding=Finding(case.finding) if case.finding else None,  # issue 10
        # -- fault tolerance (issue 10) --
        proposed_tolerance=ToleranceOutcome(case.proposed_tolerance) if case.proposed_tolerance else None,
        tolerance_outcome=ToleranceOutcome(case.tolerance_outcome) if case.tolerance_outcome else None,
        approver_id=case.approver_id,
        approvers=frozenset(approvers),
        measures_complete=measures_complete,
        # -- real-name concerns and 回访 (issue 10) --
        real_name=case.real_name,
        tell_accept_due=case.tell_accept_due,
        told_accept_on=case.told_accept_on,
        tell_result_due=case.tell_result_due,
        told_result_on=case.told_result_on,
        visit_due=case.visit_due,
        visited_on=case.visited_on,
        feedback_given=case.feedback_given,
    )


def store(case: Case, facts: Facts) -> None:
    """Write the engine's new facts back, with the deadline of the new state for the queues."""
    case.state = facts.state.value
    case.assignee_id = facts.assignee_id
    case.proposer_id = facts.proposer_id
    case.proposed_finding = facts.proposed_finding.value if facts.proposed_finding else None
    case.paused_from = facts.paused_from.value if facts.paused_from else None
    case.paused_on = facts.paused_on
    case.accept_due = facts.accept_due
    case.answer_due = facts.answer_due
    case.carry_out_due = facts.carry_out_due
    case.answered_on = facts.answered_on
    case.objected = facts.objected
    case.flag = facts.flag.value
    case.referred = facts.referred
    case.correction_pending = facts.correction_pending
    case.refusal_reason = facts.refusal_reason.value if facts.refusal_reason else None
    # -- real-name concerns and 回访 (issue 10) --
    case.real_name = facts.real_name
    case.tell_accept_due = facts.tell_accept_due
    case.told_accept_on = facts.told_accept_on
    case.tell_result_due = facts.tell_result_due
    case.told_result_on = facts.told_result_on
    case.visit_due = facts.visit_due
    case.visited_on = facts.visited_on
    case.feedback_given = facts.feedback_given
    case.due_on = current_due(facts)
    case.finding = facts.finding.value if facts.finding else None  # 部分失实 (issue 10)
    # -- fault tolerance (issue 10) --
    case.proposed_tolerance = facts.proposed_tolerance.value if facts.proposed_tolerance else None
    case.tolerance_outcome = facts.tolerance_outcome.value if facts.tolerance_outcome else None
    case.approver_id = facts.approver_id
