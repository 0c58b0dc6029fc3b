"""One-time form tokens: a replayed or stale form changes nothing.

Flask-WTF's CSRF token proves the form came from us; this token, spent in the
same transaction as the write it guards, proves it is used once.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from portal.domain.clock import hour_ceiling, utcnow
from portal.domain.crypto import digest
from portal.extensions import db
from portal.models import SpentFormToken
from portal.services.errors import FormReplayed


def _serializer() -> URLSafeTimedSerializer:
    """Signs with SECRET_KEY; still accepts forms signed with a key it replaced (SECRET_KEY_FALLBACKS)."""
    config = current_app.config
    keys = [*(config.get("SECRET_KEY_FALLBACKS") or []), config["SECRET_KEY"]]
    return URLSafeTimedSerializer(keys, salt="zhengming/form-token")


def issue() -> str:
    """A fresh token for a form about to be served."""
    return _serializer().dumps(secrets.token_hex(16))


def digest_of(token: str) -> bytes:
    """The stored name of a token: its hash (SHA-256, or SM3 under gm)."""
    return digest(token.encode())


def spend(token: str | None) -> SpentFormToken:
    """Mark a token used within the caller's transaction; FormReplayed if it was."""
    max_age = current_app.config["FORM_TOKEN_MAX_AGE"]
    try:
        _serializer().loads(token or "", max_age=max_age)
    except BadData as exc:
        raise FormReplayed("stale or forged form token") from exc
    digest = digest_of(token or "")
    now = utcnow()
    db.session.execute(db.delete(SpentFormToken).where(SpentFormToken.expires_at < now))
    if db.session.get(SpentFormToken, digest) is not None:
        raise FormReplayed("form token already used")
    # The primary key also catches two racing requests: the loser's commit fails.
    # Forgotten on the hour after the token goes stale: the row dates no submission finer.
    spent = SpentFormToken(digest=digest, expires_at=hour_ceiling(now + dt.timedelta(seconds=max_age)))
    db.session.add(spent)
    return spent


def spent_meanwhile(token: str, wait_seconds: float = 5.0) -> bool:
    """After a failed write: did a concurrent request spend this token (and commit)?

    The loser of a double submit fails on the token's primary key (PostgreSQL) or on
    the write lock (SQLite), possibly before the winner has committed; so look again
    for a few seconds, each time in a fresh transaction.
    """
    digest = digest_of(token)
    deadline = time.monotonic() + wait_seconds
    while True:
        db.session.rollback()
        if db.session.scalar(db.select(SpentFormToken.digest).where(SpentFormToken.digest == digest)):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
