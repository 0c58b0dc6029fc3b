"""部分失实 and the clarification a body opens on its own motion, in the engine (issue 10)."""

from __future__ import annotations

from datetime import date

import pytest

from portal.domain.cases import Finding, Kind, State
from portal.domain.plan import PlanError, make_plan
from portal.domain.workflow import (
    Action,
    Actor,
    Deadlines,
    Facts,
    FourEyes,
    ItemsRequired,
    MissingChoice,
    NotPermitted,
    Role,
    apply,
    own_motion_case,
)
from portal.domain.working_days import add_days

D = Deadlines()
DAY = date(2025, 3, 3)
R1 = Actor(1, Role.REVIEWER)
S1 = Actor(10, Role.SUPERVISOR)
S2 = Actor(11, Role.SUPERVISOR)
I1 = Actor(20, Role.INTAKE)
ITEMS = ("收受礼金一事失实",)


def test_an_own_motion_case_starts_at_the_finding_with_the_opener_as_proposer_and_assignee():
    facts = own_motion_case(DAY, D, R1, "partly_false", ITEMS)
    assert (facts.kind, facts.state) == (Kind.CLARIFICATION, State.FINDING_PROPOSED)
    assert facts.proposer_id == facts.assignee_id == R1.user_id
    assert facts.proposed_finding is Finding.PARTLY_FALSE
    assert facts.answer_due == add_days(DAY, D.answer_days)


@pytest.mark.parametrize(
    ("opener", "finding", "items", "refused"),
    [
        (I1, "found_false", (), NotPermitted),  # intake registers filed cases; it opens none
        (R1, "substantiated", (), MissingChoice),  # only a finding that clears the cadre opens one
        (R1, "unverifiable", (), MissingChoice),
        (R1, None, (), MissingChoice),
        (R1, "partly_false", (), ItemsRequired),
        (R1, "partly_false", ("  ",), ItemsRequired),
    ],
)
def test_what_cannot_open_a_case(opener, finding, items, refused):
    with pytest.raises(refused):
        own_motion_case(DAY, D, opener, finding, items)


def test_the_opener_cannot_approve_their_own_finding_another_supervisor_can():
    facts = own_motion_case(DAY, D, S1, "partly_false", ITEMS)
    with pytest.raises(FourEyes):
        apply(facts, S1, Action.APPROVE_FINDING, DAY, D, reason="自批")
    approved = apply(facts, S2, Action.APPROVE_FINDING, DAY, D, reason="所列事项失实").facts
    assert approved.state is State.FOUND_FALSE and approved.finding is Finding.PARTLY_FALSE
    assert approved.proposed_finding is None and approved.proposer_id is None
    planned = apply(approved, S1, Action.DRAFT_PLAN, DAY, D).facts  # the plan follows as for 失实
    assert planned.state is State.AWAITING_CONSENT and planned.finding is Finding.PARTLY_FALSE


def test_a_partly_false_proposal_on_an_applied_case_names_its_items():
    verifying = Facts(Kind.CLARIFICATION, State.VERIFYING, DAY, assignee_id=R1.user_id, answer_due=DAY)
    with pytest.raises(ItemsRequired):
        apply(verifying, R1, Action.PROPOSE_FINDING, DAY, D, reason="核查", finding="partly_false")
    proposed = apply(
        verifying, R1, Action.PROPOSE_FINDING, DAY, D, reason="核查", finding="partly_false", false_items=ITEMS
    )
    assert proposed.facts.proposed_finding is Finding.PARTLY_FALSE and proposed.detail == "partly_false"
    # A wholly untrue finding needs no items; the other findings keep their own ends.
    whole = apply(verifying, R1, Action.PROPOSE_FINDING, DAY, D, reason="核查", finding="found_false").facts
    assert apply(whole, S1, Action.APPROVE_FINDING, DAY, D, reason="失实").facts.finding is Finding.FOUND_FALSE


def test_the_notice_of_a_partly_false_finding_lists_its_items_in_place_of_the_allegation():
    notice = {
        "number": "1号",
        "title": "澄清公告",
        "naming": "surname",
        "unit": "某镇",
        "post": "镇长",
        "allegation": "",
        "body": "<p>经核查</p>",
        "issuer": "某县纪委",
        "issued_on": DAY,
    }
    with pytest.raises(PlanError):  # a wholly untrue finding's notice states the allegation
        make_plan(["public_notice"], "全镇", "王某某", notice)
    plan = make_plan(["public_notice"], "全镇", "王某某", {**notice, "allegation": "另一事项"}, ITEMS)
    assert plan.notice is not None
    assert plan.notice.clarified_items == ITEMS and plan.notice.allegation == ""
    assert type(plan).from_json(plan.to_json()) == plan
