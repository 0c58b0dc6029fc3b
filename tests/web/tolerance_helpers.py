"""Helpers for 容错纠错 applications through HTTP (issue 10): filing and the decision page's forms."""

from __future__ import annotations

from flask import Flask

from portal.extensions import db
from portal.models import Case
from tests.conftest import Cadre, Staff

APPLICATION = {
    "filed_by": "self",
    "real_name": "李某某",
    "unit_name": "某县某镇人民政府",
    "post": "镇长",
    "rank": "section",
    "contact": "",
    "unit_contact": "",
    "matter": "Approved an emergency road repair before the tender finished.",
    "fault": "The repair cost 20,000 yuan more than the tender price.",
    "accountability": "pending",
    "accountability_detail": "",
    "distinctions": ["unprecedented"],
    "distinction_reason": "The road was closed by a landslide; no rule covered it yet.",
}


def file_application(cadre: Cadre, files=None, **fields):
    """File a fault-tolerance application as a cadre does; the receipt page comes back."""
    data = {**APPLICATION, **fields}
    if files:
        data["attachments"] = files
    return cadre.submit("/submit/fault-tolerance", data)


def propose(member: Staff, case_id: str, outcome: str = "reduced", reasons: str = "No private gain.", measures=""):
    page = f"/review/cases/{case_id}/decision"
    return member.post(page, {"outcome": outcome, "reasons": reasons, "measures": measures}, form_page=page)


def record_collective(
    member: Staff, case_id: str, approver: Staff, held_on: str, meeting: str = "县纪委常委会", result: str = "同意。"
):
    page = f"/review/cases/{case_id}/decision"
    data = {"held_on": held_on, "meeting": meeting, "result": result, "approver": str(approver.user_id)}
    return member.post(f"{page}/collective", data, form_page=page)


def record_measure(member: Staff, case_id: str, index: int, done_on: str, note: str = "Done."):
    page = f"/review/cases/{case_id}"
    data = {"index": str(index), "done_on": done_on, "note": note}
    return member.post(f"{page}/decision/measure", data, form_page=page)


def state_of(app: Flask, case_id: str) -> str:
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case is not None
        return case.state
