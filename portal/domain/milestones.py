"""Milestones a case's statistics need, in plain metadata: the DAY each step happened, its
length in working days and whether it met the deadline the case had then.

Pure: the engine's step and the migration's backfill both go through :func:`after_step`.

What concludes a case (办结), by kind:

- a concern: its first answer (``answer``);
- a clarification request: the supervisor's approval of the finding (``approve_finding``);
- a 容错纠错 application: the leader's approval of the decision (``approve_decision``).

Durations: to 受理 from the day filed; to conclusion from the day accepted; to carrying the
clarification out from the day its finding was approved. Each milestone is written once (the
first time), so a later re-answer or a reopened clock does not move a month already reported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from portal.domain.cases import Kind
from portal.domain.working_days import working_days_between

#: The action that concludes each kind.
CONCLUDING: dict[Kind, str] = {
    Kind.CONCERN: "answer",
    Kind.CLARIFICATION: "approve_finding",
    Kind.FAULT_TOLERANCE: "approve_decision",
}


@dataclass(frozen=True)
class Milestones:
    """The plain statistics columns of one case."""

    accepted_on: dt.date | None = None
    refused_on: dt.date | None = None
    concluded_on: dt.date | None = None
    carried_out_on: dt.date | None = None
    days_to_accept: int | None = None
    days_to_conclude: int | None = None
    days_to_carry_out: int | None = None
    accept_met: bool | None = None
    conclude_met: bool | None = None
    carry_out_met: bool | None = None


@dataclass(frozen=True)
class Dues:
    """The deadlines the case had just before the step (the ones the step is measured against)."""

    accept_due: dt.date | None = None
    answer_due: dt.date | None = None
    carry_out_due: dt.date | None = None


def _met(day: dt.date, due: dt.date | None) -> bool | None:
    return None if due is None else day <= due


def after_step(m: Milestones, kind: Kind, action: str, day: dt.date, submitted_on: dt.date, dues: Dues) -> Milestones:
    """The milestones once ``action`` was taken on ``day`` (unchanged for any other step)."""
    if action == "accept" and m.accepted_on is None and m.refused_on is None:
        return replace(
            m,
            accepted_on=day,
            days_to_accept=working_days_between(submitted_on, day),
            accept_met=_met(day, dues.accept_due),
        )
    if action == "refuse" and m.accepted_on is None and m.refused_on is None:
        return replace(
            m,
            refused_on=day,
            days_to_accept=working_days_between(submitted_on, day),
            accept_met=_met(day, dues.accept_due),
        )
    if action == CONCLUDING[kind] and m.concluded_on is None:
        start = m.accepted_on or submitted_on
        return replace(
            m,
            concluded_on=day,
            days_to_conclude=working_days_between(start, day),
            conclude_met=_met(day, dues.answer_due),
        )
    if action == "carry_out" and kind is Kind.CLARIFICATION and m.carried_out_on is None:
        start = m.concluded_on or m.accepted_on or submitted_on
        return replace(
            m,
            carried_out_on=day,
            days_to_carry_out=working_days_between(start, day),
            carry_out_met=_met(day, dues.carry_out_due),
        )
    return m
