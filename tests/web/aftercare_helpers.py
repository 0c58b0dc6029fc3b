"""Issue 10 helpers: the filings of an approved plan and the 回访, through HTTP as staff do it."""

from __future__ import annotations

import datetime as dt

#: Document numbers a test can search a dump or a page for.
INTEGRITY_NUMBER = "ZM-FILING-廉档〔2026〕7号"
PERSONNEL_NUMBER = "ZM-FILING-组干〔2026〕8号"


def record_filings(worker, case_id: str, on: dt.date | None = None) -> None:
    """Record both filings (廉政档案, 组织人事部门) of the case's approved plan."""
    page = f"/review/cases/{case_id}"
    day = (on or dt.date.today() - dt.timedelta(days=1)).isoformat()
    for filing, number in (("integrity_file", INTEGRITY_NUMBER), ("personnel", PERSONNEL_NUMBER)):
        response = worker.post(
            f"{page}/plan/filing", {"filing": filing, "filed_on": day, "number": number}, form_page=page
        )
        assert response.status_code == 303, response.get_data(as_text=True)[:2000]
