"""Accounts and the audit log, for admins; no case content is reachable from here."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from portal.web.admin import bodies, routes  # noqa: E402,F401  (routes register on bp)

__all__ = ["bp"]
