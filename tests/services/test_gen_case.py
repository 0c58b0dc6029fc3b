"""gen_case reaches every state of both workflows through the services alone."""

from __future__ import annotations

import pytest

from portal.domain.cases import Kind
from portal.domain.workflow_rules import KIND_STATES
from portal.extensions import db
from portal.models import Case, CaseEvent
from tests.factories import gen_case

REACHED = sorted(
    (kind.value, state.value)
    for kind in Kind
    for state in KIND_STATES[kind]
    if state.value not in ("unverifiable",)  # reached like substantiated; one finding branch is enough
)


@pytest.mark.parametrize(("kind", "state"), REACHED)
def test_gen_case_reaches_the_state_through_the_services(app, kind, state):
    with app.app_context():
        made = gen_case(kind, state)
        case = db.session.get(Case, made.case_id)
        assert case.state == state
        events = db.session.scalar(db.select(db.func.count()).where(CaseEvent.case_id == case.id))
        assert events >= 1  # every step left its timeline entry, the filing first
