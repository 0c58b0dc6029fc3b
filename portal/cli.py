"""Command line: `flask --app wsgi init | users create | demo | audit verify | purge | escrow passphrase`."""

from __future__ import annotations

import os
import secrets
import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from portal.domain import holiday_notices, working_days
from portal.domain.bodies import BodyKind, BodyLevel, Rank
from portal.domain.clock import utcnow
from portal.domain.crypto import SuiteMismatch
from portal.domain.staff import StaffRole
from portal.extensions import db
from portal.models import User
from portal.services import accounts, audit, bodies, cipher_suite, retention
from portal.services.errors import ServiceError, WrongPassphrase

users = AppGroup("users", help="Staff accounts.")
#: Supervisor before reviewer: the demo reviewer reports to the demo supervisor.
DEMO_USERS = tuple(
    (role.value, role.value)
    for role in (StaffRole.INTAKE, StaffRole.SUPERVISOR, StaffRole.REVIEWER, StaffRole.LEADER, StaffRole.ADMIN)
)
DEFAULT_BODY_NAME = "本级纪委监委"
DEFAULT_BODY_SHORT_NAME = "纪"


def _read_secret(prompt: str) -> str:
    """From a hidden prompt (typed twice) on a terminal, else one line of stdin."""
    if sys.stdin.isatty():
        return click.prompt(prompt, hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


def _same_suite() -> None:
    """Refuse to touch a database initialised with another cipher suite or key derivation."""
    try:
        cipher_suite.check()
    except SuiteMismatch as exc:
        raise click.ClickException(str(exc)) from exc


def _suite_line() -> str:
    choice = cipher_suite.configured()
    return f"cipher suite {choice.suite}, key derivation {choice.kdf}"


def _read_secret_once(prompt: str) -> str:
    """From a hidden prompt on a terminal, else one line of stdin."""
    if sys.stdin.isatty():
        return click.prompt(prompt, hide_input=True)
    return sys.stdin.readline().rstrip("\r\n")


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Apply migrations and create the escrow key (asks for its passphrase).

    The escrow key is made in the cipher suite ZM_CIPHER_SUITE names (intl or gm), which
    is then this deployment's for good.
    """
    from flask_migrate import upgrade  # Alembic: imported by the commands that migrate, not at start-up

    upgrade()
    _same_suite()
    _ensure_default_body()
    if accounts.escrow() is not None:
        click.echo(f"Schema up to date; the escrow key already exists ({_suite_line()}).")
        return
    passphrase = _read_secret("Escrow passphrase (supervisors hold it)")
    try:
        accounts.create_escrow(passphrase)
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Schema up to date; escrow key created ({_suite_line()}).")


def _ensure_default_body() -> int:
    """The deployment's first body, named after the operator (ZM_OPERATOR_NAME), made once."""
    found = bodies.default()
    if found is not None:
        return found.id
    name = current_app.config.get("OPERATOR_NAME") or DEFAULT_BODY_NAME
    return bodies.create(
        name, DEFAULT_BODY_SHORT_NAME, BodyKind.COMMISSION, BodyLevel.COUNTY, (Rank.GENERAL, Rank.SECTION)
    )


@users.command("create")
@click.option("--username", required=True)
@click.option("--role", required=True, type=click.Choice(accounts.ROLES))
@click.option("--body", "body_id", type=int, default=None, help="Body id (default: the default body).")
@click.option("--supervisor", "supervisor_id", type=int, default=None, help="A reviewer's supervisor (user id).")
def create_user_command(username: str, role: str, body_id: int | None, supervisor_id: int | None) -> None:
    """Create an account, confirmed for case keys (the operator vouches); prints the TOTP URI once."""
    _same_suite()
    password = _read_secret("Password")
    try:
        created = accounts.create_user(
            username, role, password, body_id=body_id, supervisor_id=supervisor_id, confirmed=True
        )
    except ServiceError as exc:
        raise click.ClickException(f"{type(exc).__name__}: {exc}") from exc
    click.echo(f"Created {role} {username!r}. Add this to an authenticator app now:")
    click.echo(created.totp_uri)


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Embedded default only: schema, escrow key and demo accounts, printed for loopback use."""
    if (
        not current_app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
        or current_app.config["SESSION_COOKIE_SECURE"]
    ):
        raise click.ClickException("demo is for the embedded default only")
    from flask_migrate import upgrade

    upgrade()
    _same_suite()
    path = os.path.join(current_app.instance_path, "demo-credentials.txt")
    lines = []
    body_id = _ensure_default_body()
    if accounts.escrow() is None:
        passphrase = secrets.token_urlsafe(12)
        accounts.create_escrow(passphrase)
        lines.append(f"escrow passphrase: {passphrase}")
    for username, role in DEMO_USERS:
        if db.session.scalar(db.select(User.id).where(User.username == username)) is None:
            password = secrets.token_urlsafe(12)
            chief = None
            if role == StaffRole.REVIEWER:  # the demo reviewer reports to the demo supervisor
                chief = db.session.scalar(db.select(User.id).where(User.username == StaffRole.SUPERVISOR.value))
            created = accounts.create_user(
                username, role, password, body_id=body_id, supervisor_id=chief, confirmed=True
            )
            lines.append(f"{role:<10} {username} / {password}  TOTP: {created.totp_uri}")
    if lines:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a") as out:
            out.write("\n".join(lines) + "\n")
    click.echo("Demo deployment (loopback only; these are not secrets worth keeping):")
    with open(path) as stored:
        click.echo(stored.read().rstrip())


audit_group = AppGroup("audit", help="The tamper-evident audit log.")


@audit_group.command("verify")
def audit_verify_command() -> None:
    """Check the hash chain; name the first broken entry and exit 1 if there is one."""
    _same_suite()
    result = audit.verify()
    if result.broken is None:
        click.echo(f"Audit chain intact: {result.checked} entries.")
        return
    where = f"entry #{result.broken.entry_id}" if result.broken.entry_id else "the end of the log"
    click.echo(f"Audit chain BROKEN at {where}: {result.broken.reason}.", err=True)
    raise SystemExit(1)


escrow_group = AppGroup("escrow", help="The escrow key that recovers cases whose holders are gone.")


@escrow_group.command("passphrase")
@click.option("--body", "body_id", type=int, default=None, help="Body id (default: the default body).")
def escrow_passphrase_command(body_id: int | None) -> None:
    """Change a body's escrow passphrase: a supervisor holding it types the current one, then the new one."""
    current = _read_secret_once("Current escrow passphrase")
    new = _read_secret("New escrow passphrase")
    try:
        accounts.change_escrow_passphrase(current, new, body_id)
    except WrongPassphrase as exc:
        raise click.ClickException("The current escrow passphrase is wrong; nothing changed.") from exc
    except ServiceError as exc:
        raise click.ClickException(f"{type(exc).__name__}: {exc}; nothing changed.") from exc
    click.echo(
        "Escrow passphrase changed. Hand the new one to the supervisors who hold it; the old one no longer opens it."
    )


@click.command("purge")
@click.option(
    "--dry-run", is_flag=True, help="List what would be shredded (case id and closing day) and change nothing."
)
@with_appcontext
def purge_command(dry_run: bool) -> None:
    """Crypto-shred closed cases past the archive period (ARCHIVE_YEARS); the audit trail stays."""
    years = current_app.config["ARCHIVE_YEARS"]
    items = retention.due() if dry_run else retention.purge()
    for item in items:
        click.echo(f"{item.case_id} closed {item.closed_on.isoformat()}")
    verb = "would be shredded" if dry_run else "shredded"
    click.echo(f"{len(items)} closed case(s) older than {years} year(s) {verb}.")


@click.command("calendar")
@click.option("--years", default=2, show_default=True, help="How many years from this one to show.")
@click.option(
    "--write", "write_year", type=int, help="Print a year chinesecalendar knows in the notices file's format."
)
def calendar_command(years: int, write_year: int | None) -> None:
    """Which calendar counts each year's working days (check it every December)."""
    if write_year is not None:
        if working_days.source(write_year) is not working_days.Source.PACKAGE:
            raise click.UsageError(f"chinesecalendar has no data for {write_year}")
        click.echo(holiday_notices.to_toml(working_days.package_notice(write_year)), nl=False)
        return
    this_year = utcnow().year
    words = {
        working_days.Source.NOTICE: "the notices file (HOLIDAY_NOTICES_FILE)",
        working_days.Source.PACKAGE: "chinesecalendar",
        working_days.Source.WEEKDAYS: "NOTHING: Monday to Friday only; deadlines approximate",
    }
    missing = False
    for year in range(this_year, this_year + max(years, 1)):
        source = working_days.source(year)
        missing = missing or source is working_days.Source.WEEKDAYS
        click.echo(f"{year}: {words[source]}")
    if missing:
        click.echo("Write the State Council's notice into HOLIDAY_NOTICES_FILE, or update chinesecalendar.")
        raise SystemExit(1)


def init_app(app: Flask) -> None:
    app.cli.add_command(init_command)
    app.cli.add_command(users)
    app.cli.add_command(demo_command)
    app.cli.add_command(audit_group)
    app.cli.add_command(purge_command)
    app.cli.add_command(escrow_group)
    app.cli.add_command(calendar_command)


# -- h11r --
statistics_group = AppGroup("statistics", help="Monthly statistics releases.")


@statistics_group.command("release")
@click.option("--year", "year", type=int, default=None, help="One year (default: this year's and last year's).")
@click.option("--rebuild", is_flag=True, help="Build a stored release again (an operator's correction; audited).")
def statistics_release_command(year: int | None, rebuild: bool) -> None:
    """Build the current release of a year ahead of any leader (run on the 1st of each month)."""
    import time

    from portal.services import case_state, statistics

    this_year = case_state.today().year
    years = [year] if year is not None else [this_year, this_year - 1]
    for wanted in years:
        through = statistics.release_through(wanted)
        if through is None:
            click.echo(f"{wanted}: no complete month yet, nothing to release.")
            continue
        stored = statistics.stored_release(wanted, through)
        if stored and not rebuild:
            click.echo(f"{wanted} through {through.isoformat()}: already stored.")
            continue
        start = time.perf_counter()
        statistics.store_release(wanted, through, rebuild=rebuild)
        seconds = time.perf_counter() - start
        verb = "rebuilt" if rebuild and stored else "built"
        click.echo(f"{wanted} through {through.isoformat()}: {verb} in {seconds:.1f} s.")


_init_app_before_h11r = init_app


def init_app(app: Flask) -> None:  # type: ignore[no-redef]  # noqa: F811  # the commands above, plus this block's
    _init_app_before_h11r(app)
    app.cli.add_command(statistics_group)
