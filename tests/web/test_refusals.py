"""One table from every refusal to (status, words, field): the same refusal looks the same everywhere."""

from __future__ import annotations

import pytest

from portal.domain import workflow
from portal.domain.workflow import Choice, MissingChoice, WindowClosed, WorkflowError
from portal.web.refusals import REFUSED, refusal


def _subclasses(base: type) -> set[type]:
    found, todo = set(), [base]
    while todo:
        cls = todo.pop()
        found.add(cls)
        todo.extend(cls.__subclasses__())
    return found


def _instance(cls: type) -> Exception:
    return MissingChoice(Choice.FLAG) if cls is MissingChoice else cls("refused")


@pytest.mark.parametrize("cls", sorted(_subclasses(WorkflowError), key=lambda c: c.__name__))
def test_every_engine_refusal_has_a_status_and_words(app, cls):
    with app.test_request_context():
        refused = refusal(_instance(cls))
        assert refused.status in (400, 403, 409)
        assert str(refused.message).strip()


def test_the_views_catch_what_the_table_answers():
    assert WorkflowError in REFUSED and workflow.PlanIncomplete in _subclasses(WorkflowError)


def test_a_pick_refusal_names_its_field_and_a_limit_comes_from_the_configuration(cadre_factory):
    app, _cadre, _client = cadre_factory(OBJECTION_DAYS=20, BABEL_DEFAULT_LOCALE="en")
    with app.test_request_context():
        assert refusal(MissingChoice(Choice.REFUSAL_REASON)).field == "refusal_reason"
        closed = refusal(WindowClosed("late"))
        assert closed.status == 409 and "20-day" in str(closed.message)


def test_a_missing_reason_is_the_same_400_for_every_step_that_needs_one(intake, app, cadre, staff):
    from tests.conftest import only_case_id

    reviewer = staff("ma.rev", "reviewer")
    chief = staff("niu.sup", "supervisor")
    cadre.file_concern()
    case_id = only_case_id(app)
    assert intake.accept(case_id, reviewer).status_code == 303
    assert reviewer.act(case_id, "start").status_code == 303
    for who, action in ((reviewer, "ask"), (reviewer, "answer"), (chief, "answer")):
        response = who.act(case_id, action, reason="  ")
        assert response.status_code == 400, action
        assert "请填写此步骤的理由或内容。" in response.get_data(as_text=True)
