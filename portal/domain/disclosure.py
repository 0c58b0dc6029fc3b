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
  is suppressed too, shown as "—", and the check runs again until nothing changes.

Known limit: each equation is checked alone. Systems of several equations (a cell pinned only by
combining a row, a column and a layer) are not solved here; ``tests/domain/test_disclosure.py``
audits small random cubes for that by exhaustive search.
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

    queue: list[tuple[tuple[int, ...], Cell]] = [(key(c), c) for c in marks]
    heapq.heapify(queue)
    while queue:
        _, cell = heapq.heappop(queue)
        for d, parent in constraints_of(cell):
            group = members(cell, d, parent)
            while True:
                terms = [(-1 if i == 0 else 1, marks.get(c, Mark.SHOWN), values.get(c, 0)) for i, c in enumerate(group)]
                if not pinned(terms, threshold, complement_low):
                    break
                shown_kids = [c for c in group[1:] if c not in marks and values.get(c, 0) > 0]
                if shown_kids:
                    pick = min(shown_kids, key=lambda c: (values[c], key(c)))
                elif group[0] not in marks and values.get(group[0], 0) > 0:
                    pick = group[0]
                else:  # nothing left to suppress in this equation
                    break
                marks[pick] = Mark.COMPLEMENT
                heapq.heappush(queue, (key(pick), pick))
    return Protected(trees, values, marks)


def shown_at_least(n: int, threshold: int = THRESHOLD) -> bool:
    """Times and shares are shown only when computed from enough cases."""
    return n >= threshold


def all_cells(trees: Sequence[Tree]) -> Iterable[Cell]:
    """Every cell of the lattice (for audits)."""
    return product(*(tree.nodes for tree in trees))
