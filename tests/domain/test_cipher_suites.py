"""The two cipher suites: known answers for gm's primitives, records that name their
suite, a record of the other suite refused loudly, and records from before suites."""

from __future__ import annotations

import secrets

import pytest

from portal.domain import audit_chain, receipts
from portal.domain.crypto import (
    Argon2Profile,
    CryptoError,
    KeyPair,
    Pbkdf2Profile,
    SuiteMismatch,
    WrongSecret,
    argon2id,
    credential_kdf,
    decrypt,
    digest,
    encrypt,
    expand,
    gm,
    intl,
    keyed_hash,
    new_credential,
    open_credential,
    random_key,
    seal,
    suite_of_public_key,
    unseal,
    using,
)

FAST = Argon2Profile(8, 1, 1)
AAD = b"case:41/field:story"
PLAINTEXT = "举报内容 for the suites".encode()
OTHER = {"intl": "gm", "gm": "intl"}

# --- known answers (gm) --------------------------------------------------------

# GB/T 32918.5-2017 (GM/T 0003.5-2012), recommended curve: key pair of the examples.
SM2_D = bytes.fromhex("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8")
SM2_PUBLIC = bytes.fromhex(
    "09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020"
    "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13"
)
# Its encryption example ("encryption standard", k = 59276E27...), C1 C3 C2 in GM/T 0009's DER.
SM2_CIPHERTEXT = bytes.fromhex(
    "307C"
    "022004EBFC718E8D1798620432268E77FEB6415E2EDE0E073C0F4F640ECD2E149A73"
    "022100E858F9D81E5430A57B36DAAB8F950A3C64E6EE6A63094D99283AFF767E124DF0"
    "042059983C18F809E262923C53AEC295D30383B54E39D609D160AFCB1908D0BD8766"
    "041321886CA989CA9C7D58087307CA93092D651EFA"
)
# Its signature example ("message digest", default signer id 1234567812345678), r and s in DER.
SM2_SIGNATURE = bytes.fromhex(
    "3046"
    "022100F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3"
    "022100B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA"
)


def test_sm3_of_abc():
    # GB/T 32905-2016, example 1.
    expected = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert gm.digest(b"abc").hex() == expected
    with using("gm"):
        assert digest(b"abc").hex() == expected


def test_sm4_gcm_rfc8998_vector():
    # RFC 8998, appendix A.1.
    key = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
    nonce = bytes.fromhex("00001234567800000000ABCD")
    aad = bytes.fromhex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2")
    plaintext = bytes.fromhex(
        "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD"
        "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA"
    )
    expected = bytes.fromhex(
        "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"
        "D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D"
        "83DE3541E4C2B58177E065A9BF7B62EC"  # tag
    )
    assert gm.sm4_gcm_encrypt(key, nonce, plaintext, aad) == expected
    assert gm.sm4_gcm_decrypt(key, nonce, expected, aad) == plaintext
    with pytest.raises(CryptoError):
        gm.sm4_gcm_decrypt(key, nonce, expected[:-1] + b"\x00", aad)


def test_sm2_decrypts_the_gbt32918_example_ciphertext():
    assert gm.sm2_decrypt(SM2_D, SM2_CIPHERTEXT) == b"encryption standard"


def test_sm2_example_ciphertext_tampered_or_wrong_key_fails():
    tampered = bytearray(SM2_CIPHERTEXT)
    tampered[-1] ^= 0x01  # in C2: the C3 hash no longer matches
    with pytest.raises(CryptoError):
        gm.sm2_decrypt(SM2_D, bytes(tampered))
    with pytest.raises(CryptoError):
        gm.sm2_decrypt(gm.generate()[1][:32], SM2_CIPHERTEXT)


def test_sm2_verifies_the_gbt32918_example_signature():
    assert gm.sm2_verify(SM2_PUBLIC, b"message digest", SM2_SIGNATURE)
    assert not gm.sm2_verify(SM2_PUBLIC, b"message digesT", SM2_SIGNATURE)
    other_public = gm.generate()[0]
    assert not gm.sm2_verify(other_public, b"message digest", SM2_SIGNATURE)


def test_the_example_key_pair_seals_and_unseals_through_the_interface():
    with using("gm"):
        public, private = b"\x02" + SM2_PUBLIC, b"\x02" + SM2_D + SM2_PUBLIC
        assert unseal(private, seal(public, PLAINTEXT, AAD), AAD) == PLAINTEXT


def test_seal_to_a_point_off_the_curve_fails():
    off_curve = SM2_PUBLIC[:-1] + bytes([SM2_PUBLIC[-1] ^ 0x01])
    with using("gm"), pytest.raises(CryptoError):
        seal(b"\x02" + off_curve, PLAINTEXT, AAD)


def test_gm_sealed_box_with_swapped_sm2_part_fails():
    with using("gm"):
        pair = KeyPair.generate()
        first, second = seal(pair.public, PLAINTEXT, AAD), seal(pair.public, PLAINTEXT, AAD)
        size_first, size_second = first[1], second[1]
        # second's SM2 ciphertext (its key) with first's payload: the AAD binds them
        mixed = first[:1] + second[1 : 2 + size_second] + first[2 + size_first :]
        with pytest.raises(CryptoError):
            unseal(pair.private, mixed, AAD)


# --- each record names its suite -------------------------------------------------


@pytest.mark.parametrize("name", ["intl", "gm"])
def test_every_record_starts_with_its_suite(name):
    ident = {"intl": intl.IDENT, "gm": gm.IDENT}[name]
    with using(name):
        pair = KeyPair.generate()
        record, _ = new_credential(b"pw", FAST)
        assert encrypt(random_key(), PLAINTEXT, AAD)[0] == ident
        assert seal(pair.public, PLAINTEXT, AAD)[0] == ident
        assert pair.public[0] == pair.private[0] == ident
        assert record[:3] == b"ZC2" and record[3] == ident
        assert suite_of_public_key(pair.public) == name


@pytest.mark.parametrize("name", ["intl", "gm"])
def test_records_of_the_other_suite_raise_suite_mismatch(name):
    with using(OTHER[name]):
        key = random_key()
        blob = encrypt(key, PLAINTEXT, AAD)
        pair = KeyPair.generate()
        box = seal(pair.public, PLAINTEXT, AAD)
        record, _ = new_credential(b"pw", FAST)
    with using(name):
        with pytest.raises(SuiteMismatch):
            decrypt(key, blob, AAD)
        with pytest.raises(SuiteMismatch):
            seal(pair.public, PLAINTEXT, AAD)
        with pytest.raises(SuiteMismatch):
            unseal(pair.private, box, AAD)
        with pytest.raises(SuiteMismatch):
            unseal(KeyPair.generate().private, box, AAD)
        with pytest.raises(SuiteMismatch):
            open_credential(b"pw", record)


def test_suite_mismatch_is_not_a_crypto_error():
    # Callers read CryptoError as "wrong receipt" or "wrong password"; a mixed record is neither.
    assert not issubclass(SuiteMismatch, CryptoError)


def test_hashes_and_keys_differ_between_suites():
    values = {}
    for name in ("intl", "gm"):
        with using(name):
            values[name] = (digest(b"x"), keyed_hash(b"k", b"x"), expand(b"m" * 32, b"label"))
    assert all(a != b for a, b in zip(values["intl"], values["gm"], strict=True))
    assert all(len(v) == 32 for v in values["intl"] + values["gm"])


def test_the_audit_chain_uses_the_suites_hash():
    link = audit_chain.Link(1, "2026-12-01T10", None, "sign_in", None, None, None)
    with using("intl"):
        intl_hash = audit_chain.entry_hash(audit_chain.GENESIS, link)
    with using("gm"):
        gm_hash = audit_chain.entry_hash(audit_chain.GENESIS, link)
    assert intl_hash != gm_hash and len(gm_hash) == 32


# --- records from before suites (intl, no identifier) ------------------------------


def _legacy_ciphertext(key: bytes, first_byte: int | None = None) -> bytes:
    """The pre-suite layout (nonce || AES-GCM); optionally one whose nonce starts with a byte."""
    while True:
        blob = intl.aead_encrypt(key, PLAINTEXT, AAD)
        if first_byte is None or blob[0] == first_byte:
            return blob


@pytest.mark.parametrize("first_byte", [None, intl.IDENT, gm.IDENT], ids=["any", "intl-byte", "gm-byte"])
def test_legacy_ciphertext_opens_under_intl(first_byte):
    key = random_key()
    blob = _legacy_ciphertext(key, first_byte)
    with using("intl"):
        assert decrypt(key, blob, AAD) == PLAINTEXT
        with pytest.raises(CryptoError):
            decrypt(key, blob, AAD + b"!")


def test_legacy_ciphertext_is_refused_under_gm_as_the_other_suites():
    key = random_key()
    blob = _legacy_ciphertext(key)
    with using("gm"):
        with pytest.raises(SuiteMismatch):
            decrypt(key, blob, AAD)
        with pytest.raises(CryptoError):  # and a tampered one is just a failure
            decrypt(key, blob, AAD + b"!")


@pytest.mark.parametrize("first_byte", [None, intl.IDENT, gm.IDENT], ids=["any", "intl-byte", "gm-byte"])
def test_legacy_keys_and_sealed_box_open_under_intl(first_byte):
    while True:
        public, private = intl.generate()  # bare 32-byte keys, as stored before suites
        box = intl.seal(public, PLAINTEXT, AAD)  # ephemeral public || AES-GCM, no identifier
        if first_byte is None or box[0] == first_byte:
            break
    with using("intl"):
        assert unseal(private, box, AAD) == PLAINTEXT
        assert unseal(private, seal(public, PLAINTEXT, AAD), AAD) == PLAINTEXT
        assert suite_of_public_key(public) == "intl"
    with using("gm"):
        with pytest.raises(SuiteMismatch):
            seal(public, PLAINTEXT, AAD)
        with pytest.raises(SuiteMismatch):
            unseal(private, box, AAD)


def test_legacy_credential_opens_under_intl_only():
    salt = secrets.token_bytes(16)
    with using("intl"):
        master = argon2id(b"pw", salt, FAST)
        legacy = b"ZC1" + FAST.pack() + salt + expand(master, b"verifier")
        assert open_credential(b"pw", legacy) == expand(master, b"wrap")
        with pytest.raises(WrongSecret):
            open_credential(b"pW", legacy)
        assert credential_kdf(legacy) == "argon2id"
    with using("gm"), pytest.raises(SuiteMismatch):
        open_credential(b"pw", legacy)


# --- PBKDF2-HMAC-SM3 (GM/T 0091) ---------------------------------------------------


def test_pbkdf2_sm3_credential_round_trips_and_names_its_derivation():
    with using("gm"):
        record, wrap_key = new_credential(b"correct horse", Pbkdf2Profile(1024))
        assert open_credential(b"correct horse", record) == wrap_key
        with pytest.raises(WrongSecret):
            open_credential(b"correct horsf", record)
        assert credential_kdf(record) == "pbkdf2-sm3"
        assert credential_kdf(new_credential(b"x", FAST)[0]) == "argon2id"


def test_pbkdf2_below_gmt0091_is_refused():
    with pytest.raises(CryptoError):
        Pbkdf2Profile.unpack(Pbkdf2Profile(1023).pack())
    with using("gm"), pytest.raises(CryptoError):
        new_credential(b"pw", Pbkdf2Profile(1000))


def test_pbkdf2_is_gm_only():
    with using("intl"), pytest.raises(SuiteMismatch):
        new_credential(b"pw", Pbkdf2Profile(1024))


def test_receipt_derivation_under_pbkdf2_is_peppered_and_deterministic():
    with using("gm"):
        first = receipts.derive("0123456789012345", b"pepper", Pbkdf2Profile(1024))
        assert first == receipts.derive("0123456789012345", b"pepper", Pbkdf2Profile(1024))
        assert first != receipts.derive("0123456789012345", b"other pepper", Pbkdf2Profile(1024))
        assert first.lookup != first.wrap_key
