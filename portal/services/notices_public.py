"""Reading notices for the public: narrow queries that stay cheap with 100,000 notices.

Every list query walks an index in (published_at, id) order and stops after one
page (keyset pagination, never OFFSET); no query loads a notice's text unless the
page shows it. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from flask import current_app, g
from sqlalchemy import bindparam, func, or_, select, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import aliased

from portal.domain.notice_text import plain_text, term_grams
from portal.extensions import db
from portal.models import Notice, NoticeGram, NoticeRevision
from portal.services.errors import ServiceError
from portal.services.settings import setting

#: Longest search accepted, and the most words of it used (each word must match).
MAX_QUERY = 100
MAX_TERMS = 5
#: Entries in the Atom feed.
FEED_SIZE = 50
#: What a withdrawn notice still shows the public (its stub); everything it said about the cadre goes.
STUB_FIELDS = frozenset({"number", "title", "issuer", "issued_on"})
_CURSOR = re.compile(r"^(\d{14})-(\d{1,10})$")
#: Notice ids are 32-bit integers; a larger one is not a position in the list.
MAX_ID = 2**31 - 1
#: Control characters (NUL among them, which PostgreSQL refuses in text) never reach a query.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: Distinct issuers by skipping through ix_notices_issuer_published: one index seek per issuer.
_ISSUERS = text(
    "WITH RECURSIVE found(issuer) AS ("
    " SELECT min(issuer) FROM notices"
    " UNION ALL"
    " SELECT (SELECT min(n.issuer) FROM notices n WHERE n.issuer > found.issuer)"
    " FROM found WHERE found.issuer IS NOT NULL"
    ") SELECT issuer FROM found WHERE issuer IS NOT NULL"
)


class BadListQuery(ServiceError):
    """A cursor or year in the address is malformed (a hand-edited link)."""


class SearchTooSlow(ServiceError):
    """PostgreSQL cancelled a search at the statement timeout (NOTICES_SEARCH_TIMEOUT_MS)."""


@dataclass(frozen=True)
class Cursor:
    """A position in the newest-first order: the (published_at, id) of a notice."""

    published_at: dt.datetime
    id: int

    def token(self) -> str:
        return f"{self.published_at:%Y%m%d%H%M%S}-{self.id}"

    @classmethod
    def parse(cls, token: str) -> Cursor:
        match = _CURSOR.match(token or "")
        if not match:
            raise BadListQuery("cursor")
        try:
            published_at = dt.datetime.strptime(match.group(1), "%Y%m%d%H%M%S")
        except ValueError as exc:
            raise BadListQuery("cursor") from exc
        if int(match.group(2)) > MAX_ID:
            raise BadListQuery("cursor")
        return cls(published_at, int(match.group(2)))


@dataclass(frozen=True)
class NoticeFilters:
    """What the reader asked for: words, the year on the notice, the issuer."""

    q: str = ""
    year: int | None = None
    issuer: str = ""

    @classmethod
    def parse(cls, q: str | None, year: str | None, issuer: str | None) -> NoticeFilters:
        year = (year or "").strip()
        if year and not (year.isascii() and year.isdigit() and len(year) == 4 and "1000" <= year <= "9998"):
            raise BadListQuery("year")
        return cls(
            q=" ".join(_CONTROL.sub(" ", q or "").split())[:MAX_QUERY],
            year=int(year) if year else None,
            issuer=_CONTROL.sub("", issuer or "").strip(),
        )

    @property
    def terms(self) -> list[str]:
        """Lower-cased like Notice.search_text; each must appear somewhere in it."""
        return self.q.lower().split()[:MAX_TERMS]

    @property
    def active(self) -> bool:
        return bool(self.q or self.year or self.issuer)


@dataclass(frozen=True)
class Version:
    """What changes whenever any notice changes; asked on every list and feed request."""

    #: The newest revision id: every publication, correction and withdrawal adds one.
    revision: int
    #: Last publication, correction or withdrawal (to the hour): the list's Last-Modified.
    updated_at: dt.datetime | None


@dataclass(frozen=True)
class ListItem:
    id: int
    title: str
    person: str
    unit: str
    issuer: str
    issued_on: dt.date
    status: str
    published_at: dt.datetime

    @property
    def cursor(self) -> Cursor:
        return Cursor(self.published_at, self.id)


@dataclass(frozen=True)
class ListPage:
    items: list[ListItem]
    #: Cursor for the page of newer notices, None on the first page.
    newer: Cursor | None
    #: Cursor for the page of older notices, None on the last page.
    older: Cursor | None


@dataclass(frozen=True)
class Change:
    field: str
    before: str | None  # None: the earlier wording is not shown (a bulletin's that named the cadre)
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    kind: str
    at: dt.datetime
    reason: str | None
    changes: list[Change]


@dataclass(frozen=True)
class NoticeState:
    """Enough to answer a conditional request for one notice without loading it."""

    updated_at: dt.datetime
    revision: int


@dataclass(frozen=True)
class FeedEntry:
    revision_id: int
    kind: str
    at: dt.datetime
    reason: str | None
    changed_fields: list[str]
    notice_id: int
    title: str
    issuer: str
    summary: str


#: Two index seeks in one round trip (separate subqueries keep SQLite's min/max shortcut); built once.
_VERSION = select(
    select(func.max(NoticeRevision.id)).scalar_subquery(),
    select(func.max(Notice.updated_at)).scalar_subquery(),
)
_YEARS = select(
    select(func.min(Notice.issued_on)).scalar_subquery(),
    select(func.max(Notice.issued_on)).scalar_subquery(),
)


def _on_postgresql() -> bool:
    return db.session().get_bind().dialect.name == "postgresql"


def _autocommit_reads() -> None:
    """On PostgreSQL, public reads skip BEGIN and ROLLBACK: two round trips fewer a request.

    Only when nothing else has begun a transaction; the pool restores the isolation level on
    return. SQLite's driver begins no transaction for a SELECT, so there is nothing to save.
    """
    session = db.session()
    if not session.in_transaction() and _on_postgresql():
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


#: The clock of the remembered versions (monotonic seconds); a test moves it instead of waiting.
clock = time.monotonic
#: Most remembered versions a worker keeps (one per notice asked for, and the list's).
_REMEMBERED_MAX = 4096


def _remembered(key: Hashable, load: Callable[[], Any]) -> Any:
    """``load()``, remembered by this worker for NOTICES_VERSION_SECONDS.

    A cached page then costs no database connection at all. Another worker's publication,
    correction or withdrawal is seen here at most that long after it (this worker's own at once,
    see `forget_versions`); shared caches keep a page for a minute in any case.
    """
    seconds = float(setting("NOTICES_VERSION_SECONDS"))
    if seconds <= 0:
        return load()
    store: dict = current_app.extensions.setdefault("zm_notice_versions", {})
    now = clock()
    hit = store.get(key)
    if hit is not None and hit[0] > now:
        _read_until(hit[0])
        return hit[1]
    value = load()
    if len(store) >= _REMEMBERED_MAX:
        store.clear()
    store[key] = (now + seconds, value)
    _read_until(now + seconds)
    return value


def _read_until(moment: float) -> None:
    g.zm_versions_until = min(g.get("zm_versions_until", moment), moment)


def remembered_until() -> float | None:
    """Until when (on `clock`) every version this request read stays remembered by this worker, so
    a page made from them may be answered again unchanged; None when it read none that way."""
    return g.get("zm_versions_until")


def forget_versions() -> None:
    """Forget this worker's remembered versions: its own changes show on its next request."""
    current_app.extensions.pop("zm_notice_versions", None)


def versions_memory(extensions: dict) -> object | None:
    """This worker's memory of versions, as an identity: every `forget_versions` starts a new one,
    so whatever was made from the old one can tell it is out of date."""
    return extensions.get("zm_notice_versions")


def _load_version() -> Version:
    _autocommit_reads()
    revision, updated_at = db.session.execute(_VERSION).one()
    return Version(revision or 0, updated_at)


def version() -> Version:
    """The version an ETag of the list or the feed stands for."""
    return _remembered("list", _load_version)


def years() -> list[int]:
    """Every year from the newest notice's to the oldest's, for the filter."""
    first, last = db.session.execute(_YEARS).one()
    return list(range(last.year, first.year - 1, -1)) if first and last else []


def issuers() -> list[str]:
    """Every issuer, alphabetically, for the filter."""
    return [issuer for (issuer,) in db.session.execute(_ISSUERS)]


#: A search first reads this many notices from the cursor on, in order, and filters those: a common
#: word fills a page there. Only when it does not are the candidates taken from the gram index
#: (notice_grams), which serves rare terms: a term in few notices costs a few index seeks, where a
#: scan would read every notice. (PostgreSQL estimates LIKE '%word%' to match almost nothing, so
#: without the window it would scan and sort the whole table for a common word; on SQLite the
#: gram candidates of a common term would cost more than the walk that finds a page at once.)
SEARCH_WINDOW = 2000


def _columns(entity) -> tuple:
    return (
        entity.id,
        entity.title,
        entity.person,
        entity.unit,
        entity.issuer,
        entity.issued_on,
        entity.status,
        entity.published_at,
    )


def _with_grams(term: str, entity):
    """Notices the gram index lists under every chosen gram of the term (a superset of the matches)."""
    return [entity.id.in_(select(NoticeGram.notice_id).where(NoticeGram.gram == gram)) for gram in term_grams(term)]


def _filtered(statement, filters: NoticeFilters, entity=Notice, indexed: bool = False):
    """The filters as conditions; ``indexed`` adds the gram index's candidates before each text check
    (the text check alone decides, so results are the same either way)."""
    for term in filters.terms:
        if indexed:
            statement = statement.where(*_with_grams(term, entity))
        statement = statement.where(entity.search_text.contains(term, autoescape=True))
    if filters.year:
        statement = statement.where(
            entity.issued_on >= dt.date(filters.year, 1, 1), entity.issued_on < dt.date(filters.year + 1, 1, 1)
        )
    if filters.issuer:
        statement = statement.where(entity.issuer == filters.issuer)
    return statement


def _order(entity, ascending: bool) -> tuple:
    if ascending:
        return entity.published_at.asc(), entity.id.asc()
    return entity.published_at.desc(), entity.id.desc()


def _keyset(older: Cursor | None, newer: Cursor | None) -> list:
    """Conditions for the rows past a cursor; the first bounds the index range, the second breaks ties."""
    if newer is not None:
        return [
            Notice.published_at >= newer.published_at,
            or_(Notice.published_at > newer.published_at, Notice.id > newer.id),
        ]
    if older is not None:
        return [
            Notice.published_at <= older.published_at,
            or_(Notice.published_at < older.published_at, Notice.id < older.id),
        ]
    return []


def _rows(statement) -> list[ListItem]:
    return [_listed(ListItem(*row)) for row in db.session.execute(statement)]


def _listed(item: ListItem) -> ListItem:
    """A withdrawn notice is listed by its stub: no name, no unit."""
    return replace(item, person="", unit="") if item.status == "withdrawn" else item


def _search_nearby(filters: NoticeFilters, conditions: list, ascending: bool, wanted: int) -> list[ListItem] | None:
    """The page from the next SEARCH_WINDOW notices alone, or None if they hold too few matches."""
    window = select(*_columns(Notice), Notice.search_text).where(*conditions)
    nearby = aliased(Notice, window.order_by(*_order(Notice, ascending)).limit(SEARCH_WINDOW).subquery())
    rows = _rows(
        _filtered(select(*_columns(nearby)), filters, nearby).order_by(*_order(nearby, ascending)).limit(wanted)
    )
    return rows if len(rows) == wanted else None


@contextmanager
def _search_timeout() -> Iterator[None]:
    """On PostgreSQL, cancel the statements inside after NOTICES_SEARCH_TIMEOUT_MS; SearchTooSlow then.

    A plain SET (public reads run in autocommit, where SET LOCAL would last one statement), undone
    afterwards; inside a transaction a failure rolls the SET back with it.
    """
    timeout = int(setting("NOTICES_SEARCH_TIMEOUT_MS"))
    if not timeout or db.session().get_bind().dialect.name != "postgresql":
        yield
        return
    session = db.session()
    session.execute(text("SELECT set_config('statement_timeout', :ms, false)"), {"ms": f"{timeout}ms"})
    try:
        yield
    except OperationalError as exc:
        if getattr(exc.orig, "sqlstate", None) == "57014":  # query_canceled
            raise SearchTooSlow() from exc
        raise
    finally:
        _reset_timeout(session)


def _reset_timeout(session) -> None:
    """Back to the server's statement timeout, on the same connection, before the pool takes it back."""
    try:
        session.execute(text("RESET statement_timeout"))
    except DBAPIError:
        session.rollback()  # the transaction was aborted: rolling it back undoes the SET as well


def list_page(filters: NoticeFilters, size: int, older: Cursor | None = None, newer: Cursor | None = None) -> ListPage:
    """One page, newest first, after `older` or before `newer` (read upwards, then turned round)."""
    _autocommit_reads()
    if not filters.terms:
        return _list_page(filters, size, older, newer)
    with _search_timeout():
        return _list_page(filters, size, older, newer)


def _list_page(filters: NoticeFilters, size: int, older: Cursor | None, newer: Cursor | None) -> ListPage:
    conditions, ascending = _keyset(older, newer), newer is not None
    order = _order(Notice, ascending)
    rows = None
    if filters.year:
        # A year holds thousands of notices, and years follow publication order: walking the
        # (published_at, id) index to an old year would pass every newer notice. So sort that year's
        # (published_at, id) pairs, read from an index on (issued_on, published_at, id) alone, and
        # fetch only the page's rows. PostgreSQL must be told to keep the pairs apart (MATERIALIZED):
        # assuming years spread evenly, it would otherwise choose the walk.
        year = (
            _filtered(select(Notice.id, Notice.published_at), filters, indexed=True)
            .where(*conditions)
            .cte("year_notices")
            .prefix_with("MATERIALIZED", dialect="postgresql")
        )
        ids = select(year.c.id).order_by(*_order(year.c, ascending)).limit(size + 1)
        rows = _rows(select(*_columns(Notice)).where(Notice.id.in_(ids.scalar_subquery())).order_by(*order))
    elif filters.terms:
        rows = _search_nearby(filters, conditions, ascending, size + 1)
    if rows is None:
        statement = _filtered(select(*_columns(Notice)), filters, indexed=bool(filters.terms))
        rows = _rows(statement.where(*conditions).order_by(*order).limit(size + 1))
    more = len(rows) > size
    rows = rows[:size]
    if ascending:
        rows.reverse()
        return ListPage(rows, newer=rows[0].cursor if more and rows else None, older=rows[-1].cursor if rows else None)
    return ListPage(
        rows, newer=rows[0].cursor if older is not None and rows else None, older=rows[-1].cursor if more else None
    )


_NOTICE_STATE = select(
    Notice.updated_at,
    select(func.max(NoticeRevision.id))
    .where(NoticeRevision.notice_id == Notice.id)
    .correlate(Notice)
    .scalar_subquery(),
).where(Notice.id == bindparam("notice_id"))


def _load_notice_state(notice_id: int) -> NoticeState | None:
    _autocommit_reads()
    row = db.session.execute(_NOTICE_STATE, {"notice_id": notice_id}).first()
    return NoticeState(row[0], row[1] or 0) if row else None


def notice_state(notice_id: int) -> NoticeState | None:
    """The notice's last change, without its text (one index seek each); None if there is no such notice."""
    return _remembered(("notice", notice_id), lambda: _load_notice_state(notice_id))


def _changes(raw: str | None) -> list[Change]:
    if not raw:
        return []
    return [Change(name, str(values[0]), str(values[1])) for name, values in json.loads(raw).items()]


@dataclass(frozen=True)
class PublicNotice:
    """A notice as the public may read it: a withdrawn one keeps its stub only (None elsewhere)."""

    id: int
    number: str
    title: str
    issuer: str
    issued_on: dt.date
    status: str
    published_at: dt.datetime
    withdrawn_reason: str | None
    person: str | None
    unit: str | None
    post: str | None
    allegation: str | None
    body_html: str | None
    clarified: tuple[str, ...] = ()  # 部分失实 (issue 10): the only items the notice clarifies

    @classmethod
    def of(cls, notice: Notice) -> PublicNotice:
        withdrawn = notice.status == "withdrawn"
        public = cls(
            notice.id,
            notice.number,
            notice.title,
            notice.issuer,
            notice.issued_on,
            notice.status,
            notice.published_at,
            notice.withdrawn_reason,
            *(
                (None,) * 5
                if withdrawn
                else (notice.person, notice.unit, notice.post, notice.allegation, notice.body_html)
            ),
        )
        return public if withdrawn else replace(public, clarified=tuple(notice.clarified))


def notice(notice_id: int, public: bool = True) -> tuple[PublicNotice | Notice, list[HistoryEntry]] | None:
    """The notice and its history, oldest first; for the public, a withdrawn one as its stub
    (corrections then show only what changed in the stub). Staff (public=False) get everything."""
    found = db.session.get(Notice, notice_id)
    if found is None:
        return None
    revisions = db.session.execute(
        select(NoticeRevision.id, NoticeRevision.kind, NoticeRevision.at, NoticeRevision.reason, NoticeRevision.changes)
        .where(NoticeRevision.notice_id == notice_id)
        .order_by(NoticeRevision.at, NoticeRevision.id)
    )
    history = [HistoryEntry(r.id, r.kind, r.at, r.reason, _changes(r.changes)) for r in revisions]
    if not public:
        return found, history
    if found.status == "withdrawn":
        history = [replace(h, changes=[c for c in h.changes if c.field in STUB_FIELDS]) for h in history]
    return PublicNotice.of(found), history


def _summary(kind: str, reason: str | None, body_html: str, status: str) -> str:
    if kind == "published" and status == "withdrawn":
        return ""  # the body came down with the withdrawal, from earlier entries too
    if kind == "published":
        words = plain_text(body_html)
        return words if len(words) <= 160 else words[:159] + "…"
    return reason or ""


def feed(limit: int = FEED_SIZE) -> list[FeedEntry]:
    """The latest publications, corrections and withdrawals, newest first."""
    rows = db.session.execute(
        select(
            NoticeRevision.id,
            NoticeRevision.kind,
            NoticeRevision.at,
            NoticeRevision.reason,
            NoticeRevision.changes,
            Notice.id,
            Notice.title,
            Notice.issuer,
            Notice.body_html,
            Notice.status,
        )
        .join(Notice, Notice.id == NoticeRevision.notice_id)
        .order_by(NoticeRevision.at.desc(), NoticeRevision.id.desc())
        .limit(limit)
    )
    return [
        FeedEntry(
            rid,
            kind,
            at,
            reason,
            [c.field for c in _changes(changes) if status != "withdrawn" or c.field in STUB_FIELDS],
            nid,
            title,
            issuer,
            _summary(kind, reason, body, status),
        )
        for rid, kind, at, reason, changes, nid, title, issuer, body, status in rows
    ]
