"""典型案例通报 test helpers: a clarification case flagged 涉嫌诬告陷害 and referred, and bulletin forms."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from portal.extensions import db
from portal.models import Referral
from tests.conftest import Cadre, Staff, only_case_id
from tests.web.referral_helpers import record_outcome, refer, today

#: The applicant's name: a bulletin must never hold it.
CADRE_NAME = "王二小"


@dataclass
class Referred:
    """A referred case and the people around it: its reviewer, its supervisor (who drafts), two leaders."""

    case_id: str
    receipt: str
    reviewer: Staff
    drafter: Staff
    leader: Staff
    other_leader: Staff


def referred_case(app: Flask, cadre: Cadre, staff, intake: Staff, concluded: bool = True) -> Referred:
    """Staff exist first (so the case is sealed to them as it moves); the case is verified, flagged and
    referred to 公安, which reports its 处理结果 (unless ``concluded`` is False)."""
    reviewer = staff("zhao.rev", "reviewer")
    drafter = staff("qian.sup", "supervisor")
    leader = staff("sun.lead", "leader")
    other_leader = staff("zhou.lead", "leader")
    receipt = cadre.receipt_of(cadre.file_clarification(real_name=CADRE_NAME))
    case_id = only_case_id(app)
    assert intake.accept(case_id, reviewer).status_code == 303
    assert reviewer.act(case_id, "verify").status_code == 303
    assert reviewer.act(case_id, "flag", flag="suspected_malicious").status_code == 303
    day = today(app)
    assert refer(drafter, case_id, referred_on=day.isoformat()).status_code == 303
    if concluded:
        with app.app_context():
            referral_id = db.session.scalar(db.select(Referral.id).where(Referral.case_id == case_id))
        assert record_outcome(drafter, case_id, referral_id, "handled", day, "行政拘留五日。").status_code == 303
    return Referred(case_id, receipt, reviewer, drafter, leader, other_leader)


def bulletin_form(**fields: str) -> dict[str, str]:
    return {
        "title": "ZM-BUL-TITLE 某镇一起诬告陷害案",
        "facts": "ZM-BUL-FACTS 检举人捏造事实，多次匿名举报某镇干部收受礼品，经核查失实。",
        "treatment": "ZM-BUL-TREAT 检举人受到党内警告处分。",
        "issued_on": "2026-11-30",
        **fields,
    }
