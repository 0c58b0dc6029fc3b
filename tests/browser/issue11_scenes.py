"""Issue 11's cases, set up through the test client for the browser tests' phone and axe walks.

Statistics need cases of several kinds and states in the body; official documents need a case
whose holder issues them (a 受理告知书 and a 答复意见书, both for the cadre). The builders only call
the HTTP helpers of tests/web (documents) and the services-only factories (gen_case), as the
HTTP tests do, so the browser sees the pages exactly as a cadre or a desk would.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from portal.extensions import db
from portal.models import Case
from portal.services import statistics
from tests.conftest import Cadre, Staff
from tests.factories import gen_case, gen_worker
from tests.web.document_helpers import document_rows, documents_page, issue, issue_page

ANSWER = "经研究，本机关将合并同类检查，每季度只报送一次材料。"


@dataclass
class Documents:
    """A concern answered, with its 受理告知书 and 答复意见书 issued, and one accepted but with none yet."""

    receipt: str  # the answered concern's, for the cadre's status page
    case_id: str
    doc_id: str  # the 答复意见书
    doc_number: str
    fresh_case_id: str  # accepted, nothing issued: its issue form

    @property
    def documents(self) -> str:
        return documents_page(self.case_id)

    @property
    def document(self) -> str:
        return f"{documents_page(self.case_id)}/{self.doc_id}"

    @property
    def issue_form(self) -> str:
        return issue_page(self.fresh_case_id, "acceptance")


def _newest(app: Flask, before: set[str]) -> str:
    with app.app_context():
        (case_id,) = [c for c in db.session.scalars(db.select(Case.id)) if c not in before]
        return case_id


def _ids(app: Flask) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(db.select(Case.id)))


def documents(app: Flask, cadre: Cadre, intake: Staff, reviewer: Staff) -> Documents:
    """``reviewer`` (a signed-in test-client desk) is assigned both cases and issues the documents;
    supervisors of the body who exist already hold them too."""
    before = _ids(app)
    receipt = cadre.receipt_of(cadre.file_concern(subject="同一材料重复报送"))
    case_id = _newest(app, before)
    assert intake.accept(case_id, reviewer).status_code == 303
    assert issue(reviewer, case_id, "acceptance").status_code == 303
    assert reviewer.act(case_id, "start").status_code == 303
    assert reviewer.act(case_id, "answer", reason=ANSWER).status_code == 303
    assert issue(reviewer, case_id, "reply").status_code == 303
    reply = next(row for row in document_rows(app, case_id) if row.kind == "reply")

    before = _ids(app)
    cadre.file_concern(subject="检查考核过多")
    fresh = _newest(app, before)
    assert intake.accept(fresh, reviewer).status_code == 303
    return Documents(receipt, case_id, reply.id, reply.number, fresh)


def statistics_cases(app: Flask, answered: int = 6) -> None:
    """Concerns answered and clarifications found untrue in the default body, so the tables have
    shown counts (5 or more), a small one (<5) and withheld ones, and the charts have lines."""
    with app.app_context():
        w = {
            "reviewer": gen_worker("stat.rev", "reviewer"),
            "supervisor": gen_worker("stat.sup", "supervisor"),
            "intake": gen_worker("stat.int", "intake"),
        }
        for _ in range(answered):
            gen_case("concern", "answered", **w)
        gen_case("clarification", "found_false", **w)
        gen_case("clarification", "submitted", **w)
        statistics.clear_memo()  # a lattice of this year may be in this worker's memo
