"""A real systemd, as PID 1 of its own namespaces, running the shipped gunicorn units.

These machines run no systemd (PID 1 is the sandbox's own init), so the test boots one: `unshare`
gives it a PID, mount, UTS and IPC namespace, with a private /run and the test's unit folder over
/etc/systemd/system. The units are the shipped files unchanged; a drop-in beside each swaps only
what a test machine cannot give them (the /srv paths, the zhengming user, the ports, the worker
count) and fails loudly when a line it swaps is gone, so what runs is what ships: its Restart=,
KillMode= and its sandboxing.

systemd at boot would normally also run sysinit.target, whose systemd-tmpfiles-setup empties /tmp
on the shared filesystem (a mount namespace does not protect files): the target and the drop-ins
set DefaultDependencies=no, and every early-boot unit that writes outside the namespace (tmpfiles,
sysctl, sysusers, journald...) is masked as well.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.production import harness

SYSTEMD = next((p for p in ("/lib/systemd/systemd", "/usr/lib/systemd/systemd") if os.path.exists(p)), None)
UNITS = harness.ROOT / "deploy" / "systemd"
TARGET = "zm-test.target"

#: Early-boot units that would touch the machine outside the namespaces: masked (linked to /dev/null).
MASKED = (
    "systemd-tmpfiles-setup.service",
    "systemd-tmpfiles-setup-dev.service",
    "systemd-tmpfiles-clean.service",
    "systemd-tmpfiles-clean.timer",
    "systemd-sysctl.service",
    "systemd-sysusers.service",
    "systemd-remount-fs.service",
    "systemd-modules-load.service",
    "systemd-udevd.service",
    "systemd-binfmt.service",
    "systemd-firstboot.service",
    "systemd-random-seed.service",
    "systemd-machine-id-commit.service",
    "systemd-hwdb-update.service",
    "systemd-journal-flush.service",
    "systemd-update-utmp.service",
    "systemd-journald.service",
    "systemd-journald.socket",
    "systemd-journald-dev-log.socket",
    "ldconfig.service",
    "tmp.mount",
)

#: Run inside the new namespaces: a private /run, the test's units, then systemd as PID 1.
_BOOT = """set -e
mount -t tmpfs tmpfs /run
mkdir -p /run/systemd/system
mount --bind "$1" /etc/systemd/system
exec "$2" --system --unit=zm-test.target
"""


def unavailable() -> str | None:
    """Why this machine cannot boot the box, or None."""
    if os.geteuid() != 0:
        return "booting systemd in namespaces needs root"
    if SYSTEMD is None:
        return "systemd is not installed"
    for tool in ("unshare", "nsenter", "mount"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    return None


def _swap(text: str, pattern: str, name: str) -> re.Match[str]:
    found = re.search(pattern, text, re.M)
    if found is None:
        raise AssertionError(f"the shipped unit has no line matching {pattern!r} ({name}): update the test")
    return found


def drop_in(unit: str, port: int, workers: int, folder: Path) -> str:
    """The drop-in for a shipped gunicorn unit: the same command on this machine's paths and ports."""
    text = (UNITS / unit).read_text()
    command = _swap(text, r"^ExecStart=(\S+/\.venv/bin/gunicorn) (.*)$", unit)
    args = command.group(2)
    args, binds = re.subn(r"--bind 127\.0\.0\.1:\d+", f"--bind 127.0.0.1:{port}", args)
    args, counts = re.subn(r"--workers \d+", f"--workers {workers}", args)
    if binds != 1 or counts != 1:
        raise AssertionError(f"{unit}: ExecStart has no --bind 127.0.0.1:PORT or --workers N to swap")
    for line in (r"^User=zhengming$", r"^WorkingDirectory=/srv/zhengming$", r"^EnvironmentFile=\S+$"):
        _swap(text, line, unit)
    lines = [
        "[Unit]",
        "DefaultDependencies=no",
        "[Service]",
        "# No zhengming user on a test machine: the unit runs as root here.",
        "User=",
        "Group=",
        f"WorkingDirectory={harness.ROOT}",
        "EnvironmentFile=",
        f"EnvironmentFile={folder / 'env'}",
        "ExecStart=",
        f"ExecStart={harness.GUNICORN} {args}",
        f"StandardOutput=append:{folder / unit}.log",
        "StandardError=inherit",
    ]
    if any(Path(sys.base_prefix).is_relative_to(home) for home in ("/root", "/home", "/run/user")):
        lines.append("# The test machine's Python lives under a home directory; production's does not.")
        lines.append("ProtectHome=read-only")
    return "\n".join(lines) + "\n"


class SystemdBox:
    """systemd in its own namespaces with the shipped units (each on its own port) wanted at boot."""

    def __init__(self, folder: Path, units: dict[str, int], env: dict[str, str], workers: int = 2) -> None:
        self.folder, self.units = folder, units
        self.unit_dir = folder / "units"
        self.unit_dir.mkdir(parents=True)
        (folder / "env").write_text("".join(f"{k}={v}\n" for k, v in env.items()))
        for unit, port in units.items():
            shutil.copy(UNITS / unit, self.unit_dir / unit)
            (self.unit_dir / f"{unit}.d").mkdir()
            (self.unit_dir / f"{unit}.d" / "test.conf").write_text(drop_in(unit, port, workers, folder))
        wants = " ".join(units)
        (self.unit_dir / TARGET).write_text(
            f"[Unit]\nDescription=Zhengming test boot\nDefaultDependencies=no\nWants={wants}\n"
        )
        for unit in MASKED:
            (self.unit_dir / unit).symlink_to("/dev/null")
        self.log = folder / "systemd.log"
        self.process: subprocess.Popen | None = None
        self.pid1: int | None = None

    def boot(self, seconds: float = 30) -> None:
        self.process = subprocess.Popen(
            [
                "unshare",
                "--pid",
                "--mount",
                "--uts",
                "--ipc",
                "--kill-child",
                "--mount-proc",
                "--propagation",
                "private",
                "sh",
                "-c",
                _BOOT,
                "sh",
                str(self.unit_dir),
                str(SYSTEMD),
            ],
            env={"PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), "container": "zm-test"},
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"systemd exited {self.process.returncode}: {self.log.read_text()[-2000:]}")
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            pids = children.read_text().split() if children.exists() else []
            if pids and Path(f"/proc/{pids[0]}/exe").resolve() == Path(SYSTEMD).resolve():
                self.pid1 = int(pids[0])
                if self.systemctl("is-system-running", check=False).stdout.strip() not in ("", "offline"):
                    return
            time.sleep(0.2)
        raise AssertionError(f"systemd did not come up in {seconds} s: {self.log.read_text()[-2000:]}")

    def run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """A command inside the box (its mount and PID namespaces: PIDs are the box's)."""
        assert self.pid1 is not None
        return subprocess.run(
            ["nsenter", "-t", str(self.pid1), "-m", "-p", *command],
            capture_output=True,
            text=True,
            timeout=30,
            check=check,
        )

    def systemctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("systemctl", "--no-pager", *args, check=check)

    def show(self, unit: str, prop: str) -> str:
        return self.systemctl("show", "-p", prop, "--value", unit).stdout.strip()

    def main_pid(self, unit: str) -> int:
        return int(self.show(unit, "MainPID") or 0)

    def processes(self, unit: str) -> list[tuple[int, int]]:
        """(pid, parent) of every process in the unit's control group, as the box numbers them."""
        group = self.show(unit, "ControlGroup")
        rows = self.run("ps", "-eo", "pid=,ppid=,cgroup=").stdout.splitlines()
        out = []
        for row in rows:
            pid, ppid, cgroup = (row.split(None, 2) + ["", "", ""])[:3]
            if group and group in cgroup:
                out.append((int(pid), int(ppid)))
        return out

    def journal(self, unit: str) -> str:
        """What a failure should show: the unit's status and the end of its output."""
        status = self.systemctl("status", unit, check=False).stdout
        path = self.folder / f"{unit}.log"
        return status + "\n" + (path.read_text()[-3000:] if path.exists() else "(no output)")

    def shutdown(self) -> None:
        """Stop the units (systemd removes their private /tmp folders), then end the box."""
        if self.pid1 is not None:
            try:
                self.systemctl("stop", *self.units, check=False)
            except subprocess.TimeoutExpired:
                pass
            try:
                os.kill(self.pid1, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if self.process is not None:
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(30)
