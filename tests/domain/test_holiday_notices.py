"""An operator's copy of the State Council's notice counts a year chinesecalendar lacks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import chinese_calendar
import pytest

from portal.domain import holiday_notices, working_days
from portal.domain.holiday_notices import NoticeError, parse, to_toml
from portal.domain.working_days import Source, add_working_days, is_working_day

#: A year the package (1.11) does not know, written as an operator would (dates invented for the test).
NOTICE_2027 = """
[2027]
# 国务院办公厅关于2027年部分节假日安排的通知 (test data)
holidays = ["2027-01-01", "2027-02-05..2027-02-11", "2027-10-01..2027-10-07"]
workdays = ["2027-02-13", "2027-10-09"]
"""


@pytest.fixture
def notices() -> Iterator[None]:
    working_days.use_notices(parse(NOTICE_2027))
    yield
    working_days.use_notices({})


def test_the_package_does_not_know_2027_so_weekdays_would_count():
    assert working_days.source(2027) is Source.WEEKDAYS
    assert working_days.source(2026) is Source.PACKAGE
    assert is_working_day(date(2027, 2, 8))  # a Monday in the invented festival, without the notice


def test_a_notice_makes_the_spring_festival_days_off_and_the_make_up_saturday_worked(notices):
    assert working_days.source(2027) is Source.NOTICE
    assert not is_working_day(date(2027, 1, 1))  # Friday, New Year
    assert not any(is_working_day(date(2027, 2, 5) + timedelta(days=i)) for i in range(7))
    assert date(2027, 2, 13).weekday() == 5 and is_working_day(date(2027, 2, 13))
    assert not is_working_day(date(2027, 2, 14))  # the Sunday after stays off
    # Thu 4 Feb + 1: the festival (5-11) and the weekend are skipped, to Fri 12 Feb.
    assert add_working_days(date(2027, 2, 4), 1) == date(2027, 2, 12)
    # Fri 12 Feb + 1: the make-up Saturday the 13th counts.
    assert add_working_days(date(2027, 2, 12), 1) == date(2027, 2, 13)


def test_a_deadline_running_from_december_into_the_new_year_crosses_the_notice(notices):
    # Mon 28 Dec 2026 + 7 working days: 29, 30, 31 Dec (3), 1 Jan off, 4-7 Jan (7).
    assert add_working_days(date(2026, 12, 28), 7) == date(2027, 1, 7)


def test_the_notice_wins_over_the_package_for_a_year_both_know():
    working_days.use_notices(parse('[2026]\nholidays = ["2026-03-02"]\n'))
    try:
        assert working_days.source(2026) is Source.NOTICE
        assert not is_working_day(date(2026, 3, 2))
        assert is_working_day(date(2026, 10, 1))  # the file is taken whole: its 2026 has no National Day
    finally:
        working_days.use_notices({})
    assert not is_working_day(date(2026, 10, 1))


def test_the_package_year_written_as_a_notice_reads_back_to_the_same_working_days():
    text = to_toml(working_days.package_notice(2026))
    notice = parse(text)[2026]
    day = date(2026, 1, 1)
    while day.year == 2026:
        assert notice.is_working_day(day) == bool(chinese_calendar.is_workday(day)), day
        day += timedelta(days=1)
    assert '"2026-10-01..2026-10-07"' in text  # the weekend inside the holiday joins the range


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[2027\nholidays = []", "not TOML"),
        ('[27]\nholidays = ["2027-01-01"]', "is not a year"),
        ("[2027]\nworkdays = []", "has no holidays"),
        ('[2027]\nholidays = ["2027-13-01"]', "is not a date"),
        ('[2027]\nholidays = ["2028-01-01"]', "is not in 2027"),
        ('[2027]\nholidays = ["2027-02-11..2027-02-05"]', "is not a range"),
        ('[2027]\nholidays = ["2027-01-01..2027-03-01"]', "is not a range"),
        ('[2027]\nholidays = ["2027-02-13"]\nworkdays = ["2027-02-13"]', "both a holiday and a working day"),
        ('[2027]\nholidays = []\nworkdays = ["2027-02-08"]', "is a weekday"),
        ('[2027]\nholidays = []\nholiday = ["2027-02-08"]', "unknown key"),
        ("[2027]\nholidays = 3", "must be a list"),
        ('2027 = "x"', "must be a table"),
    ],
)
def test_a_file_in_doubt_is_refused_with_the_place_named(text, words):
    with pytest.raises(NoticeError, match=words):
        holiday_notices.parse(text)
