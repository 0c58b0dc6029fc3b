"""Restore drill (PostgreSQL): pg_dump, restore into a fresh database, and everything still works there."""

from __future__ import annotations

import secrets
import shutil
import subprocess

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from portal.extensions import db
from tests.conftest import Cadre, Staff, _client, make_app, only_case_id


def _libpq(url) -> list[str]:
    """Connection options for the PostgreSQL client programs (no password on the command line)."""
    options = ["-h", url.host or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres"]
    return options


@pytest.fixture
def restored_database(database_url: str):
    url = make_url(database_url)
    if not url.drivername.startswith("postgresql"):
        pytest.skip("the restore drill is for PostgreSQL")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump and pg_restore are not installed")
    name = f"zm_restore_{secrets.token_hex(4)}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url, name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_a_restored_dump_opens_receipts_signs_staff_in_and_shows_case_contents(app, cadre, restored_database, tmp_path):
    url, name = restored_database
    reviewer = Staff(app, "zhao.int", "intake")  # new cases are sealed to intake
    assert reviewer.login().status_code == 303
    receipt = cadre.receipt_of(cadre.file_concern(description="ZM-RESTORE-DRILL"))
    case_id = only_case_id(app)
    with app.app_context():
        db.session.remove()

    dump = tmp_path / "zm.dump"
    env = {"PGPASSWORD": url.password or "", "PATH": "/usr/bin:/bin"}
    subprocess.run(
        ["pg_dump", *_libpq(url), "--format=custom", "--no-owner", f"--file={dump}", url.database],
        check=True,
        env=env,
    )
    subprocess.run(
        ["pg_restore", *_libpq(url), "--no-owner", "--exit-on-error", f"--dbname={name}", str(dump)],
        check=True,
        env=env,
    )

    restored = make_app(url.set(database=name).render_as_string(hide_password=False))
    try:
        # The cadre's receipt opens their case on the restored database (the pepper is configuration).
        cadre_there = Cadre(_client(restored))
        assert cadre_there.follow_up(receipt).status_code == 303
        assert "ZM-RESTORE-DRILL" in cadre_there.client.get("/followup/status").get_data(as_text=True)
        # The reviewer signs in afresh (password and authenticator) and reads the case.
        reviewer.client = _client(restored)
        reviewer.app = restored
        assert reviewer.login().status_code == 303
        assert "ZM-RESTORE-DRILL" in reviewer.get(f"/review/cases/{case_id}").get_data(as_text=True)
        verified = restored.test_cli_runner().invoke(args=["audit", "verify"])
        assert verified.exit_code == 0 and "intact" in verified.output
    finally:
        with restored.app_context():
            db.session.remove()
            db.engine.dispose()
