"""Issue 10's cases, set up through the test client for the browser tests' phone and axe walks.

Each builder takes the people it needs (so the axe module's one world can reuse the staff it
already made) and returns the receipt and ids its pages need. They only call the HTTP helpers
of tests/web (tolerance, own motion, referrals, bulletins, aftercare), as the HTTP tests do.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask

from portal.extensions import db
from portal.models import Case, Referral
from portal.services import case_state
from tests.conftest import Cadre, Staff
from tests.web.aftercare_helpers import record_filings
from tests.web.bulletin_helpers import bulletin_form
from tests.web.own_motion_helpers import open_own_motion, receipt_on
from tests.web.referral_helpers import record_outcome, refer
from tests.web.review.test_authorization_matrix import fresh_form_token
from tests.web.review.test_clarification_plan import NOTICE, submitter_post
from tests.web.tolerance_helpers import (  # noqa: F401 - APPLICATION and state_of for the browser tests
    APPLICATION,
    file_application,
    propose,
    record_collective,
    record_measure,
    state_of,
)

REASONS = "紧急抢修，无谋取私利：减轻责任。"
MEASURES = "退还超出的费用\n修订应急采购规定"
REAL_NAME = "张实名"


@dataclass
class People:
    """The desks issue 10's steps need: intake, a reviewer, a supervisor (who drafts and refers), a leader."""

    intake: Staff
    reviewer: Staff
    supervisor: Staff
    leader: Staff


def people(staff: Callable[..., Staff], known: dict[str, Staff] | None = None, supervisor: str = "qian.sup") -> People:
    """The four desks, made with ``staff`` unless ``known`` (by username) has them already."""
    known = known or {}

    def get(username: str, role: str) -> Staff:
        return known.get(username) or staff(username, role)

    return People(
        intake=get("xin.fang", "intake"),
        reviewer=get("zhao.rev", "reviewer"),
        supervisor=get(supervisor, "supervisor"),
        leader=get("sun.lead", "leader"),
    )


def _newest(app: Flask, before: set[str]) -> str:
    with app.app_context():
        (case_id,) = [c for c in db.session.scalars(db.select(Case.id)) if c not in before]
        return case_id


def _ids(app: Flask) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(db.select(Case.id)))


def _today(app: Flask) -> str:
    with app.app_context():
        return case_state.today().isoformat()


def tolerance(app: Flask, cadre: Cadre, p: People, upto: str = "decided") -> tuple[str, str]:
    """A 容错纠错 application taken to ``upto`` (verifying, decision_proposed, collectively_decided,
    decided: one of its two measures done); returns (receipt, case_id)."""
    before = _ids(app)
    receipt = cadre.receipt_of(file_application(cadre))
    case_id = _newest(app, before)
    day = _today(app)
    assert p.intake.accept(case_id, p.reviewer).status_code == 303
    assert p.reviewer.act(case_id, "verify").status_code == 303
    if upto == "verifying":
        return receipt, case_id
    assert propose(p.reviewer, case_id, "reduced", REASONS, MEASURES).status_code == 303
    if upto == "decision_proposed":
        return receipt, case_id
    assert record_collective(p.reviewer, case_id, p.leader, day).status_code == 303
    if upto == "collectively_decided":
        return receipt, case_id
    assert p.leader.act(case_id, "approve_decision", reason=REASONS).status_code == 303
    assert record_measure(p.reviewer, case_id, 0, day, "已全额退还。").status_code == 303
    return receipt, case_id


def real_name_concern(app: Flask, cadre: Cadre, p: People) -> tuple[str, str]:
    """A real-name concern, accepted (so one clock is told and the other runs); (receipt, case_id)."""
    before = _ids(app)
    filed = cadre.file_concern(
        identity="real_name", real_name=REAL_NAME, unit_name="某镇人民政府", contact="13800000000"
    )
    receipt = cadre.receipt_of(filed)
    case_id = _newest(app, before)
    assert p.intake.accept(case_id, p.reviewer).status_code == 303
    return receipt, case_id


def own_motion(app: Flask, p: People) -> tuple[str, str]:
    """A clarification opened on the body's own motion and its finding approved; (receipt, case_id)."""
    before = _ids(app)
    answer = open_own_motion(p.reviewer, p.supervisor)
    assert answer.status_code == 200
    case_id = _newest(app, before)
    assert p.supervisor.act(case_id, "approve_finding", reason="经核查，所列事项失实。").status_code == 303
    return receipt_on(answer), case_id


def _found_false(app: Flask, cadre: Cadre, p: People, **fields: str) -> tuple[str, str]:
    before = _ids(app)
    receipt = cadre.receipt_of(cadre.file_clarification(**fields))
    case_id = _newest(app, before)
    assert p.intake.accept(case_id, p.reviewer).status_code == 303
    assert p.reviewer.act(case_id, "verify").status_code == 303
    p.reviewer.act(case_id, "propose_finding", finding="found_false", reason="Accounts and witnesses.")
    assert p.supervisor.act(case_id, "approve_finding", reason="经核查，反映问题失实。").status_code == 303
    return receipt, case_id


def plan_approved(app: Flask, cadre: Cadre, p: People, carried_out: bool = False) -> tuple[str, str]:
    """A clarification whose plan is approved and its modes done: the filings wait (or, carried out,
    the 回访 is due and the applicant may give feedback); (receipt, case_id)."""
    receipt, case_id = _found_false(app, cadre, p)
    page = f"/review/cases/{case_id}"
    assert p.reviewer.post(f"{page}/plan", NOTICE).status_code == 303
    cadre.follow_up(receipt)
    assert submitter_post(cadre, "/followup/consent").status_code == 303
    assert p.supervisor.act(case_id, "approve_plan").status_code == 303
    for mode, record in (("written", "已书面告知本人。"), ("meeting", "已在镇干部大会上说明。")):
        done = p.reviewer.post(f"{page}/plan/done", {"mode": mode, "record": record}, form_page=page)
        assert done.status_code == 303
    if carried_out:
        record_filings(p.reviewer, case_id)
        carried = p.reviewer.act(case_id, "carry_out")
        assert carried.status_code == 303, re.findall(
            r'<p class="error[^>]*>(.*?)</p>|<li>(.*?)</li>', carried.get_data(as_text=True)
        )
    return receipt, case_id


def referred(app: Flask, cadre: Cadre, p: People, concluded: bool = True) -> str:
    """A clarification flagged 涉嫌诬告陷害 and referred to 公安 (with its 处理结果 if ``concluded``)."""
    before = _ids(app)
    cadre.receipt_of(cadre.file_clarification())
    case_id = _newest(app, before)
    assert p.intake.accept(case_id, p.reviewer).status_code == 303
    assert p.reviewer.act(case_id, "verify").status_code == 303
    assert p.reviewer.act(case_id, "flag", flag="suspected_malicious").status_code == 303
    with app.app_context():
        day = case_state.today()
    assert refer(p.supervisor, case_id, referred_on=day.isoformat()).status_code == 303
    if concluded:
        with app.app_context():
            referral_id = db.session.scalar(db.select(Referral.id).where(Referral.case_id == case_id))
        assert record_outcome(p.supervisor, case_id, referral_id, "handled", day, "行政拘留五日。").status_code == 303
    return case_id


def bulletin_submitted(app: Flask, cadre: Cadre, p: People) -> str:
    """A referred case whose 典型案例通报 draft waits for the leader's approval; its case_id."""
    case_id = referred(app, cadre, p)
    page = f"/review/cases/{case_id}/bulletin"
    assert p.supervisor.post(page, {**bulletin_form(), "approver": str(p.leader.user_id)}).status_code == 303
    return case_id


def bulletin_published(app: Flask, cadre: Cadre, p: People) -> tuple[str, int]:
    """A 典型案例通报 drafted, approved by the named leader and public; (case_id, bulletin_id)."""
    case_id = bulletin_submitted(app, cadre, p)
    page = f"/review/cases/{case_id}/bulletin"
    approved = p.leader.post(f"{page}/approve", {"form_token": fresh_form_token(app)}, form_page=page)
    assert approved.status_code == 303
    bulletin_id = int(approved.headers["Location"].rsplit("/", 2)[-2])
    return case_id, bulletin_id
