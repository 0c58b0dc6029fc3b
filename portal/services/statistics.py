"""h11s1: statistics for leadership, counted in SQL and protected once per year.

Each measure is a GROUP BY over plain metadata (cases and the issue-10 tables) returning atom
counts keyed by (body id, month, category-or-kind). Counts are event-dated: a case counts in the
month its step happened (its milestone day, portal.domain.milestones). The atoms of a year make
one lattice per measure (bodies × months/quarters/year × kinds/categories) whose one suppression
pattern (portal.domain.disclosure) every view projects.

h11r: monthly releases. A year's lattices are counted through the last day of its last complete
month in China time (``release_through``), once, and stored (``statistics_releases``); every
worker reads that stored release, so a count never ticks between releases and two workers never
differ. Events dated after the release day do not count until the next release.

h12s: the times too. Percentiles do not add up, but durations are small integers (working days),
so a release (format 2) stores per duration, leaf body and month of the milestone day a histogram
{working days: cases} with the deadlines met and known; any scope and period merges its
histograms and interpolates exactly as percentile_cont. A release of format 1 has none: its times
are computed live, as before.

Overdue: a deadline (受理, 办结, 落实澄清) that was missed, counted in the month its due day fell:
a step done (on or before the release day) after its due, or a case still waiting for that step
on the release day with its due day passed.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from portal.domain import disclosure
from portal.domain.cases import Category, Finding, Kind, ReferralOutcome, State, ToleranceOutcome
from portal.domain.disclosure import Cell, Protected, Tree
from portal.extensions import db
from portal.models import Body, Bulletin, Case, Notice, Referral
from portal.models.statistics_release import StatisticsRelease
from portal.services import audit, case_state

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


def _upto(column: sa.ColumnElement, year: int, through: dt.date) -> sa.ColumnElement:
    """Days of the year up to and including the release day."""
    return sa.and_(column >= dt.date(year, 1, 1), column <= through)


def _local_end(through: dt.date) -> dt.datetime:
    """The stored (UTC) hour at which the release day ends in China."""
    return dt.datetime.combine(through, dt.time(24 - _LOCAL_HOURS))


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


def _case_counts(column, year: int, through: dt.date, leaf, *where) -> list[tuple]:
    return _grouped(Case.body_id, _month(column), leaf, _upto(column, year, through), *where)


def _received(year: int, through: dt.date, *where) -> list[tuple]:
    start = dt.datetime(year - 1, 12, 31, 24 - _LOCAL_HOURS)
    end = _local_end(through)
    return _grouped(
        Case.body_id,
        _month(Case.created_at, _LOCAL_HOURS),
        _kind_leaf() if not where else None,
        Case.created_at >= start,
        Case.created_at < end,
        *where,
    )


def _overdue(year: int, through: dt.date) -> list[tuple]:
    """Missed deadlines as they stood at the end of the release day (its "today")."""
    rows: list[tuple] = []
    accept_step = sa.func.coalesce(Case.accepted_on, Case.refused_on)
    rows += _case_counts(
        Case.accept_due,
        year,
        through,
        _kind_leaf(),
        sa.or_(
            sa.and_(Case.accept_met.is_(False), accept_step <= through),
            sa.and_(
                sa.or_(Case.state == State.SUBMITTED.value, accept_step > through),
                Case.accept_due < through,
            ),
        ),
    )
    rows += _case_counts(
        Case.answer_due,
        year,
        through,
        _kind_leaf(),
        sa.or_(
            sa.and_(Case.conclude_met.is_(False), Case.concluded_on <= through),
            sa.and_(
                sa.or_(
                    sa.and_(Case.concluded_on.is_(None), Case.state.in_([s.value for s in _ANSWER_CLOCK])),
                    Case.concluded_on > through,
                ),
                Case.answer_due < through,
            ),
        ),
    )
    rows += _case_counts(
        Case.carry_out_due,
        year,
        through,
        _kind_leaf(),
        sa.or_(
            sa.and_(Case.carry_out_met.is_(False), Case.carried_out_on <= through),
            sa.and_(
                sa.or_(Case.state == State.PLAN_APPROVED.value, Case.carried_out_on > through),
                Case.carry_out_due < through,
            ),
        ),
    )
    return rows


def _published(model, year: int, through: dt.date) -> list[tuple]:
    start, end = dt.datetime(year - 1, 12, 31, 24 - _LOCAL_HOURS), _local_end(through)
    body = sa.func.coalesce(model.body_id, sa.literal(0))
    return _grouped(
        body, _month(model.published_at, _LOCAL_HOURS), None, model.published_at >= start, model.published_at < end
    )


def _referrals(column, year: int, through: dt.date, leaf=None, *where) -> list[tuple]:
    return _grouped(
        Case.body_id,
        _month(column),
        leaf,
        _upto(column, year, through),
        *where,
        join=sa.join(Referral, Case, Referral.case_id == Case.id),
    )


def count_atoms(year: int, through: dt.date) -> dict[str, list[tuple]]:
    """Every measure's atoms of a year up to the release day: (body id, month, leaf, count) rows."""
    t = through
    return {
        "received": _received(year, t),
        "accepted": _case_counts(Case.accepted_on, year, t, _kind_leaf()),
        "not_accepted": _case_counts(Case.refused_on, year, t, _kind_leaf()),
        "concluded": _case_counts(Case.concluded_on, year, t, _outcome_leaf()),
        "overdue": _overdue(year, t),
        "carried_out": _case_counts(Case.carried_out_on, year, t, None),
        "published": _published(Notice, year, t),
        "real_name": _received(year, t, Case.real_name.is_(True)),
        "referred": _referrals(Referral.referred_on, year, t),
        "referral_concluded": _referrals(Referral.concluded_on, year, t, Referral.outcome),
        "visited": _case_counts(Case.visited_on, year, t, None),
        "visit_overdue": _case_counts(
            Case.visit_due,
            year,
            t,
            None,
            sa.or_(
                sa.and_(Case.visited_on > Case.visit_due, Case.visited_on <= t),
                sa.and_(sa.or_(Case.visited_on.is_(None), Case.visited_on > t), Case.visit_due < t),
            ),
        ),
        "bulletins": _published(Bulletin, year, t),
    }


@dataclass(frozen=True)
class Histogram:
    """The durations of one leaf body's cases in one month: each number of working days (rising)
    with its cases, and how many met the deadline among those where it is known."""

    days: Sequence[int]
    cases: Sequence[int]
    met: int
    known: int


def count_histograms(year: int, through: dt.date) -> dict[str, dict[tuple[int, int], Histogram]]:
    """Every duration's histograms of a year up to the release day, one GROUP BY (body, month of
    the milestone day, working days) each, over the rows ``times`` reads: each case under the body
    it has when the release is built."""
    out: dict[str, dict[tuple[int, int], Histogram]] = {}
    for name in TIMES:
        day_col, days_col, met_col = _times_columns(name)
        met = sa.func.sum(sa.case((met_col.is_(True), 1), else_=0))
        month = _month(day_col)
        query = (
            sa.select(Case.body_id, month, days_col, sa.func.count(), met, sa.func.count(met_col))
            .where(_upto(day_col, year, through), days_col.is_not(None))
            .group_by(Case.body_id, month, days_col)
        )
        counts: dict[tuple[int, int], dict[int, int]] = {}
        flags: dict[tuple[int, int], tuple[int, int]] = {}
        for body_id, m, days, n, met_n, known in db.session.execute(query):
            key = (int(body_id), int(m))
            counts.setdefault(key, {})[int(days)] = int(n)
            before = flags.get(key, (0, 0))
            flags[key] = (before[0] + int(met_n or 0), before[1] + int(known))
        out[name] = {
            key: Histogram(sorted(c), [c[d] for d in sorted(c)], *flags[key]) for key, c in sorted(counts.items())
        }
    return out


@dataclass(frozen=True)
class Lattice:
    """A year's protected lattices through the release day, one per measure, over one body tree."""

    year: int
    bodies: Tree
    parents: Mapping[int, int | None]
    measures: Mapping[str, Protected]
    #: The last day whose events count (China time), and when the release was built (UTC, to the hour).
    through: dt.date = dt.date.min
    built_at: dt.datetime = dt.datetime.min
    #: Per duration (TIMES), per leaf body and month of the milestone day, the histogram of its
    #: working days; None for a release stored before they were (format 1: times are live).
    times: Mapping[str, Mapping[tuple[int, int], Histogram]] | None = None

    def cell(self, measure: str, body: disclosure.Node, period: disclosure.Node, category: str = "all") -> Cell:
        return (body, period, category)


def _body_parents() -> dict[int, int | None]:
    return {b: p for b, p in db.session.execute(sa.select(Body.id, Body.parent_id))}


def release_through(year: int, today: dt.date | None = None) -> dt.date | None:
    """The last day a release of this year counts: the end of the last complete month (China
    time); for a past year, 31 December; None for this year in January or a year to come."""
    today = today or case_state.today()
    if year < today.year:
        return dt.date(year, 12, 31)
    if year > today.year or today.month == 1:
        return None
    return dt.date(year, today.month, 1) - dt.timedelta(days=1)


def build(year: int, through: dt.date | None = None) -> Lattice:
    """Count and protect a year through a day (uncached, nothing stored)."""
    through = through or release_through(year) or dt.date(year, 12, 31)
    parents = _body_parents()
    bodies = disclosure.body_tree(parents)
    time = disclosure.year_tree()
    top = next(iter(b for b, p in sorted(parents.items()) if p is None), None)
    protected: dict[str, Protected] = {}
    for measure, rows in count_atoms(year, through).items():
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
    histograms = count_histograms(year, through)
    built_at = dt.datetime.now(dt.UTC).replace(tzinfo=None, minute=0, second=0, microsecond=0)
    return Lattice(year, bodies, parents, protected, through, built_at, histograms)


# -- the stored form: JSON (never pickle), zlib-compressed --

#: 2 adds the times' histograms; a release of format 1 is still read (its times are live).
RELEASE_FORMAT = 2
_READ_FORMATS = (1, 2)


def _period_code(node: disclosure.Node) -> str:
    if node == "Y":
        return "Y"
    pair: tuple[str, int] = node  # type: ignore[assignment]  # ("Q" | "M", n)
    return f"{pair[0]}{pair[1]}"


def _period_node(code: str) -> disclosure.Node:
    return "Y" if code == "Y" else (code[0], int(code[1:]))


def _encode_cell(cell: Cell) -> list:
    body, period, category = cell
    if isinstance(body, str):  # the root above several top bodies
        return [body, None, _period_code(period), category]
    pair: tuple[str, int] = body  # type: ignore[assignment]  # body nodes are ("own" | "sub", id)
    return [pair[0], pair[1], _period_code(period), category]


def encode(lat: Lattice) -> bytes:
    """A lattice as compressed JSON: the body parents, and per measure its counts and marks."""
    measures = {
        name: {
            "values": [[*_encode_cell(c), v] for c, v in p.values.items()],
            "marks": [[*_encode_cell(c), str(m)] for c, m in p.marks.items()],
        }
        for name, p in lat.measures.items()
    }
    document: dict[str, Any] = {
        "format": RELEASE_FORMAT if lat.times is not None else 1,  # format 1 read back stays format 1
        "year": lat.year,
        "through": lat.through.isoformat(),
        "parents": sorted([b, p] for b, p in lat.parents.items()),
        "measures": measures,
    }
    if lat.times is not None:  # per duration one flat list of ints: it parses several times faster
        document["times"] = {name: _flat_histograms(hists) for name, hists in lat.times.items()}
    return zlib.compress(json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode(), 6)


def _flat_histograms(hists: Mapping[tuple[int, int], Histogram]) -> list[int]:
    """Each histogram as body, month, met, known, k, then its k (days, cases) pairs."""
    flat: list[int] = []
    for (body, month), h in sorted(hists.items()):
        flat += (body, month, h.met, h.known, len(h.days))
        for pair in zip(h.days, h.cases, strict=True):
            flat += pair
    return flat


def _read_histograms(flat: Sequence[int]) -> dict[tuple[int, int], Histogram]:
    out: dict[tuple[int, int], Histogram] = {}
    at = 0
    while at < len(flat):
        body, month, met, known, k = flat[at : at + 5]
        end = at + 5 + 2 * k
        out[(body, month)] = Histogram(flat[at + 5 : end : 2], flat[at + 6 : end : 2], met, known)
        at = end
    return out


def decode(blob: bytes, built_at: dt.datetime) -> Lattice:
    document = json.loads(zlib.decompress(blob))
    if document.get("format") not in _READ_FORMATS:
        raise ValueError("unknown statistics release format")
    parents = {int(b): (int(p) if p is not None else None) for b, p in document["parents"]}
    bodies = disclosure.body_tree(parents)
    time_tree = disclosure.year_tree()
    measures: dict[str, Protected] = {}
    periods = {_period_code(n): n for n in time_tree.nodes}
    body_nodes: dict[tuple[str, int | None], disclosure.Node] = {}

    def cell(kind: str, number: int | None, period: str, category: str) -> Cell:
        body = body_nodes.get((kind, number))
        if body is None:
            body = body_nodes[(kind, number)] = kind if number is None else (kind, int(number))
        return (body, periods[period], category)

    for name, tree in MEASURES.items():
        stored = document["measures"][name]
        values = {cell(k, n, p, c): v for k, n, p, c, v in stored["values"]}
        marks = {cell(k, n, p, c): disclosure.Mark(m) for k, n, p, c, m in stored["marks"]}
        measures[name] = Protected((bodies, time_tree, tree), values, marks)
    through = dt.date.fromisoformat(document["through"])
    histograms = None
    if document["format"] >= 2:
        histograms = {name: _read_histograms(flat) for name, flat in document["times"].items()}
    return Lattice(int(document["year"]), bodies, parents, measures, through, built_at, histograms)


# -- releases: stored once, read by every worker, decoded once per worker --

_memo: dict[tuple[int, dt.date], Lattice] = {}
_memo_lock = threading.Lock()
#: The advisory lock two workers building the same year's release take on PostgreSQL (plus year).
_LOCK_BASE = 11_000_000

#: The audit entries: an export, and an operator's rebuild of a stored release.
EXPORT_ACTION = "statistics_export"
REBUILD_ACTION = "statistics_rebuild"


def _stored(year: int, through: dt.date) -> StatisticsRelease | None:
    return db.session.scalar(
        sa.select(StatisticsRelease).where(StatisticsRelease.year == year, StatisticsRelease.through == through)
    )


def stored_release(year: int, through: dt.date) -> bool:
    """Whether a release is stored (the CLI's question)."""
    return _stored(year, through) is not None


def _lock(year: int) -> None:
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_BASE + year})


def store_release(year: int, through: dt.date, *, rebuild: bool = False, actor_id: int | None = None) -> Lattice:
    """Build and store a release unless one is stored already (then return that one). Two workers
    at once: the advisory lock (PostgreSQL) makes the second wait and read the first's; the unique
    constraint is the backstop (SQLite, or a lock lost)."""
    _lock(year)
    row = _stored(year, through)
    if row is not None and not rebuild:
        db.session.commit()  # ends the transaction, releasing the lock
        return decode(row.lattices, row.built_at)
    built = build(year, through)
    blob = encode(built)
    if row is not None:
        row.lattices, row.built_at = blob, built.built_at
        audit.record(REBUILD_ACTION, actor_id=actor_id, detail=f"{year}:{through.isoformat()}")
    else:
        try:
            with db.session.begin_nested():
                db.session.add(StatisticsRelease(year=year, through=through, built_at=built.built_at, lattices=blob))
        except IntegrityError:
            row = _stored(year, through)
            if row is None:
                raise
            db.session.commit()
            return decode(row.lattices, row.built_at)
    db.session.commit()
    with _memo_lock:
        _memo[(year, through)] = built
    return built


def release(year: int) -> Lattice | None:
    """This year's current release (None when it has no complete month yet): from this worker's
    memo, else the stored release, else built now and stored (the first request to need it)."""
    through = release_through(year)
    if through is None:
        return None
    key = (year, through)
    with _memo_lock:
        hit = _memo.get(key)
    if hit is not None:
        return hit
    row = _stored(year, through)
    lat = decode(row.lattices, row.built_at) if row is not None else store_release(year, through)
    with _memo_lock:
        _memo[key] = lat
    return lat


def lattice(year: int) -> Lattice:
    """The current release of a year; a year with no complete month is an empty lattice's error."""
    lat = release(year)
    if lat is None:
        raise NoRelease(year)
    return lat


class NoRelease(Exception):
    """The year has no complete month yet (this year in January)."""


def clear_memo() -> None:
    with _memo_lock:
        _memo.clear()
    with _times_lock:
        _times_memo.clear()


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


def _times_columns(name: str) -> tuple[sa.ColumnElement, Any, Any]:
    """A duration's milestone day, working days and deadline-met columns."""
    day_name, days_name, met_name = TIMES[name]
    day_col: sa.ColumnElement = getattr(Case, day_name)
    if name == "to_accept":  # refusals are decided within the same clock
        day_col = sa.func.coalesce(Case.accepted_on, Case.refused_on)
    return day_col, getattr(Case, days_name), getattr(Case, met_name)


def times(
    name: str,
    body_ids: frozenset[int],
    year: int,
    quarter: int | None,
    *,
    through: dt.date | None = None,
    python: bool = False,
) -> Times:
    """Median, 90th percentile and share met of one duration for cases of these bodies whose
    milestone fell in the period, on or before the release day, counted live: percentile_cont on
    PostgreSQL, the same in Python on SQLite. A release of format 1 (no histograms) uses it."""
    day_col, days_col, met_col = _times_columns(name)
    start, end = _period(year, quarter)
    if through is not None:
        end = min(end, through + dt.timedelta(days=1))
    where = (day_col >= start, day_col < end, Case.body_id.in_(body_ids), days_col.is_not(None))
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


def histogram_percentile(counts: Mapping[int, int], fraction: float) -> float:
    """``percentile`` over the multiset a histogram {value: how many} stands for, not expanded."""
    n = sum(counts.values())
    if n == 0:
        raise ValueError("no values")
    position = fraction * (n - 1)
    low = int(position)
    high = min(low + 1, n - 1)
    low_value: int | None = None
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if low_value is None and low < seen:
            low_value = value
        if high < seen:
            assert low_value is not None
            return float(low_value + (value - low_value) * (position - low))
    raise AssertionError("unreachable: high < n")


def histogram_times(hists: Mapping[tuple[int, int], Histogram], body_ids: frozenset[int], quarter: int | None) -> Times:
    """``times`` of a release from its histograms: the bodies' months of the period, merged."""
    months = range(1, 13) if quarter is None else range(3 * quarter - 2, 3 * quarter + 1)
    counts: dict[int, int] = {}
    met = known = 0
    for body in body_ids:
        for month in months:
            h = hists.get((body, month))
            if h is None:
                continue
            for days, n in zip(h.days, h.cases, strict=True):
                counts[days] = counts.get(days, 0) + n
            met, known = met + h.met, known + h.known
    if not counts:
        return Times(0, None, None, None)
    n = sum(counts.values())
    return _times(n, histogram_percentile(counts, 0.5), histogram_percentile(counts, 0.9), met, known)


def _times(n: int, median, p90, met_n, known) -> Times:
    if not disclosure.shown_at_least(n):
        return Times(n, None, None, None)
    share = (float(met_n or 0) / known) if known and disclosure.shown_at_least(int(known)) else None
    return Times(n, float(median) if median is not None else None, float(p90) if p90 is not None else None, share)


_times_memo: dict[tuple, Times] = {}
_times_lock = threading.Lock()


def release_times(name: str, body_ids: frozenset[int], lat: Lattice, quarter: int | None) -> Times:
    """A view's times from its release's histograms (frozen with it, the same in every worker);
    for a release of format 1, computed live cut at its day and memoised per worker by
    (year, through, scope, quarter)."""
    if lat.times is not None:
        return histogram_times(lat.times[name], body_ids, quarter)
    key = (name, lat.year, lat.through, body_ids, quarter)
    with _times_lock:
        hit = _times_memo.get(key)
    if hit is None:
        hit = times(name, body_ids, lat.year, quarter, through=lat.through)
        with _times_lock:
            _times_memo[key] = hit
    return hit


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
    through: dt.date  # the release's last day
    built_at: dt.datetime  # when the release was built (UTC, to the hour)


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
    spans = [(name, release_times(name, subtree, lat, quarter)) for name in TIMES]
    scope = sorted(((b, names.get(b, "")) for b in allowed), key=lambda r: (r[0] != viewer_body_id, r[0]))
    return View(
        year,
        quarter,
        body_id,
        names.get(body_id, ""),
        scope,
        kinds,
        categories,
        months,
        rows,
        others,
        spans,
        lat.through,
        lat.built_at,
    )


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
    """One year's deployment-wide figures, as the staff page's top cell shows them (same release)."""

    year: int
    notices: Shown
    bulletins: Shown
    through: dt.date


def public_figures() -> list[YearFigures]:
    """Clarification notices and 典型案例通报 published each year (withdrawn ones included: they were
    published), newest year first, each the top cell of that year's current release (this year
    only once it has a complete month)."""
    firsts = [db.session.scalar(sa.select(sa.func.min(model.published_at))) for model in (Notice, Bulletin)]
    known = [f for f in firsts if f is not None]
    if not known:
        return []
    this_year = case_state.today().year
    first = min(case_state.local_day(f).year for f in known)
    out = []
    for year in range(this_year, first - 1, -1):
        lat = release(year)
        if lat is None:
            continue
        top = (lat.bodies.root, "Y", "all")
        out.append(
            YearFigures(
                year, _shown(lat.measures["published"], top), _shown(lat.measures["bulletins"], top), lat.through
            )
        )
    return out
