"""The deployment fixture: nginx (the shipped site file) in front of two gunicorn instances,
on the PostgreSQL database of DATABASE_URL and Redis (ZM_TEST_REDIS_URL, db 3 by default).

Skipped on SQLite runs, and where nginx is not installed unless ZM_REQUIRE_NGINX=1
(set by .ci/run, which installs it) makes that a failure.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyotp
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import _finish, _prepare, make_app
from tests.production import harness

REDIS_URL = os.environ.get("ZM_TEST_REDIS_URL", "redis://127.0.0.1:6379/3")


def _unavailable(reason: str) -> None:
    if os.environ.get("ZM_REQUIRE_NGINX") == "1" and "PostgreSQL" not in reason:
        pytest.fail(reason + " (ZM_REQUIRE_NGINX=1)")
    pytest.skip(reason)


def _redis_up(url: str) -> bool:
    parsed = make_url(url.replace("redis://", "redis+x://", 1))
    try:
        socket.create_connection((parsed.host or "127.0.0.1", parsed.port or 6379), timeout=1).close()
        return True
    except OSError:
        return False


@dataclass
class Deployment:
    nginx: harness.Nginx
    instances: list[harness.Instance]
    record: harness.Record
    app: object
    env: dict[str, str]
    folder: Path
    reviewer: str
    reviewer_totp: harness.Authenticator

    def browser(self, language: str | None = None) -> harness.Browser:
        return harness.Browser(self.nginx.base, harness.tls_context(self.nginx), self.record, language)

    def restart(self, index: int, workers: int = 2) -> None:
        old = self.instances[index]
        old.stop()
        fresh = harness.start_instance(self.env, old.port, workers, old.log.with_suffix(".again.log"))
        harness.wait_until_answering(fresh)
        self.instances[index] = fresh


def deploy(
    folder: Path, database_url: str, workers: int = 2, staff_pool: bool = False, **env: str
) -> Iterator[Deployment]:
    """Bring the deployment up on a clean database; yield it; take it down.

    Both nginx upstreams name both instances (so staff sessions hop too), unless ``staff_pool``
    gives /review and /admin a third instance of their own, as deploy/ does.
    """
    app = make_app(database_url, RATELIMIT_STORAGE_URI=REDIS_URL)
    _prepare(app)  # empty tables, limits reset in Redis, the escrow key
    from portal.services import accounts

    with app.app_context():
        # The staff member the tests sign in as: an intake officer, to whom every new case is sealed.
        created = accounts.create_user("li.intake", "intake", harness.STAFF_PASSWORD, confirmed=True)
    ports = [harness.free_port(), harness.free_port()] + ([harness.free_port()] if staff_pool else [])
    nginx_port_hint = harness.free_port()
    env = harness.instance_environment(
        database_url, REDIS_URL, f"https://{harness.SERVER_NAME}:{nginx_port_hint}", **env
    )
    instances = [harness.start_instance(env, port, workers, folder / f"gunicorn-{port}.log") for port in ports]
    nginx = None
    try:
        for instance in instances:
            harness.wait_until_answering(instance)
        public, staff = (ports[:2], ports[2:]) if staff_pool else (ports, ports)
        nginx = harness.start_nginx(folder, public=public, staff=staff, https_port=nginx_port_hint)
        yield Deployment(
            nginx,
            instances,
            harness.Record(),
            app,
            env,
            folder,
            "li.intake",
            harness.Authenticator(pyotp.parse_uri(created.totp_uri)),
        )
    finally:
        if nginx is not None:
            nginx.stop()
        for instance in instances:
            instance.stop()
        _finish(app)


@pytest.fixture(scope="module")
def deployment(schema, tmp_path_factory) -> Iterator[Deployment]:
    if make_url(schema).get_backend_name() != "postgresql":
        pytest.skip("the deployment test needs PostgreSQL (DATABASE_URL=postgresql+psycopg://...)")
    if not harness.NGINX:
        _unavailable("nginx is not installed (apt-get install nginx)")
    if not _redis_up(REDIS_URL):
        _unavailable("no Redis at " + REDIS_URL)
    yield from deploy(tmp_path_factory.mktemp("deployment"), schema)
