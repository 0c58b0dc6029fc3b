"""Nobody approves blind: the supervisor sees the proposed finding, its grounds and who proposed it."""

from __future__ import annotations

import re

import pytest

from tests.conftest import only_case_id
from tests.web.review.test_clarification_plan import draft, found_false, status, submitter_post

FINDING_WORDS = {"found_false": "经核查失实", "substantiated": "反映属实", "unverifiable": "查无实据"}


def approval_box(page: str) -> str:
    match = re.search(r'<section class="box approval".*?</section>', page, re.S)
    assert match, "no approval box on the page"
    return match.group(0)


def timeline(page: str) -> str:
    return page.split('<ol class="steps">')[1].split("</ol>")[0]


@pytest.mark.parametrize("finding", list(FINDING_WORDS))
def test_supervisor_sees_the_proposed_finding_its_grounds_and_the_proposer(intake, app, cadre, staff, finding):
    reviewer = staff("zhao.rev", "reviewer")
    chief = staff("qian.sup", "supervisor")
    cadre.file_clarification()
    case_id = only_case_id(app)
    intake.accept(case_id, reviewer)
    reviewer.act(case_id, "verify")
    grounds = "Project accounts and six witnesses contradict the letter."
    assert reviewer.act(case_id, "propose_finding", finding=finding, reason=grounds).status_code == 303

    page = chief.get(f"/review/cases/{case_id}").get_data(as_text=True)
    box = approval_box(page)
    assert FINDING_WORDS[finding] in box and grounds in box and "zhao.rev" in box
    assert not any(word in box for word in set(FINDING_WORDS.values()) - {FINDING_WORDS[finding]})
    assert 'value="approve_finding"' in page  # the approval is asked on this same page
    assert FINDING_WORDS[finding] in timeline(page)

    # After approval the timeline still says which finding was proposed.
    assert chief.act(case_id, "approve_finding", reason="Verified against the records.").status_code == 303
    assert FINDING_WORDS[finding] in timeline(chief.get(f"/review/cases/{case_id}").get_data(as_text=True))


def test_plan_approval_names_who_drafted_the_plan(app, cadre, staff):
    receipt, case_id, reviewer, chief, deputy = found_false(app, cadre, staff)
    assert draft(reviewer, case_id).status_code == 303
    status(cadre, receipt)
    assert submitter_post(cadre, "/followup/consent").status_code == 303
    box = approval_box(chief.get(f"/review/cases/{case_id}").get_data(as_text=True))
    assert "zhao.rev" in box


def test_english_approval_page_names_the_finding(intake, app, cadre, staff):
    reviewer = staff("zhao.rev", "reviewer")
    chief = staff("qian.sup", "supervisor")
    cadre.file_clarification()
    case_id = only_case_id(app)
    intake.accept(case_id, reviewer)
    reviewer.act(case_id, "verify")
    reviewer.act(case_id, "propose_finding", finding="unverifiable", reason="No records survive.")
    chief.client.get("/lang/en")
    box = approval_box(chief.get(f"/review/cases/{case_id}").get_data(as_text=True))
    assert "Cannot be verified" in box and "No records survive." in box and "zhao.rev" in box


def test_the_applicant_reads_the_approved_finding_and_its_reasons_never_the_internal_grounds(intake, app, cadre, staff):
    reviewer = staff("zhao.rev", "reviewer")
    chief = staff("qian.sup", "supervisor")
    receipt = cadre.receipt_of(cadre.file_clarification())
    case_id = only_case_id(app)
    intake.accept(case_id, reviewer)
    reviewer.act(case_id, "verify")
    grounds = "Internal: witness Li Ming's statement of 3 March."
    assert reviewer.act(case_id, "propose_finding", finding="found_false", reason=grounds).status_code == 303
    assert chief.act(case_id, "approve_finding").status_code == 400  # no reasons, no approval
    reasons = "经核查，反映的违规发放补贴问题与事实不符。"
    assert chief.act(case_id, "approve_finding", reason=reasons).status_code == 303

    page = status(cadre, receipt)
    assert "经核查失实" in page and reasons in page
    assert grounds not in page
