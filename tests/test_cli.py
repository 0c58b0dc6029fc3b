"""The command line: init, users create, demo."""

from __future__ import annotations

from portal.domain import aad
from portal.domain.crypto import decrypt, open_credential, seal, suite_of_public_key, unseal
from portal.extensions import db
from portal.models import EscrowKey, User
from portal.services import accounts
from tests.conftest import make_app


def test_users_create_reads_the_password_from_stdin_and_prints_totp(app, runner):
    result = runner.invoke(
        args=["users", "create", "--username", "li.reviewer", "--role", "reviewer"], input="a long enough password\n"
    )
    assert result.exit_code == 0, result.output
    assert "otpauth://totp/" in result.output
    assert "a long enough password" not in result.output
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == "li.reviewer"))
        assert suite_of_public_key(user.public_key) == app.config["CIPHER_SUITE"]
        wrap_key = open_credential(b"a long enough password", user.credential)
        private = decrypt(wrap_key, user.wrapped_private_key, aad.user_private_key(user.id))
        assert unseal(private, seal(user.public_key, b"data key", b"aad"), b"aad") == b"data key"


def test_admins_hold_no_case_key(app, runner):
    result = runner.invoke(
        args=["users", "create", "--username", "root", "--role", "admin"], input="a long enough password\n"
    )
    assert result.exit_code == 0
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == "root"))
        assert user.public_key is None and user.wrapped_private_key is None


def test_users_create_refuses_bad_input(app, runner):
    short = runner.invoke(args=["users", "create", "--username", "x.y.z", "--role", "reviewer"], input="short\n")
    assert short.exit_code != 0
    runner.invoke(args=["users", "create", "--username", "dup", "--role", "reviewer"], input="a long enough password\n")
    dup = runner.invoke(
        args=["users", "create", "--username", "dup", "--role", "reviewer"], input="a long enough password\n"
    )
    assert dup.exit_code != 0 and "UsernameTaken" in dup.output
    bad_role = runner.invoke(args=["users", "create", "--username", "someone", "--role", "god"], input="x\n")
    assert bad_role.exit_code != 0
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1


def test_init_creates_schema_and_escrow_from_a_passphrase(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'init.sqlite3'}")
    result = app.test_cli_runner().invoke(args=["init"], input="the escrow passphrase\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(EscrowKey)) == 1
        escrow = accounts.escrow()
        private = accounts.unlock_escrow("the escrow passphrase")
        assert unseal(private, seal(escrow.public_key, b"dk", b"aad"), b"aad") == b"dk"
    again = app.test_cli_runner().invoke(args=["init"])
    assert "already exists" in again.output
    with app.app_context():
        db.engine.dispose()


def test_demo_prints_accounts_and_is_repeatable(tmp_path):
    from portal import create_app

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'demo.sqlite3'}"},
        config_name="testing",
        instance_path=str(tmp_path),
    )
    first = app.test_cli_runner().invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert (
        "escrow passphrase" in first.output and first.output.count("otpauth://") == 5
    )  # intake, supervisor, reviewer, leader, admin
    second = app.test_cli_runner().invoke(args=["demo"])
    credentials = first.output.split("Demo deployment")[1]
    assert second.output.split("Demo deployment")[1] == credentials
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 5
        db.engine.dispose()


def _mode(path) -> int:
    return path.stat().st_mode & 0o777


def test_init_creates_the_sqlite_file_readable_by_its_owner_only(tmp_path):
    import os

    from sqlalchemy import text

    database = tmp_path / "private.sqlite3"
    previous = os.umask(0o022)  # the usual umask, under which SQLite itself would make it 0644
    try:
        app = make_app(f"sqlite:///{database}")
        result = app.test_cli_runner().invoke(args=["init"], input="the escrow passphrase\n")
        assert result.exit_code == 0, result.output
        assert _mode(database) == 0o600
        with app.app_context():
            raw = db.engine.raw_connection()  # SQLite changes the journal mode only outside a transaction
            try:
                raw.cursor().execute("PRAGMA journal_mode=WAL")  # a WAL database keeps -wal and -shm beside it
            finally:
                raw.close()
            with db.engine.begin() as conn:
                conn.execute(text("UPDATE escrow_keys SET created_at = created_at"))
            sides = [p for p in tmp_path.iterdir() if p.name != database.name]
            assert sides and all(_mode(p) == 0o600 for p in sides), [(p.name, oct(_mode(p))) for p in sides]
            db.engine.dispose()
    finally:
        os.umask(previous)


def test_an_existing_sqlite_file_readable_by_others_is_made_private(tmp_path):
    database = tmp_path / "old.sqlite3"
    app = make_app(f"sqlite:///{database}")
    assert app.test_cli_runner().invoke(args=["init"], input="the escrow passphrase\n").exit_code == 0
    database.chmod(0o644)  # as an earlier version left it
    with app.app_context():
        db.engine.dispose()
        assert accounts.escrow() is not None  # the next connection
        assert _mode(database) == 0o600
        db.engine.dispose()


def test_flask_db_still_migrates_though_alembic_is_imported_only_when_asked(tmp_path):
    import subprocess
    import sys

    env = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "s" * 40,
        "RECEIPT_PEPPER": "p" * 40,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
    }
    probe = "import sys, wsgi; print(sorted(m for m in ('alembic', 'pypdf', 'PIL', 'bleach') if m in sys.modules))"
    started = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert started.stdout.strip() == "[]"  # a web worker never pays for them
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    upgraded = subprocess.run([*flask, "db", "upgrade"], env=env, capture_output=True, text=True)
    assert upgraded.returncode == 0, upgraded.stderr
    current = subprocess.run([*flask, "db", "current"], env=env, capture_output=True, text=True, check=True)
    assert "(head)" in current.stdout
