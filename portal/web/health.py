"""Answers for machines that never touch the database: liveness, the icon browsers ask for, robots.txt."""

from __future__ import annotations

from flask import Blueprint, Response, current_app

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    return Response("ok", mimetype="text/plain")


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Browsers fetch /favicon.ico whatever the page links; serve the static icon so none gets a 404."""
    return current_app.send_static_file("favicon.ico")


#: Search engines may index the public notices (that is what publishing them is for), nothing else:
#: a cadre's forms, receipts and the staff workspace have no business in an index.
ROBOTS = "User-agent: *\nAllow: /notices\nDisallow: /\n"


@bp.get("/robots.txt")
def robots() -> Response:
    return Response(ROBOTS, mimetype="text/plain")
