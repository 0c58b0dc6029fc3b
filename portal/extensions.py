"""Flask extensions, created unbound and bound in `create_app`."""

from __future__ import annotations

import os

import click
from flask_babel import Babel
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine

#: Constraint names fixed so migrations are the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING))


#: How long a SQLite transaction waits for another to finish before giving up (ms).
SQLITE_BUSY_TIMEOUT_MS = 30_000


@event.listens_for(Engine, "connect")
def _sqlite_foreign_keys(dbapi_connection, _record) -> None:
    """SQLite ignores foreign keys unless asked; PostgreSQL always checks them.

    Python's sqlite3 also opens a transaction only at the first write, so a
    read before it (the audit head, a token) is not inside any lock; we take
    over transaction control (see `_sqlite_begin`) and wait when busy.
    """
    if dbapi_connection.__class__.__module__.startswith("sqlite3"):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()


#: An SQLite database file and the files SQLite keeps beside it (they inherit the file's mode).
_SQLITE_SIDE_FILES = ("", "-journal", "-wal", "-shm")


@event.listens_for(Engine, "do_connect")
def _sqlite_file_private(dialect, _record, cargs, cparams) -> None:
    """Case metadata and wrapped keys are not for other users of the machine: the file is 0600."""
    if dialect.name != "sqlite" or cparams.get("uri") or not cargs or cargs[0] in ("", ":memory:"):
        return
    path = str(cargs[0])
    try:  # created here, before SQLite would create it with the umask's mode (usually 0644)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError:
        return  # no such folder or no permission: SQLite reports it in its own words
    for name in (path + suffix for suffix in _SQLITE_SIDE_FILES):
        try:
            if os.stat(name).st_mode & 0o077:
                os.chmod(name, 0o600)
        except FileNotFoundError:
            continue


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection) -> None:
    """Every SQLite transaction takes the write lock first, so transactions run one at a time.

    A deferred transaction that reads and then writes cannot wait for a
    concurrent writer (SQLite answers "locked" at once, to avoid deadlock), and
    `SELECT ... FOR UPDATE` does not exist there: this is what serialises the
    audit chain and every read-then-write on the embedded database.
    PostgreSQL keeps its row locks and concurrent transactions.
    """
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class LazyMigrate:
    """Flask-Migrate, bound when a migration first runs rather than at start-up.

    Importing flask_migrate imports Alembic, the heaviest import of the whole portal, and a web
    worker never migrates. ``init_app`` leaves a stand-in in ``app.extensions["migrate"]``; the
    first attribute Flask-Migrate asks of it (``flask db ...``, ``flask init``, the tests'
    ``upgrade()``) binds the real extension, which then replaces the stand-in.
    """

    def init_app(self, app, db: SQLAlchemy, **kwargs) -> None:
        app.extensions["migrate"] = _UnboundMigrate(app, db, kwargs)
        app.cli.add_command(_LazyDbCommands("db", help="Database migrations (Flask-Migrate)."))


class _UnboundMigrate:
    def __init__(self, app, db: SQLAlchemy, kwargs: dict) -> None:
        self._app, self._db, self._kwargs = app, db, kwargs

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        from flask_migrate import Migrate

        Migrate().init_app(self._app, self._db, **self._kwargs)  # replaces this stand-in
        return getattr(self._app.extensions["migrate"], name)


class _LazyDbCommands(click.Group):
    """`flask db`: Flask-Migrate's commands, imported when the command line asks for them."""

    def _real(self) -> click.Group:
        from flask_migrate.cli import db as commands

        return commands

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        return self._real().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: click.Context):
        return self._real().invoke(ctx)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self._real().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._real().get_command(ctx, cmd_name)


migrate = LazyMigrate()
csrf = CSRFProtect()
babel = Babel()
login_manager = LoginManager()
