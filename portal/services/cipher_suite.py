"""The deployment's cipher suite: picked once at `init`, kept with the escrow key,
active in every application context, and checked against the database.

The escrow key is the record of the choice: its public key carries the suite
identifier and its passphrase credential names the key derivation, so no other
row (and no migration) is needed. A database whose escrow key belongs to another
suite than ZM_CIPHER_SUITE, or another SECRET_KDF, is refused: by `init` and the
other commands before they write anything, and by the app on its first request.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, appcontext_pushed, current_app, g
from sqlalchemy.exc import SQLAlchemyError

from portal.domain import crypto
from portal.domain.crypto import SuiteMismatch
from portal.extensions import db
from portal.models import EscrowKey

_CHECKED = "zm_cipher_suite_checked"


@dataclass(frozen=True)
class SuiteChoice:
    suite: str
    kdf: str


def configured() -> SuiteChoice:
    return SuiteChoice(current_app.config["CIPHER_SUITE"], current_app.config["SECRET_KDF"])


def stored() -> SuiteChoice | None:
    """What `init` chose for this database; None before `init`."""
    row = db.session.scalar(db.select(EscrowKey).order_by(EscrowKey.id).limit(1))
    if row is None:
        return None
    return SuiteChoice(crypto.suite_of_public_key(row.public_key), crypto.credential_kdf(row.credential))


def check() -> SuiteChoice | None:
    """The stored choice; SuiteMismatch if the configuration disagrees with it."""
    found, wanted = stored(), configured()
    if found is not None and found != wanted:
        raise SuiteMismatch(
            f"this database was initialised with cipher suite {found.suite!r} and key derivation "
            f"{found.kdf!r}, but the configuration asks for {wanted.suite!r} and {wanted.kdf!r} "
            "(ZM_CIPHER_SUITE, ZM_SECRET_KDF); refusing to run. The suite cannot be changed after init."
        )
    return found


def _activate(app: Flask, **_: object) -> None:
    g._zm_cipher_token = crypto.use_suite(app.config["CIPHER_SUITE"])


def _restore(_exc: BaseException | None) -> None:
    token = g.pop("_zm_cipher_token", None)
    if token is not None:
        crypto.restore_suite(token)


def _check_once() -> None:
    """Before the first request of each process: refuse to serve a mismatched database."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.extensions.get(_CHECKED):
        return
    try:
        found = check()
    except SQLAlchemyError:  # no schema yet: nothing to compare, nothing to serve either
        db.session.rollback()
        return
    if found is not None:
        app.extensions[_CHECKED] = True


def init_app(app: Flask) -> None:
    appcontext_pushed.connect(_activate, app, weak=False)
    app.teardown_appcontext(_restore)
    app.before_request(_check_once)
