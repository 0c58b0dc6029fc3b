"""The deployment's cipher suite: chosen at init, kept with the escrow key, every
record made in it, a database of the other suite refused, and a database from
before suites (intl records without an identifier) still working."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from portal.domain import aad, crypto
from portal.domain.crypto import SuiteMismatch, intl
from portal.extensions import db
from portal.models import Case, CaseKey, EscrowKey, User
from portal.services import accounts, cipher_suite
from tests.conftest import ESCROW_PASSPHRASE, STAFF_PASSWORD, make_app, only_case_id

OTHER = {"intl": "gm", "gm": "intl"}


def test_every_stored_record_is_of_the_configured_suite(app, cadre, staff):
    suite = crypto.SUITES[app.config["CIPHER_SUITE"]]
    reviewer = staff("wang.int", "intake")  # new cases are sealed to intake
    cadre.receipt_of(cadre.file_concern())
    with app.app_context():
        case = db.session.get(Case, only_case_id(app))
        user = db.session.get(User, reviewer.user_id)
        escrow = accounts.escrow()
        sealed = db.session.scalars(db.select(CaseKey.sealed_key)).all()
        assert {case.submission[0], case.submitter_wrapped_key[0], case.escrow_sealed_key[0]} == {suite.IDENT}
        assert sealed and {box[0] for box in sealed} == {suite.IDENT}
        assert {user.public_key[0], escrow.public_key[0], user.credential[3], escrow.credential[3]} == {suite.IDENT}
        assert cipher_suite.stored() == cipher_suite.SuiteChoice(app.config["CIPHER_SUITE"], app.config["SECRET_KDF"])


def test_the_app_refuses_to_serve_a_database_of_the_other_suite(app, client, schema):
    other = make_app(schema, CIPHER_SUITE=OTHER[app.config["CIPHER_SUITE"]], SECRET_KDF="argon2id")
    with pytest.raises(SuiteMismatch, match="refusing to run"):
        other.test_client().get("/")
    with pytest.raises(SuiteMismatch):
        other.test_client().get("/submit/concern")  # every request, not only the first
    assert client.get("/").status_code == 200  # the right configuration still serves


def test_the_app_refuses_another_key_derivation_than_init_chose(app, schema):
    if app.config["CIPHER_SUITE"] != "gm":
        pytest.skip("pbkdf2-sm3 is a gm setting")
    other_kdf = {"argon2id": "pbkdf2-sm3", "pbkdf2-sm3": "argon2id"}[app.config["SECRET_KDF"]]
    other = make_app(schema, SECRET_KDF=other_kdf)
    with pytest.raises(SuiteMismatch, match="pbkdf2-sm3"):
        other.test_client().get("/")


def test_init_records_the_suite_and_commands_refuse_the_other(tmp_path):
    url = f"sqlite:///{tmp_path / 'suite.sqlite3'}"
    gm_app = make_app(url, CIPHER_SUITE="gm", SECRET_KDF="pbkdf2-sm3")
    result = gm_app.test_cli_runner().invoke(args=["init"], input="the escrow passphrase\n")
    assert result.exit_code == 0, result.output
    assert "cipher suite gm, key derivation pbkdf2-sm3" in result.output
    with gm_app.app_context():
        assert cipher_suite.stored() == cipher_suite.SuiteChoice("gm", "pbkdf2-sm3")
        private = accounts.unlock_escrow("the escrow passphrase")
        public = accounts.escrow().public_key
        assert crypto.unseal(private, crypto.seal(public, b"dk", b"aad"), b"aad") == b"dk"

    intl_app = make_app(url, CIPHER_SUITE="intl", SECRET_KDF="argon2id")
    runner = intl_app.test_cli_runner()
    for args, stdin in (
        (["init"], "another passphrase\n"),
        (["users", "create", "--username", "li", "--role", "reviewer"], "a long enough password\n"),
        (["audit", "verify"], ""),
    ):
        refused = runner.invoke(args=args, input=stdin)
        assert refused.exit_code != 0
        assert "initialised with cipher suite 'gm'" in refused.output and "'intl'" in refused.output
    with intl_app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(EscrowKey)) == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"CIPHER_SUITE": "sm"}, "CIPHER_SUITE"),
        ({"SECRET_KDF": "scrypt"}, "SECRET_KDF"),
        ({"CIPHER_SUITE": "intl", "SECRET_KDF": "pbkdf2-sm3"}, "belongs to CIPHER_SUITE gm"),
        ({"CIPHER_SUITE": "gm", "SECRET_KDF": "pbkdf2-sm3", "PBKDF2_ITERATIONS": 1000}, "at least 1024"),
    ],
)
def test_unknown_or_inconsistent_cipher_settings_refuse_to_start(overrides, message):
    with pytest.raises(RuntimeError, match=message):
        make_app("sqlite://", **overrides)


# --- a database from before suites ----------------------------------------------------


def _unprefixed(blob: bytes | None) -> bytes | None:
    """An intl record as written before suites: the same bytes without the identifier."""
    assert blob is not None and blob[0] == intl.IDENT
    return blob[1:]


def _old_credential(record: bytes) -> bytes:
    assert record[:5] == b"ZC2" + bytes([intl.IDENT, 1])  # intl, Argon2id
    return b"ZC1" + record[5:]


def _old_private_key(wrap_key: bytes, blob: bytes, field: bytes) -> bytes:
    private = crypto.decrypt(wrap_key, blob, field)
    assert private[0] == intl.IDENT
    return intl.aead_encrypt(wrap_key, private[1:], field)


def _rewrite_as_before_suites(password_of: dict[int, str]) -> None:
    """Every key, box, ciphertext and credential in the layout of the previous release."""
    for case in db.session.scalars(db.select(Case)):
        case.submission = _unprefixed(case.submission)
        case.submitter_wrapped_key = _unprefixed(case.submitter_wrapped_key)
        case.escrow_sealed_key = _unprefixed(case.escrow_sealed_key)
    for row in db.session.scalars(db.select(CaseKey)):
        row.sealed_key = _unprefixed(row.sealed_key)
    for user in db.session.scalars(db.select(User)):
        wrap_key = crypto.open_credential(password_of[user.id].encode(), user.credential)
        user.totp_secret = _unprefixed(user.totp_secret)
        user.wrapped_private_key = _old_private_key(wrap_key, user.wrapped_private_key, aad.user_private_key(user.id))
        user.public_key = _unprefixed(user.public_key)
        user.credential = _old_credential(user.credential)
    escrow = accounts.escrow()
    wrap_key = crypto.open_credential(ESCROW_PASSPHRASE.encode(), escrow.credential)
    db.session.execute(
        update(EscrowKey)
        .where(EscrowKey.id == escrow.id)
        .values(
            wrapped_private_key=_old_private_key(
                wrap_key, escrow.wrapped_private_key, aad.escrow_private_key(escrow.id)
            ),
            public_key=_unprefixed(escrow.public_key),
            credential=_old_credential(escrow.credential),
        )
    )
    db.session.commit()


def test_a_database_from_before_suites_still_works_under_intl(app, cadre, staff):
    if app.config["CIPHER_SUITE"] != "intl":
        pytest.skip("records from before suites are intl")
    reviewer = staff("wang.int", "intake", login=False)  # signs in once the database is old
    receipt = cadre.receipt_of(cadre.file_concern(description="Three inspection teams, every single week."))
    case_id = only_case_id(app)
    with app.app_context():
        _rewrite_as_before_suites({reviewer.user_id: STAFF_PASSWORD})
        assert len(accounts.escrow().public_key) == 32 and accounts.escrow().credential.startswith(b"ZC1")
        assert cipher_suite.stored() == cipher_suite.SuiteChoice("intl", "argon2id")
        escrow_private = accounts.unlock_escrow(ESCROW_PASSPHRASE)
        case = db.session.get(Case, case_id)
        assert len(crypto.unseal(escrow_private, case.escrow_sealed_key, aad.escrow_key(case_id))) == 32

    cadre.follow_up(receipt)
    assert "Three inspection teams, every single week." in cadre.client.get("/followup/status").get_data(as_text=True)
    assert reviewer.login().status_code == 303
    assert "Three inspection teams, every single week." in reviewer.get(f"/review/cases/{case_id}").get_data(
        as_text=True
    )
    # New records are written in the current layout beside the old ones.
    assignee = staff("li.rev", "reviewer")
    assert reviewer.accept(case_id, assignee).status_code == 303
    assert "Three inspection teams, every single week." in assignee.get(f"/review/cases/{case_id}").get_data(
        as_text=True
    )
