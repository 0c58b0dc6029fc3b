"""Rules for free text typed by people, shared by every form."""

from __future__ import annotations

import unicodedata

_ALLOWED_CONTROLS = {"\n", "\r", "\t"}


class InvalidCharacters(ValueError):
    """The text holds control or otherwise invisible characters we refuse to store."""


def check_characters(text: str) -> None:
    """Refuse control characters (other than line breaks and tabs) and unpaired surrogates."""
    for ch in text:
        category = unicodedata.category(ch)
        if (category == "Cc" and ch not in _ALLOWED_CONTROLS) or category in ("Cs", "Co"):
            raise InvalidCharacters(f"U+{ord(ch):04X}")


def tidy(text: str | None) -> str:
    """Normalise line endings and trim outer whitespace."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
