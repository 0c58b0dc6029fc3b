"""Appending to and checking the audit chain; entries join the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.dialects import postgresql, sqlite

from portal.domain.audit_chain import GENESIS, Break, Link, entry_hash, first_break
from portal.domain.clock import this_hour, utcnow
from portal.extensions import db
from portal.models.audit import AuditEntry, AuditHead

_BATCH = 1000


def _locked_head() -> AuditHead:
    """The chain's head row, locked; created first if absent, without racing another creator.

    INSERT ... ON CONFLICT DO NOTHING makes a concurrent first append wait for
    the other's head row instead of failing on the same id.
    """
    dialect = db.session.get_bind().dialect.name
    inserts: dict[str, Callable[..., postgresql.Insert | sqlite.Insert]] = {
        "postgresql": postgresql.insert,
        "sqlite": sqlite.insert,
    }
    insert = inserts[dialect]
    db.session.execute(
        insert(AuditHead).values(id=1, last_id=0, last_hash=GENESIS).on_conflict_do_nothing(index_elements=["id"])
    )
    return db.session.scalar(
        db.select(AuditHead).where(AuditHead.id == 1).with_for_update().execution_options(populate_existing=True)
    )


def record(
    action: str,
    actor_id: int | None = None,
    case_id: str | None = None,
    target_user_id: int | None = None,
    detail: str | None = None,
) -> None:
    """Append one entry (caller commits); the head row lock serialises appenders.

    Timed to the minute when a staff member acted; to the hour otherwise (the
    submitter, or a sign-in under an unknown name): DESIGN dates submitters' actions to the hour.
    """
    head = _locked_head()
    at = utcnow().replace(second=0, microsecond=0) if actor_id is not None else this_hour()
    link = Link(head.last_id + 1, at.isoformat(), actor_id, action, case_id, target_user_id, detail)
    digest = entry_hash(head.last_hash, link)
    db.session.add(
        AuditEntry(
            id=link.id,
            at=at,
            actor_id=actor_id,
            action=action,
            case_id=case_id,
            target_user_id=target_user_id,
            detail=detail,
            prev_hash=head.last_hash,
            hash=digest,
        )
    )
    head.last_id, head.last_hash = link.id, digest


def _links():
    last = 0
    while True:
        rows = db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.id > last).order_by(AuditEntry.id).limit(_BATCH)
        ).all()
        if not rows:
            return
        for e in rows:
            link = Link(e.id, e.at.isoformat(), e.actor_id, e.action, e.case_id, e.target_user_id, e.detail)
            yield link, e.prev_hash, e.hash
        last = rows[-1].id
        db.session.expunge_all()


@dataclass(frozen=True)
class Verification:
    """Result of `verify`: entries checked and the first break, if any."""

    checked: int
    broken: Break | None


def verify() -> Verification:
    """Walk the whole chain in batches."""
    head = db.session.get(AuditHead, 1)
    count = db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)) or 0
    broken = first_break(_links(), head.last_hash if head else GENESIS)
    return Verification(checked=count, broken=broken)
