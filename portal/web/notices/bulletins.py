"""Public pages of the 典型案例通报: list and search, one bulletin with its history, print, Atom feed."""

from __future__ import annotations

from flask import abort, current_app, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.services import bulletins_public
from portal.services.notices_public import BadListQuery, Cursor
from portal.web.notices import labels
from portal.web.notices.conditional import public_response
from portal.web.notices.routes import atom_feed, bp
from portal.web.rate_limits import limiter

#: Fields of a bulletin in the history and the correction form: one set of words for both sides.
FIELDS = {
    "title": _l("Bulletin title"),
    "facts": _l("What happened (anonymised)"),
    "treatment": _l("How the accuser was dealt with"),
    "issued_on": _l("Date of the bulletin"),
}


def field_label(name: str):
    return FIELDS.get(name, name)


def _not_a_search() -> bool:
    return not (request.args.get("q") or "").strip()


@bp.get("/bulletins")
@limiter.limit(lambda: current_app.config["LIMIT_NOTICE_SEARCH"], exempt_when=_not_a_search)
def bulletins():
    q = bulletins_public.clean_query(request.args.get("q"))
    try:
        older = Cursor.parse(request.args["older"]) if request.args.get("older") else None
    except BadListQuery:
        abort(400)
    version = bulletins_public.version()

    def render() -> str:
        page = bulletins_public.list_page(q, current_app.config["NOTICES_PAGE_SIZE"], older)
        link = {"q": q} if q else {}
        return render_template(
            "notices/bulletins.html",
            page=page,
            q=q,
            first_page=url_for("notices.bulletins", **link) if older else None,
            older_link=url_for("notices.bulletins", **link, older=page.older.token()) if page.older else None,
        )

    return public_response(
        ("bulletins", version.revision, version.updated_at), version.updated_at, render, shareable=not q
    )


def _one(bulletin_id: int, template: str):
    state = bulletins_public.state(bulletin_id)
    if state is None:
        abort(404)

    def render() -> str:
        found = bulletins_public.bulletin(bulletin_id)
        if found is None:
            abort(404)
        shown, history = found
        return render_template(
            template,
            bulletin=shown,
            history=history,
            field_label=field_label,
            kinds=labels.KINDS,
            long_date=lambda day: format_date(day, "long"),
        )

    return public_response((template, bulletin_id, state.revision, state.updated_at), state.updated_at, render)


@bp.get("/bulletins/<int:bulletin_id>")
def bulletin(bulletin_id: int):
    return _one(bulletin_id, "notices/bulletin.html")


@bp.get("/bulletins/<int:bulletin_id>/print")
def bulletin_print(bulletin_id: int):
    """The bulletin alone on a page, as it is printed and posted."""
    return _one(bulletin_id, "notices/bulletin_print.html")


@bp.get("/bulletins/feed.atom")
def bulletin_feed():
    return atom_feed(
        "bulletin-feed",
        bulletins_public.version(),
        bulletins_public.feed,
        lambda entry: url_for("notices.bulletin", bulletin_id=entry.bulletin_id, _external=True),
        field_label,
        _("Zhengming: typical case bulletins"),
        "notices.bulletin_feed",
        "notices.bulletins",
    )
