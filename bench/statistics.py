"""The statistics page at 1,000,000 cases on PostgreSQL: median and p99 through the Flask test client.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/zm_bench .venv/bin/python -m bench.statistics
    ... -m bench.statistics --reuse --rounds 50    # time again on the rows of an earlier run

Seeds the city of ``bench.queue_scale`` (150 bodies in 10 counties, 500 staff, a million cases filed
over the last year, states by age), then gives the cases the milestones the engine would have
written (accepted, refused, concluded, carried out; working days as a spread; deadlines met or not)
in one UPDATE, and VACUUM ANALYZE. "Today" is moved to the first of next month (so this month is
complete and the release covers the seeded year). A leader of the first county's commission
(15 bodies in scope) signs in; the page is fetched for this year:

- the release built and stored (``statistics release``'s work: count + protect + store), timed;
- its stored size (compressed JSON) and the time one worker takes to read and decode it;
- the page, stored release (every worker's memo emptied first: read + decode + the times' SQL);
- the page, memo hit (what every later view costs), and each chart and the XLSX export.

Prints median and p99 (ms) of each, and EXPLAIN (ANALYZE, BUFFERS) of the slowest count query.
Figures only; asserts nothing. Drops and rebuilds the schema of the database it is given.
"""

from __future__ import annotations

import argparse
import datetime
import os
import time

from flask_migrate import upgrade
from sqlalchemy import MetaData, text

from bench import queue_scale
from portal import create_app
from portal.extensions import db
from portal.models.statistics_release import StatisticsRelease
from portal.services import case_state, statistics
from tests.conftest import Staff


def add_milestones() -> None:
    """The milestones the engine's steps would have written, by each case's state (one UPDATE)."""
    t = time.perf_counter()
    db.session.execute(
        text(
            """
            UPDATE cases SET
              accepted_on = CASE WHEN state NOT IN ('submitted', 'not_accepted') THEN accept_due - (abs(hashtext(id)) % 9) END,
              refused_on = CASE WHEN state = 'not_accepted' THEN accept_due - (abs(hashtext(id)) % 9) END,
              days_to_accept = CASE WHEN state <> 'submitted' THEN 7 - (abs(hashtext(id)) % 9) + 2 END,
              accept_met = CASE WHEN state <> 'submitted' THEN abs(hashtext(id)) % 10 <> 0 END,
              concluded_on = CASE WHEN state IN ('answered', 'closed') THEN answered_on
                                  WHEN state IN ('found_false', 'substantiated', 'plan_approved', 'carried_out')
                                  THEN accept_due + 50 END,
              days_to_conclude = CASE WHEN state IN ('answered', 'closed', 'found_false', 'substantiated',
                                                     'plan_approved', 'carried_out') THEN 10 + abs(hashtext(id)) % 60 END,
              conclude_met = CASE WHEN state IN ('answered', 'closed', 'found_false', 'substantiated',
                                                 'plan_approved', 'carried_out') THEN abs(hashtext(id)) % 7 <> 0 END,
              finding = CASE WHEN state IN ('found_false', 'plan_approved', 'carried_out') THEN 'found_false'
                             WHEN state = 'substantiated' THEN 'substantiated' END,
              carried_out_on = CASE WHEN state = 'carried_out' THEN carry_out_due - 1 END,
              days_to_carry_out = CASE WHEN state = 'carried_out' THEN 1 + abs(hashtext(id)) % 8 END,
              carry_out_met = CASE WHEN state = 'carried_out' THEN abs(hashtext(id)) % 8 < 5 END
            """
        )
    )
    db.session.commit()
    print(f"milestones in {time.perf_counter() - t:.0f} s; VACUUM ANALYZE ...", flush=True)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE cases")


def ms(fn, rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return sorted(out)


def report(name: str, samples: list[float]) -> None:
    median = samples[len(samples) // 2]
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
    print(f"{name:<28} median {median:8.1f} ms   p99 {p99:8.1f} ms   ({len(samples)} runs)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--cold-rounds", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="keep the rows of an earlier run")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgresql"):
        raise SystemExit("DATABASE_URL=postgresql+psycopg://... : this bench is about PostgreSQL")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url}, config_name="testing")
    with app.app_context():
        if not args.reuse:
            existing = MetaData()
            existing.reflect(db.engine)
            existing.drop_all(db.engine)
            upgrade()
            # queue_scale's INSERT predates issue 10's plain columns: give them their model defaults here
            for column, default in (("origin", "'applied'"), ("real_name", "false"), ("feedback_given", "false")):
                db.session.execute(text(f"ALTER TABLE cases ALTER COLUMN {column} SET DEFAULT {default}"))
            db.session.commit()
            queue_scale.seed()
            add_milestones()
    with app.app_context():
        real = case_state.today()
    first_of_next = datetime.date(real.year + (real.month == 12), real.month % 12 + 1, 1)
    case_state.today = lambda: first_of_next  # type: ignore[assignment]  # this month complete
    year = real.year
    through = statistics.release_through(year)
    assert through is not None
    leader = Staff(app, f"bench.leader.{int(time.time())}", "leader", body_id=1)  # a new one each run
    assert leader.login().status_code == 303
    page = f"/review/statistics?year={year}"

    def get(path: str) -> None:
        response = leader.get(path)
        assert response.status_code == 200, response.status_code

    with app.app_context():
        t = time.perf_counter()
        statistics.count_atoms(year, through)
        print(f"the SQL counts alone: {(time.perf_counter() - t) * 1000:.0f} ms", flush=True)
        t = time.perf_counter()
        lat = statistics.store_release(year, through, rebuild=True)
        print(f"release {year} through {through}: built and stored in {(time.perf_counter() - t) * 1000:.0f} ms; "
              f"suppressed cells: {sum(len(p.marks) for p in lat.measures.values())} "
              f"of {sum(len(p.values) for p in lat.measures.values())} non-zero")  # fmt: skip
        row = db.session.scalar(db.select(StatisticsRelease).where(StatisticsRelease.year == year))
        assert row is not None
        print(f"stored release: {len(row.lattices) / 1024:.0f} KiB compressed JSON", flush=True)
        report("read + decode the release", ms(lambda: statistics.decode(row.lattices, row.built_at), args.cold_rounds))
        plan = db.session.execute(
            text(
                "EXPLAIN (ANALYZE, BUFFERS) SELECT body_id, extract(month from concluded_on), "
                "coalesce(category, kind), count(*) FROM cases WHERE concluded_on >= :a AND concluded_on <= :b "
                "GROUP BY 1, 2, 3"
            ),
            {"a": f"{year}-01-01", "b": through.isoformat()},
        ).scalars()
        print("\n".join(plan))

    def stored() -> None:
        statistics.clear_memo()  # a worker that has not read the release yet
        get(page)

    report("page, stored release (no memo)", ms(stored, args.cold_rounds))
    get(page)
    report("page, memo hit", ms(lambda: get(page), args.rounds))
    report("trend.svg, memo hit", ms(lambda: get(f"/review/statistics/trend.svg?year={year}"), args.rounds))
    report("categories.svg, memo hit", ms(lambda: get(f"/review/statistics/categories.svg?year={year}"), args.rounds))
    report("statistics.xlsx, memo hit", ms(lambda: get(f"/review/statistics.xlsx?year={year}"), args.rounds))


if __name__ == "__main__":
    main()
