"""Cost of one receipt check under the production Argon2id profile; prints figures.

    .venv/bin/python -m bench.receipt_cost [--rounds N] [--workers W]

Measures the single slow step of `followup.sign_in` (normalise + derive) in one
process, then W processes at once, as gunicorn workers would run it.
"""

from __future__ import annotations

import argparse
import statistics
import time
from concurrent.futures import ProcessPoolExecutor

from config import ProductionConfig
from portal.domain import receipts
from portal.domain.crypto import Argon2Profile

PROFILE = Argon2Profile(
    ProductionConfig.ARGON2_MEMORY_KIB, ProductionConfig.ARGON2_ITERATIONS, ProductionConfig.ARGON2_LANES
)
PEPPER = b"bench-pepper-" + b"x" * 32


def one_check(_: int = 0) -> float:
    receipt = receipts.normalize(receipts.grouped(receipts.new_receipt()))
    start = time.perf_counter()
    receipts.derive(receipt, PEPPER, PROFILE)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    one_check()  # warm-up
    serial = [one_check() for _ in range(args.rounds)]
    print(f"profile: {PROFILE.memory_kib // 1024} MiB, {PROFILE.iterations} passes, {PROFILE.lanes} lanes")
    print(
        f"one check, serial: median {statistics.median(serial) * 1000:.0f} ms, "
        f"max {max(serial) * 1000:.0f} ms over {args.rounds}"
    )
    with ProcessPoolExecutor(args.workers) as pool:
        list(pool.map(one_check, range(args.workers)))
        start = time.perf_counter()
        parallel = list(pool.map(one_check, range(args.rounds)))
        wall = time.perf_counter() - start
    print(
        f"{args.workers} workers: median {statistics.median(parallel) * 1000:.0f} ms per check, "
        f"{args.rounds / wall:.1f} checks/s in all"
    )


if __name__ == "__main__":
    main()
