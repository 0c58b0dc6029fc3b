"""Column helpers shared by the models."""

from __future__ import annotations

import uuid


def new_id() -> str:
    """Random row id, known before insert so ciphertexts can name their row."""
    return uuid.uuid4().hex
