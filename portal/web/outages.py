"""When a part behind the portal is down: the portal's own 503 page, and back to work without a restart.

PostgreSQL unreachable (refused, reset, restarted): the request's transaction is
gone with its connection, so nothing it wrote was committed. The answer is a 503
in the user's language saying exactly that: nothing was saved, try again. The
engine's `pool_pre_ping` replaces dead pooled connections, so the first request
after the database returns succeeds, in every worker, without a restart.

Redis unreachable (the rate-limit storage): the decision is that the cadre's
side keeps taking submissions, follow-ups and replies, and staff keep signing
in, with limits that neither fail open nor fail closed: each worker process
counts the same limits in its own memory (Flask-Limiter's in-memory fallback,
`RATELIMIT_IN_MEMORY_FALLBACK_ENABLED` in config.py) until Redis answers again
(checked with back-off, at most about a minute apart). During the outage a
client can get at most (worker processes) x each limit. Why not closed: a
cadre who has a receipt, or a report to file, would be turned away by a cache
outage they cannot see, and the receipts' strength does not rest on the limit
alone (16 random digits behind Argon2id: a few times more guesses for minutes
changes nothing measurable). Why not open: staff sign-in and the escrow
passphrase are still throttled, per worker, so an outage is no free window for
guessing. The same holds when Redis is slow: its socket timeouts are 1 s
(`RATELIMIT_STORAGE_OPTIONS`).
"""

from __future__ import annotations

from flask import Flask, g
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from portal.extensions import db


def _database_unavailable(exc: Exception):
    from portal.web.errors import error_page

    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection is already gone; the pool drops it
        db.session.close()
    # Rendering must not touch the database again: the layout would load the signed-in staff member.
    g._login_user = AnonymousUserMixin()
    return error_page(
        503,
        _l("Not available at the moment"),
        _l("The portal cannot reach its database at the moment. Nothing was saved. Please try again in a few minutes."),
    )


def init_app(app: Flask) -> None:
    for exc_class in (OperationalError, InterfaceError, PoolTimeout):
        app.register_error_handler(exc_class, _database_unavailable)
