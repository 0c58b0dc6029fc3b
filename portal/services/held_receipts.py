"""A new case's receipt, held for the browser that filed it until the cadre confirms.

The receipt is never stored readable: the spent form token's row keeps it sealed
under a key that only the filing browser's cookie holds (as key_sessions does),
beside the moment until which a resend of the same form may still see it. A
database dump alone or a cookie alone opens nothing; confirming deletes it, and
without the cookie (another browser, or this one closed) it can never be read.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import struct

from portal.domain import aad
from portal.domain.clock import utcnow
from portal.domain.crypto import CryptoError, decrypt, encrypt, expand, random_key
from portal.extensions import db
from portal.models import SpentFormToken
from portal.services.form_tokens import digest_of
from portal.services.settings import setting

_EPOCH = dt.datetime(1970, 1, 1)
_UNTIL = struct.Struct(">q")


def new_holder() -> str:
    """A fresh browser key for the cadre's cookie."""
    return base64.urlsafe_b64encode(random_key()).decode()


def _key(holder: str | None) -> bytes | None:
    try:
        raw = base64.urlsafe_b64decode((holder or "").encode())
    except (binascii.Error, ValueError):
        return None
    return expand(raw, b"held receipt") if len(raw) == 32 else None


def hold(spent: SpentFormToken, holder: str | None, receipt: str) -> None:
    """Seal the receipt into the spent token's row (caller commits); no holder, nothing kept."""
    key = _key(holder)
    if key is None:
        return
    until = utcnow() + dt.timedelta(minutes=setting("RECEIPT_RESEND_MINUTES"))
    stamp = _UNTIL.pack(int((until - _EPOCH).total_seconds()))
    spent.receipt = encrypt(key, stamp + receipt.encode(), aad.held_receipt(spent.digest))


def read(token: str | None, holder: str | None, resend: bool = False) -> str | None:
    """The receipt this browser's form filed, or None; a resend sees it only for a short time."""
    key = _key(holder)
    if not token or key is None:
        return None
    now = utcnow()
    row = db.session.get(SpentFormToken, digest_of(token))
    if row is None or row.receipt is None or row.expires_at < now:
        return None
    try:
        plain = decrypt(key, row.receipt, aad.held_receipt(row.digest))
    except CryptoError:
        return None
    (seconds,) = _UNTIL.unpack(plain[: _UNTIL.size])
    if resend and _EPOCH + dt.timedelta(seconds=seconds) < now:
        return None
    return plain[_UNTIL.size :].decode()


def forget(token: str | None) -> None:
    """The cadre wrote the receipt down: delete the sealed copy for good."""
    if token:
        db.session.execute(
            db.update(SpentFormToken).where(SpentFormToken.digest == digest_of(token)).values(receipt=None)
        )
        db.session.commit()
