"""The `intl` suite: X25519 + HKDF-SHA256 + AES-256-GCM, HMAC-SHA256, SHA-256.

Raw primitives only, on bytes without the suite prefix; `portal.domain.crypto`
adds and checks the prefix. Every failure is a CryptoError.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from portal.domain.crypto.errors import CryptoError

NAME = "intl"
IDENT = 0x01
PUBLIC_BYTES = 32
PRIVATE_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
_SEALED_INFO = b"zhengming sealed box v1"


def expand(master: bytes, label: bytes, length: int = 32) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=label).derive(master)


def mac(key: bytes, data: bytes) -> bytes:
    return hmac.new(key, data, "sha256").digest()


def digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def aead_encrypt(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """nonce || AES-256-GCM(plaintext) || tag."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def aead_decrypt(key: bytes, body: bytes, aad: bytes) -> bytes:
    if len(body) < NONCE_BYTES + TAG_BYTES:
        raise CryptoError("malformed ciphertext")
    try:
        return AESGCM(key).decrypt(body[:NONCE_BYTES], body[NONCE_BYTES:], aad)
    except InvalidTag as exc:
        raise CryptoError("authentication failed") from exc


def generate() -> tuple[bytes, bytes]:
    """(public, private), raw 32 bytes each."""
    private = X25519PrivateKey.generate()
    return (
        private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw),
        private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()),
    )


def _sealed_key(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=ephemeral_public + recipient_public, info=_SEALED_INFO
    ).derive(shared)


def seal(recipient_public: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """ephemeral public || AES-GCM under HKDF(X25519(ephemeral, recipient))."""
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
    return ephemeral_public + aead_encrypt(key, plaintext, aad)


def unseal(recipient_private: bytes, body: bytes, aad: bytes) -> bytes:
    if len(body) < PUBLIC_BYTES:
        raise CryptoError("malformed sealed box")
    try:
        private = X25519PrivateKey.from_private_bytes(recipient_private)
        ephemeral_public = body[:PUBLIC_BYTES]
        shared = private.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
    except ValueError as exc:
        raise CryptoError("malformed key") from exc
    recipient_public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    key = _sealed_key(shared, ephemeral_public, recipient_public)
    return aead_decrypt(key, body[PUBLIC_BYTES:], aad)
