"""The key scheme of DESIGN.md; the only module that imports `cryptography`.

Everything here works on bytes and raises `CryptoError` on any failure, so a
tampered ciphertext, a swapped field or a wrong key can never pass silently.
"""

from __future__ import annotations

import hmac
import secrets
import struct
import threading
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import (
    X25519PrivateKey,
    X25519PublicKey,
)
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

KEY_BYTES = 32
NONCE_BYTES = 12
SALT_BYTES = 16
_SEALED_INFO = b"zhengming sealed box v1"
_CRED_MAGIC = b"ZC1"


class CryptoError(Exception):
    """Decryption or key unwrapping failed: wrong key, wrong field or tampering."""


@dataclass(frozen=True)
class Argon2Profile:
    """Argon2id cost: memory in KiB, passes and lanes; configuration decides."""

    memory_kib: int
    iterations: int
    lanes: int

    def pack(self) -> bytes:
        return struct.pack(">IIB", self.memory_kib, self.iterations, self.lanes)

    @classmethod
    def unpack(cls, raw: bytes) -> Argon2Profile:
        """Read a stored profile; refuse values no deployment would set (a tampered
        record must not make one sign-in ask for gigabytes or billions of passes)."""
        memory_kib, iterations, lanes = struct.unpack(">IIB", raw)
        if not (1 <= lanes <= 16 and 1 <= iterations <= 16 and 8 * lanes <= memory_kib <= MAX_MEMORY_KIB):
            raise CryptoError("implausible Argon2id profile")
        return cls(memory_kib, iterations, lanes)


PROFILE_BYTES = 9
#: Upper bound on a stored profile's memory (2 GiB).
MAX_MEMORY_KIB = 2 * 1024 * 1024


def random_key() -> bytes:
    """A fresh 256-bit key (a case data key or a session key)."""
    return secrets.token_bytes(KEY_BYTES)


#: One multi-lane derivation at a time in this process (never across processes).
#:
#: `cryptography` runs Argon2id's lanes on OpenSSL's thread pool, which belongs to
#: the process's default library context and is capped by OSSL_set_max_threads.
#: OpenSSL refuses a derivation that asks for more threads than are free (the
#: "Not enough memory to derive key" MemoryError), and two derivations that pass
#: that check together each start lanes with CRYPTO_THREAD_START_AWAIT before
#: joining any: each holds part of the pool and waits for the rest, forever.
#: Taking turns loses nothing: one derivation already keeps its lanes busy on
#: the pool's threads, and other workers (processes) have pools of their own.
#: A single-lane derivation never touches the pool and needs no turn.
_POOL_TURN = threading.Lock()


def argon2id(secret: bytes, salt: bytes, profile: Argon2Profile, pepper: bytes | None = None) -> bytes:
    """One slow derivation of 32 bytes from a human secret."""
    kdf = Argon2id(
        salt=salt,
        length=KEY_BYTES,
        iterations=profile.iterations,
        lanes=profile.lanes,
        memory_cost=profile.memory_kib,
        secret=pepper or None,
    )
    if profile.lanes == 1:
        return kdf.derive(secret)
    with _POOL_TURN:
        return kdf.derive(secret)


def expand(master: bytes, label: bytes) -> bytes:
    """Split one slow derivation into independent keys (HKDF-SHA256)."""
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=label).derive(master)


def keyed_hash(key: bytes, data: bytes) -> bytes:
    """HMAC-SHA256, for values that must be comparable but not reversible."""
    return hmac.new(key, data, "sha256").digest()


def equal(a: bytes, b: bytes) -> bool:
    """Constant-time comparison."""
    return hmac.compare_digest(a, b)


def encrypt(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """AES-256-GCM; the associated data names the row and field it belongs to."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def decrypt(key: bytes, blob: bytes, aad: bytes) -> bytes:
    """Reverse of `encrypt`; raises CryptoError unless key, aad and bytes all match."""
    if len(key) != KEY_BYTES or len(blob) < NONCE_BYTES + 16:
        raise CryptoError("malformed key or ciphertext")
    try:
        return AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
    except InvalidTag as exc:
        raise CryptoError("authentication failed") from exc


@dataclass(frozen=True)
class KeyPair:
    """An X25519 key pair as raw 32-byte values."""

    public: bytes
    private: bytes

    @classmethod
    def generate(cls) -> KeyPair:
        private = X25519PrivateKey.generate()
        return cls(
            public=private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw),
            private=private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()),
        )


def _sealed_key(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=KEY_BYTES,
        salt=ephemeral_public + recipient_public,
        info=_SEALED_INFO,
    ).derive(shared)


def seal(recipient_public: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """Sealed box: anyone may wrap for a public key; only its private key opens it."""
    try:
        recipient = X25519PublicKey.from_public_bytes(recipient_public)
    except ValueError as exc:
        raise CryptoError("malformed public key") from exc
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    try:
        shared = ephemeral.exchange(recipient)
    except ValueError as exc:  # a low-order point gives an all-zero secret
        raise CryptoError("unusable public key") from exc
    key = _sealed_key(shared, ephemeral_public, recipient_public)
    return ephemeral_public + encrypt(key, plaintext, aad)


def unseal(recipient_private: bytes, blob: bytes, aad: bytes) -> bytes:
    """Open a sealed box with the recipient's private key."""
    if len(blob) < KEY_BYTES:
        raise CryptoError("malformed sealed box")
    try:
        private = X25519PrivateKey.from_private_bytes(recipient_private)
        ephemeral_public = blob[:KEY_BYTES]
        shared = private.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
    except ValueError as exc:
        raise CryptoError("malformed key") from exc
    recipient_public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    key = _sealed_key(shared, ephemeral_public, recipient_public)
    return decrypt(key, blob[KEY_BYTES:], aad)


class WrongSecret(CryptoError):
    """The password, passphrase or receipt does not match the stored verifier."""


def new_credential(secret: bytes, profile: Argon2Profile) -> tuple[bytes, bytes]:
    """One slow derivation gives a stored verifier and a key to wrap private data.

    Returns (record, wrap_key). The record carries magic, cost, salt and
    verifier, so a later change of profile still opens old credentials.
    """
    salt = secrets.token_bytes(SALT_BYTES)
    master = argon2id(secret, salt, profile)
    record = _CRED_MAGIC + profile.pack() + salt + expand(master, b"verifier")
    return record, expand(master, b"wrap")


def open_credential(secret: bytes, record: bytes) -> bytes:
    """Check a secret against its record and return the wrap key; WrongSecret if not."""
    header = len(_CRED_MAGIC) + PROFILE_BYTES
    if len(record) != header + SALT_BYTES + KEY_BYTES or not record.startswith(_CRED_MAGIC):
        raise CryptoError("malformed credential record")
    profile = Argon2Profile.unpack(record[len(_CRED_MAGIC) : header])
    salt = record[header : header + SALT_BYTES]
    master = argon2id(secret, salt, profile)
    if not equal(expand(master, b"verifier"), record[header + SALT_BYTES :]):
        raise WrongSecret("secret does not match")
    return expand(master, b"wrap")
