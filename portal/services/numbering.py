"""Document numbers drawn inside the issuing transaction: never repeated, never skipped.

The sequence row of (body, year, kind) is created if absent (INSERT ... ON CONFLICT DO NOTHING,
so two first issuers do not fail on the same key) and then locked and advanced; the lock is
held until the issuing transaction ends. A rolled-back issue thus takes its increment with it,
and a concurrent issue waits for the number before it, as audit entries wait for the chain's head.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.dialects import postgresql, sqlite

from portal.domain import documents
from portal.domain.documents import DocumentKind
from portal.extensions import db
from portal.models import Body, DocumentSequence
from portal.services import case_state


def _next(body_id: int, year: int, kind: DocumentKind) -> int:
    """The next value of the sequence, the row locked until the caller's transaction ends."""
    inserts: dict[str, Callable[..., postgresql.Insert | sqlite.Insert]] = {
        "postgresql": postgresql.insert,
        "sqlite": sqlite.insert,
    }
    insert = inserts[db.session.get_bind().dialect.name]
    db.session.execute(
        insert(DocumentSequence)
        .values(body_id=body_id, year=year, kind=kind.value, last=0)
        .on_conflict_do_nothing(index_elements=["body_id", "year", "kind"])
    )
    advanced = db.session.execute(
        db.update(DocumentSequence)
        .where(DocumentSequence.body_id == body_id, DocumentSequence.year == year, DocumentSequence.kind == kind.value)
        .values(last=DocumentSequence.last + 1)
        .returning(DocumentSequence.last)
    ).scalar_one()
    return int(advanced)


def allocate(body_id: int, kind: DocumentKind) -> str:
    """A fresh 发文字号 of this body and kind for this year (China's), in the caller's transaction."""
    body = db.session.get(Body, body_id)
    if body is None:
        raise LookupError(f"no body {body_id}")
    year = case_state.today().year
    return documents.number(body.short_name, kind, year, _next(body_id, year, kind))
