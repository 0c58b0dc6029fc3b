"""The reviewers' and supervisors' workspace under /review."""

from flask import Blueprint

bp = Blueprint("review", __name__, url_prefix="/review")

from portal.web.review import (  # noqa: E402,F401  (routes register on bp)
    aftercare,
    archive,
    auth,
    bulletins,
    cases,
    documents,  # 公文: document numbers and the official documents of a case (issue 11, h11d1)
    escrow,
    grants,
    notice_corrections,
    own_motion,
    plan,
    queues,
    referrals,  # the 诬告陷害 ledger (issue 10)
    statistics,  # -- h11s1 -- statistics for leadership (issue 11); sorted here, as ruff wants
    tolerance,
    transfers,
)

__all__ = ["bp"]
