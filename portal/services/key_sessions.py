"""The split session key of DESIGN.md.

A held key (a case data key, or a reviewer's private key) is encrypted under a
random session key. The server keeps that ciphertext with an expiry; the
session key lives only in the user's cookie. Either half alone opens nothing.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import secrets

from portal.domain.clock import utcnow
from portal.domain.crypto import CryptoError, decrypt, encrypt, random_key
from portal.extensions import db
from portal.models import KeySession
from portal.services.errors import SessionExpired
from portal.services.settings import setting


def _row_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _expiry() -> dt.datetime:
    return utcnow() + dt.timedelta(minutes=setting("SESSION_IDLE_MINUTES"))


def _split(credential: str | None) -> tuple[str, bytes]:
    token, _, key = (credential or "").partition(".")
    try:
        raw = base64.urlsafe_b64decode(key.encode())
    except (binascii.Error, ValueError) as exc:
        raise SessionExpired("malformed credential") from exc
    if not token or len(raw) != 32:
        raise SessionExpired("malformed credential")
    return token, raw


def start(held: bytes, aad: bytes) -> str:
    """Store the server half (caller commits); return the cookie half."""
    db.session.execute(db.delete(KeySession).where(KeySession.expires_at < utcnow()))
    token, key = secrets.token_urlsafe(24), random_key()
    db.session.add(KeySession(id=_row_id(token), sealed=encrypt(key, held, aad), expires_at=_expiry()))
    return f"{token}.{base64.urlsafe_b64encode(key).decode()}"


def resume(credential: str | None, aad: bytes) -> bytes:
    """The held key, if the session is alive and the cookie matches; slides the expiry."""
    token, key = _split(credential)
    row = db.session.get(KeySession, _row_id(token))
    if row is None or row.expires_at < utcnow():
        raise SessionExpired("no such session")
    try:
        held = decrypt(key, row.sealed, aad)
    except CryptoError as exc:
        raise SessionExpired("session key mismatch") from exc
    row.expires_at = _expiry()
    return held


def end(credential: str | None) -> None:
    """Delete the server half (caller commits)."""
    try:
        token, _ = _split(credential)
    except SessionExpired:
        return
    db.session.execute(db.delete(KeySession).where(KeySession.id == _row_id(token)))
