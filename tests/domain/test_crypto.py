"""The key scheme, in both cipher suites: every failure is a CryptoError (a record
of the other suite a SuiteMismatch), nothing passes silently."""

from __future__ import annotations

import pytest

from portal.domain.crypto import (
    SUITES,
    Argon2Profile,
    CryptoError,
    KeyPair,
    WrongSecret,
    argon2id,
    decrypt,
    encrypt,
    new_credential,
    open_credential,
    random_key,
    seal,
    unseal,
    using,
)


@pytest.fixture(autouse=True, params=sorted(SUITES))
def suite(request):
    """Every test here runs under intl and under gm."""
    with using(request.param):
        yield SUITES[request.param]


FAST = Argon2Profile(8, 1, 1)
OTHER_FAST = Argon2Profile(16, 2, 1)
AAD = b"case:41/field:story"
PLAINTEXT = "举报内容 with some ASCII".encode()


def flipped(blob: bytes, index: int) -> bytes:
    out = bytearray(blob)
    out[index] ^= 0x01
    return bytes(out)


# --- AES-GCM -----------------------------------------------------------------


def test_encrypt_then_decrypt_returns_plaintext():
    key = random_key()
    assert decrypt(key, encrypt(key, PLAINTEXT, AAD), AAD) == PLAINTEXT


def test_empty_plaintext_round_trips():
    key = random_key()
    assert decrypt(key, encrypt(key, b"", AAD), AAD) == b""


def test_ciphertext_does_not_contain_plaintext():
    key = random_key()
    assert PLAINTEXT not in encrypt(key, PLAINTEXT, AAD)


def test_same_plaintext_encrypts_differently_each_time():
    key = random_key()
    assert encrypt(key, PLAINTEXT, AAD) != encrypt(key, PLAINTEXT, AAD)


def test_flipped_byte_anywhere_fails():
    key = random_key()
    blob = encrypt(key, PLAINTEXT, AAD)
    for index in range(len(blob)):  # nonce, body and tag
        with pytest.raises(CryptoError):
            decrypt(key, flipped(blob, index), AAD)


@pytest.mark.parametrize(
    "other_aad",
    [b"case:41/field:name", b"case:42/field:story", b"", AAD + b"\x00"],
    ids=["other-field", "other-row", "empty", "extended"],
)
def test_wrong_associated_data_fails(other_aad):
    key = random_key()
    blob = encrypt(key, PLAINTEXT, AAD)
    with pytest.raises(CryptoError):
        decrypt(key, blob, other_aad)


def test_wrong_key_fails():
    blob = encrypt(random_key(), PLAINTEXT, AAD)
    with pytest.raises(CryptoError):
        decrypt(random_key(), blob, AAD)


@pytest.mark.parametrize("length", [0, 16, 24, 31, 33])
def test_key_of_wrong_length_fails_with_crypto_error(length):
    key = random_key()
    blob = encrypt(key, PLAINTEXT, AAD)
    with pytest.raises(CryptoError):
        decrypt(key[:length] if length <= 32 else key + b"\x00", blob, AAD)


def test_every_truncation_fails_with_crypto_error():
    key = random_key()
    blob = encrypt(key, PLAINTEXT, AAD)
    for length in range(len(blob)):
        with pytest.raises(CryptoError):
            decrypt(key, blob[:length], AAD)


def test_appended_bytes_fail():
    key = random_key()
    with pytest.raises(CryptoError):
        decrypt(key, encrypt(key, PLAINTEXT, AAD) + b"\x00", AAD)


def test_random_keys_are_32_bytes_and_distinct():
    keys = {random_key() for _ in range(50)}
    assert len(keys) == 50
    assert all(len(k) == 32 for k in keys)


# --- sealed boxes ------------------------------------------------------------


def test_key_pair_carries_the_suite_and_its_key_sizes(suite):
    pair = KeyPair.generate()
    assert pair.public[0] == pair.private[0] == suite.IDENT
    assert len(pair.public) == 1 + suite.PUBLIC_BYTES
    assert len(pair.private) == 1 + suite.PRIVATE_BYTES
    assert pair.public != pair.private


def test_generated_key_pairs_differ():
    assert KeyPair.generate() != KeyPair.generate()


def test_seal_then_unseal_returns_plaintext():
    pair = KeyPair.generate()
    assert unseal(pair.private, seal(pair.public, PLAINTEXT, AAD), AAD) == PLAINTEXT


def test_two_seals_of_same_plaintext_differ():
    pair = KeyPair.generate()
    assert seal(pair.public, PLAINTEXT, AAD) != seal(pair.public, PLAINTEXT, AAD)


def test_sealed_box_does_not_contain_plaintext():
    pair = KeyPair.generate()
    assert PLAINTEXT not in seal(pair.public, PLAINTEXT, AAD)


def test_unseal_with_other_private_key_fails():
    box = seal(KeyPair.generate().public, PLAINTEXT, AAD)
    with pytest.raises(CryptoError):
        unseal(KeyPair.generate().private, box, AAD)


def test_unseal_with_wrong_aad_fails():
    pair = KeyPair.generate()
    box = seal(pair.public, PLAINTEXT, b"case:1/user:7")
    with pytest.raises(CryptoError):
        unseal(pair.private, box, b"case:1/user:8")


def test_sealed_box_flipped_byte_anywhere_fails():
    pair = KeyPair.generate()
    box = seal(pair.public, PLAINTEXT, AAD)
    for index in range(len(box)):  # ephemeral key, nonce, body and tag
        with pytest.raises(CryptoError):
            unseal(pair.private, flipped(box, index), AAD)


def test_sealed_box_every_truncation_fails_with_crypto_error():
    pair = KeyPair.generate()
    box = seal(pair.public, PLAINTEXT, AAD)
    for length in range(len(box)):
        with pytest.raises(CryptoError):
            unseal(pair.private, box[:length], AAD)


def test_sealed_box_with_low_order_ephemeral_key_fails_with_crypto_error(suite):
    if suite.NAME != "intl":
        pytest.skip("X25519 only")
    pair = KeyPair.generate()
    box = seal(pair.public, PLAINTEXT, AAD)
    with pytest.raises(CryptoError):
        unseal(pair.private, box[:1] + bytes(32) + box[33:], AAD)


@pytest.mark.parametrize("length", [0, 31, 33])
def test_seal_to_public_key_of_wrong_length_raises_crypto_error(length):
    with pytest.raises(CryptoError):
        seal(b"\x09" * length, PLAINTEXT, AAD)


@pytest.mark.parametrize("public", [bytes(32), (1).to_bytes(32, "little")], ids=["zero", "one"])
def test_seal_to_low_order_public_key_raises_crypto_error(suite, public):
    if suite.NAME != "intl":
        pytest.skip("X25519 only")
    for key in (public, b"\x01" + public):
        with pytest.raises(CryptoError):
            seal(key, PLAINTEXT, AAD)


@pytest.mark.parametrize("length", [0, 31, 33])
def test_unseal_with_private_key_of_wrong_length_raises_crypto_error(length):
    pair = KeyPair.generate()
    box = seal(pair.public, PLAINTEXT, AAD)
    with pytest.raises(CryptoError):
        unseal(b"\x09" * length, box, AAD)


# --- Argon2id and credentials ------------------------------------------------


def test_argon2id_is_deterministic_and_32_bytes():
    salt = b"s" * 16
    first = argon2id(b"secret", salt, FAST)
    assert first == argon2id(b"secret", salt, FAST)
    assert len(first) == 32


def test_argon2id_with_pepper_differs_from_without():
    salt = b"s" * 16
    assert argon2id(b"secret", salt, FAST, pepper=b"pepper") != argon2id(b"secret", salt, FAST)


def test_argon2id_different_peppers_differ():
    salt = b"s" * 16
    assert argon2id(b"secret", salt, FAST, pepper=b"one") != argon2id(b"secret", salt, FAST, pepper=b"two")


def test_argon2id_depends_on_salt_secret_and_profile():
    base = argon2id(b"secret", b"s" * 16, FAST)
    assert base != argon2id(b"secret", b"t" * 16, FAST)
    assert base != argon2id(b"secreT", b"s" * 16, FAST)
    assert base != argon2id(b"secret", b"s" * 16, OTHER_FAST)


def test_realistic_profile_still_derives():
    key = argon2id(b"secret", b"s" * 16, Argon2Profile(65536, 3, 4))
    assert len(key) == 32


def test_profile_pack_round_trips():
    profile = Argon2Profile(65536, 3, 4)
    assert Argon2Profile.unpack(profile.pack()) == profile


def test_right_secret_gives_same_wrap_key_as_creation():
    record, wrap_key = new_credential(b"correct horse", FAST)
    assert open_credential(b"correct horse", record) == wrap_key
    assert len(wrap_key) == 32


def test_wrong_secret_raises_wrong_secret():
    record, _ = new_credential(b"correct horse", FAST)
    with pytest.raises(WrongSecret):
        open_credential(b"correct horsf", record)


def test_wrong_secret_is_a_crypto_error():
    assert issubclass(WrongSecret, CryptoError)


def test_same_secret_gives_different_records_and_wrap_keys():
    first, first_key = new_credential(b"same", FAST)
    second, second_key = new_credential(b"same", FAST)
    assert first != second
    assert first_key != second_key


def test_record_does_not_contain_secret():
    record, _ = new_credential(b"distinctive-secret", FAST)
    assert b"distinctive-secret" not in record


def test_record_opens_after_profile_changes():
    record, wrap_key = new_credential(b"pw", FAST)
    # A new record under another profile does not disturb the old one.
    new_credential(b"pw", OTHER_FAST)
    assert open_credential(b"pw", record) == wrap_key


def test_record_made_under_other_profile_opens():
    record, wrap_key = new_credential(b"pw", OTHER_FAST)
    assert open_credential(b"pw", record) == wrap_key


# Layout seen from outside: 3 magic, 1 suite, 1 derivation, 9 profile, 16 salt,
# 32 verifier = 62 bytes. Profile bytes are left out here: flipping a high byte asks
# for gigabytes or billions of passes (see the report), flipping a low one is tested below.
@pytest.mark.parametrize("index", [0, 1, 2, 3, 4, 14, 20, 29, 30, 45, 61])
def test_tampered_record_raises_crypto_error(index):
    record, _ = new_credential(b"pw", FAST)
    with pytest.raises(CryptoError):
        open_credential(b"pw", flipped(record, index))


def test_profile_tampered_to_another_valid_cost_does_not_open():
    record, _ = new_credential(b"pw", FAST)
    with pytest.raises(CryptoError):
        open_credential(b"pw", flipped(record, 8))  # memory 8 -> 9 KiB


@pytest.mark.parametrize(
    ("index", "mask"),
    [(12, 0x01), (13, 0x01), (13, 0xFF)],
    ids=["iterations-0", "lanes-0", "lanes-254"],
)
def test_record_with_impossible_profile_raises_crypto_error(index, mask):
    record, _ = new_credential(b"pw", FAST)
    tampered = bytearray(record)
    tampered[index] ^= mask
    with pytest.raises(CryptoError):
        open_credential(b"pw", bytes(tampered))


@pytest.mark.parametrize("cut", [0, 1, 3, 5, 14, 61])
def test_truncated_record_raises_crypto_error(cut):
    record, _ = new_credential(b"pw", FAST)
    with pytest.raises(CryptoError):
        open_credential(b"pw", record[:cut])


def test_extended_record_raises_crypto_error():
    record, _ = new_credential(b"pw", FAST)
    with pytest.raises(CryptoError):
        open_credential(b"pw", record + b"\x00")
