"""Reading bulletins for the public: list and search, one bulletin with its history, the feed.

Bulletins are few (a body publishes a handful a year), so search is a LIKE over the stored
search text of one page in (published_at, id) order, with keyset paging as the notices have;
they need no gram index. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from portal.domain.bulletins import PublicStatus
from portal.extensions import db
from portal.models import Bulletin, BulletinRevision
from portal.services.notices_public import MAX_ID, MAX_QUERY, MAX_TERMS, Change, Cursor, HistoryEntry

#: Entries in the Atom feed.
FEED_SIZE = 50
#: Fields a withdrawn bulletin still shows (its stub).
STUB_FIELDS = frozenset({"title", "issued_on"})
#: Characters of a bulletin's account in a feed summary.
SUMMARY_CHARS = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_LIKE_SPECIAL = re.compile(r"([\\%_])")


def clean_query(q: str | None) -> str:
    """A search as typed, without control characters, bounded."""
    return " ".join(_CONTROL.sub(" ", q or "").split())[:MAX_QUERY]


@dataclass(frozen=True)
class Version:
    """What changes whenever any bulletin changes (the list's and feed's validators)."""

    revision: int
    updated_at: dt.datetime | None


def version() -> Version:
    revision, updated = db.session.execute(
        select(
            select(func.max(BulletinRevision.id)).scalar_subquery(),
            select(func.max(Bulletin.updated_at)).scalar_subquery(),
        )
    ).one()
    return Version(revision or 0, updated)


def state(bulletin_id: int) -> Version | None:
    """One bulletin's validators, or None if there is no such bulletin."""
    if not 0 < bulletin_id <= MAX_ID:
        return None
    updated = db.session.scalar(select(Bulletin.updated_at).where(Bulletin.id == bulletin_id))
    if updated is None:
        return None
    revision = db.session.scalar(
        select(func.max(BulletinRevision.id)).where(BulletinRevision.bulletin_id == bulletin_id)
    )
    return Version(revision or 0, updated)


@dataclass(frozen=True)
class ListItem:
    id: int
    title: str
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
    #: Cursor of the next page of older bulletins, None on the last page.
    older: Cursor | None


def _like(term: str) -> str:
    return "%" + _LIKE_SPECIAL.sub(r"\\\1", term) + "%"


def list_page(q: str, size: int, older: Cursor | None = None) -> ListPage:
    """Newest first; every word of ``q`` must appear in a bulletin's public text."""
    statement = select(
        Bulletin.id, Bulletin.title, Bulletin.issuer, Bulletin.issued_on, Bulletin.status, Bulletin.published_at
    )
    for term in q.lower().split()[:MAX_TERMS]:
        statement = statement.where(Bulletin.search_text.like(_like(term), escape="\\"))
    if older is not None:
        statement = statement.where(
            or_(
                Bulletin.published_at < older.published_at,
                (Bulletin.published_at == older.published_at) & (Bulletin.id < older.id),
            )
        )
    rows = db.session.execute(statement.order_by(Bulletin.published_at.desc(), Bulletin.id.desc()).limit(size + 1))
    items = [ListItem(*row) for row in rows]
    return ListPage(items[:size], items[size - 1].cursor if len(items) > size else None)


@dataclass(frozen=True)
class PublicBulletin:
    """What the public page shows: a withdrawn bulletin loses its account and the accuser's treatment."""

    id: int
    title: str
    facts: str
    treatment: str
    issuer: str
    issued_on: dt.date
    status: str
    withdrawn_reason: str | None
    published_at: dt.datetime


def _changes(raw: str | None, withdrawn: bool) -> list[Change]:
    if not raw:
        return []
    found = [Change(name, before, after) for name, (before, after) in json.loads(raw).items()]
    return [c for c in found if c.field in STUB_FIELDS] if withdrawn else found


def bulletin(bulletin_id: int) -> tuple[PublicBulletin, list[HistoryEntry]] | None:
    """One bulletin as the public sees it, with its history (oldest first)."""
    row = db.session.get(Bulletin, bulletin_id) if 0 < bulletin_id <= MAX_ID else None
    if row is None:
        return None
    withdrawn = row.status == PublicStatus.WITHDRAWN
    shown = PublicBulletin(
        row.id,
        row.title,
        "" if withdrawn else row.facts,
        "" if withdrawn else row.treatment,
        row.issuer,
        row.issued_on,
        row.status,
        row.withdrawn_reason,
        row.published_at,
    )
    revisions = db.session.scalars(
        select(BulletinRevision).where(BulletinRevision.bulletin_id == bulletin_id).order_by(BulletinRevision.id)
    )
    history = [HistoryEntry(r.id, r.kind, r.at, r.reason, _changes(r.changes, withdrawn)) for r in revisions]
    return shown, history


@dataclass(frozen=True)
class FeedEntry:
    revision_id: int
    kind: str
    at: dt.datetime
    reason: str | None
    changed_fields: list[str]
    bulletin_id: int
    title: str
    issuer: str
    summary: str


def feed(limit: int = FEED_SIZE) -> list[FeedEntry]:
    """The newest events, one entry each; a withdrawn bulletin's entries carry no account of the case."""
    rows = db.session.execute(
        select(BulletinRevision, Bulletin)
        .join(Bulletin, Bulletin.id == BulletinRevision.bulletin_id)
        .order_by(BulletinRevision.id.desc())
        .limit(limit)
    )
    entries = []
    for revision, row in rows:
        withdrawn = row.status == PublicStatus.WITHDRAWN
        changed = [c.field for c in _changes(revision.changes, withdrawn)]
        summary = "" if withdrawn else row.facts[:SUMMARY_CHARS]
        entries.append(
            FeedEntry(
                revision.id,
                revision.kind,
                revision.at,
                revision.reason,
                changed,
                row.id,
                row.title,
                row.issuer,
                summary,
            )
        )
    return entries
