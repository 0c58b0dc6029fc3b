"""The reviewers' and supervisors' workspace under /review."""

from flask import Blueprint

bp = Blueprint("review", __name__, url_prefix="/review")

from portal.web.review import (  # noqa: E402,F401  (routes register on bp)
    archive,
    auth,
    bulletins,
    cases,
    escrow,
    grants,
    notice_corrections,
    plan,
    queues,
    transfers,
)

__all__ = ["bp"]
