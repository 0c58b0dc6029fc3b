"""The public's side: published notices, their history, print and an Atom feed; no login."""

from portal.web.notices.routes import bp

__all__ = ["bp"]
