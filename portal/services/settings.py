"""Configuration values the services need, read at call time."""

from __future__ import annotations

from flask import current_app

from portal.domain.crypto import Argon2Profile, KdfProfile, Pbkdf2Profile


def argon2_profile() -> KdfProfile:
    """The configured cost of deriving keys from human secrets: Argon2id, or
    PBKDF2-HMAC-SM3 where a `gm` deployment sets SECRET_KDF = "pbkdf2-sm3"."""
    cfg = current_app.config
    if cfg["SECRET_KDF"] == "pbkdf2-sm3":
        return Pbkdf2Profile(cfg["PBKDF2_ITERATIONS"])
    return Argon2Profile(cfg["ARGON2_MEMORY_KIB"], cfg["ARGON2_ITERATIONS"], cfg["ARGON2_LANES"])


def receipt_pepper() -> bytes:
    """The receipt pepper (configuration, never the database)."""
    return current_app.config["RECEIPT_PEPPER"].encode()


def setting(name: str):
    """Any other configuration value."""
    return current_app.config[name]
