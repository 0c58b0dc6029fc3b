"""The key scheme of DESIGN.md, in one of two cipher suites; the only package that
imports `cryptography` (and `gmssl-pyx`, for SM2).

A deployment picks its suite once, at `init` (README, "Cipher suite"):

- `intl`: X25519 + HKDF-SHA256 + AES-256-GCM, HMAC-SHA256, SHA-256 (`intl.py`);
- `gm`: SM2 + HKDF-SM3 + SM4-GCM, HMAC-SM3, SM3 (`gm.py`).

Callers never name a suite: the functions below work in the active one
(`use_suite`, set for each application context from configuration). Every
ciphertext, sealed box, key and credential record made here starts with its
suite's identifier byte, so a record is never opened with the wrong suite:
one of the other suite raises `SuiteMismatch`, never a silent failure (a
sealed box or key by its identifier and size; a ciphertext, whose identifier
could be the first nonce byte of a record from before suites, when it
authenticates as the other suite's). Records
written before suites existed carry no identifier; they are `intl` and read as
such (an `intl` deployment tries the unprefixed layout when the prefixed one
does not authenticate). Every other failure is a `CryptoError`, so a tampered
ciphertext, a swapped field or a wrong key can never pass silently.
"""

from __future__ import annotations

import contextvars
import hmac
import secrets
import struct
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from portal.domain.crypto import gm, intl
from portal.domain.crypto.errors import CryptoError, SuiteMismatch, WrongSecret

__all__ = [
    "KEY_BYTES",
    "SUITES",
    "Argon2Profile",
    "CryptoError",
    "KdfProfile",
    "KeyPair",
    "Pbkdf2Profile",
    "SuiteMismatch",
    "WrongSecret",
    "active_suite",
    "argon2id",
    "credential_kdf",
    "decrypt",
    "derive_secret",
    "digest",
    "encrypt",
    "equal",
    "expand",
    "keyed_hash",
    "new_credential",
    "open_credential",
    "random_key",
    "restore_suite",
    "seal",
    "suite_of_public_key",
    "unseal",
    "use_suite",
    "using",
]

KEY_BYTES = 32
SALT_BYTES = 16
_CRED_MAGIC_V1 = b"ZC1"  # before suites: intl, Argon2id
_CRED_MAGIC = b"ZC2"  # magic, suite, kdf, cost, salt, verifier
_KDF_ARGON2ID = 1
_KDF_PBKDF2_SM3 = 2

#: The suites by name; a deployment's is one of these.
SUITES: dict[str, ModuleType] = {intl.NAME: intl, gm.NAME: gm}
_BY_IDENT = {suite.IDENT: suite for suite in SUITES.values()}
_active: contextvars.ContextVar[ModuleType] = contextvars.ContextVar("zm_cipher_suite", default=intl)


def _suite(name: str) -> ModuleType:
    try:
        return SUITES[name]
    except KeyError:
        raise ValueError(f"unknown cipher suite {name!r} (one of: {', '.join(SUITES)})") from None


def use_suite(name: str) -> contextvars.Token[ModuleType]:
    """Make `name` the active suite in this context; returns the token that undoes it."""
    return _active.set(_suite(name))


def restore_suite(token: contextvars.Token[ModuleType]) -> None:
    _active.reset(token)


@contextmanager
def using(name: str) -> Iterator[None]:
    """The suite `name` for the duration of a block (tests, benchmarks)."""
    token = use_suite(name)
    try:
        yield
    finally:
        _active.reset(token)


def active_suite() -> str:
    return str(_active.get().NAME)


def _mismatch(found: ModuleType) -> SuiteMismatch:
    return SuiteMismatch(f"a record of the {found.NAME} cipher suite, but this deployment runs {active_suite()}")


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


@dataclass(frozen=True)
class Pbkdf2Profile:
    """PBKDF2-HMAC-SM3 cost (GM/T 0091), for `gm` deployments whose assessors require it."""

    iterations: int

    def pack(self) -> bytes:
        return struct.pack(">I", self.iterations)

    @classmethod
    def unpack(cls, raw: bytes) -> Pbkdf2Profile:
        (iterations,) = struct.unpack(">I", raw)
        if not gm.PBKDF2_MIN_ITERATIONS <= iterations <= MAX_PBKDF2_ITERATIONS:
            raise CryptoError("implausible PBKDF2 iteration count")
        return cls(iterations)


#: How human secrets (passwords, passphrases, receipts) become keys.
KdfProfile = Argon2Profile | Pbkdf2Profile

PROFILE_BYTES = 9
#: Upper bound on a stored profile's memory (2 GiB).
MAX_MEMORY_KIB = 2 * 1024 * 1024
#: Upper bound on a stored PBKDF2 count (minutes of work; a tampered record asks no more).
MAX_PBKDF2_ITERATIONS = 50_000_000


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
    """One slow derivation of 32 bytes from a human secret (the same in both suites)."""
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


def derive_secret(secret: bytes, salt: bytes, profile: KdfProfile, pepper: bytes | None = None) -> bytes:
    """The slow step for a human secret: Argon2id, or PBKDF2-HMAC-SM3 where configured.

    PBKDF2 has no secret input, so a pepper is applied first as HMAC-SM3(pepper, secret).
    """
    if isinstance(profile, Argon2Profile):
        return argon2id(secret, salt, profile, pepper)
    if _active.get() is not gm:
        raise _mismatch(gm)
    return gm.pbkdf2(gm.mac(pepper, secret) if pepper else secret, salt, profile.iterations)


def expand(master: bytes, label: bytes) -> bytes:
    """Split one slow derivation into independent keys (HKDF-SHA256, or HKDF-SM3)."""
    return bytes(_active.get().expand(master, label))


def keyed_hash(key: bytes, data: bytes) -> bytes:
    """HMAC (SHA-256, or SM3), for values that must be comparable but not reversible."""
    return bytes(_active.get().mac(key, data))


def digest(data: bytes) -> bytes:
    """The suite's hash (SHA-256, or SM3): 32 bytes."""
    return bytes(_active.get().digest(data))


def equal(a: bytes, b: bytes) -> bool:
    """Constant-time comparison."""
    return hmac.compare_digest(a, b)


def encrypt(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """suite || nonce || AEAD (AES-256-GCM or SM4-GCM); the associated data names the
    row and field it belongs to."""
    if len(key) != KEY_BYTES:
        raise CryptoError("malformed key")
    suite = _active.get()
    return bytes([suite.IDENT]) + suite.aead_encrypt(key, plaintext, aad)


def _aead_open(suite: ModuleType, key: bytes, blob: bytes, aad: bytes) -> bytes | None:
    """The plaintext if `blob` is a ciphertext of `suite` that authenticates, else None."""
    if blob and blob[0] == suite.IDENT:
        try:
            return bytes(suite.aead_decrypt(key, blob[1:], aad))
        except CryptoError:
            pass  # under intl, one unprefixed record in 256 starts with its identifier by chance
    if suite is intl:  # from before suites: no identifier
        try:
            return intl.aead_decrypt(key, blob, aad)
        except CryptoError:
            pass
    return None


def decrypt(key: bytes, blob: bytes, aad: bytes) -> bytes:
    """Reverse of `encrypt`; raises CryptoError unless key, aad and bytes all match.

    A ciphertext that authenticates as the other suite's raises SuiteMismatch instead
    (the other suite is tried only to name the failure, never to return anything).
    """
    if len(key) != KEY_BYTES:
        raise CryptoError("malformed key")
    suite = _active.get()
    plaintext = _aead_open(suite, key, blob, aad)
    if plaintext is not None:
        return plaintext
    for other in SUITES.values():
        if other is not suite and _aead_open(other, key, blob, aad) is not None:
            raise _mismatch(other)
    raise CryptoError("authentication failed")


def _open_box(blob: bytes, attempt: Callable[[ModuleType, bytes], bytes], legacy: Callable[[bytes], bytes]) -> bytes:
    """Dispatch a sealed box on its identifier byte: this suite's open, the other suite's
    are refused, and under `intl` a box from before suites (no identifier) still opens."""
    suite = _active.get()
    if not blob:
        raise CryptoError("empty sealed box")
    found = _BY_IDENT.get(blob[0])
    if found is suite:
        try:
            return attempt(suite, blob[1:])
        except CryptoError:
            if suite is not intl:
                raise
            # one unprefixed box in 256 starts with intl's identifier by chance
    if suite is intl:
        try:
            return legacy(blob)
        except CryptoError:
            if found is not None and found is not intl:
                raise _mismatch(found) from None
            raise
    if found is not None:
        raise _mismatch(found)
    raise CryptoError("not a sealed box of any cipher suite")


def _key_of(raw: bytes, kind: str) -> bytes:
    """This suite's raw key out of a stored one (suite || key, or a bare 32-byte intl key)."""
    suite = _active.get()
    size = "PUBLIC_BYTES" if kind == "public" else "PRIVATE_BYTES"
    if len(raw) == 32:  # from before suites
        if suite is intl:
            return raw
        raise _mismatch(intl)
    found = _BY_IDENT.get(raw[0]) if raw else None
    if found is None or len(raw) != 1 + getattr(found, size):
        raise CryptoError(f"malformed {kind} key")
    if found is not suite:
        raise _mismatch(found)
    return raw[1:]


def suite_of_public_key(raw: bytes) -> str:
    """Which suite a stored public key belongs to (bare 32 bytes: intl, from before suites)."""
    if len(raw) == 32:
        return intl.NAME
    found = _BY_IDENT.get(raw[0]) if raw else None
    if found is None or len(raw) != 1 + found.PUBLIC_BYTES:
        raise CryptoError("malformed public key")
    return str(found.NAME)


@dataclass(frozen=True)
class KeyPair:
    """A key pair of the active suite, each half as suite || raw key."""

    public: bytes
    private: bytes

    @classmethod
    def generate(cls) -> KeyPair:
        suite = _active.get()
        public, private = suite.generate()
        prefix = bytes([suite.IDENT])
        return cls(public=prefix + public, private=prefix + private)


def seal(recipient_public: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """Sealed box: anyone may wrap for a public key; only its private key opens it."""
    raw = _key_of(recipient_public, "public")
    suite = _active.get()
    return bytes([suite.IDENT]) + suite.seal(raw, plaintext, aad)


def unseal(recipient_private: bytes, blob: bytes, aad: bytes) -> bytes:
    """Open a sealed box with the recipient's private key."""
    raw = _key_of(recipient_private, "private")
    return bytes(
        _open_box(
            blob,
            lambda suite, body: suite.unseal(raw, body, aad),
            lambda body: intl.unseal(raw, body, aad),
        )
    )


def _slow_master(secret: bytes, salt: bytes, profile: KdfProfile) -> bytes:
    return derive_secret(secret, salt, profile)


def new_credential(secret: bytes, profile: KdfProfile) -> tuple[bytes, bytes]:
    """One slow derivation gives a stored verifier and a key to wrap private data.

    Returns (record, wrap_key). The record carries magic, suite, derivation and
    its cost, salt and verifier, so a later change of profile still opens old
    credentials.
    """
    suite = _active.get()
    kdf = _KDF_ARGON2ID if isinstance(profile, Argon2Profile) else _KDF_PBKDF2_SM3
    salt = secrets.token_bytes(SALT_BYTES)
    master = _slow_master(secret, salt, profile)
    header = _CRED_MAGIC + bytes([suite.IDENT, kdf]) + profile.pack()
    return header + salt + expand(master, b"verifier"), expand(master, b"wrap")


def _parse_credential(record: bytes) -> tuple[ModuleType, KdfProfile, bytes, bytes]:
    """(suite, profile, salt, verifier) of a record, or CryptoError."""
    tail = SALT_BYTES + KEY_BYTES
    if record.startswith(_CRED_MAGIC_V1) and len(record) == 3 + PROFILE_BYTES + tail:
        profile: KdfProfile = Argon2Profile.unpack(record[3 : 3 + PROFILE_BYTES])
        return intl, profile, record[-tail:-KEY_BYTES], record[-KEY_BYTES:]
    if not record.startswith(_CRED_MAGIC) or len(record) < 5:
        raise CryptoError("malformed credential record")
    found, kdf = _BY_IDENT.get(record[3]), record[4]
    cost = {_KDF_ARGON2ID: PROFILE_BYTES, _KDF_PBKDF2_SM3: 4}.get(kdf)
    if found is None or cost is None or len(record) != 5 + cost + tail:
        raise CryptoError("malformed credential record")
    packed = record[5 : 5 + cost]
    profile = Argon2Profile.unpack(packed) if kdf == _KDF_ARGON2ID else Pbkdf2Profile.unpack(packed)
    return found, profile, record[-tail:-KEY_BYTES], record[-KEY_BYTES:]


def credential_kdf(record: bytes) -> str:
    """`argon2id` or `pbkdf2-sm3`: how a stored credential derives its keys."""
    return "argon2id" if isinstance(_parse_credential(record)[1], Argon2Profile) else "pbkdf2-sm3"


def open_credential(secret: bytes, record: bytes) -> bytes:
    """Check a secret against its record and return the wrap key; WrongSecret if not."""
    found, profile, salt, verifier = _parse_credential(record)
    if found is not _active.get():
        raise _mismatch(found)
    if isinstance(profile, Pbkdf2Profile) and found is not gm:
        raise CryptoError("malformed credential record")
    master = _slow_master(secret, salt, profile)
    if not equal(expand(master, b"verifier"), verifier):
        raise WrongSecret("secret does not match")
    return expand(master, b"wrap")
