"""The cadre's side: landing page, the two forms, the receipt and follow-up."""

from portal.web.submit import (
    aftercare,  # noqa: F401  (issue 10: its route registers on bp)
    documents,  # noqa: F401  (issue 11, h11d1: the cadre's documents)
)
from portal.web.submit.routes import bp

__all__ = ["bp"]
