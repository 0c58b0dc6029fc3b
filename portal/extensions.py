"""Flask extensions, created unbound and bound in `create_app`."""

from __future__ import annotations

import os

from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine

from portal.web.client_key import limiter_key

#: Constraint names fixed so migrations are the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING))


@event.listens_for(Engine, "connect")
def _sqlite_foreign_keys(dbapi_connection, _record) -> None:
    """SQLite ignores foreign keys unless asked; PostgreSQL always checks them."""
    if dbapi_connection.__class__.__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
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


migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=limiter_key)
login_manager = LoginManager()
