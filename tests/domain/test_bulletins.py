"""The 典型案例通报 rules: who drafts, who decides (four eyes), what the text may say."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.domain import bulletins as rules
from portal.domain.bulletins import BulletinText, DraftStatus, PublicStatus

TODAY = dt.date(2026, 12, 1)
TEXT = BulletinText("某镇一起诬告陷害案", "检举人捏造事实，多次匿名举报某镇干部。", "检举人受到党内警告处分。", TODAY)
DRAFTER, LEADER, OTHER_LEADER = 1, 2, 3


def test_a_supervisor_or_leader_drafts_only_an_eligible_case_not_already_pending():
    rules.check_draft("supervisor", True, None)
    rules.check_draft("leader", True, DraftStatus.RETURNED)
    with pytest.raises(rules.NotDrafter):
        rules.check_draft("reviewer", True, None)
    with pytest.raises(rules.NotEligible):
        rules.check_draft("supervisor", False, None)
    for status in (DraftStatus.SUBMITTED, DraftStatus.PUBLISHED):
        with pytest.raises(rules.WrongStatus):
            rules.check_draft("supervisor", True, status)


def test_a_draft_goes_to_a_leader_who_is_not_its_drafter():
    rules.check_approver("leader", LEADER, DRAFTER)
    with pytest.raises(rules.NotALeader):
        rules.check_approver("supervisor", LEADER, DRAFTER)
    with pytest.raises(rules.NotALeader):
        rules.check_approver(None, LEADER, DRAFTER)
    with pytest.raises(rules.FourEyes):
        rules.check_approver("leader", DRAFTER, DRAFTER)


@pytest.mark.parametrize(
    ("role", "actor", "status", "refusal"),
    [
        ("supervisor", LEADER, DraftStatus.SUBMITTED, rules.NotALeader),
        ("leader", DRAFTER, DraftStatus.SUBMITTED, rules.FourEyes),
        ("leader", OTHER_LEADER, DraftStatus.SUBMITTED, rules.NotTheApprover),
        ("leader", LEADER, DraftStatus.RETURNED, rules.WrongStatus),
        ("leader", LEADER, DraftStatus.PUBLISHED, rules.WrongStatus),
        ("leader", LEADER, None, rules.WrongStatus),
    ],
)
def test_only_the_named_leader_decides_a_pending_draft(role, actor, status, refusal):
    with pytest.raises(refusal):
        rules.check_decision(role, actor, status, DRAFTER, LEADER)


def test_the_named_leader_decides():
    rules.check_decision("leader", LEADER, DraftStatus.SUBMITTED, DRAFTER, LEADER)


def test_a_text_never_names_the_cadre_even_spaced_out():
    TEXT.check(TODAY, ["王某某", "王"])  # a one-character name is not looked for
    spaced = BulletinText(TEXT.title, "检举人多次诬告王 某 某同志。", TEXT.treatment, TODAY)
    with pytest.raises(rules.NamesTheCadre) as refused:
        spaced.check(TODAY, ["王某某"])
    assert refused.value.field == "facts"
    latin = BulletinText("Case of Li Ming", TEXT.facts, TEXT.treatment, TODAY)
    with pytest.raises(rules.NamesTheCadre):
        latin.check(TODAY, ["li ming"])


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (BulletinText(" ", TEXT.facts, TEXT.treatment, TODAY), "title"),
        (BulletinText(TEXT.title, "x" * (rules.MAX_FACTS + 1), TEXT.treatment, TODAY), "facts"),
        (BulletinText(TEXT.title, TEXT.facts, "", TODAY), "treatment"),
        (BulletinText(TEXT.title, TEXT.facts, TEXT.treatment, TODAY + dt.timedelta(days=1)), "issued_on"),
    ],
)
def test_an_incomplete_or_future_text_is_refused_on_its_field(text, field):
    with pytest.raises(rules.InvalidText) as refused:
        text.check(TODAY)
    assert refused.value.field == field


def test_a_text_survives_its_json_and_a_correction_names_what_changed():
    assert BulletinText.from_json(TEXT.to_json()) == TEXT
    corrected = BulletinText(TEXT.title, TEXT.facts, "检举人受到党内严重警告处分。", TODAY)
    assert rules.changed(TEXT, corrected) == {"treatment": [TEXT.treatment, corrected.treatment]}
    assert rules.changed(TEXT, TEXT) == {}


def test_only_a_published_bulletin_is_corrected_or_withdrawn():
    rules.check_public_edit(PublicStatus.PUBLISHED)
    with pytest.raises(rules.WrongStatus):
        rules.check_public_edit(PublicStatus.WITHDRAWN)
