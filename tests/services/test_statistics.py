"""h11s1/h11r: the statistics are counted in SQL, event-dated, protected, and released monthly."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import threading
import zlib

import pytest
from click.testing import CliRunner

from portal.domain import disclosure
from portal.extensions import db
from portal.models import AuditEntry, Body, Case
from portal.models.statistics_release import StatisticsRelease
from portal.services import bodies, case_state, statistics
from tests.factories import gen_case


def _workers():
    from tests.factories import gen_worker

    return {
        "reviewer": gen_worker("st.rev", "reviewer"),
        "supervisor": gen_worker("st.sup", "supervisor"),
        "intake": gen_worker("st.int", "intake"),
    }


def next_month(day: dt.date) -> dt.date:
    """The first of the month after ``day``: the day this month's events are first released."""
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def release_after_today(monkeypatch) -> int:
    """Move "today" to the first of next month, so this month is complete; the year it releases."""
    real = case_state.today()
    monkeypatch.setattr(case_state, "today", lambda: next_month(real))
    statistics.clear_memo()
    return real.year


def test_counts_of_a_year_by_kind_and_category(app, monkeypatch):
    with app.app_context():
        w = _workers()
        for _ in range(6):
            gen_case("concern", "answered", **w)
        gen_case("clarification", "found_false", **w)
        year = release_after_today(monkeypatch)
        lat = statistics.lattice(year)
        root = lat.bodies.root
        received = lat.measures["received"]
        assert received.value((root, "Y", "all")) == 7
        assert received.text((root, "Y", "clarification")) == "<5"
        # all − concern would give the clarification away: the concern count is its complement
        assert received.text((root, "Y", "concern")) == "—"
        assert received.value((root, "Y", "concern")) == 6
        assert lat.measures["concluded"].value((root, "Y", "finding:found_false")) == 1
        assert lat.measures["accepted"].value((root, "Y", "workload")) == 6
        assert statistics.lattice(year) is lat  # this worker's memo
        assert db.session.scalar(db.select(db.func.count()).select_from(StatisticsRelease)) == 1


def test_the_stored_release_round_trips_through_json(app, monkeypatch):
    with app.app_context():
        w = _workers()
        for _ in range(6):
            gen_case("concern", "answered", **w)
        bodies.create("邻县纪委监委", "邻纪", "commission", "county")  # two top bodies: the root is "all"
        db.session.commit()
        year = release_after_today(monkeypatch)
        built = statistics.build(year, statistics.release_through(year))
        assert built.bodies.root == "all"
        blob = statistics.encode(built)
        assert blob[:1] == b"x"  # zlib, not a pickle
        back = statistics.decode(blob, built.built_at)
        assert back.parents == built.parents and back.through == built.through
        for name, p in built.measures.items():
            assert dict(back.measures[name].values) == dict(p.values), name
            assert dict(back.measures[name].marks) == dict(p.marks), name
        assert back.times == built.times and built.times is not None
        assert sum(sum(h.cases) for h in built.times["to_accept"].values()) == 6


def test_events_after_the_release_day_are_not_counted():
    """The cut: a release through yesterday's month end does not see today's cases."""
    # pure on dates: the last complete month, and past years through December
    assert statistics.release_through(2026, dt.date(2026, 12, 1)) == dt.date(2026, 11, 30)
    assert statistics.release_through(2026, dt.date(2026, 3, 31)) == dt.date(2026, 2, 28)
    assert statistics.release_through(2025, dt.date(2026, 12, 1)) == dt.date(2025, 12, 31)
    assert statistics.release_through(2026, dt.date(2026, 1, 20)) is None
    assert statistics.release_through(2027, dt.date(2026, 12, 1)) is None


def test_a_count_made_after_the_release_changes_nothing_until_the_next_release(app, monkeypatch):
    with app.app_context():
        w = _workers()
        for _ in range(6):
            gen_case("concern", "answered", **w)
        real = case_state.today()
        year = real.year
        if real.month == 1 and real.day == 1:
            pytest.skip("no day before today in this year")
        # a release through yesterday (as a release would be if this month had ended yesterday)
        yesterday = real - dt.timedelta(days=1)
        before = statistics.build(year, yesterday).measures["received"]
        assert before.value((before.trees[0].root, "Y", "all")) == 0  # today's cases are after its day
        release_after_today(monkeypatch)
        first = statistics.lattice(year)
        root = (first.bodies.root, "Y", "all")
        shown = {n: (dict(p.values), dict(p.marks)) for n, p in first.measures.items()}
        gen_case("concern", "answered", **w)  # one more, after the release was stored
        statistics.clear_memo()  # another worker: it reads the stored release
        again = statistics.lattice(year)
        assert {n: (dict(p.values), dict(p.marks)) for n, p in again.measures.items()} == shown
        assert again.measures["received"].value(root) == 6
        # the next month's release counts it (its events are of the month before it)
        later = next_month(next_month(real))
        monkeypatch.setattr(case_state, "today", lambda: later)
        statistics.clear_memo()
        if later.year == year:
            assert statistics.lattice(year).measures["received"].value(root) == 7
        else:  # December: "today" moved to 1 January released the year through 31 December already,
            assert statistics.release_through(year) == first.through  # and a stored release is never rebuilt
            assert statistics.lattice(year).measures["received"].value(root) == 6


def test_january_has_no_release_of_its_year(app, monkeypatch):
    with app.app_context():
        monkeypatch.setattr(case_state, "today", lambda: dt.date(2027, 1, 15))
        statistics.clear_memo()
        assert statistics.release(2027) is None
        with pytest.raises(statistics.NoRelease):
            statistics.view(bodies.default_id(), 2027, None, None)
        assert statistics.release(2026) is not None  # last year, through December


def _release_in_thread(app, year: int, start: threading.Barrier, out: list) -> None:
    with app.app_context():
        start.wait(30)
        lat = statistics.release(year)
        assert lat is not None
        out.append(statistics.encode(lat))


def test_concurrent_first_requests_store_one_release(app, monkeypatch):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite runs one transaction at a time: nothing to race")
        w = _workers()
        for _ in range(6):
            gen_case("concern", "answered", **w)
        year = release_after_today(monkeypatch)
    start = threading.Barrier(2)
    out: list[bytes] = []
    threads = [threading.Thread(target=_release_in_thread, args=(app, year, start, out)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(out) == 2 and out[0] == out[1]
    with app.app_context():
        rows = db.session.scalars(db.select(StatisticsRelease)).all()
        assert len(rows) == 1 and statistics.decode(rows[0].lattices, rows[0].built_at)
        assert statistics.encode(statistics.decode(rows[0].lattices, rows[0].built_at)) == out[0]


def test_the_cli_builds_the_release_once_and_rebuilds_on_request(app, monkeypatch):
    with app.app_context():
        year = release_after_today(monkeypatch)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["statistics", "release", "--year", str(year)])
    assert first.exit_code == 0, first.output
    assert f"{year} through" in first.output and "built in" in first.output
    second = runner.invoke(args=["statistics", "release", "--year", str(year)])
    assert "already stored" in second.output
    third = runner.invoke(args=["statistics", "release", "--year", str(year), "--rebuild"])
    assert third.exit_code == 0 and "rebuilt in" in third.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(StatisticsRelease)) == 1
        actions = db.session.scalars(db.select(AuditEntry.action).where(AuditEntry.action == "statistics_rebuild"))
        assert list(actions) == ["statistics_rebuild"]
    monkeypatch.setattr(case_state, "today", lambda: dt.date(2027, 1, 10))
    january = runner.invoke(args=["statistics", "release"])
    assert "2027: no complete month yet" in january.output and "2026 through 2026-12-31" in january.output
    assert isinstance(runner, CliRunner)


def test_the_python_percentiles_are_postgresql_percentile_cont():
    assert statistics.percentile([1, 2, 3, 4], 0.5) == 2.5
    assert statistics.percentile([0, 10], 0.9) == 9.0
    assert statistics.percentile([7], 0.9) == 7.0


def test_times_agree_between_sql_and_python(app):
    with app.app_context():
        w = _workers()
        for _ in range(5):
            gen_case("concern", "answered", **w)
        ids = bodies.subtree_ids(bodies.default_id())
        year = case_state.today().year
        sql = statistics.times("to_accept", ids, year, None)
        py = statistics.times("to_accept", ids, year, None, python=True)
        assert sql == py and sql.shown and sql.median == 0 and sql.met_share == 1.0
        few = statistics.times("to_carry_out", ids, year, None)
        assert not few.shown and few.median is None
        cut = statistics.times("to_accept", ids, year, None, through=case_state.today() - dt.timedelta(days=1))
        assert cut.n == 0  # accepted today: after a release through yesterday


def test_random_durations_agree_between_sql_and_python():
    rng = random.Random(3)
    for _ in range(50):
        values = [rng.randint(0, 40) for _ in range(rng.randint(1, 30))]
        assert statistics.percentile(values, 0.5) == statistics.percentile(sorted(values, reverse=True), 0.5)


def test_histogram_percentiles_are_the_percentiles_of_the_values_they_count():
    rng = random.Random(7)
    for _ in range(300):
        values = [rng.randint(0, 60) for _ in range(rng.randint(1, 40))]
        counts: dict[int, int] = {}
        for value in values:
            counts[value] = counts.get(value, 0) + 1
        for fraction in (0.5, 0.9):
            assert statistics.histogram_percentile(counts, fraction) == statistics.percentile(values, fraction)
    with pytest.raises(ValueError):
        statistics.histogram_percentile({}, 0.5)


def _some_day(rng: random.Random, year: int) -> dt.date | None:
    """Mostly a day of the year; now and then none, or one of the years either side (never counted)."""
    roll = rng.random()
    if roll < 0.1:
        return None
    year = year + (roll < 0.15) - (0.15 <= roll < 0.2)
    return dt.date(year, rng.randint(1, 12), rng.randint(1, 28))


def _spread(year: int, body_ids: list[int], rng: random.Random) -> None:
    """Rewrite every case's body and milestone columns at random (as steps over a year would leave
    them), so the times have many bodies, months, durations and unknown deadlines to get right."""
    for case in db.session.scalars(db.select(Case)):
        case.body_id = rng.choice(body_ids)
        day = _some_day(rng, year)
        refused = rng.random() < 0.25
        case.accepted_on, case.refused_on = (None, day) if refused else (day, None)
        case.concluded_on, case.carried_out_on = _some_day(rng, year), _some_day(rng, year)
        for days, met in (
            ("days_to_accept", "accept_met"),
            ("days_to_conclude", "conclude_met"),
            ("days_to_carry_out", "carry_out_met"),
        ):
            setattr(case, days, rng.choice([None, *range(0, 9), 15, 30]))
            setattr(case, met, rng.choice([None, True, True, False]))
    db.session.commit()


def test_the_release_times_are_the_live_times_of_every_scope_and_period(app):
    """The histograms give exactly what ``times`` computes live (percentile_cont on PostgreSQL)
    over the same cases: each body's subtree, the year and each quarter, cut at the release day."""
    with app.app_context():
        w = _workers()
        for _ in range(40):
            gen_case("concern", "submitted", **w)
        top = bodies.default_id()
        assert top is not None
        middle = bodies.create("测试乡纪委", "乡纪", "commission", "township", parent_id=top)
        low = bodies.create("测试村监察工作站", "村站", "commission", "township", parent_id=middle)
        other = bodies.create("邻县纪委监委", "邻纪", "commission", "county")
        db.session.commit()
        year = case_state.today().year - 1  # a past year: its every month is released
        _spread(year, [top, top, middle, middle, low, other], random.Random(11))
        tree = disclosure.body_tree({b: p for b, p in db.session.execute(db.select(Body.id, Body.parent_id))})
        shown = 0
        for through in (dt.date(year, 8, 31), dt.date(year, 12, 31)):
            # the histograms a build stores (not the whole build: protecting counts this scattered is slow)
            stored = statistics.Lattice(year, tree, {}, {}, through, times=statistics.count_histograms(year, through))
            for body in (top, middle, low, other):
                scope = bodies.subtree_ids(body)
                for quarter in (None, 1, 2, 3, 4):
                    for name in statistics.TIMES:
                        live = statistics.times(name, scope, year, quarter, through=through)
                        assert statistics.release_times(name, scope, stored, quarter) == live, (
                            through,
                            body,
                            quarter,
                            name,
                        )
                        shown += live.shown and live.met_share is not None
        assert shown >= 10  # enough shown medians and shares to have compared something


def test_a_transfer_after_the_release_changes_no_time_until_the_next_release(app, monkeypatch):
    with app.app_context():
        w = _workers()
        made = [gen_case("concern", "answered", **w) for _ in range(5)]
        top = bodies.default_id()
        assert top is not None
        other = bodies.create("邻县纪委监委", "邻纪", "commission", "county")
        db.session.commit()
        real = case_state.today()
        year = release_after_today(monkeypatch)
        first = dict(statistics.view(top, year, None, None).times)
        assert first["to_accept"].n == 5 and first["to_accept"].shown
        # a transfer (转办) moves a case to the other county's body after the release was stored
        db.session.execute(db.update(Case).where(Case.id == made[0].case_id).values(body_id=other))
        db.session.commit()
        scope = bodies.subtree_ids(top)
        assert statistics.times("to_accept", scope, year, None, through=statistics.release_through(year)).n == 4
        statistics.clear_memo()  # another worker: it reads the stored release
        assert dict(statistics.view(top, year, None, None).times) == first
        later = next_month(next_month(real))
        if later.year == year:  # the next month's release sees the case where it is now
            monkeypatch.setattr(case_state, "today", lambda: later)
        else:  # December: the year's last release is out; an operator's rebuild stands for the next one
            statistics.store_release(year, statistics.release_through(year) or real, rebuild=True)
        statistics.clear_memo()
        after = dict(statistics.view(top, year, None, None).times)
        assert after["to_accept"].n == 4 and not after["to_accept"].shown


def test_a_release_stored_before_the_histograms_is_still_read_with_live_times(app, monkeypatch):
    """Format 1 (already in deployments) has no histograms: its counts are read, its times live."""
    with app.app_context():
        w = _workers()
        for _ in range(5):
            gen_case("concern", "answered", **w)
        year = release_after_today(monkeypatch)
        through = statistics.release_through(year)
        assert through is not None
        built = statistics.build(year, through)
        old = statistics.encode(dataclasses.replace(built, times=None))
        assert b'"times"' not in zlib_text(old) and b'"format":1' in zlib_text(old)
        db.session.add(StatisticsRelease(year=year, through=through, built_at=built.built_at, lattices=old))
        db.session.commit()
        statistics.clear_memo()
        lat = statistics.lattice(year)
        assert lat.times is None
        assert lat.measures["received"].value((lat.bodies.root, "Y", "all")) == 5
        scope = bodies.subtree_ids(bodies.default_id() or 0)
        spans = dict(statistics.view(bodies.default_id() or 0, year, None, None).times)
        assert spans["to_accept"] == statistics.times("to_accept", scope, year, None, through=through)
        assert spans["to_accept"].shown and spans["to_accept"] == statistics.release_times(
            "to_accept", scope, built, None
        )
        unknown = zlib.compress(zlib.decompress(old).replace(b'"format":1', b'"format":3'))
        with pytest.raises(ValueError):
            statistics.decode(unknown, built.built_at)


def zlib_text(blob: bytes) -> bytes:
    return zlib.decompress(blob)
