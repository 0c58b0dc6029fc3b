"""A plan names its modes of clarification (书面, 当面, 会议, 公告); plans stored before the rename
named them "forms" and still read."""

from __future__ import annotations

import datetime as dt

from portal.domain.cases import ClarificationMode, Filing
from portal.domain.plan import Plan, make_plan


def test_a_plan_round_trips_its_modes_and_reads_the_older_key():
    plan = make_plan(["meeting"], "The township meeting.", "王某某", None)
    assert plan.modes == (ClarificationMode.WRITTEN, ClarificationMode.MEETING)  # written always, first
    stored = plan.to_json()
    assert "modes" in stored and "forms" not in stored
    assert Plan.from_json(stored) == plan
    older = {**stored, "forms": stored["modes"]}
    del older["modes"]
    assert Plan.from_json(older).modes == plan.modes
    done = plan.with_done(ClarificationMode.WRITTEN, "Letter sent.").with_done(ClarificationMode.MEETING, "3 Dec.")
    assert not done.all_done and not plan.all_done  # the filings of the plan are steps too (issue 10)
    day = dt.date(2026, 12, 1)
    filed = done.with_filing(Filing.INTEGRITY_FILE, day, "廉档〔2026〕3号", day)
    filed = filed.with_filing(Filing.PERSONNEL, day, "抄〔2026〕4号", day)
    assert filed.all_done and Plan.from_json(filed.to_json()) == filed
