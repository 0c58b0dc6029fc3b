"""What a case waits for, from whom, and until when: so no page leaves a reader at a dead end.

Pure domain code beside the engine: it reads the same facts and deadlines, so the page says
exactly what the engine will allow next (the objection window, the paused clock, four eyes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from portal.domain.cases import AccusationFlag, Kind, State
from portal.domain.workflow import Deadlines, Facts, current_due
from portal.domain.workflow_rules import KIND_STATES, TERMINAL, Role
from portal.domain.working_days import add_days

__all__ = ["Awaited", "Waiting", "waiting_for"]


class Awaited(StrEnum):
    """The next step a case waits for; the web layer words it for staff and for the cadre."""

    DECIDE_ACCEPTANCE = "decide_acceptance"  # 受理 or 不予受理, within the acceptance deadline
    START_HANDLING = "start_handling"  # a concern accepted, not yet started
    START_VERIFICATION = "start_verification"  # a clarification accepted, not yet verified
    ANSWER = "answer"  # a concern in progress: 作出答复
    VERIFY = "verify"  # a clarification being verified: 提出核查结论建议
    REPLY = "reply"  # a question to the cadre; the answer clock is paused since ``since``
    APPROVE_FINDING = "approve_finding"  # a supervisor other than the proposer
    DRAFT_PLAN = "draft_plan"  # found false: the plan is written (again, after a decline or return)
    CONSENT = "consent"  # 本人确认 of the plan
    APPROVE_PLAN = "approve_plan"  # a supervisor other than the drafter
    CARRY_OUT = "carry_out"  # every form of the approved plan carried out and recorded
    OBJECTION_PERIOD = "objection_period"  # the cadre may object once; closing waits for its end
    CLOSE = "close"  # the answer is final: 办结
    CONSENT_CORRECTION = "consent_correction"  # a correction of the published notice
    REFER = "refer"  # a suspected malicious accusation awaits referral (staff only)
    NOTHING = "nothing"  # the case's course is over
    # -- fault tolerance (issue 10) --
    PROPOSE_DECISION = "propose_decision"  # verifying: the case worker proposes the 容错纠错 decision
    COLLECTIVE_DECISION = "collective_decision"  # proposed: 集体研究 is recorded and a leader named
    APPROVE_DECISION = "approve_decision"  # the named leader, never the proposer
    RECORD_MEASURES = "record_measures"  # decided: every 纠错 measure recorded done before closing
    # -- real-name concerns and 回访 (issue 10) --
    TELL_RESULT = "tell_result"  # 告知办理结果 to a real-name submitter, after 办结
    VISIT = "visit"  # the 回访 after a clarification was carried out


#: Waits that concern internal judgements the cadre is never shown.
STAFF_ONLY = frozenset({Awaited.REFER})


@dataclass(frozen=True)
class Waiting:
    """One thing a case waits for: who acts (None when nobody need), what, and by when."""

    who: Role | None
    what: Awaited
    until: date | None = None  # the deadline that applies, if the rules set one
    since: date | None = None  # when the wait began, where it matters (a question sent)

    @property
    def staff_only(self) -> bool:
        return self.what in STAFF_ONLY


_WORKER_STEP: dict[tuple[Kind, State], Awaited] = {
    (Kind.CONCERN, State.ACCEPTED): Awaited.START_HANDLING,
    (Kind.CONCERN, State.IN_PROGRESS): Awaited.ANSWER,
    (Kind.CLARIFICATION, State.ACCEPTED): Awaited.START_VERIFICATION,
    (Kind.CLARIFICATION, State.VERIFYING): Awaited.VERIFY,
    (Kind.FAULT_TOLERANCE, State.ACCEPTED): Awaited.START_VERIFICATION,  # issue 10
    (Kind.FAULT_TOLERANCE, State.VERIFYING): Awaited.PROPOSE_DECISION,
}


def waiting_for(facts: Facts, today: date, deadlines: Deadlines) -> tuple[Waiting, ...]:
    """Everything the case waits for now, the main step first; never empty."""
    if facts.state not in KIND_STATES[facts.kind]:
        raise ValueError(f"a {facts.kind} is never {facts.state}")
    found = [_main(facts, today, deadlines)]
    found.extend(_aftercare(facts))  # issue 10
    if facts.correction_pending:
        found.append(Waiting(Role.SUBMITTER, Awaited.CONSENT_CORRECTION))
    if facts.flag is AccusationFlag.SUSPECTED_MALICIOUS and not facts.referred:
        found.append(Waiting(Role.SUPERVISOR, Awaited.REFER))
    if len(found) > 1 and found[0].what is Awaited.NOTHING:
        found.pop(0)
    return tuple(found)


def objection_ends(facts: Facts, deadlines: Deadlines) -> date | None:
    """The last day an objection is accepted (the engine's window, last day included)."""
    if facts.answered_on is None:
        return None
    return add_days(facts.answered_on, deadlines.objection_days)


def _main(facts: Facts, today: date, deadlines: Deadlines) -> Waiting:
    """The step the case's own course waits for, with the deadline the engine runs against."""
    state, due = facts.state, current_due(facts)
    if state in TERMINAL:
        return Waiting(None, Awaited.NOTHING)
    if state is State.SUBMITTED:
        return Waiting(Role.INTAKE, Awaited.DECIDE_ACCEPTANCE, due)
    if (facts.kind, state) in _WORKER_STEP:
        return Waiting(Role.REVIEWER, _WORKER_STEP[(facts.kind, state)], due)
    if state is State.AWAITING_INFO:
        return Waiting(Role.SUBMITTER, Awaited.REPLY, None, facts.paused_on)
    if state is State.DECIDED:
        return _decided(facts, today, deadlines)
    if state is State.ANSWERED:
        ends = objection_ends(facts, deadlines)
        if not facts.objected and ends is not None and today <= ends:
            return Waiting(Role.SUBMITTER, Awaited.OBJECTION_PERIOD, ends)
        return Waiting(Role.REVIEWER, Awaited.CLOSE)
    return Waiting(*_CLARIFICATION_STEPS[state], due)


_CLARIFICATION_STEPS: dict[State, tuple[Role, Awaited]] = {
    State.FINDING_PROPOSED: (Role.SUPERVISOR, Awaited.APPROVE_FINDING),
    State.FOUND_FALSE: (Role.REVIEWER, Awaited.DRAFT_PLAN),
    State.AWAITING_CONSENT: (Role.SUBMITTER, Awaited.CONSENT),
    State.PLAN_CONSENTED: (Role.SUPERVISOR, Awaited.APPROVE_PLAN),
    State.PLAN_APPROVED: (Role.REVIEWER, Awaited.CARRY_OUT),
    # -- fault tolerance (issue 10) --
    State.DECISION_PROPOSED: (Role.REVIEWER, Awaited.COLLECTIVE_DECISION),
    State.COLLECTIVELY_DECIDED: (Role.LEADER, Awaited.APPROVE_DECISION),
}


def _decided(facts: Facts, today: date, deadlines: Deadlines) -> Waiting:
    """A fault-tolerance decision told: the objection window first, then the measures, then closing."""
    ends = objection_ends(facts, deadlines)
    if not facts.objected and ends is not None and today <= ends:
        return Waiting(Role.SUBMITTER, Awaited.OBJECTION_PERIOD, ends)
    if not facts.measures_complete:
        return Waiting(Role.REVIEWER, Awaited.RECORD_MEASURES)
    return Waiting(Role.REVIEWER, Awaited.CLOSE)


# -- real-name concerns and 回访 (issue 10) --


def _aftercare(facts: Facts) -> list[Waiting]:
    """What a concluded case still waits for: the result told to a real-name submitter, the 回访."""
    found = []
    if facts.tell_result_due is not None and facts.told_result_on is None:
        found.append(Waiting(Role.REVIEWER, Awaited.TELL_RESULT, facts.tell_result_due))
    if facts.visit_due is not None and facts.visited_on is None:
        found.append(Waiting(Role.REVIEWER, Awaited.VISIT, facts.visit_due))
    return found
