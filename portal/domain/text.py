"""Rules for free text typed by people, shared by every form."""

from __future__ import annotations

import unicodedata

_ALLOWED_CONTROLS = {"\n", "\r", "\t"}
#: Bidirectional overrides and isolates can make shown text differ from stored text.
_BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


class InvalidCharacters(ValueError):
    """The text holds control or otherwise invisible characters we refuse to store."""


def check_characters(text: str) -> None:
    """Refuse controls (but line breaks and tabs), bidi overrides, surrogates and private use."""
    for ch in text:
        category = unicodedata.category(ch)
        if (category == "Cc" and ch not in _ALLOWED_CONTROLS) or category in ("Cs", "Co") or ch in _BIDI_CONTROLS:
            raise InvalidCharacters(f"U+{ord(ch):04X}")


def tidy(text: str | None) -> str:
    """Normalise line endings and trim outer whitespace."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
