"""The transfer step (转办, 转送, 报送上一级) in the engine: who fires it, from where, and its clock."""

from __future__ import annotations

from datetime import date

import pytest

from portal.domain.cases import Kind, State
from portal.domain.workflow import (
    Action,
    Actor,
    Deadlines,
    Facts,
    NotPermitted,
    Role,
    WrongState,
    allowed,
    apply,
    new_case,
)
from portal.domain.workflow_rules import ACTION_BOX, CASE_PAGE, KIND_STATES, RULES, Page

D = Deadlines()
FILED = date(2025, 9, 22)
#: The Tuesday before the National Day holiday (1-8 October 2025; Saturday 11 October is worked).
TRANSFERRED = date(2025, 9, 30)
INTAKE = Actor(7, Role.INTAKE)


def filed(kind: Kind, **changes: object) -> Facts:
    from dataclasses import replace

    return replace(new_case(kind, FILED, D), **changes)


@pytest.mark.parametrize("kind", list(Kind))
def test_intake_transfers_a_new_case_and_the_acceptance_clock_restarts(kind: Kind) -> None:
    outcome = apply(filed(kind), INTAKE, Action.TRANSFER, TRANSFERRED, D)
    assert outcome.facts.state is State.SUBMITTED
    # Five working days: 9, 10, 11 (a make-up Saturday), 13 and 14 October.
    assert outcome.facts.accept_due == date(2025, 10, 14)
    assert outcome.visible_to_submitter


def test_the_transfer_period_is_configuration() -> None:
    outcome = apply(filed(Kind.CONCERN), INTAKE, Action.TRANSFER, date(2025, 3, 3), Deadlines(transfer_working_days=2))
    assert outcome.facts.accept_due == date(2025, 3, 5)


def test_nobody_of_the_source_body_stays_assigned() -> None:
    outcome = apply(filed(Kind.CONCERN, assignee_id=11), INTAKE, Action.TRANSFER, TRANSFERRED, D)
    assert outcome.facts.assignee_id is None


@pytest.mark.parametrize("kind", list(Kind))
def test_only_a_case_not_yet_accepted_or_refused_is_transferred(kind: Kind) -> None:
    for state in KIND_STATES[kind] - {State.SUBMITTED}:
        with pytest.raises(WrongState):
            apply(filed(kind, state=state, assignee_id=7), INTAKE, Action.TRANSFER, TRANSFERRED, D)


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.SUPERVISOR, Role.LEADER])
def test_only_intake_transfers(role: Role) -> None:
    with pytest.raises(NotPermitted):
        apply(filed(Kind.CONCERN, assignee_id=3), Actor(3, role), Action.TRANSFER, TRANSFERRED, D)
    with pytest.raises(NotPermitted):
        apply(filed(Kind.CONCERN), Actor(None, Role.SUBMITTER), Action.TRANSFER, TRANSFERRED, D)


def test_transfer_is_offered_to_intake_on_its_own_page_and_confirmed() -> None:
    rule = RULES[Action.TRANSFER]
    assert rule.page is Page.TRANSFER and rule.confirm and not rule.needs_reason
    assert Action.TRANSFER not in ACTION_BOX
    assert Action.TRANSFER in CASE_PAGE
    assert Action.TRANSFER in allowed(filed(Kind.CLARIFICATION), INTAKE, TRANSFERRED, D)
    accepted = filed(Kind.CLARIFICATION, state=State.ACCEPTED, assignee_id=3)
    assert Action.TRANSFER not in allowed(accepted, INTAKE, TRANSFERRED, D)
