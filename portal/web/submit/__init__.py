"""The cadre's side: landing page, the two forms, the receipt and follow-up."""

from portal.web.submit import aftercare  # noqa: F401  (issue 10: its route registers on bp)
from portal.web.submit.routes import bp

__all__ = ["bp"]
