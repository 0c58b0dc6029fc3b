"""The tree of bodies: creating them, the default one, the subtree an admin manages, routing."""

from __future__ import annotations

from dataclasses import dataclass

from portal.domain.bodies import LEVEL_ORDER, BodyKind, BodyLevel, parse_ranks, store_ranks
from portal.domain.cases import Category
from portal.domain.clock import this_hour
from portal.extensions import db
from portal.models import Body, CategoryRoute, EscrowKey
from portal.services import audit
from portal.services.errors import ServiceError
from portal.services.transaction import use_case


class InvalidBody(ServiceError):
    """A body's name, short name, kind, level, ranks or parent does not meet the rules."""


class NoEscrowYet(ServiceError):
    """The body has no escrow key yet: its supervisors set it; until then it receives no case."""


class NoSuchBody(ServiceError):
    """No body with this id (or not one the cadre may choose)."""


class CannotReceive(ServiceError):
    """The body has no escrow key or no confirmed intake officer: a case sent there would reach nobody."""


class AlreadyDefault(ServiceError):
    """The body chosen is the default already: nothing would change."""


@dataclass(frozen=True)
class BodyChoice:
    """A body a cadre may file to, as the form lists it."""

    id: int
    name: str
    level: str
    kind: str


def get(body_id: int | None) -> Body:
    body = db.session.get(Body, body_id) if body_id is not None else None
    if body is None:
        raise NoSuchBody(str(body_id))
    return body


def default_id() -> int | None:
    """The body the cadre's form preselects and accounts or notices without one belong to
    (the first one made, unless an admin chose another); None before any body exists."""
    return db.session.scalar(db.select(Body.id).order_by(Body.is_default.desc(), Body.id).limit(1))


def default() -> Body | None:
    body_id = default_id()
    return db.session.get(Body, body_id) if body_id is not None else None


def all_bodies() -> list[Body]:
    return list(db.session.scalars(db.select(Body).order_by(Body.id)))


def subtree_ids(body_id: int) -> frozenset[int]:
    """The body and every body below it."""
    children: dict[int | None, list[int]] = {}
    for child, parent in db.session.execute(db.select(Body.id, Body.parent_id)):
        children.setdefault(parent, []).append(child)
    found, todo = set(), [body_id]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(children.get(current, []))
    return frozenset(found)


def public_name(body_id: int) -> str | None:
    """A body's name where cadres may read it (``name_public``), else None."""
    body = db.session.get(Body, body_id)
    return body.name if body is not None and body.name_public else None


def outside_remit(body_id: int, rank: str | None) -> bool:
    """Whether a cadre of this rank is outside the body's 干部管理权限 (a body with no ranks set
    handles every rank; no rank stated is never outside)."""
    body = db.session.get(Body, body_id)
    handled = parse_ranks(body.ranks) if body is not None else frozenset()
    return bool(rank and handled and rank not in handled)


def ranks_of(body: Body) -> frozenset[str]:
    return parse_ranks(body.ranks)


def receiving() -> list[BodyChoice]:
    """Bodies a cadre may choose on the form: public ones with an escrow key, grouped by level."""
    query = (
        db.select(Body)
        .join(EscrowKey, EscrowKey.body_id == Body.id)
        .where(Body.name_public.is_(True))
        .order_by(Body.id)
    )
    bodies = sorted(db.session.scalars(query), key=lambda b: (LEVEL_ORDER.index(b.level), b.id))
    return [BodyChoice(b.id, b.name, b.level, b.kind) for b in bodies]


def route_for(category: str | None, chosen_body_id: int | None) -> Body:
    """The body a new case goes to: the one the cadre chose, else its category's, else the default."""
    if chosen_body_id is not None:
        if chosen_body_id not in {b.id for b in receiving()}:
            raise NoSuchBody(str(chosen_body_id))
        return get(chosen_body_id)
    if category is not None:
        route = db.session.get(CategoryRoute, category)
        if route is not None:
            return get(route.body_id)
    body = default()
    if body is None:
        raise NoSuchBody("no body yet")
    return body


def _check(name: str, short_name: str, kind: str, level: str, ranks, parent_id: int | None) -> None:
    if not 2 <= len(name.strip()) <= 100:
        raise InvalidBody("name")
    if not 1 <= len(short_name.strip()) <= 20:
        raise InvalidBody("short_name")
    if kind not in BodyKind.__members__.values():
        raise InvalidBody("kind")
    if level not in BodyLevel.__members__.values():
        raise InvalidBody("level")
    if parent_id is not None and db.session.get(Body, parent_id) is None:
        raise InvalidBody("parent")
    if db.session.scalar(db.select(Body.id).where(Body.name == name.strip())) is not None:
        raise InvalidBody("name_taken")


@use_case
def create(
    name: str,
    short_name: str,
    kind: str,
    level: str,
    ranks=(),
    parent_id: int | None = None,
    *,
    name_public: bool = True,
    actor_id: int | None = None,
) -> int:
    """A new body of the tree; it receives cases once one of its supervisors sets its escrow key."""
    _check(name, short_name, kind, level, ranks, parent_id)
    first = db.session.scalar(db.select(Body.id).limit(1)) is None
    body = Body(
        name=name.strip(),
        short_name=short_name.strip(),
        kind=kind,
        level=level,
        parent_id=parent_id,
        ranks=store_ranks(ranks),
        name_public=name_public,
        is_default=first,
        created_at=this_hour(),
    )
    db.session.add(body)
    db.session.flush()
    audit.record("body_created", actor_id=actor_id, detail=f"body:{body.id}")
    db.session.commit()
    return body.id


@use_case
def route_category(category: str, body_id: int, actor_id: int | None = None) -> None:
    """New concerns of ``category`` go to ``body_id`` unless the cadre chose another body."""
    if category not in Category.__members__.values():
        raise InvalidBody("category")
    get(body_id)
    route = db.session.get(CategoryRoute, category)
    if route is None:
        db.session.add(CategoryRoute(category=category, body_id=body_id))
    else:
        route.body_id = body_id
    audit.record("category_routed", actor_id=actor_id, detail=f"{category}:body:{body_id}")
    db.session.commit()


def routes() -> dict[str, int]:
    return dict(db.session.execute(db.select(CategoryRoute.category, CategoryRoute.body_id)).all())


# -- h11x: the default body, changeable by an admin --


def lock_default() -> Body | None:
    """The default body, with every body row locked against a concurrent change of the default.

    Locking every row (not only the default's) makes a second change wait and then read the
    first one's result: a lock on the old default alone would let it find no default at all.
    ``FOR NO KEY UPDATE`` leaves new cases and accounts free to reference the bodies meanwhile.
    """
    db.session.execute(db.select(Body.id).order_by(Body.id).with_for_update(key_share=True)).all()
    return default()


def set_default(old: Body | None, new: Body, actor_id: int | None) -> None:
    """Move the default from ``old`` to ``new`` and audit both ids (the caller locked, checked, commits).

    The old one is cleared and flushed first: the partial unique index checks each row as it is written.
    """
    if old is not None:
        old.is_default = False
        db.session.flush()
    new.is_default = True
    db.session.flush()
    detail = f"body:{old.id}>body:{new.id}" if old is not None else f"body:{new.id}"
    audit.record("default_body_changed", actor_id=actor_id, detail=detail)
