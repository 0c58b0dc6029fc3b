"""The reviewers' and supervisors' workspace under /review."""

from flask import Blueprint

bp = Blueprint("review", __name__, url_prefix="/review")

from portal.web.review import archive, auth, cases, grants, plan, queues  # noqa: E402,F401  (routes register on bp)

__all__ = ["bp"]
