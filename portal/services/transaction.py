"""One use case, one transaction: whatever a use case raises, nothing it wrote stays behind.

A view that catches a refusal goes on to render a page, and rendering may commit
(an audit entry for viewing the case). Without this, the half-made changes of
the refused step would be committed with it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from portal.extensions import db

P = ParamSpec("P")
R = TypeVar("R")


def use_case(fn: Callable[P, R]) -> Callable[P, R]:
    """Roll the session back when ``fn`` raises, then let the exception go on to the view."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except Exception:
            db.session.rollback()
            raise

    return run
