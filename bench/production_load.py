"""The issue's 200 concurrent submissions through nginx and two gunicorn instances; prints figures.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/zm_bench \\
        .venv/bin/python -m bench.production_load [--submissions 200] [--threads 16] [--workers 2]

The deployment of tests/production (the shipped nginx site file, gunicorn.conf.py,
Redis limits, the testing Argon2 profile) on the PostgreSQL database given, whose
schema it rebuilds: use a database of its own. Each cadre files a concern with
a photo, confirms the receipt, comes back with it in another browser and
replies; a reviewer loads the queue the whole time. Asserts nothing.
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance")
    parser.add_argument("--shared-pool", action="store_true", help="staff on the cadres' instances (no staff pool)")
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
        deployment = deploy(Path(folder), database_url, workers=args.workers, staff_pool=not args.shared_pool)
        d = next(deployment)
        try:
            reviewer = d.browser()
            reviewer.sign_in(d.reviewer, d.reviewer_totp)
            staff_pages: list[float] = []
            done = threading.Event()

            def staff() -> None:
                while not done.is_set():
                    started = time.perf_counter()
                    reviewer.get("/review")
                    staff_pages.append(time.perf_counter() - started)

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
        finally:
            deployment.close()


if __name__ == "__main__":
    main()
