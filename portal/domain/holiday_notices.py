"""The State Council's holiday notices, as an operator writes them down for a year the
``chinese_calendar`` package does not know yet.

Every December the State Council publishes next year's 放假安排 (holidays and the weekend
days worked in exchange, 调休). Until a new release of the package carries it, deadlines in
that year would count Monday to Friday only. The operator copies the notice into a TOML file
(``ZM_HOLIDAY_NOTICES_FILE``), one table per year::

    [2027]
    # 国务院办公厅关于2027年部分节假日安排的通知
    holidays = ["2027-01-01", "2027-02-06..2027-02-12"]
    workdays = ["2027-02-14"]

``holidays`` are days off that would otherwise be worked (a range ``a..b`` includes both ends;
weekend days inside a range are allowed and change nothing); ``workdays`` are weekend days
worked instead. A year written here is taken from the file, whole: the file is the operator's
word and wins over the package, so a wrong package entry can be corrected too.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

#: A range longer than this is a typo (the longest Chinese holiday is eight or nine days).
MAX_RANGE_DAYS = 15


class NoticeError(ValueError):
    """The notices file cannot be trusted; the message says where."""


@dataclass(frozen=True)
class YearNotice:
    """One year's days off and make-up working days."""

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays


def _day(text: object, year: int) -> date:
    if not isinstance(text, str):
        raise NoticeError(f"[{year}]: {text!r} is not a date written as YYYY-MM-DD")
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise NoticeError(f"[{year}]: {text!r} is not a date written as YYYY-MM-DD") from None
    if day.year != year:
        raise NoticeError(f"[{year}]: {day.isoformat()} is not in {year}")
    return day


def _days(entries: object, year: int, field: str) -> set[date]:
    if not isinstance(entries, list):
        raise NoticeError(f"[{year}] {field} must be a list of dates")
    days: set[date] = set()
    for entry in entries:
        if isinstance(entry, str) and ".." in entry:
            first_text, last_text = entry.split("..", 1)
            first, last = _day(first_text, year), _day(last_text, year)
            if last < first or (last - first).days >= MAX_RANGE_DAYS:
                raise NoticeError(f"[{year}] {field}: {entry!r} is not a range of up to {MAX_RANGE_DAYS} days")
            days.update(first + timedelta(days=i) for i in range((last - first).days + 1))
        else:
            days.add(_day(entry, year))
    return days


def year_notice(year: int, holidays: Iterable[date], workdays: Iterable[date]) -> YearNotice:
    """A checked notice: make-up days are weekend days, and no day is both off and worked."""
    off, worked = frozenset(holidays), frozenset(workdays)
    if both := sorted(off & worked):
        raise NoticeError(f"[{year}]: {both[0].isoformat()} is both a holiday and a working day")
    if weekday := sorted(d for d in worked if d.weekday() < 5):
        raise NoticeError(f"[{year}] workdays: {weekday[0].isoformat()} is a weekday, worked anyway")
    return YearNotice(year, off, worked)


def parse(text: str) -> dict[int, YearNotice]:
    """Read a notices file; any doubt is an error, never a silent guess."""
    try:
        tables = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise NoticeError(f"not TOML: {exc}") from None
    notices: dict[int, YearNotice] = {}
    for key, table in tables.items():
        if not (key.isdigit() and len(key) == 4):
            raise NoticeError(f"[{key}] is not a year")
        year = int(key)
        if not isinstance(table, Mapping):
            raise NoticeError(f"[{year}] must be a table with holidays and workdays")
        if unknown := sorted(set(table) - {"holidays", "workdays"}):
            raise NoticeError(f"[{year}]: unknown key {unknown[0]!r} (holidays, workdays)")
        if "holidays" not in table:
            raise NoticeError(f"[{year}] has no holidays: copy the whole notice")
        notices[year] = year_notice(
            year, _days(table["holidays"], year, "holidays"), _days(table.get("workdays", []), year, "workdays")
        )
    return notices


def _ranges(days: Iterable[date], bridged: frozenset[date] = frozenset()) -> list[str]:
    """Consecutive days as ``a..b`` ranges, single days alone; a gap made only of ``bridged``
    days (weekend days off) joins two runs, as the notices write 10月1日至7日."""
    runs: list[list[date]] = []
    for day in sorted(days):
        if runs:
            gap = [runs[-1][-1] + timedelta(days=i) for i in range(1, (day - runs[-1][-1]).days)]
            if all(d in bridged for d in gap):
                runs[-1].append(day)
                continue
        runs.append([day])
    return [run[0].isoformat() if len(run) == 1 else f"{run[0].isoformat()}..{run[-1].isoformat()}" for run in runs]


def to_toml(notice: YearNotice, comment: str = "") -> str:
    """The notice written as the file takes it; read back, it counts the same working days."""

    def quoted(items: list[str]) -> str:
        return "[" + ", ".join(f'"{item}"' for item in items) + "]"

    lines = [f"[{notice.year}]"]
    if comment:
        lines.append(f"# {comment}")
    start = date(notice.year, 1, 1)
    year = (start + timedelta(days=i) for i in range(366))
    weekend_off = frozenset(d for d in year if d.year == notice.year and d.weekday() >= 5 and d not in notice.workdays)
    lines.append(f"holidays = {quoted(_ranges(notice.holidays, weekend_off))}")
    lines.append(f"workdays = {quoted(_ranges(notice.workdays))}")
    return "\n".join(lines) + "\n"
