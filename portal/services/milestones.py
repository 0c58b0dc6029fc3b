"""h11s1: the statistics milestones of a case row, from its step (``OpenedCase.step`` calls it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields

from portal.domain.cases import Kind
from portal.domain.milestones import Dues, Milestones, after_step
from portal.models import Case
from portal.services import case_state

_FIELDS = tuple(f.name for f in fields(Milestones))


def of(case: Case) -> Milestones:
    """The milestones stored on a case."""
    return Milestones(**{name: getattr(case, name) for name in _FIELDS})


def record(case: Case, action: str, day: dt.date) -> None:
    """Write the milestones ``action`` on ``day`` reaches, before the step changes the case's dues."""
    dues = Dues(accept_due=case.accept_due, answer_due=case.answer_due, carry_out_due=case.carry_out_due)
    new = after_step(of(case), Kind(case.kind), action, day, case_state.local_day(case.created_at), dues)
    for name in _FIELDS:
        setattr(case, name, getattr(new, name))
