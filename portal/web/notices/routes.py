"""Routes of the public notices: list and search, one notice with its history, the Atom feed."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _

from portal.domain.notice_text import plain_text
from portal.services import notices_public
from portal.services.notices_public import BadListQuery, Cursor, NoticeFilters, SearchTooSlow
from portal.web.errors import error_page
from portal.web.notices import labels
from portal.web.notices.conditional import ATOM, public_response
from portal.web.rate_limits import limiter
from portal.web.templating import listing

bp = Blueprint("notices", __name__, url_prefix="/notices")

#: Characters XML 1.0 cannot carry even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_FEED_HEADINGS = {
    "published": lambda title: _("Published: %(title)s", title=title),
    "corrected": lambda title: _("Corrected: %(title)s", title=title),
    "withdrawn": lambda title: _("Withdrawn: %(title)s", title=title),
}


def _list_query() -> tuple[NoticeFilters, Cursor | None, Cursor | None]:
    args = request.args
    try:
        filters = NoticeFilters.parse(args.get("q"), args.get("year"), args.get("issuer"))
        older = Cursor.parse(args["older"]) if args.get("older") else None
        newer = Cursor.parse(args["newer"]) if args.get("newer") and older is None else None
    except BadListQuery:
        abort(400)
    return filters, older, newer


def _page_link(filters: NoticeFilters, **cursor: str) -> str:
    query = {"q": filters.q, "year": filters.year or "", "issuer": filters.issuer}
    values: dict[str, Any] = {**{k: v for k, v in query.items() if v}, **cursor}
    return url_for("notices.index", **values)


def _not_a_search() -> bool:
    return not (request.args.get("q") or "").strip()


@bp.get("")
@limiter.limit(lambda: current_app.config["LIMIT_NOTICE_SEARCH"], exempt_when=_not_a_search)
def index():
    filters, older, newer = _list_query()
    version = notices_public.version()

    def render() -> str:
        page = notices_public.list_page(filters, current_app.config["NOTICES_PAGE_SIZE"], older, newer)
        return render_template(
            "notices/index.html",
            page=page,
            filters=filters,
            years=notices_public.years(),
            issuers=notices_public.issuers(),
            first_page=_page_link(filters) if (older or newer) else None,
            newer_link=_page_link(filters, newer=page.newer.token()) if page.newer else None,
            older_link=_page_link(filters, older=page.older.token()) if page.older else None,
        )

    try:
        return public_response(
            ("list", version.revision, version.updated_at), version.updated_at, render, shareable=not filters.q
        )
    except SearchTooSlow:  # cancelled by the statement timeout (PostgreSQL)
        return error_page(
            503,
            _("Search took too long"),
            _("This search took too long. Try more characters, or choose a year or an issuer."),
        )


@bp.get("/<int:notice_id>")
def detail(notice_id: int):
    state = notices_public.notice_state(notice_id) if notice_id <= notices_public.MAX_ID else None
    if state is None:
        abort(404)

    def render() -> str:
        found = notices_public.notice(notice_id)
        if found is None:  # deleted between the two queries
            abort(404)
        notice, history = found
        return render_template(
            "notices/detail.html",
            notice=notice,
            history=history,
            field_label=labels.field_label,
            kinds=labels.KINDS,
            plain_text=plain_text,
            long_date=lambda day: format_date(day, "long"),
        )

    return public_response(("notice", notice_id, state.revision, state.updated_at), state.updated_at, render)


def _xml_text(value: str) -> str:
    return _NOT_XML.sub("", value or "")


def atom_feed(
    key: str,
    version: Any,
    entries: Callable[[], Iterable[Any]],
    link: Callable[[Any], str],
    field_label: Callable[[str], Any],
    title: str,
    self_endpoint: str,
    list_endpoint: str,
):
    """An Atom feed of publications, corrections and withdrawals (notices, bulletins), its links
    from the configured canonical address, answered from the page memo by the version's ETag."""

    def summary(entry: Any) -> str:
        if entry.kind == "corrected" and entry.changed_fields:
            changed = listing(field_label(name) for name in entry.changed_fields)
            return _("Changed: %(fields)s. Reason: %(reason)s", fields=changed, reason=entry.reason or "")
        if entry.kind == "withdrawn":
            return _("Reason: %(reason)s", reason=entry.reason or "")
        return entry.summary

    def render() -> str:
        rendered = [
            {
                "id": entry.revision_id,
                "url": link(entry),
                "title": _xml_text(_FEED_HEADINGS[entry.kind](entry.title)),
                "updated": entry.at,
                "author": _xml_text(entry.issuer),
                "summary": _xml_text(summary(entry)),
            }
            for entry in entries()
        ]
        return render_template(
            "notices/feed.xml",
            entries=rendered,
            title=title,
            updated=version.updated_at,
            self_url=url_for(self_endpoint, _external=True),
            list_url=url_for(list_endpoint, _external=True),
            site=_("Zhengming"),
        )

    return public_response((key, version.revision, version.updated_at), version.updated_at, render, ATOM)


@bp.get("/feed.atom")
def feed():
    return atom_feed(
        "feed",
        notices_public.version(),
        notices_public.feed,
        lambda entry: url_for("notices.detail", notice_id=entry.notice_id, _external=True),
        labels.field_label,
        _("Zhengming: clarification notices"),
        "notices.feed",
        "notices.index",
    )
