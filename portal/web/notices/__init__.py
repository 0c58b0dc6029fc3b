"""The public's side: published notices, their history, print and an Atom feed; no login."""

from portal.web.notices import (
    bulletins,  # noqa: F401  (the 典型案例通报 routes register on bp)
    figures,  # noqa: F401  -- h11s1 -- the yearly figures (issue 11)
    files,  # noqa: F401  (issue 11, h11d1: a notice's PDF and .docx)
)
from portal.web.notices.routes import bp

__all__ = ["bp"]
