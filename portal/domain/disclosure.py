"""Disclosure control for the statistics: one suppression pattern per year and measure.

Counts live in a lattice of cells, one per (body node, time node, category node). Each dimension
is a tree whose parent is the sum of its children: a body's subtree is its own cases (本机关)
plus the subtrees of the bodies below; a year is its quarters, a quarter its months; all cases
are the kinds, a kind its categories (or findings, or outcomes). Every view the portal shows
(a year or a quarter, a body and the bodies below, by kind or by category, the months of a trend)
is a projection of that one lattice, so a pattern computed once cannot be undone by subtracting
one view from another: every equation an attacker can write between shown cells is one of the
lattice's additive constraints, and each is checked.

Rules:

- primary: a count 1-4 is shown as "<5"; zero is shown as 0;
- secondary (complement): for every constraint parent = sum(children), the suppressed members are
  never pinned by that one equation: each suppressed member's value, given the shown members and
  what its mark says ("<5": 1-4; "—": at least 0, see COMPLEMENT_LOW), must still take two or
  more values. Where it would not, the smallest shown non-zero child (else the parent)
  is suppressed too, shown as "—", and the check runs again until nothing changes; where every
  non-zero member is withheld already, a zero member is (so "—" may stand for 0), and where every
  member is withheld, a "<5" that is still pinned is shown as "—" (still withheld, saying less).

Systems of equations: after the per-equation rule, bounds are propagated through all equations at
once (:func:`propagate`) and a cell found pinned gets one more complement beside it, until none is.
Propagation is a relaxation, not an integer solver: ``tests/domain/test_disclosure.py`` audits small
random cubes by exhaustive search for what it may still miss.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import product

#: Counts below this (and above zero) are never shown.
THRESHOLD = 5

Node = Hashable
Cell = tuple[Node, ...]


class Mark(StrEnum):
    """How a cell is shown."""

    SHOWN = "shown"
    PRIMARY = "primary"  # "<5"
    COMPLEMENT = "complement"  # "—"


@dataclass(frozen=True)
class Tree:
    """One dimension: a root, and each internal node's children (leaves have none)."""

    root: Node
    children: Mapping[Node, tuple[Node, ...]]
    parent: dict[Node, Node] = field(init=False, repr=False, compare=False)
    order: dict[Node, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        parent: dict[Node, Node] = {}
        order: dict[Node, int] = {}
        stack = [self.root]
        while stack:
            node = stack.pop()
            order[node] = len(order)
            for child in self.children.get(node, ()):
                parent[child] = node
                stack.append(child)
        object.__setattr__(self, "parent", parent)
        object.__setattr__(self, "order", order)

    @property
    def nodes(self) -> list[Node]:
        return sorted(self.order, key=self.order.__getitem__)

    def kids(self, node: Node) -> tuple[Node, ...]:
        return tuple(self.children.get(node, ()))

    def ancestors_and_self(self, node: Node) -> list[Node]:
        out = [node]
        while node in self.parent:
            node = self.parent[node]
            out.append(node)
        return out

    def is_leaf(self, node: Node) -> bool:
        return not self.children.get(node)


def flat(root: Node, leaves: Iterable[Node]) -> Tree:
    """A root and its leaves."""
    return Tree(root, {root: tuple(leaves)})


def single(root: Node = "all") -> Tree:
    """A dimension with nothing to break down."""
    return Tree(root, {})


def year_tree() -> Tree:
    """Year → quarters → months: nodes "Y", ("Q", 1..4), ("M", 1..12)."""
    children: dict[Node, tuple[Node, ...]] = {"Y": tuple(("Q", q) for q in range(1, 5))}
    for q in range(1, 5):
        children[("Q", q)] = tuple(("M", m) for m in range(3 * q - 2, 3 * q + 1))
    return Tree("Y", children)


def body_tree(parents: Mapping[int, int | None]) -> Tree:
    """Bodies by parent: ("sub", b) is b and every body below; a body with bodies below has its own
    cases apart as ("own", b) (本机关); a body with none below is a leaf itself."""
    below: dict[int, list[int]] = {}
    roots = []
    for body, parent in sorted(parents.items()):
        if parent is None or parent not in parents:
            roots.append(body)
        else:
            below.setdefault(parent, []).append(body)
    children: dict[Node, tuple[Node, ...]] = {}
    for body, kids in below.items():
        children[("sub", body)] = (("own", body), *(("sub", k) for k in kids))
    if len(roots) == 1:
        return Tree(("sub", roots[0]), children)
    children["all"] = tuple(("sub", r) for r in roots)
    return Tree("all", children)


def body_leaf(tree: Tree, body: int) -> Node:
    """The leaf holding a body's own cases."""
    return ("own", body) if ("own", body) in tree.order else ("sub", body)


@dataclass(frozen=True)
class Protected:
    """A lattice's counts and the one pattern that says how each cell is shown."""

    trees: tuple[Tree, ...]
    values: Mapping[Cell, int]
    marks: Mapping[Cell, Mark]

    def value(self, cell: Cell) -> int:
        return self.values.get(cell, 0)

    def mark(self, cell: Cell) -> Mark:
        return self.marks.get(cell, Mark.SHOWN)

    def shown(self, cell: Cell) -> int | None:
        """The count when it may be shown, else None."""
        return self.value(cell) if self.mark(cell) is Mark.SHOWN else None

    def text(self, cell: Cell) -> str:
        """The count as printed: the number, "<5" or "—"."""
        mark = self.mark(cell)
        if mark is Mark.PRIMARY:
            return f"<{THRESHOLD}"
        if mark is Mark.COMPLEMENT:
            return "—"
        return str(self.value(cell))


def totals(trees: Sequence[Tree], leaves: Mapping[Cell, int]) -> dict[Cell, int]:
    """Every cell's count: each leaf cell added to all cells above it."""
    values: dict[Cell, int] = {}
    for cell, count in leaves.items():
        if not count:
            continue
        if count < 0:
            raise ValueError("negative count")
        for up in product(*(tree.ancestors_and_self(node) for tree, node in zip(trees, cell, strict=True))):
            values[up] = values.get(up, 0) + count
    return values


#: What a "—" is taken to tell: at least this. 0, the usual assumption of cell suppression (and the
#: audit's), rather than the 5 a reader could infer from "a shown count is never 1-4"; see README.
COMPLEMENT_LOW = 0


def _bounds(mark: Mark, value: int, threshold: int, complement_low: int = COMPLEMENT_LOW) -> tuple[int, float]:
    if mark is Mark.PRIMARY:
        return 1, threshold - 1
    if mark is Mark.COMPLEMENT:
        return complement_low, float("inf")
    return value, value


def pinned(
    members: Sequence[tuple[int, Mark, int]], threshold: int = THRESHOLD, complement_low: int = COMPLEMENT_LOW
) -> bool:
    """Whether one equation sum(coef * x) = 0 pins a suppressed member, given each member's
    (coefficient ±1, mark, true value) and what its mark tells (exact, 1..t-1, or >= t)."""
    big = 1 + sum(abs(value) for _, _, value in members) + threshold * len(members)  # stands for "no bound"
    lows, highs = [], []
    for coef, mark, value in members:
        lo, hi_f = _bounds(mark, value, threshold, complement_low)
        hi = big if hi_f == float("inf") else int(hi_f)
        lows.append(coef * lo if coef > 0 else coef * hi)
        highs.append(coef * hi if coef > 0 else coef * lo)
    low_sum, high_sum = sum(lows), sum(highs)
    for i, (coef, mark, value) in enumerate(members):
        if mark is Mark.SHOWN:
            continue
        # coef * x_i = -(sum of the others), whose range is [-(high_sum - high_i), -(low_sum - low_i)]
        rest_low, rest_high = low_sum - lows[i], high_sum - highs[i]
        lo_t, hi_t = -rest_high, -rest_low
        lo, hi = (lo_t, hi_t) if coef > 0 else (-hi_t, -lo_t)
        b_lo, b_hi = _bounds(mark, value, threshold, complement_low)
        if min(hi, b_hi) - max(lo, b_lo) < 1:
            return True
    return False


def protect(
    trees: Sequence[Tree], leaves: Mapping[Cell, int], threshold: int = THRESHOLD, complement_low: int = COMPLEMENT_LOW
) -> Protected:
    """The one suppression pattern of a lattice given its leaf counts (see the module's rules)."""
    trees = tuple(trees)
    values = totals(trees, leaves)
    marks: dict[Cell, Mark] = {cell: Mark.PRIMARY for cell, v in values.items() if 0 < v < threshold}

    def constraints_of(cell: Cell) -> list[tuple[int, Node]]:
        """(dimension, parent node) of each equation the cell is a member of."""
        out = []
        for d, (tree, node) in enumerate(zip(trees, cell, strict=True)):
            if not tree.is_leaf(node):
                out.append((d, node))
            if node in tree.parent:
                out.append((d, tree.parent[node]))
        return out

    def members(cell: Cell, d: int, parent: Node) -> list[Cell]:
        kids = [cell[:d] + (k,) + cell[d + 1 :] for k in trees[d].kids(parent)]
        return [cell[:d] + (parent,) + cell[d + 1 :], *kids]

    def key(cell: Cell) -> tuple[int, ...]:
        return tuple(tree.order[n] for tree, n in zip(trees, cell, strict=True))

    def settle(queue: list[tuple[tuple[int, ...], Cell]]) -> None:
        """The per-equation rule, to a fixpoint, from the cells in ``queue``."""
        heapq.heapify(queue)
        while queue:
            _, cell = heapq.heappop(queue)
            for d, parent in constraints_of(cell):
                group = members(cell, d, parent)
                while True:
                    terms = [
                        (-1 if i == 0 else 1, marks.get(c, Mark.SHOWN), values.get(c, 0)) for i, c in enumerate(group)
                    ]
                    if not pinned(terms, threshold, complement_low):
                        break
                    pick = _candidate(group)
                    if pick is None:  # nothing left to suppress in this equation
                        break
                    marks[pick] = Mark.COMPLEMENT
                    heapq.heappush(queue, (key(pick), pick))

    def _candidate(group: list[Cell]) -> Cell | None:
        shown_kids = [c for c in group[1:] if c not in marks and values.get(c, 0) > 0]
        if shown_kids:
            return min(shown_kids, key=lambda c: (values[c], key(c)))
        if group[0] not in marks and values.get(group[0], 0) > 0:
            return group[0]
        # Last resort, where every non-zero member is withheld already: a zero, shown as "—" too, so
        # that "<5" cells (each at least 1) cannot be pinned against each other.
        zeros = [c for c in group[1:] if c not in marks]
        return min(zeros, key=key) if zeros else (group[0] if group[0] not in marks else None)

    settle([(key(c), c) for c in marks])
    # Systems of equations: bounds propagated through every equation at once (a relaxation: it finds
    # what chains of subtractions pin, such as a cycle of "<5" cells at their bounds), then one more
    # complement beside each cell found pinned, until none is or nothing is left to suppress.
    for _round in range(MAX_ROUNDS):
        stuck = propagate(trees, values, marks, threshold, complement_low, PROBE_LIMIT)
        added = []
        for cell in sorted(stuck, key=key):
            options = [c for d, parent in constraints_of(cell) if (c := _candidate(members(cell, d, parent)))]
            if options:
                pick = min(options, key=lambda c: (values.get(c, 0) == 0, values.get(c, 0), key(c)))
                if pick not in marks:
                    marks[pick] = Mark.COMPLEMENT
                    added.append(pick)
                continue
            # Every member is withheld: the "<5" marks themselves pin (each says at least 1 and at
            # most 4). The pinned "<5" is shown as "—" instead, which says neither.
            primaries = [cell] if marks[cell] is Mark.PRIMARY else []
            primaries += [
                c
                for d, parent in constraints_of(cell)
                for c in members(cell, d, parent)
                if marks.get(c) is Mark.PRIMARY
            ]
            if primaries:
                pick = min(primaries, key=key)
                marks[pick] = Mark.COMPLEMENT
                added.append(pick)
        if not added:
            break
        settle([(key(c), c) for c in added])
    return Protected(trees, values, marks)


#: Rounds of propagation and repair before giving up (each round suppresses at least one more cell).
MAX_ROUNDS = 200
#: Probing runs two propagations per suppressed cell: beyond this many suppressed cells in one
#: lattice, only plain propagation runs (a dense deployment suppresses few cells; see README).
PROBE_LIMIT = 2000


def propagate(
    trees: Sequence[Tree],
    values: Mapping[Cell, int],
    marks: Mapping[Cell, Mark],
    threshold: int = THRESHOLD,
    complement_low: int = COMPLEMENT_LOW,
    probe_limit: int = PROBE_LIMIT,
) -> set[Cell]:
    """The suppressed cells whose range, narrowed through all equations together (interval
    propagation to a fixpoint, integer bounds), is one value: pinned by some chain of subtractions."""
    inf = float("inf")
    lo: dict[Cell, float] = {}
    hi: dict[Cell, float] = {}
    for cell, mark in marks.items():
        lo[cell], hi[cell] = (1, threshold - 1) if mark is Mark.PRIMARY else (complement_low, inf)

    # Both are pure functions of the trees, asked for again and again by every probe: kept once.
    equations_memo: dict[Cell, list[tuple[int, Cell]]] = {}
    members_memo: dict[tuple[int, Cell], list[tuple[int, Cell]]] = {}

    def equations_of(cell: Cell) -> list[tuple[int, Cell]]:
        out = equations_memo.get(cell)
        if out is None:
            out = []
            for d, (tree, node) in enumerate(zip(trees, cell, strict=True)):
                if not tree.is_leaf(node):
                    out.append((d, cell))
                if node in tree.parent:
                    out.append((d, cell[:d] + (tree.parent[node],) + cell[d + 1 :]))
            equations_memo[cell] = out
        return out

    def members(d: int, parent: Cell) -> list[tuple[int, Cell]]:
        out = members_memo.get((d, parent))
        if out is None:
            kids = [(1, parent[:d] + (k,) + parent[d + 1 :]) for k in trees[d].kids(parent[d])]
            out = members_memo[(d, parent)] = [(-1, parent), *kids]
        return out

    def narrow(lo: dict[Cell, float], hi: dict[Cell, float], todo: set[tuple[int, Cell]]) -> bool:
        """Tighten the bounds through the equations to a fixpoint; False when they cannot all hold."""
        budget = 10 * len(todo) + 1000  # interval propagation can creep around a cycle: bounded work
        while todo and budget:
            budget -= 1
            d, parent = todo.pop()
            group = members(d, parent)
            ranges = []  # each term's range as coef * x
            fin_lo = fin_hi = 0.0
            inf_lo = inf_hi = 0
            for coef, cell in group:
                a, b = (lo[cell], hi[cell]) if cell in marks else (values.get(cell, 0),) * 2
                r_lo, r_hi = (a, b) if coef > 0 else (-b, -a)
                ranges.append((r_lo, r_hi))
                if r_lo == -inf:
                    inf_lo += 1
                else:
                    fin_lo += r_lo
                if r_hi == inf:
                    inf_hi += 1
                else:
                    fin_hi += r_hi
            if inf_lo == 0 and fin_lo > 0 or inf_hi == 0 and fin_hi < 0:
                return False  # the sum cannot be zero
            for (coef, cell), (r_lo, r_hi) in zip(group, ranges, strict=True):
                if cell not in marks:
                    continue
                o_lo = -inf if inf_lo - (r_lo == -inf) else fin_lo - (r_lo if r_lo != -inf else 0)
                o_hi = inf if inf_hi - (r_hi == inf) else fin_hi - (r_hi if r_hi != inf else 0)
                new_lo, new_hi = (-o_hi, -o_lo) if coef > 0 else (o_lo, o_hi)  # coef * x = -(the others)
                changed = False
                if new_lo > lo[cell]:
                    lo[cell], changed = new_lo, True
                if new_hi < hi[cell]:
                    hi[cell], changed = new_hi, True
                if lo[cell] > hi[cell]:
                    return False
                if changed:
                    todo.update(eq for eq in equations_of(cell) if eq != (d, parent))
        return True

    narrow(lo, hi, {eq for cell in marks for eq in equations_of(cell)})
    stuck = {cell for cell in marks if hi[cell] - lo[cell] < 1}
    if len(marks) > probe_limit:
        return stuck
    # Probing: a cell is pinned too when neither "less than its value" nor "more than its value"
    # survives propagation (catches pins that need two equations' bounds combined).
    for cell in sorted(set(marks) - stuck, key=lambda c: tuple(t.order[n] for t, n in zip(trees, c, strict=True))):
        truth = values.get(cell, 0)
        feasible = False
        for bound in ("below", "above"):
            trial_lo, trial_hi = dict(lo), dict(hi)
            if bound == "below":
                trial_hi[cell] = min(trial_hi[cell], truth - 1)
            else:
                trial_lo[cell] = max(trial_lo[cell], truth + 1)
            if trial_lo[cell] <= trial_hi[cell] and narrow(trial_lo, trial_hi, set(equations_of(cell))):
                feasible = True
                break
        if not feasible:
            stuck.add(cell)
    return stuck


def shown_at_least(n: int, threshold: int = THRESHOLD) -> bool:
    """Times and shares are shown only when computed from enough cases."""
    return n >= threshold


def all_cells(trees: Sequence[Tree]) -> Iterable[Cell]:
    """Every cell of the lattice (for audits)."""
    return product(*(tree.nodes for tree in trees))
