"""Receipts: 16 random digits, typed forgivingly, derived into two keys."""

from __future__ import annotations

import pytest

from portal.domain import receipts
from portal.domain.crypto import Argon2Profile
from portal.domain.receipts import MalformedReceipt, derive, grouped, new_receipt, normalize

FAST = Argon2Profile(8, 1, 1)
RECEIPT = "0123456789012345"
PEPPER = b"pepper from configuration"


def test_new_receipt_is_16_ascii_digits():
    for _ in range(200):
        receipt = new_receipt()
        assert len(receipt) == 16
        assert receipt.isascii() and receipt.isdigit()


def test_new_receipts_are_distinct():
    assert len({new_receipt() for _ in range(200)}) == 200


def test_new_receipt_keeps_leading_zeros(monkeypatch):
    monkeypatch.setattr(receipts.secrets, "randbelow", lambda n: 42)
    assert new_receipt() == "0000000000000042"


def test_new_receipt_covers_the_whole_16_digit_range(monkeypatch):
    monkeypatch.setattr(receipts.secrets, "randbelow", lambda n: n - 1)
    assert new_receipt() == "9" * 16
    monkeypatch.setattr(receipts.secrets, "randbelow", lambda n: 0)
    assert new_receipt() == "0" * 16


def test_new_receipt_is_accepted_by_normalize():
    receipt = new_receipt()
    assert normalize(receipt) == receipt
    assert normalize(grouped(receipt)) == receipt


@pytest.mark.parametrize(
    "typed",
    [
        "0123456789012345",
        "0123 4567 8901 2345",
        "0123-4567-8901-2345",
        "  0123456789012345 \n",
        "\t0123 4567\n8901 2345",
        "０１２３４５６７８９０１２３４５",  # full-width digits
        "０１２３　４５６７　８９０１　２３４５",  # full-width digits, ideographic spaces
        "0123－4567－8901－2345",  # full-width hyphen
        "0123—4567—8901—2345",  # em dash
        "0123–4567―8901‐2345",  # en dash, horizontal bar, hyphen
        "0123ー4567ー8901ー2345",  # katakana long mark, common on Chinese IMEs
        "0123−4567−8901−2345",  # minus sign
        "0123 - 4567 - 8901 - 2345",
    ],
)
def test_normalize_accepts_what_people_type(typed):
    assert normalize(typed) == RECEIPT


@pytest.mark.parametrize(
    "typed",
    [
        "012345678901234",  # 15 digits
        "01234567890123456",  # 17 digits
        "0123 4567 8901 234",
        "012345678901234a",
        "abcdefghijklmnop",
        "",
        "   ",
        "----------------",
        "0123_4567_8901_2345",
        "0123.4567.8901.2345",
        "0123/4567/8901/2345",
        "0123\u200b4567\u200b8901\u200b2345",  # zero-width spaces
        "0123一4567一8901一2345",  # CJK "one" is not a dash
    ],
)
def test_normalize_rejects_malformed(typed):
    with pytest.raises(MalformedReceipt):
        normalize(typed)


def test_normalize_rejects_none():
    with pytest.raises(MalformedReceipt):
        normalize(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "typed",
    [
        "١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦",  # Arabic-Indic
        "012345678901234١",  # one Arabic-Indic digit
        "۰۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵",  # Extended Arabic-Indic
        "०१२३४५६७८९०१२३४५",  # Devanagari
    ],
)
def test_normalize_rejects_non_ascii_digits(typed):
    with pytest.raises(MalformedReceipt):
        normalize(typed)


def test_malformed_receipt_is_a_value_error():
    assert issubclass(MalformedReceipt, ValueError)


def test_grouped_shows_four_groups_of_four():
    assert grouped(RECEIPT) == "0123 4567 8901 2345"


def test_grouped_receipt_normalizes_back():
    assert normalize(grouped(RECEIPT)) == RECEIPT


def test_derive_is_deterministic():
    assert derive(RECEIPT, PEPPER, FAST) == derive(RECEIPT, PEPPER, FAST)


def test_derive_gives_32_byte_values():
    keys = derive(RECEIPT, PEPPER, FAST)
    assert len(keys.lookup) == 32
    assert len(keys.wrap_key) == 32


def test_derive_differs_with_another_pepper():
    first = derive(RECEIPT, PEPPER, FAST)
    second = derive(RECEIPT, b"another pepper", FAST)
    assert first.lookup != second.lookup
    assert first.wrap_key != second.wrap_key


def test_derive_differs_with_another_receipt():
    first = derive(RECEIPT, PEPPER, FAST)
    second = derive("0123456789012346", PEPPER, FAST)
    assert first.lookup != second.lookup
    assert first.wrap_key != second.wrap_key


def test_lookup_and_wrap_key_differ():
    keys = derive(RECEIPT, PEPPER, FAST)
    assert keys.lookup != keys.wrap_key


def test_derived_values_do_not_reveal_receipt():
    keys = derive(RECEIPT, PEPPER, FAST)
    assert RECEIPT.encode() not in keys.lookup + keys.wrap_key


def test_normalized_forms_derive_the_same_keys():
    assert derive(normalize("０１２３-4567 8901—2345"), PEPPER, FAST) == derive(RECEIPT, PEPPER, FAST)
