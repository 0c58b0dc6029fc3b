"""The rate limiter's client key: a keyed hash of the address, rotated daily.

The address itself is never stored: the limiter (in memory or Redis) only sees
HMAC(daily key, address), and the daily key is derived from SECRET_KEY and the
date, so yesterday's counters cannot be linked to today's.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app, request

from portal.domain.crypto import expand, keyed_hash


def daily_key(secret_key: str, day: dt.date) -> bytes:
    """The HMAC key for one UTC day."""
    return expand(secret_key.encode(), b"limiter/" + day.isoformat().encode())


def limiter_key() -> str:
    """Flask-Limiter key function."""
    day = dt.datetime.now(dt.timezone.utc).date()
    key = daily_key(current_app.config["SECRET_KEY"], day)
    return keyed_hash(key, (request.remote_addr or "-").encode()).hex()[:32]


def account_key() -> str:
    """Key for the per-account sign-in limit: the same for existing and unknown names."""
    day = dt.datetime.now(dt.timezone.utc).date()
    key = daily_key(current_app.config["SECRET_KEY"], day)
    name = (request.form.get("username") or "").strip().lower()
    return "account:" + keyed_hash(key, name.encode()).hex()[:32]
