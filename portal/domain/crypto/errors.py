"""The crypto package's exceptions, apart so that each suite module can raise them."""

from __future__ import annotations


class CryptoError(Exception):
    """Decryption or key unwrapping failed: wrong key, wrong field or tampering."""


class WrongSecret(CryptoError):
    """The password, passphrase or receipt does not match the stored verifier."""


class SuiteMismatch(Exception):
    """A record (ciphertext, sealed box, key or credential) of another cipher suite.

    Deliberately not a CryptoError: callers turn CryptoError into "wrong receipt" or
    "wrong password", and a record of the other suite is never that. It means a
    database of one deployment met the configuration of another (or was mixed), and
    must surface as the error it is.
    """
