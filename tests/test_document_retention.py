"""Issue 11 (h11d1): shredding a case shreds its issued documents too; the numbers given stay counted."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import Document, DocumentSequence, User
from portal.services import documents, form_tokens, retention
from tests.conftest import STAFF_PASSWORD
from tests.factories import private_key_of
from tests.test_retention import carried_out_case, case_secrets


def test_purge_shreds_the_documents_and_keeps_the_sequence(app, cadre, staff, runner, monkeypatch):
    _receipt, case_id = carried_out_case(app, cadre, staff)
    with app.app_context():
        reviewer = db.session.scalar(select(User).where(User.username == "zhao.rev"))  # found_false's reviewer
        key = private_key_of(reviewer, STAFF_PASSWORD)
        documents.issue(
            reviewer, key, case_id, "clarification", "王某某同志", "经核查，反映问题失实。", form_tokens.issue()
        )
        content = db.session.scalar(select(Document.content).where(Document.case_id == case_id))
        assert bytes(content) in case_secrets(case_id)
        closed_on = retention.today()
    monkeypatch.setattr(retention, "today", lambda: closed_on.replace(year=closed_on.year + 5))
    assert runner.invoke(args=["purge"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Document)) == 0
        # The number stays given: the next 澄清正名告知书 of the body is number 2, never 1 again.
        last = db.session.scalar(select(DocumentSequence.last).where(DocumentSequence.kind == "clarification"))
        assert last == 1
