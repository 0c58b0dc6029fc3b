"""ZM_HOLIDAY_NOTICES_FILE at start-up, and `flask calendar` that says which calendar counts a year."""

from __future__ import annotations

from datetime import date

import pytest

from portal import create_app
from portal.domain import working_days
from portal.domain.working_days import Source

NOTICE = '[2027]\nholidays = ["2027-01-01", "2027-02-05..2027-02-11"]\nworkdays = ["2027-02-13"]\n'


@pytest.fixture(autouse=True)
def no_notices_after():
    yield
    working_days.use_notices({})


def _app(tmp_path, notices_file: str | None):
    overrides = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/db.sqlite3"}
    if notices_file is not None:
        overrides["HOLIDAY_NOTICES_FILE"] = notices_file
    return create_app(overrides, config_name="testing")


def test_the_file_named_in_the_setting_counts_its_years(tmp_path):
    path = tmp_path / "notices.toml"
    path.write_text(NOTICE, encoding="utf-8")
    _app(tmp_path, str(path))
    assert working_days.source(2027) is Source.NOTICE
    assert working_days.add_working_days(date(2027, 2, 4), 1) == date(2027, 2, 12)


def test_the_environment_names_the_file(tmp_path, monkeypatch):
    path = tmp_path / "notices.toml"
    path.write_text(NOTICE, encoding="utf-8")
    monkeypatch.setenv("ZM_HOLIDAY_NOTICES_FILE", str(path))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/db.sqlite3"}, config_name="testing")
    assert app.config["HOLIDAY_NOTICES_FILE"] == str(path)
    assert working_days.source(2027) is Source.NOTICE


def test_an_app_without_the_setting_removes_an_earlier_one(tmp_path):
    path = tmp_path / "notices.toml"
    path.write_text(NOTICE, encoding="utf-8")
    _app(tmp_path, str(path))
    _app(tmp_path, None)
    assert working_days.source(2027) is Source.WEEKDAYS


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "HOLIDAY_NOTICES_FILE cannot be read"),
        ('[2027]\nholidays = ["2027-02-30"]\n', "is not a holiday notice file: \\[2027\\]: '2027-02-30' is not a date"),
    ],
)
def test_a_missing_or_wrong_file_stops_the_start(tmp_path, content, words):
    path = tmp_path / "notices.toml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(RuntimeError, match=words):
        _app(tmp_path, str(path))


def test_the_calendar_command_says_which_calendar_counts_each_year(tmp_path):
    app = _app(tmp_path, None)
    result = app.test_cli_runner().invoke(args=["calendar", "--years", "2"])
    this_year = date.today().year
    assert f"{this_year}:" in result.output and f"{this_year + 1}:" in result.output
    if working_days.source(this_year + 1) is Source.WEEKDAYS:
        assert result.exit_code == 1 and "HOLIDAY_NOTICES_FILE" in result.output
    path = tmp_path / "notices.toml"
    path.write_text(NOTICE, encoding="utf-8")
    app = _app(tmp_path, str(path))
    result = app.test_cli_runner().invoke(args=["calendar", "--years", "1"])
    assert result.exit_code == 0, result.output


def test_the_calendar_command_writes_a_year_the_package_knows_in_the_file_format(tmp_path):
    app = _app(tmp_path, None)
    result = app.test_cli_runner().invoke(args=["calendar", "--write", "2026"])
    assert result.exit_code == 0
    assert result.output.startswith("[2026]\nholidays = [")
    assert "2026-10-01..2026-10-07" in result.output
    result = app.test_cli_runner().invoke(args=["calendar", "--write", "2099"])
    assert result.exit_code != 0 and "no data for 2099" in result.output


def test_the_shipped_example_file_parses(tmp_path):
    from pathlib import Path

    example = Path(__file__).resolve().parent.parent / "deploy" / "holiday-notices.example.toml"
    _app(tmp_path, str(example))
    assert working_days.source(2026) is Source.NOTICE
