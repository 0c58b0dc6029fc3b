"""Receipts (查询码): 16 random digits, the submitter's only way back in.

A receipt is never stored. One slow derivation (Argon2id, or PBKDF2-HMAC-SM3
where a `gm` deployment is configured so), peppered with a secret from
configuration, is expanded into a lookup value (stored, indexed) and the
key that unwraps the submitter's copy of the case data key.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass

from portal.domain.crypto import KdfProfile, derive_secret, expand

DIGITS = 16
_SALT = b"zhengming/receipt/v1"
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\u30fc]+")


class MalformedReceipt(ValueError):
    """The text entered is not 16 digits, whatever the separators."""


@dataclass(frozen=True)
class ReceiptKeys:
    """What one receipt derivation yields."""

    lookup: bytes
    wrap_key: bytes


def new_receipt() -> str:
    """16 uniformly random digits (about 53 bits)."""
    return f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"


def normalize(text: str) -> str:
    """Accept what a person types: spaces, dashes and full-width digits are fine."""
    folded = _SEPARATORS.sub("", unicodedata.normalize("NFKC", text or ""))
    if len(folded) != DIGITS or not folded.isascii() or not folded.isdigit():
        raise MalformedReceipt("a receipt is 16 digits")
    return folded


def grouped(receipt: str) -> str:
    """Show a receipt as 4-4-4-4 for writing down."""
    return " ".join(receipt[i : i + 4] for i in range(0, DIGITS, 4))


def derive(receipt: str, pepper: bytes, profile: KdfProfile) -> ReceiptKeys:
    """The single slow step of a receipt check; no lock, safe to run in parallel."""
    master = derive_secret(receipt.encode("ascii"), _SALT, profile, pepper=pepper)
    return ReceiptKeys(lookup=expand(master, b"lookup"), wrap_key=expand(master, b"wrap"))
