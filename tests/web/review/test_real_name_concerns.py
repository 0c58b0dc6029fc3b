"""Issue 10 through HTTP: a real-name concern (实名反映) whose two clocks run and go overdue across
Chinese holidays (劳动节 and 端午 2026; the installed calendar has no data for 2027), shown to the
submitter and standing out in the queues; and the anonymous form still stores no name."""

from __future__ import annotations

import datetime as dt

from portal.extensions import db
from portal.models import Case
from portal.services import case_state
from portal.services import intake as filing
from tests.conftest import only_case_id
from tests.web.test_confidentiality import every_stored_value

NAME = "ZM-REALNAME-张实名"
UNIT = "ZM-REALNAME-UNIT-某镇政府"
CONTACT = "ZM-REALNAME-CONTACT-13800000000"
RESULT = "ZM-RESULT-告知：三个检查组已合并为一个。"


def _case(app, case_id: str) -> Case:
    with app.app_context():
        case = db.session.get(Case, case_id)
        db.session.expunge(case)
        return case


def _clock(monkeypatch, app, filed: dt.datetime, today: dt.date) -> list[dt.date]:
    """File at ``filed`` (UTC) and let "today" in China be the list's one day, moved by the test."""
    day = [today]
    monkeypatch.setattr(filing, "this_hour", lambda: filed)
    monkeypatch.setattr(case_state, "today", lambda: day[0])
    return day


def test_a_real_name_concern_is_told_late_twice_across_holidays_and_it_shows(app, cadre, intake, staff, monkeypatch):
    # Acceptance itself may take longer here, so the queue runs against the clock to tell the submitter.
    monkeypatch.setitem(app.config, "DEADLINE_ACCEPT_WORKING_DAYS", 30)
    reviewer = staff("shi.rev", "reviewer")
    day = _clock(monkeypatch, app, dt.datetime(2026, 4, 23, 2), dt.date(2026, 4, 23))
    receipt = cadre.receipt_of(
        cadre.file_concern(identity="real_name", real_name=NAME, unit_name=UNIT, contact=CONTACT)
    )
    case_id = only_case_id(app)
    case = _case(app, case_id)
    # 15 working days from Thursday 23 April: 劳动节 (1-5 May) skipped, Saturday 9 May worked.
    assert case.real_name and case.tell_accept_due == dt.date(2026, 5, 18) == case.due_on

    cadre.follow_up(receipt)
    page = cadre.client.get("/followup/status").get_data(as_text=True)
    assert "告知是否受理：应于2026年5月18日前告知。" in page and "尚未告知。" in page
    assert NAME in page  # the submitter reads back what they sent
    queue = intake.get("/review?queue=all").get_data(as_text=True)
    assert "实名·优先办理" in queue and case_id[:8] in queue
    assert case_id[:8] not in intake.get("/review?queue=overdue").get_data(as_text=True)

    day[0] = dt.date(2026, 5, 19)  # the day after: overdue, and it stands out
    overdue = intake.get("/review?queue=overdue").get_data(as_text=True)
    assert case_id[:8] in overdue and "告知实名反映人是否受理" in overdue and "overdue-row" in overdue
    assert "已逾期，尚未告知。" in cadre.client.get("/followup/status").get_data(as_text=True)
    case_page = intake.get(f"/review/cases/{case_id}").get_data(as_text=True)
    assert "实名反映：优先办理" in case_page and all(v in case_page for v in (NAME, UNIT, CONTACT))

    assert intake.accept(case_id, reviewer).status_code == 303
    page = cadre.client.get("/followup/status").get_data(as_text=True)
    assert "已于2026年5月19日告知。" in page and "（逾期）" in page
    assert reviewer.act(case_id, "start").status_code == 303
    assert reviewer.act(case_id, "answer", reason="The inspections are merged.").status_code == 303

    day[0] = dt.date(2026, 6, 8)  # the objection period (15 days from 19 May) is over
    assert reviewer.act(case_id, "close").status_code == 303
    case = _case(app, case_id)
    # 15 working days from Monday 8 June: 端午 (19 June) skipped; 15 weekdays would give 29 June.
    assert case.state == "closed" and case.tell_result_due == dt.date(2026, 6, 30) == case.due_on
    page = cadre.client.get("/followup/status").get_data(as_text=True)
    assert "告知办理结果：应于2026年6月30日前告知。" in page
    assert "将于2026年6月30日前告知您办理结果" in page

    day[0] = dt.date(2026, 7, 1)
    overdue = reviewer.get("/review?queue=overdue").get_data(as_text=True)
    assert case_id[:8] in overdue and "告知实名反映人办理结果" in overdue
    assert reviewer.act(case_id, "tell_result", reason="").status_code == 400  # the text is what they read
    assert reviewer.act(case_id, "tell_result", reason=RESULT).status_code == 303
    page = cadre.client.get("/followup/status").get_data(as_text=True)
    assert RESULT in page and "已于2026年7月1日告知。" in page and "已逾期" not in page
    assert case_id[:8] not in reviewer.get("/review?queue=overdue").get_data(as_text=True)
    assert reviewer.act(case_id, "tell_result", reason="Once more.").status_code == 409  # once
    assert _case(app, case_id).due_on is None

    stored = every_stored_value(app)
    for secret in (NAME, UNIT, CONTACT, RESULT):
        assert not any(secret.encode() in blob for blob in stored), secret


def test_the_anonymous_form_stores_no_name_even_when_one_was_typed(app, cadre, intake):
    typed = ("ZM-NOT-STORED-李不存", "ZM-NOT-STORED-UNIT", "ZM-NOT-STORED-CONTACT")
    receipt = cadre.receipt_of(
        cadre.file_concern(identity="anonymous", real_name=typed[0], unit_name=typed[1], contact=typed[2])
    )
    case_id = only_case_id(app)
    case = _case(app, case_id)
    assert not case.real_name and case.tell_accept_due is None
    # The pages show every field stored in the submission: none of the typed identity is there.
    cadre.follow_up(receipt)
    for page in (intake.get(f"/review/cases/{case_id}"), cadre.client.get("/followup/status")):
        html = page.get_data(as_text=True)
        assert "Too many inspections" in html and not any(t in html for t in typed)
    assert "实名·优先办理" not in intake.get("/review?queue=all").get_data(as_text=True)


def test_a_real_name_concern_without_a_contact_is_refused_and_nothing_is_filed(app, cadre, intake):
    response = cadre.file_concern(identity="real_name", real_name="王某", unit_name="某镇", contact="")
    assert response.status_code == 400
    assert "实名反映须填写此项。" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Case)) == 0
    forged = cadre.file_concern(identity="named-by-a-forger", real_name="王某", unit_name="某镇", contact="1")
    assert forged.status_code == 400
