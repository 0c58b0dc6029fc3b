"""Rate limits hold under the shipped gunicorn.conf.py: no shipped configuration counts them per worker;
and it refuses a database of another cipher suite."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import make_app, reset_schema

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|type="hidden" name="csrf_token" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(database: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("ZM_") and k not in ("RATELIMIT_STORAGE_URI", "DATABASE_URL")
    }
    env.update(
        SECRET_KEY="gunicorn-test-secret",
        RECEIPT_PEPPER="gunicorn-test-pepper",
        DATABASE_URL=f"sqlite:///{database}",
        ZM_ARGON2_MEMORY_KIB="8",
        ZM_ARGON2_ITERATIONS="1",
        ZM_ARGON2_LANES="1",
    )
    return env  # the default configuration otherwise: limits in memory://, as shipped


def _start(env: dict[str, str], port: int, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(GUNICORN), "-c", str(ROOT / "gunicorn.conf.py"), "-b", f"127.0.0.1:{port}", *extra, "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_until_serving(server: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, server.communicate()[1][-2000:]
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not start within 60 s")


class Browser:
    """One client with a cookie jar, posting forms as a browser would."""

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def _open(self, request: urllib.request.Request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def token(self, path: str) -> str:
        status, page = self._open(urllib.request.Request(self.base + path))
        assert status == 200, status
        found = CSRF.search(page)
        assert found, "no CSRF token on " + path
        return found.group(1) or found.group(2)

    def post(self, path: str, fields: dict[str, str]) -> int:
        data = urllib.parse.urlencode({"csrf_token": self.token(path), **fields}).encode()
        return self._open(urllib.request.Request(self.base + path, data=data))[0]


@pytest.fixture
def served(tmp_path):
    database = tmp_path / "served.sqlite3"
    reset_schema(make_app(f"sqlite:///{database}"))
    env, port = _environment(database), _free_port()
    server = _start(env, port)
    try:
        _wait_until_serving(server, port)
        yield Browser(port)
    finally:
        server.terminate()
        server.communicate(timeout=30)


def test_failed_sign_ins_and_wrong_receipts_hit_their_limits_under_the_shipped_gunicorn(served):
    sign_ins = [
        served.post("/review/login", {"username": "li.ming", "password": "wrong password", "code": "123456"})
        for _ in range(15)
    ]
    assert sign_ins == [401] * 5 + [429] * 10  # LIMIT_LOGIN_ACCOUNT: 5 per 15 minutes
    receipts = [served.post("/followup", {"receipt": "1111 2222 3333 4444"}) for _ in range(20)]
    assert receipts == [400] * 10 + [429] * 10  # LIMIT_FOLLOWUP: 10 per 10 minutes


def test_the_shipped_gunicorn_refuses_several_workers_with_limits_in_memory(tmp_path):
    server = _start(_environment(tmp_path / "never.sqlite3"), _free_port(), "--workers", "3")
    try:
        _out, err = server.communicate(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
    assert server.returncode != 0
    assert "memory://" in err and "per worker" in err


def test_the_shipped_gunicorn_refuses_a_database_of_another_cipher_suite(tmp_path):
    database = tmp_path / "gm.sqlite3"
    gm_app = make_app(f"sqlite:///{database}", CIPHER_SUITE="gm", SECRET_KDF="argon2id")
    assert gm_app.test_cli_runner().invoke(args=["init"], input="the escrow passphrase\n").exit_code == 0
    server = _start(_environment(database), _free_port())  # the default configuration: intl
    try:
        _out, err = server.communicate(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
    assert server.returncode != 0
    assert "initialised with cipher suite 'gm'" in err and "refusing to run" in err
