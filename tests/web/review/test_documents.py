"""Official documents through HTTP: the case number at acceptance, issuing each kind, viewing,
the audit rows, and the refusals (a non-holder, a wrong kind for the state, bad input)."""

from __future__ import annotations

from portal.extensions import db
from portal.models import Body
from tests.conftest import only_case_id
from tests.web.document_helpers import (
    audit_rows,
    case_number,
    document_rows,
    documents_page,
    issue,
    issue_page,
)


def short_name(app) -> str:
    with app.app_context():
        return db.session.scalars(db.select(Body.short_name)).first()


def test_an_accepted_concern_is_numbered_and_its_notice_of_acceptance_issued(intake, app, cadre, staff):
    reviewer = staff("wang.rev", "reviewer")
    cadre.receipt_of(cadre.file_concern())
    case_id = only_case_id(app)
    assert case_number(app, case_id) is None
    assert intake.accept(case_id, reviewer).status_code == 303
    prefix = short_name(app)
    number = case_number(app, case_id)
    assert number is not None and number.startswith(f"{prefix}信〔") and number.endswith("〕1号")
    assert number in reviewer.get(f"/review/cases/{case_id}").get_data(as_text=True)

    page = reviewer.get(documents_page(case_id)).get_data(as_text=True)
    assert issue_page(case_id, "acceptance") in page
    assert issue_page(case_id, "reply") not in page  # not answered yet

    draft = reviewer.get(issue_page(case_id, "acceptance")).get_data(as_text=True)
    assert "反映人" in draft and number in draft
    response = issue(reviewer, case_id, "acceptance")
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    [row] = document_rows(app, case_id)
    assert row.kind == "acceptance" and row.for_cadre and row.number.startswith(f"{prefix}受〔")
    assert row.number.endswith("〕1号")
    assert response.headers["Location"].endswith(documents_page(case_id))
    listed = reviewer.get(documents_page(case_id)).get_data(as_text=True)
    assert row.number in listed and f"{documents_page(case_id)}/{row.id}" in listed
    view = reviewer.get(f"{documents_page(case_id)}/{row.id}").get_data(as_text=True)
    assert row.number in view and "受理告知书" in view and "反映人" in view
    assert audit_rows(app, case_id) == [
        ("document.issue", reviewer.user_id, f"acceptance {row.number}"),
        ("document.view", reviewer.user_id, f"{row.number} html"),
    ]


def test_refusals_write_nothing(intake, app, cadre, staff):
    reviewer = staff("wang.rev", "reviewer")
    outsider = staff("li.rev", "reviewer")
    cadre.receipt_of(cadre.file_concern())
    case_id = only_case_id(app)
    assert intake.accept(case_id, reviewer).status_code == 303
    # A wrong kind for the case's state: a reply before the answer, a 容错认定书 for a concern.
    assert reviewer.get(issue_page(case_id, "reply")).status_code == 409
    assert reviewer.get(issue_page(case_id, "tolerance")).status_code == 409
    assert reviewer.get(issue_page(case_id, "nonsense")).status_code == 409
    assert (
        reviewer.post(issue_page(case_id, "reply"), {"text": "x"}, form_page=documents_page(case_id)).status_code == 409
    )
    # Bad input: no text at all.
    empty = issue(reviewer, case_id, "acceptance", text="  \n ")
    assert empty.status_code == 400
    # A non-holder sees nothing and issues nothing.
    assert outsider.get(documents_page(case_id)).status_code == 403
    assert outsider.get(issue_page(case_id, "acceptance")).status_code == 403
    assert document_rows(app, case_id) == [] and audit_rows(app, case_id) == []
    # Then issued properly, a non-holder cannot read it either.
    response = issue(reviewer, case_id, "acceptance")
    assert response.status_code == 303
    [row] = document_rows(app, case_id)
    assert outsider.get(f"{documents_page(case_id)}/{row.id}").status_code == 403
    assert reviewer.get(f"/review/cases/{case_id}/documents/nosuchdoc").status_code == 404


def test_the_documents_pages_have_unique_ids_and_a_refused_clarification_reads_buyu_chengqing(
    intake, app, cadre, staff
):
    from tests.html_checks import assert_unique_ids

    cadre.receipt_of(cadre.file_clarification())
    case_id = only_case_id(app)
    refused = intake.act(case_id, "refuse", reason="尚未形成核查结论。", refusal_reason="no_conclusion")
    assert refused.status_code == 303
    draft = intake.get(issue_page(case_id, "refusal")).get_data(as_text=True)
    assert "不予澄清" in draft and "王某某同志" in draft
    assert issue(intake, case_id, "refusal").status_code == 303
    [row] = document_rows(app, case_id)
    for path in (documents_page(case_id), issue_page(case_id, "refusal"), f"{documents_page(case_id)}/{row.id}"):
        assert_unique_ids(intake.get(path).get_data(as_text=True))
