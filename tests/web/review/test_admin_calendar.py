"""The admin's accounts page says when next year's holidays are not in the calendar yet."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from portal.domain import holiday_notices, working_days
from portal.services import case_state

WARNING = "are not in the portal's calendar"


@pytest.fixture
def admin(staff):
    member = staff("calendar.admin", "admin")
    member.client.set_cookie("zm_lang", "en")
    return member


@pytest.fixture(autouse=True)
def no_notices_after():
    yield
    working_days.use_notices({})


def _page(admin, monkeypatch, today: dt.date) -> str:
    monkeypatch.setattr(case_state, "today", lambda: today)
    response = admin.client.get("/admin")
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def test_from_november_a_missing_next_year_is_shown_to_the_admin(admin, monkeypatch):
    page = _page(admin, monkeypatch, dt.date(2026, 11, 15))
    assert f"The holidays of 2027 {WARNING}" in page
    assert "ZM_HOLIDAY_NOTICES_FILE" in page


def test_before_november_nothing_is_said_of_next_year(admin, monkeypatch):
    assert WARNING not in _page(admin, monkeypatch, dt.date(2026, 6, 1))


def test_once_the_notice_is_written_down_the_warning_goes(admin, monkeypatch):
    working_days.use_notices(holiday_notices.parse('[2027]\nholidays = ["2027-01-01"]\n'))
    assert WARNING not in _page(admin, monkeypatch, dt.date(2026, 12, 1))


def test_a_year_already_running_without_a_calendar_is_shown_at_any_time(admin, monkeypatch):
    page = _page(admin, monkeypatch, dt.date(2027, 3, 1))
    assert f"The holidays of 2027 {WARNING}" in page
    assert "2028" not in page


def test_the_warning_reads_in_chinese_by_default(admin, monkeypatch):
    admin.client.delete_cookie("zm_lang")
    page = _page(admin, monkeypatch, dt.date(2026, 12, 1))
    assert "本系统日历尚无2027年法定节假日安排" in page
