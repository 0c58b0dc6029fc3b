"""Helpers for the 诬告陷害 ledger's tests: refer an accusation, record its outcomes and reminders."""

from __future__ import annotations

import datetime as dt

from portal.services import case_state


def today(app) -> dt.date:
    """Today in China, as the portal counts it."""
    with app.app_context():
        return case_state.today()


def page_of(case_id: str) -> str:
    return f"/review/cases/{case_id}/referrals"


def refer(member, case_id: str, **fields):
    """A supervisor refers the accusation from the case's accusation page."""
    data = {
        "target": "police",
        "body_name": "某县公安局",
        "reference": "县纪移〔2026〕3号",
        "referred_on": "",
        **fields,
    }
    return member.post(page_of(case_id), data)


def record_outcome(member, case_id: str, referral_id: str, outcome: str, on: dt.date, text: str = ""):
    data = {"referral_id": referral_id, "outcome": outcome, "on": on.isoformat(), "text": text}
    return member.post(f"{page_of(case_id)}/outcome", data, form_page=page_of(case_id))


def educate(member, case_id: str, given_on: dt.date, note: str, form: str = "talk"):
    data = {"form": form, "given_on": given_on.isoformat(), "note": note}
    return member.post(f"/review/cases/{case_id}/reminder", data, form_page=page_of(case_id))
