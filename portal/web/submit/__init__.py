"""The cadre's side: landing page, the two forms, the receipt and follow-up."""

from portal.web.submit.routes import bp

__all__ = ["bp"]
