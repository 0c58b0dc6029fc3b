"""Working-day deadlines follow the Chinese calendar, and degrade to weekdays with one warning."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import chinese_calendar
import pytest

from portal.domain import working_days
from portal.domain.working_days import add_days, add_working_days, is_working_day

SAT, SUN = 5, 6


@pytest.fixture
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if no fallback warning had been logged yet in this process."""
    monkeypatch.setattr(working_days, "_warned", False)


def test_spring_festival_2025_facts_as_chinese_calendar_knows_them():
    holiday = [date(2025, 1, 28) + timedelta(days=i) for i in range(8)]
    assert holiday[-1] == date(2025, 2, 4)
    assert not any(chinese_calendar.is_workday(d) for d in holiday)
    assert date(2025, 1, 26).weekday() == SUN and chinese_calendar.is_workday(date(2025, 1, 26))
    assert date(2025, 2, 8).weekday() == SAT and chinese_calendar.is_workday(date(2025, 2, 8))


def test_national_day_2025_facts_as_chinese_calendar_knows_them():
    holiday = [date(2025, 10, 1) + timedelta(days=i) for i in range(8)]
    assert not any(chinese_calendar.is_workday(d) for d in holiday)
    # The make-up day before National Day 2025 is a Sunday (28 September), not a Saturday.
    assert date(2025, 9, 28).weekday() == SUN and chinese_calendar.is_workday(date(2025, 9, 28))
    assert date(2025, 10, 11).weekday() == SAT and chinese_calendar.is_workday(date(2025, 10, 11))


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Mon 20 Jan: 21-24 (4), Sun 26 make-up (5), Mon 27 (6), holiday to 4 Feb, Wed 5 Feb (7).
        (date(2025, 1, 20), 7, date(2025, 2, 5)),
        # Fri 24 Jan: the make-up Sunday counts, the Saturday before it does not.
        (date(2025, 1, 24), 1, date(2025, 1, 26)),
        # Mon 27 Jan: the whole festival is skipped.
        (date(2025, 1, 27), 1, date(2025, 2, 5)),
        # Wed 5 Feb: 6, 7, Sat 8 make-up, Mon 10, Tue 11.
        (date(2025, 2, 5), 5, date(2025, 2, 11)),
        # Fri 26 Sep: Sun 28 make-up, 29, 30, holiday 1-8 Oct, Thu 9, Fri 10, Sat 11 make-up.
        (date(2025, 9, 26), 6, date(2025, 10, 11)),
        (date(2025, 9, 30), 1, date(2025, 10, 9)),
        # A plain week: Mon 10 Mar + 5 is the next Monday.
        (date(2025, 3, 10), 5, date(2025, 3, 17)),
        (date(2025, 3, 14), 1, date(2025, 3, 17)),
    ],
)
def test_add_working_days_across_holidays_and_make_up_days(start, n, expected):
    assert add_working_days(start, n) == expected


@pytest.mark.parametrize("start", [date(2025, 3, 10), date(2025, 3, 15), date(2025, 1, 30)])
def test_zero_working_days_is_the_start_itself_even_on_a_holiday(start):
    assert add_working_days(start, 0) == start


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2025, 3, 10), -1)


def test_is_working_day_knows_holidays_and_make_up_days():
    assert is_working_day(date(2025, 3, 10))
    assert not is_working_day(date(2025, 3, 15))
    assert not is_working_day(date(2025, 10, 1))
    assert is_working_day(date(2025, 10, 11))


def test_add_days_counts_every_calendar_day():
    assert add_days(date(2025, 1, 20), 90) == date(2025, 4, 20)
    assert add_days(date(2025, 9, 30), 15) == date(2025, 10, 15)


def test_unknown_year_counts_weekends_only_and_warns_once(fresh_process, caplog):
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2099, 1, 1))
    caplog.set_level(logging.WARNING, logger=working_days.__name__)
    # Thu 1 Jan 2099 (New Year would be a holiday if the calendar knew the year).
    assert date(2099, 1, 1).weekday() == 3
    assert is_working_day(date(2099, 1, 1))
    assert not is_working_day(date(2099, 1, 3))
    assert add_working_days(date(2099, 1, 1), 1) == date(2099, 1, 2)
    assert add_working_days(date(2099, 1, 2), 1) == date(2099, 1, 5)
    assert add_working_days(date(2099, 1, 1), 7) == date(2099, 1, 12)
    is_working_day(date(2098, 6, 1))
    warnings = [r for r in caplog.records if r.name == working_days.__name__]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING
    assert warnings[0].getMessage() == (
        "chinese_calendar has no data for 2099 and ZM_HOLIDAY_NOTICES_FILE does not cover it; counting weekends only"
    )


def test_known_years_log_nothing(fresh_process, caplog):
    caplog.set_level(logging.WARNING, logger=working_days.__name__)
    add_working_days(date(2025, 1, 20), 30)
    assert not [r for r in caplog.records if r.name == working_days.__name__]
