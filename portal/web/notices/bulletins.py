"""Public pages of the 典型案例通报: list and search, one bulletin with its history, print, Atom feed."""

from __future__ import annotations

from flask import abort, current_app, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.services import bulletins_public
from portal.services.notices_public import BadListQuery, Cursor
from portal.web.notices import labels
from portal.web.notices.conditional import ATOM, public_response
from portal.web.notices.routes import _xml_text, bp
from portal.web.rate_limits import limiter
from portal.web.templating import listing

#: Fields of a bulletin in the history and the correction form: one set of words for both sides.
FIELDS = {
    "title": _l("Bulletin title"),
    "facts": _l("What happened (anonymised)"),
    "treatment": _l("How the accuser was dealt with"),
    "issued_on": _l("Date of the bulletin"),
}
_FEED_HEADINGS = {
    "published": lambda title: _("Published: %(title)s", title=title),
    "corrected": lambda title: _("Corrected: %(title)s", title=title),
    "withdrawn": lambda title: _("Withdrawn: %(title)s", title=title),
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

    return public_response(("bulletins", version.revision, version.updated_at), version.updated_at, render)


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


def _summary(entry: bulletins_public.FeedEntry) -> str:
    if entry.kind == "corrected" and entry.changed_fields:
        changed = listing(field_label(name) for name in entry.changed_fields)
        return _("Changed: %(fields)s. Reason: %(reason)s", fields=changed, reason=entry.reason or "")
    if entry.kind == "withdrawn":
        return _("Reason: %(reason)s", reason=entry.reason or "")
    return entry.summary


@bp.get("/bulletins/feed.atom")
def bulletin_feed():
    version = bulletins_public.version()

    def render() -> str:
        entries = [
            {
                "id": entry.revision_id,
                "url": url_for("notices.bulletin", bulletin_id=entry.bulletin_id, _external=True),
                "title": _xml_text(_FEED_HEADINGS[entry.kind](entry.title)),
                "updated": entry.at,
                "author": _xml_text(entry.issuer),
                "summary": _xml_text(_summary(entry)),
            }
            for entry in bulletins_public.feed()
        ]
        return render_template(
            "notices/feed.xml",
            entries=entries,
            title=_("Zhengming: typical case bulletins"),
            updated=version.updated_at,
            self_url=url_for("notices.bulletin_feed", _external=True),
            list_url=url_for("notices.bulletins", _external=True),
            site=_("Zhengming"),
        )

    return public_response(("bulletin-feed", version.revision, version.updated_at), version.updated_at, render, ATOM)
