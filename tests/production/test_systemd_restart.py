"""A killed gunicorn master comes back by itself: the shipped units under a real systemd.

Both pools' units (deploy/systemd/zhengming-public.service and zhengming-staff.service) run in a
systemd booted in its own namespaces (tests/production/systemd_box.py). The test kills each
master with SIGKILL and checks that systemd starts it again (Restart=always), that no worker of
the dead master is left serving (KillMode=mixed ends the rest of the unit before the new start),
and that the other pool kept answering meanwhile. Skipped on SQLite and where systemd cannot be
booted, unless ZM_REQUIRE_SYSTEMD=1 (set by .ci/run) makes that a failure.
"""

from __future__ import annotations

import os
import time
import urllib.request

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import _finish, _prepare, make_app
from tests.production import harness, systemd_box
from tests.production.conftest import REDIS_URL, _redis_up

pytestmark = pytest.mark.production

PUBLIC, STAFF = "zhengming-public.service", "zhengming-staff.service"


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


def _until(condition, seconds: float, what) -> None:
    """Wait for ``condition``; on time out fail with ``what()`` (read then, not before)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(what())


@pytest.fixture
def box(schema, tmp_path):
    if make_url(schema).get_backend_name() != "postgresql":
        pytest.skip("the systemd test runs production's configuration, which needs PostgreSQL")
    reason = systemd_box.unavailable() or (None if _redis_up(REDIS_URL) else "no Redis at " + REDIS_URL)
    if reason:
        if os.environ.get("ZM_REQUIRE_SYSTEMD") == "1":
            pytest.fail(reason + " (ZM_REQUIRE_SYSTEMD=1)")
        pytest.skip(reason)
    app = make_app(schema, RATELIMIT_STORAGE_URI=REDIS_URL)
    _prepare(app)
    env = harness.instance_environment(schema, REDIS_URL, "https://localhost")
    settings = ("SECRET_KEY", "RECEIPT_PEPPER", "DATABASE_URL", "RATELIMIT_STORAGE_URI")
    app_env = {k: v for k, v in env.items() if k.startswith("ZM_") or k in settings}  # the unit's env file
    ports = {PUBLIC: harness.free_port(), STAFF: harness.free_port()}
    box = systemd_box.SystemdBox(tmp_path, ports, app_env)
    try:
        box.boot()
        for unit, port in ports.items():
            _until(
                lambda port=port: _answers(port), 120, lambda unit=unit: f"{unit} never answered: {box.journal(unit)}"
            )
        yield box
    finally:
        box.shutdown()
        _finish(app)


def _kill_the_master_of(box, unit: str, other: str) -> None:
    port, other_port = box.units[unit], box.units[other]
    master, restarts = box.main_pid(unit), int(box.show(unit, "NRestarts"))
    old = {pid for pid, _ in box.processes(unit)}
    assert master in old and len(old) == 3, box.processes(unit)  # the master and its two workers
    other_master = box.main_pid(other)

    box.run("kill", "-KILL", str(master))
    other_answered = []

    def back() -> bool:
        other_answered.append(_answers(other_port))
        return box.main_pid(unit) not in (0, master) and _answers(port)

    _until(back, 60, lambda: f"{unit} did not come back: {box.journal(unit)}")
    assert int(box.show(unit, "NRestarts")) == restarts + 1
    assert box.show(unit, "ActiveState") == "active"
    new_master = box.main_pid(unit)
    processes = box.processes(unit)
    assert not old & {pid for pid, _ in processes}, "a process of the killed master is still in the unit"
    assert all(pid == new_master or parent == new_master for pid, parent in processes), processes
    # The other pool was not touched and kept serving while this one restarted.
    assert box.main_pid(other) == other_master and all(other_answered)


def test_a_killed_master_is_started_again_and_leaves_no_worker_behind(box):
    _kill_the_master_of(box, PUBLIC, STAFF)
    _kill_the_master_of(box, STAFF, PUBLIC)
