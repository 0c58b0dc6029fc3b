"""h11s1: statistics for leadership, counted in SQL and protected once per year.

Each measure is a GROUP BY over plain metadata (cases and the issue-10 tables) returning atom
counts keyed by (body id, month, category-or-kind). Counts are event-dated: a case counts in the
month its step happened (its milestone day, portal.domain.milestones). The atoms of a year make
one lattice per measure (bodies × months/quarters/year × kinds/categories) whose one suppression
pattern (portal.domain.disclosure) every view projects. A per-worker memo keyed by the audit
chain's head (every step and every publication writes an audit entry) saves recounting.

Overdue: a deadline (受理, 办结, 落实澄清) that was missed, counted in the month its due day fell:
a step done after its due, or a case still waiting for that step with its due day passed today.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from portal.domain import disclosure
from portal.domain.cases import Category, Finding, Kind, ReferralOutcome, State, ToleranceOutcome
from portal.domain.disclosure import Cell, Protected, Tree
from portal.extensions import db
from portal.models import AuditEntry, Body, Bulletin, Case, Notice, Referral
from portal.services import case_state

#: Shanghai has kept UTC+8 without summer time since 1991: filing hours shift by 8 into local months.
_LOCAL_HOURS = 8

KIND_TREE = Tree(
    "all",
    {
        "all": (Kind.CONCERN.value, Kind.CLARIFICATION.value, Kind.FAULT_TOLERANCE.value),
        Kind.CONCERN.value: tuple(c.value for c in Category),
    },
)
#: What a case concluded as: a concern by category, a clarification by finding, 容错 by outcome.
OUTCOME_TREE = Tree(
    "all",
    {
        "all": (Kind.CONCERN.value, Kind.CLARIFICATION.value, Kind.FAULT_TOLERANCE.value),
        Kind.CONCERN.value: tuple(c.value for c in Category),
        Kind.CLARIFICATION.value: tuple(f"finding:{f.value}" for f in Finding),
        Kind.FAULT_TOLERANCE.value: tuple(f"tolerance:{t.value}" for t in ToleranceOutcome),
    },
)
REFERRAL_TREE = disclosure.flat("all", (ReferralOutcome.HANDLED.value, ReferralOutcome.NOT_PURSUED.value))
SINGLE = disclosure.single()

#: Measures in the order tables list them, with the category tree each is broken down by.
MEASURES: dict[str, Tree] = {
    "received": KIND_TREE,
    "accepted": KIND_TREE,
    "not_accepted": KIND_TREE,
    "concluded": OUTCOME_TREE,
    "overdue": KIND_TREE,
    "carried_out": SINGLE,
    "published": SINGLE,
    "real_name": SINGLE,
    "referred": SINGLE,
    "referral_concluded": REFERRAL_TREE,
    "visited": SINGLE,
    "visit_overdue": SINGLE,
    "bulletins": SINGLE,
}

_ANSWER_CLOCK = (
    State.ACCEPTED,
    State.IN_PROGRESS,
    State.VERIFYING,
    State.FINDING_PROPOSED,
    State.DECISION_PROPOSED,
    State.COLLECTIVELY_DECIDED,
)

Atom = tuple[int, int, str]  # (body id, month, category leaf)


def _month(column: Any, shift_hours: int = 0) -> sa.ColumnElement:
    """The local month of a date (or a stored UTC hour shifted into local time), on both databases."""
    if db.engine.dialect.name == "sqlite":
        modifier = f"+{shift_hours} hours" if shift_hours else "+0 days"
        return sa.cast(sa.func.strftime("%m", column, modifier), sa.Integer)
    shifted = column + sa.text(f"interval '{shift_hours} hours'") if shift_hours else column
    return sa.cast(sa.extract("month", shifted), sa.Integer)


def _in_year(column: sa.ColumnElement, year: int) -> sa.ColumnElement:
    return sa.and_(column >= dt.date(year, 1, 1), column < dt.date(year + 1, 1, 1))


def _kind_leaf() -> sa.ColumnElement:
    return sa.func.coalesce(Case.category, Case.kind)


def _outcome_leaf() -> sa.ColumnElement:
    return sa.case(
        (Case.kind == Kind.CONCERN.value, Case.category),
        (Case.kind == Kind.CLARIFICATION.value, sa.func.coalesce("finding:" + Case.finding, Case.kind)),
        else_=sa.func.coalesce("tolerance:" + Case.tolerance_outcome, Case.kind),
    )


def _grouped(body: Any, month: sa.ColumnElement, leaf: Any, *where: Any, join: Any = None) -> list[tuple]:
    leaf_col = leaf if leaf is not None else sa.literal("all")
    query = sa.select(body, month.label("m"), leaf_col.label("c"), sa.func.count()).where(*where)
    if join is not None:
        query = query.select_from(join)
    query = query.group_by(body, month, leaf_col) if leaf is not None else query.group_by(body, month)
    return [tuple(r) for r in db.session.execute(query)]


def _case_counts(column, year: int, leaf, *where) -> list[tuple]:
    return _grouped(Case.body_id, _month(column), leaf, _in_year(column, year), *where)


def _received(year: int, *where) -> list[tuple]:
    start = dt.datetime(year - 1, 12, 31, 24 - _LOCAL_HOURS)
    end = dt.datetime(year, 12, 31, 24 - _LOCAL_HOURS)
    return _grouped(
        Case.body_id,
        _month(Case.created_at, _LOCAL_HOURS),
        _kind_leaf() if not where else None,
        Case.created_at >= start,
        Case.created_at < end,
        *where,
    )


def _overdue(year: int, today: dt.date) -> list[tuple]:
    rows: list[tuple] = []
    rows += _case_counts(
        Case.accept_due,
        year,
        _kind_leaf(),
        sa.or_(
            Case.accept_met.is_(False),
            sa.and_(Case.state == State.SUBMITTED.value, Case.accept_due < today),
        ),
    )
    rows += _case_counts(
        Case.answer_due,
        year,
        _kind_leaf(),
        sa.or_(
            Case.conclude_met.is_(False),
            sa.and_(
                Case.concluded_on.is_(None),
                Case.state.in_([s.value for s in _ANSWER_CLOCK]),
                Case.answer_due < today,
            ),
        ),
    )
    rows += _case_counts(
        Case.carry_out_due,
        year,
        _kind_leaf(),
        sa.or_(
            Case.carry_out_met.is_(False),
            sa.and_(Case.state == State.PLAN_APPROVED.value, Case.carry_out_due < today),
        ),
    )
    return rows


def _published(model, year: int) -> list[tuple]:
    start, end = dt.datetime(year - 1, 12, 31, 24 - _LOCAL_HOURS), dt.datetime(year, 12, 31, 24 - _LOCAL_HOURS)
    body = sa.func.coalesce(model.body_id, sa.literal(0))
    return _grouped(
        body, _month(model.published_at, _LOCAL_HOURS), None, model.published_at >= start, model.published_at < end
    )


def _referrals(column, year: int, leaf=None, *where) -> list[tuple]:
    return _grouped(
        Case.body_id,
        _month(column),
        leaf,
        _in_year(column, year),
        *where,
        join=sa.join(Referral, Case, Referral.case_id == Case.id),
    )


def count_atoms(year: int, today: dt.date) -> dict[str, list[tuple]]:
    """Every measure's atoms of a year: (body id, month, leaf, count) rows, straight from SQL."""
    return {
        "received": _received(year),
        "accepted": _case_counts(Case.accepted_on, year, _kind_leaf()),
        "not_accepted": _case_counts(Case.refused_on, year, _kind_leaf()),
        "concluded": _case_counts(Case.concluded_on, year, _outcome_leaf()),
        "overdue": _overdue(year, today),
        "carried_out": _case_counts(Case.carried_out_on, year, None),
        "published": _published(Notice, year),
        "real_name": _received(year, Case.real_name.is_(True)),
        "referred": _referrals(Referral.referred_on, year),
        "referral_concluded": _referrals(Referral.concluded_on, year, Referral.outcome),
        "visited": _case_counts(Case.visited_on, year, None),
        "visit_overdue": _case_counts(
            Case.visit_due,
            year,
            None,
            sa.or_(Case.visited_on > Case.visit_due, sa.and_(Case.visited_on.is_(None), Case.visit_due < today)),
        ),
        "bulletins": _published(Bulletin, year),
    }


@dataclass(frozen=True)
class Lattice:
    """A year's protected lattices, one per measure, over one body tree."""

    year: int
    bodies: Tree
    parents: Mapping[int, int | None]
    measures: Mapping[str, Protected]
    #: The times of each (name, scope, quarter) asked for while this lattice is current.
    times_memo: dict[tuple, Times] = field(default_factory=dict, compare=False, repr=False)

    def cell(self, measure: str, body: disclosure.Node, period: disclosure.Node, category: str = "all") -> Cell:
        return (body, period, category)


def _body_parents() -> dict[int, int | None]:
    return {b: p for b, p in db.session.execute(sa.select(Body.id, Body.parent_id))}


def build(year: int, today: dt.date | None = None) -> Lattice:
    """Count and protect a year (uncached)."""
    today = today or case_state.today()
    parents = _body_parents()
    bodies = disclosure.body_tree(parents)
    time = disclosure.year_tree()
    top = next(iter(b for b, p in sorted(parents.items()) if p is None), None)
    protected: dict[str, Protected] = {}
    for measure, rows in count_atoms(year, today).items():
        tree = MEASURES[measure]
        leaves: dict[Cell, int] = {}
        for body_id, month, leaf, count in rows:
            owner = body_id if body_id in parents else top  # a publication kept without its body
            if owner is None:
                continue
            node = disclosure.body_leaf(bodies, owner)
            leaf_node = leaf if leaf in tree.order else tree.root
            key = (node, ("M", int(month)), leaf_node)
            leaves[key] = leaves.get(key, 0) + int(count)
        protected[measure] = disclosure.protect((bodies, time, tree), leaves)
    return Lattice(year, bodies, parents, protected)


_memo: dict[int, tuple[int, float, Lattice]] = {}
_memo_lock = threading.Lock()
#: A lattice is reused for this long even when the data moved (counts are by month; a busy
#: deployment would otherwise recount on every page); unchanged data reuses it for ever.
STALE_SECONDS = 300.0


#: The audit entry an export writes; it changes no count, so it does not move the data version.
EXPORT_ACTION = "statistics_export"


def data_version() -> int:
    """The newest audit entry but an export's: moves with every step, publication and referral
    (a backward scan of the primary key that stops at the first entry)."""
    newest = sa.select(sa.func.max(AuditEntry.id)).where(AuditEntry.action != EXPORT_ACTION)
    return db.session.scalar(newest) or 0


def lattice(year: int) -> Lattice:
    """A year's lattice, from this worker's memo while nothing has changed (or it is recent)."""
    version = data_version()
    with _memo_lock:
        hit = _memo.get(year)
    now = time.monotonic()
    if hit is not None and (hit[0] == version or now - hit[1] < STALE_SECONDS):
        return hit[2]
    built = build(year)
    with _memo_lock:
        _memo[year] = (version, now, built)
    return built


def clear_memo() -> None:
    with _memo_lock:
        _memo.clear()


# -- times: median and 90th percentile working days, share of deadlines met --

TIMES: dict[str, tuple[str, str, str]] = {
    # name: (milestone day column, duration column, met column)
    "to_accept": ("accepted_on", "days_to_accept", "accept_met"),
    "to_conclude": ("concluded_on", "days_to_conclude", "conclude_met"),
    "to_carry_out": ("carried_out_on", "days_to_carry_out", "carry_out_met"),
}


@dataclass(frozen=True)
class Times:
    """One duration over the cases of a view: shown only from enough cases."""

    n: int
    median: float | None
    p90: float | None
    met_share: float | None  # 0..1

    @property
    def shown(self) -> bool:
        return disclosure.shown_at_least(self.n)


def percentile(values: Sequence[float], fraction: float) -> float:
    """As PostgreSQL's percentile_cont: linear interpolation between the closest ranks."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    if len(ordered) == 1:
        return float(ordered[0])
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return float(ordered[low] + (ordered[high] - ordered[low]) * (position - low))


def _period(year: int, quarter: int | None) -> tuple[dt.date, dt.date]:
    if quarter is None:
        return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return start, end


def times(name: str, body_ids: frozenset[int], year: int, quarter: int | None, *, python: bool = False) -> Times:
    """Median, 90th percentile and share met of one duration for cases of these bodies whose
    milestone fell in the period: percentile_cont on PostgreSQL, the same in Python on SQLite."""
    day_col, days_col, met_col = (getattr(Case, c) for c in TIMES[name])
    start, end = _period(year, quarter)
    where = (day_col >= start, day_col < end, Case.body_id.in_(body_ids), days_col.is_not(None))
    if name == "to_accept":  # refusals are decided within the same clock
        where = (
            sa.func.coalesce(Case.accepted_on, Case.refused_on) >= start,
            sa.func.coalesce(Case.accepted_on, Case.refused_on) < end,
            Case.body_id.in_(body_ids),
            days_col.is_not(None),
        )
    met = sa.func.sum(sa.case((met_col.is_(True), 1), else_=0))
    met_known = sa.func.count(met_col)
    if db.engine.dialect.name == "postgresql" and not python:
        row = db.session.execute(
            sa.select(
                sa.func.count(),
                sa.func.percentile_cont(0.5).within_group(days_col),
                sa.func.percentile_cont(0.9).within_group(days_col),
                met,
                met_known,
            ).where(*where)
        ).one()
        n, median, p90, met_n, known = row
        return _times(int(n), median, p90, met_n, known)
    rows = db.session.execute(sa.select(days_col, met_col).where(*where)).all()
    durations = [r[0] for r in rows]
    known_flags = [r[1] for r in rows if r[1] is not None]
    if not durations:
        return Times(0, None, None, None)
    return _times(
        len(durations),
        percentile(durations, 0.5),
        percentile(durations, 0.9),
        sum(1 for f in known_flags if f),
        len(known_flags),
    )


def _times(n: int, median, p90, met_n, known) -> Times:
    if not disclosure.shown_at_least(n):
        return Times(n, None, None, None)
    share = (float(met_n or 0) / known) if known and disclosure.shown_at_least(int(known)) else None
    return Times(n, float(median) if median is not None else None, float(p90) if p90 is not None else None, share)


# -- the views: projections of the year's lattice --


class OutOfScope(Exception):
    """The body asked for is not the viewer's own nor one below it."""


@dataclass(frozen=True)
class Shown:
    """One printed count: its text ("12", "<5", "—") and the number when it may be shown."""

    text: str
    value: int | None


@dataclass(frozen=True)
class View:
    """Everything the page, the charts and the exports show for one body and period."""

    year: int
    quarter: int | None
    body_id: int
    body_name: str
    scope: list[tuple[int, str]]  # the bodies the viewer may choose (their own and below)
    kinds: list[tuple[str, dict[str, Shown]]]  # measure → kind (and "all") → count
    categories: list[tuple[str, dict[str, Shown]]]  # concern category → measure → count
    months: list[tuple[int, dict[str, Shown]]]  # month → measure → count
    bodies: list[tuple[int, bool, str, dict[str, Shown]]]  # (body, own cases?, name, measure → count)
    others: list[tuple[str, Shown]]  # further measures for the scope and period
    times: list[tuple[str, Times]]


KIND_MEASURES = ("received", "accepted", "not_accepted", "concluded", "overdue")
CATEGORY_MEASURES = ("received", "accepted", "concluded")
TREND_MEASURES = ("received", "accepted", "concluded")
BODY_MEASURES = ("received", "accepted", "concluded", "overdue")
#: (label code, measure, category node) of the single figures.
OTHERS: tuple[tuple[str, str, str], ...] = (
    ("found_false", "concluded", f"finding:{Finding.FOUND_FALSE.value}"),
    ("partly_false", "concluded", f"finding:{Finding.PARTLY_FALSE.value}"),
    ("substantiated", "concluded", f"finding:{Finding.SUBSTANTIATED.value}"),
    ("unverifiable", "concluded", f"finding:{Finding.UNVERIFIABLE.value}"),
    ("carried_out", "carried_out", "all"),
    ("published", "published", "all"),
    ("exempt", "concluded", f"tolerance:{ToleranceOutcome.EXEMPT.value}"),
    ("reduced", "concluded", f"tolerance:{ToleranceOutcome.REDUCED.value}"),
    ("refused", "concluded", f"tolerance:{ToleranceOutcome.REFUSED.value}"),
    ("referred", "referred", "all"),
    ("referral_handled", "referral_concluded", ReferralOutcome.HANDLED.value),
    ("referral_not_pursued", "referral_concluded", ReferralOutcome.NOT_PURSUED.value),
    ("bulletins", "bulletins", "all"),
    ("visited", "visited", "all"),
    ("visit_overdue", "visit_overdue", "all"),
    ("real_name", "real_name", "all"),
)


def _shown(p: Protected, cell: Cell) -> Shown:
    return Shown(p.text(cell), p.shown(cell))


def view(viewer_body_id: int, year: int, quarter: int | None, body_id: int | None) -> View:
    """The tables of one body (the viewer's own or one below) and period, all from one pattern."""
    body_id = viewer_body_id if body_id is None else body_id
    names = {b.id: b.name for b in db.session.scalars(sa.select(Body))}
    parents = _body_parents()
    allowed = _below(parents, viewer_body_id)
    if body_id not in allowed:
        raise OutOfScope(str(body_id))
    lat = lattice(year)
    period: disclosure.Node = "Y" if quarter is None else ("Q", quarter)
    scope_node: disclosure.Node = ("sub", body_id)
    m = lat.measures

    kinds = [
        (measure, {str(k): _shown(m[measure], (scope_node, period, k)) for k in (*KIND_TREE.kids("all"), "all")})
        for measure in KIND_MEASURES
    ]
    categories = [
        (c.value, {measure: _shown(m[measure], (scope_node, period, c.value)) for measure in CATEGORY_MEASURES})
        for c in Category
    ]
    month_range = range(1, 13) if quarter is None else range(3 * quarter - 2, 3 * quarter + 1)
    months = [
        (month, {measure: _shown(m[measure], (scope_node, ("M", month), "all")) for measure in TREND_MEASURES})
        for month in month_range
    ]
    rows: list[tuple[int, bool, str, dict[str, Shown]]] = []
    kids = lat.bodies.kids(scope_node)
    for node in kids or (scope_node,):
        pair: tuple[str, int] = node  # type: ignore[assignment]  # body nodes are ("own" | "sub", id)
        kind, number = pair
        own = kind == "own" or not kids
        rows.append(
            (
                int(number),
                own,
                names.get(int(number), ""),
                {measure: _shown(m[measure], (node, period, "all")) for measure in BODY_MEASURES},
            )
        )
    others = [(code, _shown(m[measure], (scope_node, period, cat))) for code, measure, cat in OTHERS]
    subtree = frozenset(_below(parents, body_id))
    spans = []
    for name in TIMES:
        memo_key = (name, subtree, quarter)
        if memo_key not in lat.times_memo:
            lat.times_memo[memo_key] = times(name, subtree, year, quarter)
        spans.append((name, lat.times_memo[memo_key]))
    scope = sorted(((b, names.get(b, "")) for b in allowed), key=lambda r: (r[0] != viewer_body_id, r[0]))
    return View(year, quarter, body_id, names.get(body_id, ""), scope, kinds, categories, months, rows, others, spans)


def _below(parents: Mapping[int, int | None], body_id: int) -> set[int]:
    found, todo = set(), [body_id]
    while todo:
        current = todo.pop()
        if current in found or current not in parents:
            continue
        found.add(current)
        todo.extend(b for b, p in parents.items() if p == current)
    return found


# -- the public's yearly figures (the notices site) --


@dataclass(frozen=True)
class YearFigures:
    """One year's deployment-wide figures, as the staff page's top cell shows them (same pattern)."""

    year: int
    notices: Shown
    bulletins: Shown


def public_figures() -> list[YearFigures]:
    """Clarification notices and 典型案例通报 published each year (withdrawn ones included: they were
    published), newest year first, each the top cell of that year's protected lattice."""
    firsts = [db.session.scalar(sa.select(sa.func.min(model.published_at))) for model in (Notice, Bulletin)]
    known = [f for f in firsts if f is not None]
    if not known:
        return []
    this_year = case_state.today().year
    first = min(case_state.local_day(f).year for f in known)
    out = []
    for year in range(this_year, first - 1, -1):
        lat = lattice(year)
        top = (lat.bodies.root, "Y", "all")
        out.append(YearFigures(year, _shown(lat.measures["published"], top), _shown(lat.measures["bulletins"], top)))
    return out
