"""The concern form's choice between anonymous and real-name (实名反映): a form value, not a case code."""

from __future__ import annotations

from enum import StrEnum


class Identity(StrEnum):
    """How a concern is filed; only the plain ``real_name`` flag of the case keeps the choice."""

    ANONYMOUS = "anonymous"
    REAL_NAME = "real_name"
