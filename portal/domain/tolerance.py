"""The 容错纠错 decision of a fault-tolerance application: what is kept under the case key.

The engine keeps the outcome codes (proposed and approved) in plain columns; this value holds
everything else: the reasons, the 纠错 measures with their progress, and the record of the
collective decision (集体研究). Pure: no Flask, no SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from portal.domain.cases import ToleranceOutcome

#: At most this many 纠错 measures in one decision (one per line of the form).
MAX_MEASURES = 20
MAX_MEASURE_CHARS = 500


class DecisionError(ValueError):
    """A decision, collective record or measure record is incomplete or wrong; ``field`` names it."""

    def __init__(self, field_name: str) -> None:
        super().__init__(field_name)
        self.field = field_name


@dataclass(frozen=True)
class Measure:
    """One 纠错 measure and, once done, when and how."""

    text: str
    done_on: date | None = None
    note: str = ""

    @property
    def done(self) -> bool:
        return self.done_on is not None


@dataclass(frozen=True)
class Collective:
    """The 集体研究 record: when, which body or meeting, and what it decided."""

    held_on: date
    meeting: str
    result: str


@dataclass(frozen=True)
class Decision:
    """The current proposal (and, once approved, the decision) of one application."""

    outcome: ToleranceOutcome
    reasons: str
    measures: tuple[Measure, ...] = ()
    collective: Collective | None = None

    @property
    def measures_complete(self) -> bool:
        """Every measure recorded done (a decision without measures has nothing to wait for)."""
        return all(m.done for m in self.measures)

    def with_collective(self, collective: Collective) -> Decision:
        return replace(self, collective=collective)

    def with_measure_done(self, index: int, done_on: date, note: str, today: date) -> Decision:
        """The decision with measure ``index`` recorded done; DecisionError when it is not open."""
        if not 0 <= index < len(self.measures) or self.measures[index].done:
            raise DecisionError("measure")
        if done_on > today:
            raise DecisionError("done_on")
        if not note.strip():
            raise DecisionError("note")
        measures = list(self.measures)
        measures[index] = replace(measures[index], done_on=done_on, note=note.strip())
        return replace(self, measures=tuple(measures))

    def to_json(self) -> dict:
        return {
            "outcome": self.outcome.value,
            "reasons": self.reasons,
            "measures": [
                {"text": m.text, "done_on": m.done_on.isoformat() if m.done_on else None, "note": m.note}
                for m in self.measures
            ],
            "collective": (
                {
                    "held_on": self.collective.held_on.isoformat(),
                    "meeting": self.collective.meeting,
                    "result": self.collective.result,
                }
                if self.collective
                else None
            ),
        }

    @classmethod
    def from_json(cls, data: dict) -> Decision:
        collective = data.get("collective")
        return cls(
            outcome=ToleranceOutcome(data["outcome"]),
            reasons=data["reasons"],
            measures=tuple(
                Measure(m["text"], date.fromisoformat(m["done_on"]) if m.get("done_on") else None, m.get("note", ""))
                for m in data.get("measures", [])
            ),
            collective=(
                Collective(date.fromisoformat(collective["held_on"]), collective["meeting"], collective["result"])
                if collective
                else None
            ),
        )


def make_decision(outcome: str | None, reasons: str, measures_text: str) -> Decision:
    """A proposal from the form: an outcome listed, reasons, measures one per line (none for 不予容错 is fine)."""
    if outcome not in {t.value for t in ToleranceOutcome}:
        raise DecisionError("outcome")
    if not reasons.strip():
        raise DecisionError("reasons")
    lines = [line.strip() for line in measures_text.splitlines() if line.strip()]
    if len(lines) > MAX_MEASURES or any(len(line) > MAX_MEASURE_CHARS for line in lines):
        raise DecisionError("measures")
    return Decision(ToleranceOutcome(outcome), reasons.strip(), tuple(Measure(line) for line in lines))


def make_collective(held_on: date | None, meeting: str, result: str, today: date) -> Collective:
    """The 集体研究 record from the form: a date not in the future, the meeting and its result."""
    if held_on is None or held_on > today:
        raise DecisionError("held_on")
    if not meeting.strip():
        raise DecisionError("meeting")
    if not result.strip():
        raise DecisionError("result")
    return Collective(held_on, meeting.strip(), result.strip())
