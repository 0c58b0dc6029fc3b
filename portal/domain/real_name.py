"""The two clocks of a real-name concern (实名反映), as the submitter's and staff pages show them.

The 工作规则 tells a real-name submitter within 15 working days of receipt whether the case is
accepted, and within 15 working days of its closing (办结) of the result. The engine starts and
meets both (``workflow.Facts``); this reads them for a page: due when, met when, late or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from portal.domain.workflow import Facts

__all__ = ["TellClock", "Telling", "tell_clocks"]


class Telling(StrEnum):
    """What a real-name submitter is told."""

    ACCEPTANCE = "acceptance"  # whether the case is accepted (受理 or 不予受理)
    RESULT = "result"  # the result, after 办结 (告知办理结果)


@dataclass(frozen=True)
class TellClock:
    """One clock: by when, and the day it was met (None while it runs)."""

    what: Telling
    due: date
    met_on: date | None

    @property
    def late(self) -> bool:
        """Met after its day."""
        return self.met_on is not None and self.met_on > self.due

    def overdue(self, today: date) -> bool:
        """Still running after its day: it stands out."""
        return self.met_on is None and today > self.due


def tell_clocks(facts: Facts) -> tuple[TellClock, ...]:
    """The clocks started so far, in the order they start; none for an anonymous concern."""
    found = []
    if facts.tell_accept_due is not None:
        found.append(TellClock(Telling.ACCEPTANCE, facts.tell_accept_due, facts.told_accept_on))
    if facts.tell_result_due is not None:
        found.append(TellClock(Telling.RESULT, facts.tell_result_due, facts.told_result_on))
    return tuple(found)
