"""The shipped systemd units are ones systemd accepts, and every scheduled job has its timer."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

UNITS = Path(__file__).resolve().parent.parent / "deploy" / "systemd"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_every_unit_but_for_the_install_path_missing_here(tmp_path):
    files = sorted(UNITS.glob("*.service")) + sorted(UNITS.glob("*.timer"))
    for unit in files:
        shutil.copy(unit, tmp_path / unit.name)
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *(str(tmp_path / u.name) for u in files)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    complaints = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if line.strip() and "/srv/zhengming/.venv/bin/" not in line  # the virtualenv of a real install
    ]
    assert complaints == []


def test_each_scheduled_job_has_a_timer_that_starts_it():
    jobs = {u.stem for u in UNITS.glob("*.service") if "Type=oneshot" in u.read_text()}
    timers = {u.stem for u in UNITS.glob("*.timer")}
    assert jobs == timers and {"zhengming-audit-verify", "zhengming-purge"} <= jobs
