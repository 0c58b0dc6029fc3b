"""h11s1: the public's yearly figures: clarification notices and 典型案例通报 published."""

from __future__ import annotations

from flask import render_template

from portal.services import statistics
from portal.web.notices.routes import bp


@bp.get("/figures")
def figures():
    """Per year, deployment-wide, with the statistics' suppression (a count 1-4 reads <5)."""
    return render_template("notices/figures.html", rows=statistics.public_figures())
