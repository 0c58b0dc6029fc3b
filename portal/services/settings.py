"""Configuration values the services need, read at call time."""

from __future__ import annotations

from flask import current_app

from portal.domain.crypto import Argon2Profile


def argon2_profile() -> Argon2Profile:
    """The configured Argon2id cost."""
    cfg = current_app.config
    return Argon2Profile(cfg["ARGON2_MEMORY_KIB"], cfg["ARGON2_ITERATIONS"], cfg["ARGON2_LANES"])


def receipt_pepper() -> bytes:
    """The receipt pepper (configuration, never the database)."""
    return current_app.config["RECEIPT_PEPPER"].encode()


def setting(name: str):
    """Any other configuration value."""
    return current_app.config[name]
