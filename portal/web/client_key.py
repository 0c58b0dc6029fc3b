"""The rate limiter's client key: a keyed hash of the address, rotated daily.

The address itself is never stored: the limiter (in memory or Redis) only sees
HMAC(daily key, address), and the daily key is derived from SECRET_KEY and the
date, so yesterday's counters cannot be linked to today's.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app, request
from flask_login import current_user

from portal.domain.crypto import expand, keyed_hash


def daily_key(secret_key: str, day: dt.date) -> bytes:
    """The HMAC key for one UTC day."""
    return expand(secret_key.encode(), b"limiter/" + day.isoformat().encode())


def limiter_key() -> str:
    """Flask-Limiter key function."""
    day = dt.datetime.now(dt.UTC).date()
    key = daily_key(current_app.config["SECRET_KEY"], day)
    return keyed_hash(key, (request.remote_addr or "-").encode()).hex()[:32]


def _keyed(value: str) -> str:
    day = dt.datetime.now(dt.UTC).date()
    return keyed_hash(daily_key(current_app.config["SECRET_KEY"], day), value.encode()).hex()[:32]


def _account_name() -> str:
    return (request.form.get("username") or "").strip().lower()


def account_key() -> str:
    """Key for the per-account sign-in ceiling (all clients): the same for existing and unknown names."""
    return "account:" + _keyed(_account_name())


def account_client_key() -> str:
    """Key for the per-account limit at one client: an attacker's failures lock only their own client."""
    return "account-client:" + _keyed(_account_name() + "\0" + (request.remote_addr or "-"))


def staff_account_key() -> str:
    """Key for throttling secrets typed behind a staff session (current password, escrow passphrase)."""
    return "staff:" + _keyed(str(current_user.get_id()))
