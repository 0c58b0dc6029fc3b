"""What `import wsgi` costs: wall time of a fresh interpreter, and the heaviest imports.

    .venv/bin/python -m bench.startup [--runs 5] [--top 15] [--root DIR]

--root measures another checkout with this interpreter (for a before/after figure:
`git archive <commit> | tar -x -C /tmp/before`, then `--root /tmp/before`).

Each run is a new process (`python -X importtime -c "import wsgi"`) with throw-away secrets
and the embedded default; the figures are printed, never asserted (the machine is shared).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(importtime: bool, root: Path = ROOT) -> tuple[float, str, float]:
    """(wall seconds, -X importtime report, CPU seconds of the child)."""
    env = {
        **os.environ,
        "SECRET_KEY": "bench-secret-key",
        "RECEIPT_PEPPER": "bench-pepper",
        "ZM_CONFIG": "default",
    }
    command = [sys.executable, *(["-X", "importtime"] if importtime else []), "-c", "import wsgi"]
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return wall, done.stderr, cpu


def heaviest(report: str, top: int) -> list[tuple[int, str]]:
    """(cumulative µs, module) of the imports a few levels under wsgi, heaviest first."""
    rows = []
    for line in report.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _self, cumulative, name = line.removeprefix("import time:").split("|", 2)
        if not cumulative.strip().isdigit():
            continue
        depth = (len(name) - len(name.lstrip(" "))) // 2
        if 1 <= depth <= 4:
            rows.append((int(cumulative), "  " * (depth - 1) + name.strip()))
    return sorted(rows, reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose wsgi.py is imported")
    args = parser.parse_args()
    runs = [_run(False, args.root) for _ in range(args.runs)]
    walls, cpus = [r[0] for r in runs], [r[2] for r in runs]
    print(
        f"{args.root}: import wsgi, {args.runs} fresh processes: wall median {statistics.median(walls):.2f} s"
        f" (best {min(walls):.2f} s), CPU median {statistics.median(cpus):.2f} s (best {min(cpus):.2f} s)"
    )
    _wall, report, _cpu = _run(True, args.root)
    loaded = {line.rsplit("|", 1)[-1].strip() for line in report.splitlines() if "|" in line}
    for lazy in ("alembic", "flask_migrate", "pypdf", "PIL", "bleach", "segno"):
        print(f"  {lazy:<14} {'imported' if lazy in loaded else 'not imported'} at start-up")
    print("heaviest imports (cumulative ms, from -X importtime):")
    for cumulative, name in heaviest(report, args.top):
        print(f"  {cumulative / 1000:8.1f}  {name}")


if __name__ == "__main__":
    main()
