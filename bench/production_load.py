"""The issue's 200 concurrent submissions through nginx and two gunicorn instances; prints figures.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/zm_bench \\
        .venv/bin/python -m bench.production_load [--submissions 200] [--threads 16] [--workers 2]

The deployment of tests/production (the shipped nginx site file, gunicorn.conf.py,
Redis limits, the testing Argon2 profile) on the PostgreSQL database given, whose
schema it rebuilds: use a database of its own. Each cadre files a concern with
a photo, confirms the receipt, comes back with it in another browser and
replies; a staff member loads the queue the whole time. Asserts nothing.

Besides the throughput it prints what the issue asks of the benchmark: the time from
starting the deployment to every instance answering, each worker's resident memory idle
and at its busiest during the flood, and the overhead ratio: the Argon2id derivations the
flood really did per second (two a cadre: the filing's receipt and the follow-up's) against
what bare derivations of the same profile reach on as many processes as the deployment has
workers. A ratio near 1 means the derivations are the cost; far below 1, everything else is.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def _rss_kib(pid: int) -> int:
    """A process's resident memory (VmRSS), 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


#: Argon2id (memory KiB, passes, lanes): the deployment test's, and config.py's production cost.
TEST_ARGON2 = (8, 1, 1)
PRODUCTION_ARGON2 = (65536, 3, 4)


def _derive(job: tuple[int, tuple[int, int, int]]) -> int:
    from portal.domain import receipts
    from portal.domain.crypto import Argon2Profile

    n, cost = job
    for i in range(n):
        receipts.derive(f"{i:016d}", b"bench pepper", Argon2Profile(*cost))
    return n


def _bare_derivations_per_second(processes: int, total: int, cost: tuple[int, int, int]) -> float:
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(processes) as pool:
        list(pool.map(_derive, [(1, cost)] * processes))  # the interpreters are up before the clock starts
        started = time.perf_counter()
        done = sum(pool.map(_derive, [(max(1, total // processes), cost)] * processes))
        return done / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance")
    parser.add_argument("--shared-pool", action="store_true", help="staff on the cadres' instances (no staff pool)")
    parser.add_argument(
        "--production-argon2",
        action="store_true",
        help="receipts derived at the production cost (config.py) instead of the deployment test's",
    )
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgresql"):
        raise SystemExit("set DATABASE_URL=postgresql+psycopg://... (a database of its own: its schema is rebuilt)")

    from tests.conftest import make_app, reset_schema
    from tests.factories import gen_png
    from tests.production.conftest import deploy

    reset_schema(make_app(database_url))
    photo = gen_png(640, 480, "teal")
    with tempfile.TemporaryDirectory() as folder:
        cost = PRODUCTION_ARGON2 if args.production_argon2 else TEST_ARGON2
        argon2 = {
            f"ZM_ARGON2_{name}": str(value)
            for name, value in zip(("MEMORY_KIB", "ITERATIONS", "LANES"), cost, strict=True)
        }
        deployment = deploy(Path(folder), database_url, workers=args.workers, staff_pool=not args.shared_pool, **argon2)
        up_started = time.perf_counter()
        d = next(deployment)
        up = time.perf_counter() - up_started
        try:
            pids = [pid for instance in d.instances for pid in instance.workers()]
            idle = {pid: _rss_kib(pid) for pid in pids}
            busiest = dict(idle)
            reviewer = d.browser()
            reviewer.sign_in(d.reviewer, d.reviewer_totp)
            staff_pages: list[float] = []
            done = threading.Event()

            def staff() -> None:
                while not done.is_set():
                    started = time.perf_counter()
                    reviewer.get("/review")
                    staff_pages.append(time.perf_counter() - started)
                    for pid in pids:
                        busiest[pid] = max(busiest[pid], _rss_kib(pid))

            def cadre(n: int) -> float:
                started = time.perf_counter()
                receipt = d.browser().file_concern(f"ZM-BENCH-{n:04d}", [("photo.png", photo)])
                filed = time.perf_counter() - started
                if receipt:
                    later = d.browser()
                    later.follow_up(receipt)
                    later.reply(f"More for ZM-BENCH-{n:04d}")
                return filed

            watcher = threading.Thread(target=staff)
            started = time.perf_counter()
            watcher.start()
            with ThreadPoolExecutor(args.threads) as pool:
                filing = list(pool.map(cadre, range(args.submissions)))
            elapsed = time.perf_counter() - started
            done.set()
            watcher.join(120)
            errors = d.record.server_errors()
            statuses: dict[int, int] = {}
            for _path, status, _up in d.record.answers:
                statuses[status] = statuses.get(status, 0) + 1
            print(
                f"{args.submissions} cadres ({args.threads} at once), 2 instances x {args.workers} workers, nginx TLS,"
                f" staff {'on the same instances' if args.shared_pool else 'on a pool of their own'}:"
            )
            print(
                f"  wall {elapsed:.1f} s: {args.submissions / elapsed:.2f} cadres/s (file + receipt + follow-up + reply)"
            )
            print(
                f"  filing (form, post, receipt page, confirm): median {statistics.median(filing):.2f} s,"
                f" max {max(filing):.2f} s"
            )
            if staff_pages:
                staff_pages.sort()
                print(
                    f"  staff queue page during the flood: {len(staff_pages)} pages, median"
                    f" {statistics.median(staff_pages):.2f} s, p95 {staff_pages[int(len(staff_pages) * 0.95)]:.2f} s"
                )
            print(f"  answers by status: {dict(sorted(statuses.items()))}; 5xx: {len(errors)}")
            print(f"  start to every instance answering (schema prepared, nginx and instances started): {up:.1f} s")
            mib = lambda kib: kib / 1024  # noqa: E731
            print(
                f"  worker resident memory ({len(pids)} workers): idle median {mib(statistics.median(idle.values())):.0f}"
                f" MiB (max {mib(max(idle.values())):.0f}), busiest median {mib(statistics.median(busiest.values())):.0f}"
                f" MiB (max {mib(max(busiest.values())):.0f})"
            )
            real = 2 * args.submissions / elapsed
            bare = _bare_derivations_per_second(len(pids), 2000 if cost == TEST_ARGON2 else 4 * len(pids), cost)
            print(
                f"  overhead ratio: {real:.1f} derivations/s in the flood against {bare:.0f}/s bare on"
                f" {len(pids)} processes = {real / bare:.4f}"
            )
        finally:
            deployment.close()


if __name__ == "__main__":
    main()
