"""Server-side security state: key sessions, spent form tokens."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class KeySession(db.Model):
    """Server half of a logged-in state: a key encrypted under a key held in a cookie.

    It names no case or user in plain text; the cookie carries the rest.
    """

    __tablename__ = "key_sessions"

    #: Hash (SHA-256, or SM3 under gm) of the session id in the cookie.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: The held key, under the session key (which only the cookie has).
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    #: Deleted after this: the idle deadline (sealed beside the key) rounded up to the hour.
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)


class SpentFormToken(db.Model):
    """One-time form tokens already used, so a replayed form is refused."""

    __tablename__ = "spent_form_tokens"

    #: Hash (SHA-256, or SM3 under gm) of the token.
    digest: Mapped[bytes] = mapped_column(LargeBinary(32), primary_key=True)
    #: Forgotten after this (on the hour); the token would be refused as stale anyway.
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)
    #: The receipt of the case this form filed, with how long a resend may see it, sealed
    #: under a key only the filing browser's cookie holds; NULL once the cadre confirmed it.
    receipt: Mapped[bytes | None] = mapped_column(LargeBinary)
