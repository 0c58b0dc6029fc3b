"""The `gm` suite (国密): SM2 + SM3 + SM4, for deployments assessed against GB/T 39786.

Raw primitives only, on bytes without the suite prefix; `portal.domain.crypto`
adds and checks the prefix. Every failure is a CryptoError.

- AEAD: SM4-GCM (`cryptography`), 96-bit random nonce, 128-bit tag. The
  interface's keys are 256-bit; the SM4 key is HKDF-SM3 of the whole key.
- MAC and key expansion: HMAC-SM3 and HKDF-SM3 (`cryptography`); hashes SM3.
- Sealed boxes: SM2 public-key encryption (GB/T 32918.4, C1C3C2, DER as GM/T
  0009) of a fresh SM4 key, then SM4-GCM over the payload, with the recipient's
  public key and the SM2 ciphertext bound into the associated data. SM2 comes
  from `gmssl-pyx` (GmSSL 3.2 inside). Its decryption is not constant-time; the
  portal only decrypts boxes it made itself, for signed-in staff (README).
- PBKDF2-HMAC-SM3 (GM/T 0091), for assessors who require it instead of Argon2id.
"""

from __future__ import annotations

import secrets

import gmssl_pyx
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from portal.domain.crypto.errors import CryptoError

NAME = "gm"
IDENT = 0x02
#: SM2 public key as x || y (64 bytes).
PUBLIC_BYTES = 64
#: SM2 private key d (32 bytes) followed by its public key, which the sealed box binds.
PRIVATE_BYTES = 32 + 64
SM4_KEY_BYTES = 16
NONCE_BYTES = 12
TAG_BYTES = 16
_SEALED_INFO = b"zhengming sealed box gm v1"
_AEAD_KEY_INFO = b"zhengming sm4-gcm key v1"
#: GM/T 0091: salt of at least 64 bits, at least 1024 iterations.
PBKDF2_MIN_ITERATIONS = 1024
PBKDF2_MIN_SALT_BYTES = 8


def expand(master: bytes, label: bytes, length: int = 32) -> bytes:
    return HKDF(algorithm=hashes.SM3(), length=length, salt=None, info=label).derive(master)


def mac(key: bytes, data: bytes) -> bytes:
    h = crypto_hmac.HMAC(key, hashes.SM3())
    h.update(data)
    return h.finalize()


def digest(data: bytes) -> bytes:
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize()


def sm4_gcm_encrypt(key: bytes, nonce: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """SM4-GCM as RFC 8998: ciphertext || 16-byte tag."""
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    body = encryptor.update(plaintext) + encryptor.finalize()
    return body + encryptor.tag


def sm4_gcm_decrypt(key: bytes, nonce: bytes, body: bytes, aad: bytes) -> bytes:
    if len(body) < TAG_BYTES:
        raise CryptoError("malformed ciphertext")
    try:
        decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, body[-TAG_BYTES:])).decryptor()
        decryptor.authenticate_additional_data(aad)
        return decryptor.update(body[:-TAG_BYTES]) + decryptor.finalize()
    except (InvalidTag, ValueError) as exc:
        raise CryptoError("authentication failed") from exc


def _aead_key(key: bytes) -> bytes:
    return expand(key, _AEAD_KEY_INFO, SM4_KEY_BYTES)


def aead_encrypt(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """nonce || SM4-GCM(plaintext) || tag."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + sm4_gcm_encrypt(_aead_key(key), nonce, plaintext, aad)


def aead_decrypt(key: bytes, body: bytes, aad: bytes) -> bytes:
    if len(body) < NONCE_BYTES + TAG_BYTES:
        raise CryptoError("malformed ciphertext")
    return sm4_gcm_decrypt(_aead_key(key), body[:NONCE_BYTES], body[NONCE_BYTES:], aad)


def generate() -> tuple[bytes, bytes]:
    """(public x || y, private d || public)."""
    try:
        public, private = gmssl_pyx.sm2_key_generate()
    except gmssl_pyx.GmsslInnerError as exc:
        raise CryptoError("SM2 key generation failed") from exc
    return public, private + public


def sm2_encrypt(public: bytes, plaintext: bytes) -> bytes:
    """SM2 encryption (C1C3C2, DER); the point is checked to lie on the curve."""
    try:
        return gmssl_pyx.sm2_encrypt(gmssl_pyx.normalize_sm2_public_key(public), plaintext)
    except gmssl_pyx.GmsslInnerError as exc:
        raise CryptoError("unusable public key") from exc


def sm2_decrypt(private_d: bytes, ciphertext: bytes) -> bytes:
    """SM2 decryption; any malformed, off-curve or tampered ciphertext is a CryptoError."""
    try:
        return gmssl_pyx.sm2_decrypt(private_d, ciphertext)
    except gmssl_pyx.GmsslInnerError as exc:
        raise CryptoError("SM2 decryption failed") from exc


def sm2_verify(public: bytes, message: bytes, signature: bytes) -> bool:
    """SM2 signature check with the default signer id; the portal signs nothing, the
    known-answer tests use it to check the pinned library against GB/T 32918."""
    try:
        return bool(gmssl_pyx.sm2_verify(gmssl_pyx.normalize_sm2_public_key(public), message, signature))
    except gmssl_pyx.GmsslInnerError:
        return False


def _sealed_aad(recipient_public: bytes, sm2_ciphertext: bytes, aad: bytes) -> bytes:
    return _SEALED_INFO + recipient_public + bytes([len(sm2_ciphertext)]) + sm2_ciphertext + aad


def seal(recipient_public: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """len(C) || C = SM2(recipient, k) || nonce || SM4-GCM_k(plaintext), C bound into the AAD."""
    if len(recipient_public) != PUBLIC_BYTES:
        raise CryptoError("malformed public key")
    key = secrets.token_bytes(SM4_KEY_BYTES)
    wrapped = sm2_encrypt(recipient_public, key)
    if len(wrapped) > 255:  # DER of a 16-byte plaintext is about 120 bytes
        raise CryptoError("unexpected SM2 ciphertext")
    nonce = secrets.token_bytes(NONCE_BYTES)
    body = sm4_gcm_encrypt(key, nonce, plaintext, _sealed_aad(recipient_public, wrapped, aad))
    return bytes([len(wrapped)]) + wrapped + nonce + body


def unseal(recipient_private: bytes, box: bytes, aad: bytes) -> bytes:
    if len(recipient_private) != PRIVATE_BYTES:
        raise CryptoError("malformed private key")
    if not box:
        raise CryptoError("malformed sealed box")
    size = box[0]
    if len(box) < 1 + size + NONCE_BYTES + TAG_BYTES:
        raise CryptoError("malformed sealed box")
    wrapped = box[1 : 1 + size]
    nonce = box[1 + size : 1 + size + NONCE_BYTES]
    key = sm2_decrypt(recipient_private[:32], wrapped)
    if len(key) != SM4_KEY_BYTES:
        raise CryptoError("malformed sealed box")
    public = recipient_private[32:]
    return sm4_gcm_decrypt(key, nonce, box[1 + size + NONCE_BYTES :], _sealed_aad(public, wrapped, aad))


def pbkdf2(secret: bytes, salt: bytes, iterations: int) -> bytes:
    """PBKDF2-HMAC-SM3 to 32 bytes (GM/T 0091)."""
    if iterations < PBKDF2_MIN_ITERATIONS or len(salt) < PBKDF2_MIN_SALT_BYTES:
        raise CryptoError("PBKDF2 below GM/T 0091's minimum")
    return PBKDF2HMAC(algorithm=hashes.SM3(), length=32, salt=salt, iterations=iterations).derive(secret)
