"""The split session key of DESIGN.md.

A held key (a case data key, or a reviewer's private key) is encrypted under a
random session key. The server keeps that ciphertext with an expiry; the
session key lives only in the user's cookie. Either half alone opens nothing.

The precise idle deadline is sealed with the held key, so only a request that
brings the cookie can read it; the row's plain `expires_at` is that deadline
rounded up to the hour, a "delete after" that dates no sign-in finer than the
hour (DESIGN: every time stored about a submitter's action is to the hour).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import secrets
import struct

from portal.domain.clock import hour_ceiling, utcnow
from portal.domain.crypto import CryptoError, decrypt, digest, encrypt, random_key
from portal.extensions import db
from portal.models import KeySession
from portal.services.errors import SessionExpired
from portal.services.settings import setting


def _row_id(token: str) -> str:
    return digest(token.encode()).hex()  # SHA-256, or SM3 under gm


_EPOCH = dt.datetime(1970, 1, 1)
_DEADLINE = struct.Struct(">q")


def _deadline() -> dt.datetime:
    return utcnow() + dt.timedelta(minutes=setting("SESSION_IDLE_MINUTES"))


def _seal(key: bytes, held: bytes, aad: bytes, deadline: dt.datetime) -> bytes:
    """The held key and its idle deadline (whole seconds), under the session key."""
    stamp = _DEADLINE.pack(int((deadline - _EPOCH).total_seconds()))
    return encrypt(key, stamp + held, aad)


def _unseal(key: bytes, sealed: bytes, aad: bytes) -> tuple[bytes, dt.datetime]:
    try:
        plain = decrypt(key, sealed, aad)
    except CryptoError as exc:
        raise SessionExpired("session key mismatch") from exc
    if len(plain) < _DEADLINE.size:
        raise SessionExpired("malformed session")
    (seconds,) = _DEADLINE.unpack(plain[: _DEADLINE.size])
    return plain[_DEADLINE.size :], _EPOCH + dt.timedelta(seconds=seconds)


def _split(session_secret: str | None) -> tuple[str, bytes]:
    token, _, key = (session_secret or "").partition(".")
    try:
        raw = base64.urlsafe_b64decode(key.encode())
    except (binascii.Error, ValueError) as exc:
        raise SessionExpired("malformed session secret") from exc
    if not token or len(raw) != 32:
        raise SessionExpired("malformed session secret")
    return token, raw


def start(held: bytes, aad: bytes) -> str:
    """Store the server half (caller commits); return the cookie half."""
    db.session.execute(db.delete(KeySession).where(KeySession.expires_at < utcnow()))
    token, key, deadline = secrets.token_urlsafe(24), random_key(), _deadline()
    db.session.add(
        KeySession(id=_row_id(token), sealed=_seal(key, held, aad, deadline), expires_at=hour_ceiling(deadline))
    )
    return f"{token}.{base64.urlsafe_b64encode(key).decode()}"


def resume(session_secret: str | None, aad: bytes) -> bytes:
    """The held key, if the session is alive and the cookie matches; slides the expiry."""
    token, key = _split(session_secret)
    row = db.session.get(KeySession, _row_id(token))
    now = utcnow()
    if row is None or row.expires_at < now:
        raise SessionExpired("no such session")
    held, deadline = _unseal(key, row.sealed, aad)
    if deadline < now:
        raise SessionExpired("session idle too long")
    deadline = _deadline()
    row.sealed, row.expires_at = _seal(key, held, aad, deadline), hour_ceiling(deadline)
    return held


def end(session_secret: str | None) -> None:
    """Delete the server half (caller commits)."""
    try:
        token, _ = _split(session_secret)
    except SessionExpired:
        return
    db.session.execute(db.delete(KeySession).where(KeySession.id == _row_id(token)))
