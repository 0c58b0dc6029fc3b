"""Failures a person can cause; the web layer maps each to a page in their language."""

from __future__ import annotations


class ServiceError(Exception):
    """Base of user-caused failures; nothing was written."""


class NotInitialised(ServiceError):
    """No escrow key yet: `flask --app wsgi init` has not been run."""


class ReceiptNotFound(ServiceError):
    """Wrong or unknown receipt; deliberately says nothing more."""


class SessionExpired(ServiceError):
    """The follow-up session is gone (left, expired or tampered)."""


class FormReplayed(ServiceError):
    """The form was already submitted, or is too old."""


class UsernameTaken(ServiceError):
    """An account with that name exists."""


class WrongPassphrase(ServiceError):
    """The escrow passphrase did not match."""
