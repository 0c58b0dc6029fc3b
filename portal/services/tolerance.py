"""容错纠错 applications (issue 10): propose a decision, record the collective decision and the
leader it goes to, record each 纠错 measure done; and what the applicant reads of it.

Approving and returning a decision are plain steps of the case page (``casework.act``); the steps
here carry more than a reason, so they have the decision page. Each use case opens the case
through ``opened_case``, lets the engine decide, and commits once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portal.domain.bodies import HoldReason
from portal.domain.cases import Kind, State, ToleranceOutcome
from portal.domain.tolerance import Decision, DecisionError, Measure, make_collective, make_decision
from portal.domain.workflow import Action, WrongState
from portal.extensions import db
from portal.models import Case, User
from portal.services import case_state, form_tokens, holdings, tolerance_store
from portal.services.opened_case import OpenedCase, StepInput, open_for_staff
from portal.services.timeline import TimelineEntry
from portal.services.transaction import use_case

__all__ = [
    "ApplicantDecision",
    "DecisionError",
    "for_applicant",
    "propose",
    "read",
    "record_collective",
    "record_measure",
]

#: States where the stored decision is the current one (before, it is absent or a returned draft).
_CURRENT = frozenset({State.DECISION_PROPOSED, State.COLLECTIVELY_DECIDED, State.DECIDED, State.CLOSED})


def read(case: Case, key: bytes) -> Decision | None:
    """The current proposal or decision of an application, if the case is at or past a proposal."""
    if case.kind != Kind.FAULT_TOLERANCE or State(case.state) not in _CURRENT:
        return None
    return tolerance_store.read(case, key)


@use_case
def propose(
    user: User,
    private_key: bytes | None,
    case_id: str,
    outcome: str | None,
    reasons: str,
    measures: str,
    token: str | None,
) -> None:
    """提出容错纠错意见: the outcome, its reasons and the 纠错 measures, put forward for collective decision."""
    decision = make_decision(outcome, reasons, measures)  # DecisionError if incomplete
    opened = open_for_staff(user, private_key, case_id, lock=True)
    form_tokens.spend(token)
    opened.step(Action.PROPOSE_DECISION, StepInput(reason=decision.reasons, tolerance=decision.outcome.value))
    tolerance_store.write(opened.case, opened.key, decision)
    db.session.commit()


@use_case
def record_collective(
    user: User,
    private_key: bytes | None,
    case_id: str,
    held_on: dt.date | None,
    meeting: str,
    result: str,
    approver_id: int | None,
    token: str | None,
) -> None:
    """集体研究 recorded, and the decision submitted to one leader, who alone may approve it and so
    is given the case's key for that reason."""
    collective = make_collective(held_on, meeting, result, case_state.today())
    opened = open_for_staff(user, private_key, case_id, lock=True)
    form_tokens.spend(token)
    outcome = opened.step(Action.RECORD_COLLECTIVE, StepInput(approver_id=approver_id))  # the engine checks the leader
    decision = tolerance_store.read(opened.case, opened.key)
    if decision is None:  # the step is rolled back with the rest
        raise WrongState("no decision was proposed")
    leader = db.session.get(User, outcome.facts.approver_id)
    assert leader is not None  # the engine accepted only a confirmed leader of the body
    holdings.seal_to(opened.case, opened.key, leader, HoldReason.APPROVER)
    tolerance_store.write(opened.case, opened.key, decision.with_collective(collective))
    db.session.commit()


@use_case
def record_measure(
    user: User,
    private_key: bytes | None,
    case_id: str,
    index: int,
    done_on: dt.date | None,
    note: str,
    token: str | None,
) -> None:
    """One 纠错 measure of the approved decision recorded as done; the applicant reads the note."""
    if done_on is None:
        raise DecisionError("done_on")
    opened = open_for_staff(user, private_key, case_id, lock=True)
    form_tokens.spend(token)
    opened.check(Action.RECORD_MEASURE, StepInput(reason=note))  # the engine's refusal comes first
    decision = read(opened.case, opened.key)
    if decision is None:
        raise WrongState("no decision to record a measure of")
    updated = decision.with_measure_done(index, done_on, note, case_state.today())
    measure = updated.measures[index]
    opened.step(Action.RECORD_MEASURE, StepInput(reason=f"{measure.text}：{measure.note}"))
    tolerance_store.write(opened.case, opened.key, updated)
    db.session.commit()


def after_step(opened: OpenedCase, action: Action, approver_id: int | None) -> None:
    """A returned decision is no longer before its leader: their approver copy of the key goes
    (a hold for another reason stays). An approving leader keeps theirs, for a 复核 (caller commits)."""
    if action is Action.RETURN_DECISION and approver_id is not None:
        holdings.release(opened.case.id, approver_id, HoldReason.APPROVER)


@dataclass(frozen=True)
class ApplicantDecision:
    """What the applicant reads once the leader approved: the outcome, its reasons, the measures."""

    outcome: ToleranceOutcome
    reasons: str | None
    measures: tuple[Measure, ...]
    approved_on: dt.datetime | None

    @property
    def measures_done(self) -> int:
        return sum(1 for m in self.measures if m.done)


def for_applicant(case: Case, key: bytes, steps: list[TimelineEntry]) -> ApplicantDecision | None:
    """The approved decision as the applicant's status page shows it; None before approval or while
    it is decided afresh after an objection."""
    if case.kind != Kind.FAULT_TOLERANCE or case.tolerance_outcome is None:
        return None
    if State(case.state) not in (State.DECIDED, State.CLOSED):
        return None
    decision = tolerance_store.read(case, key)
    approval = next((s for s in reversed(steps) if s.action == Action.APPROVE_DECISION.value), None)
    return ApplicantDecision(
        outcome=ToleranceOutcome(case.tolerance_outcome),
        reasons=approval.reason if approval else None,
        measures=decision.measures if decision else (),
        approved_on=approval.created_at if approval else None,
    )
