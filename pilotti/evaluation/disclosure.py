"""Disclosure control over a whole shared report: its counts, the relations between them, and an
integer program that checks no hidden count can be worked out.

``suppression.shared`` first applies the table-by-table rules (primary suppression, complements,
differences along a path, statistics of small groups). That is not enough on its own: tables are
linked (meetings add up to meeting numbers and to the attendance summary, the flow repeats the
recruitment total, units add up to organisations), and an attacker knows that a hidden count is
at least 1 because zeros are shown. ``Ledger`` therefore registers every published count of the
report by its path and every relation the report's shape defines between them (``relate``), keeps
only relations that hold in the data (a relation that happens to hold is knowledge an attacker
may have as well), and then, while some hidden count has a single value consistent with
everything published (``exposed``), hides one more published count of a relation it is in: the
smallest non-zero one. The result: for every hidden count the published figures allow at least
two values.

Linked statistics are handled by ``suppression``: a mean, SD, interval or range is withheld when
a count it summarises is hidden, so the statistic cannot be used to solve for that count.
"""

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.linalg import null_space
from scipy.optimize import Bounds, LinearConstraint, milp

SUPPRESSED = "suppressed"
Path = tuple[str | int, ...]
# A relation Σ coefficient × cell = 0 over cells of the report.
Relation = dict[Path, int]
# Up to this many hidden counts linked together, each one's range is solved as an integer
# program. Beyond (a national programme's thousands of meetings adding up to one summary) that
# would take minutes: there the check is the linear algebra of ``_determined`` alone.
EXACT_LIMIT = 2000


def count_at(tree: Any, path: Path) -> Any:
    node = tree
    for key in path:
        node = node[key]
    return node


def set_at(tree: Any, path: Path, value: Any) -> None:
    node = tree
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass
class Ledger:
    """The counts of one shared report and the relations between them."""

    tree: Any
    truth: Any  # the same report before suppression: relations are checked against it
    hideable: Path = ()  # only counts under this path may be hidden (all: the empty path)
    relations: list[Relation] = field(default_factory=list)
    orders: list[tuple[Path, Path]] = field(default_factory=list)  # (smaller, larger)

    def value(self, path: Path) -> int | None:
        try:
            value = count_at(self.truth, path)
        except (KeyError, IndexError, TypeError):
            return None
        return value if is_count(value) else None

    def hidden(self, path: Path) -> bool:
        return bool(count_at(self.tree, path) == SUPPRESSED)

    def total(self, parts: Iterable[Path], whole: Path) -> None:
        """``whole`` is the sum of ``parts`` (kept only if it holds in the data)."""
        relation: Relation = {}
        for part in parts:
            relation[part] = relation.get(part, 0) + 1
        relation[whole] = relation.get(whole, 0) - 1
        self.relate(relation)

    def published(self, path: Path) -> bool:
        try:
            count_at(self.tree, path)
        except (KeyError, IndexError, TypeError):
            return False  # left out of the shared view altogether (a small group's results)
        return True

    def relate(self, relation: Relation) -> None:
        values = {path: self.value(path) for path in relation}
        if any(v is None for v in values.values()) or not all(self.published(p) for p in relation):
            return
        if sum(c * (values[p] or 0) for p, c in relation.items()) == 0 and any(relation.values()):
            self.relations.append({p: c for p, c in relation.items() if c})

    def at_most(self, smaller: Path, larger: Path) -> None:
        a, b = self.value(smaller), self.value(larger)
        if a is not None and b is not None and a <= b and self.published(smaller) and self.published(larger):
            self.orders.append((smaller, larger))

    def protect(self) -> int:
        """Hide counts until no hidden count is determined; returns how many more were hidden."""
        self._by_path: dict[Path, list[int]] = {}
        for i, relation in enumerate(self.relations):
            for path in relation:
                self._by_path.setdefault(path, []).append(i)
        self._hidden = {p for relation in self.relations for p in relation if self.hidden(p)}
        self._hidden |= {p for pair in self.orders for p in pair if self.hidden(p)}
        clean: set[frozenset[Path]] = set()  # groups already shown to be safe
        # Values each count took in a solution. Hiding more only adds unknowns, so an earlier
        # solution stays one: later rounds start from everything seen so far.
        self._seen: dict[Path, set[float]] = {}
        added = 0
        while True:
            exposed = [p for group in self._components() for p in self._exposed_in(group, clean)]
            # One more count beside each exposed one per round: a round re-solves the linked
            # group, which costs more than hiding a count too many now and then.
            round_added = 0
            for path in exposed:
                chosen = self._beside(path)
                if chosen is None:
                    continue
                set_at(self.tree, chosen, SUPPRESSED)
                self._hidden.add(chosen)
                round_added += 1
            if not round_added:
                return added  # none exposed (or nothing left to hide, which zeros shown rule out)
            added += round_added

    def _beside(self, path: Path) -> Path | None:
        """The smallest published non-zero count in a relation with ``path``; failing that, in a
        relation with the hidden counts of those relations, and so on outwards."""
        seen_relations: set[int] = set()
        frontier = [path]
        seen_cells = {path}
        while frontier:
            candidates = []
            following = []
            for cell in frontier:
                for i in self._by_path.get(cell, []):
                    if i in seen_relations:
                        continue
                    seen_relations.add(i)
                    for other in self.relations[i]:
                        if other in self._hidden:
                            if other not in seen_cells:
                                seen_cells.add(other)
                                following.append(other)
                        elif (self.value(other) or 0) > 0 and other[: len(self.hideable)] == self.hideable:
                            candidates.append(other)
            for small, large in self.orders:  # a published bound beside a hidden count
                for cell, other in ((small, large), (large, small)):
                    if (
                        cell in frontier
                        and other not in self._hidden
                        and (self.value(other) or 0) > 0
                        and other[: len(self.hideable)] == self.hideable
                    ):
                        candidates.append(other)
            if candidates:
                return min(candidates, key=lambda p: (self.value(p) or 0, len(p), p))
            frontier = following
        return None

    def _exposed_in(self, group: list[Path], clean: set[frozenset[Path]]) -> list[Path]:
        """Hidden counts of one linked group whose smallest and largest possible values are equal."""
        key = frozenset(group)
        if key in clean:
            return []
        relations = sorted({i for p in group for i in self._by_path.get(p, [])})
        linked = [self.relations[i] for i in relations]
        large = len(group) > EXACT_LIMIT
        determined = _determined(group, linked, self._hidden, self.value, algebra=large)
        if not determined and not large:
            ranges = solve(group, linked, self.orders, self._hidden, self.value, self._seen)
            determined = [p for p, (low, high) in ranges.items() if high - low < 0.5]
        if not determined:
            clean.add(key)
        return determined

    def _components(self) -> list[list[Path]]:
        """Hidden counts, grouped by the relations that link them (each group is solved alone)."""
        parent: dict[Path, Path] = {}

        def find(p: Path) -> Path:
            while parent.setdefault(p, p) != p:
                parent[p] = parent[parent[p]]
                p = parent[p]
            return p

        for relation in self.relations:
            hidden = [p for p in relation if p in self._hidden]
            for p in hidden:
                find(p)
            for a, b in itertools.pairwise(hidden):
                parent[find(a)] = find(b)
        for a, b in self.orders:
            if a in self._hidden:
                find(a)
            if b in self._hidden:
                find(b)
            if a in self._hidden and b in self._hidden:
                parent[find(a)] = find(b)
        groups: dict[Path, list[Path]] = {}
        for p in parent:
            groups.setdefault(find(p), []).append(p)
        return list(groups.values())


def _system(cells: list[Path], relations: list[Relation], hidden: set[Path], value: Any) -> tuple[Any, Any]:
    """The relations as A·x = b over the hidden ``cells``, published counts moved to b."""
    index = {p: i for i, p in enumerate(cells)}
    rows, rhs = [], []
    for relation in relations:
        row = np.zeros(len(cells))
        constant = 0.0
        for p, c in relation.items():
            if p in index:
                row[index[p]] += c
            elif p not in hidden:
                constant -= c * (value(p) or 0)
        if row.any():
            rows.append(row)
            rhs.append(constant)
    return np.array(rows).reshape(len(rows), len(cells)), np.array(rhs)


def _determined(
    cells: list[Path], relations: list[Relation], hidden: set[Path], value: Any, *, algebra: bool
) -> list[Path]:
    """Counts a relation forces to their smallest value (the rest adds up to the number of hidden
    counts), and with ``algebra`` those the equalities alone pin down (their unit vector lies in
    the relations' row space; the integer programs find these too, but take too long on large
    groups)."""
    matrix, rhs = _system(cells, relations, hidden, value)
    if not len(matrix):
        return []
    found = set()
    for row, b in zip(matrix, rhs, strict=True):
        members = np.nonzero(row)[0]
        if (row[members] > 0).all() and abs(b - row[members].sum()) < 1e-9:
            found.update(members.tolist())  # every one of them is 1
    if algebra and len(cells) <= 4000:
        basis = null_space(matrix)
        free = np.abs(basis).max(axis=1) if basis.size else np.zeros(len(cells))
        found.update(np.nonzero(free < 1e-9)[0].tolist())
    return [cells[i] for i in sorted(found)]


def solve(
    cells: list[Path],
    relations: list[Relation],
    orders: list[tuple[Path, Path]],
    hidden: set[Path],
    value: Any,
    seen_before: dict[Path, set[float]] | None = None,
) -> dict[Path, tuple[float, float]]:
    """The smallest and largest value of each hidden cell given the published ones: integers ≥ 1.
    ``seen_before``: values the cells are known to be able to take, kept up to date."""
    index = {p: i for i, p in enumerate(cells)}
    matrix, rhs = _system(cells, relations, hidden, value)
    upper_rows, upper_rhs = [], []
    for small, large in orders:
        if small in index or large in index:
            row = np.zeros(len(cells))
            bound = 0.0
            for p, sign in ((small, 1.0), (large, -1.0)):
                if p in index:
                    row[index[p]] += sign
                elif p in hidden:
                    bound = np.inf  # a hidden count of another group: no bound on this one
                else:
                    bound -= sign * (value(p) or 0)
            if np.isfinite(bound):
                upper_rows.append(row)
                upper_rhs.append(bound)
    constraints = []
    if len(matrix):
        constraints.append(LinearConstraint(matrix, rhs, rhs))
    if upper_rows:
        constraints.append(LinearConstraint(np.array(upper_rows), -np.inf, np.array(upper_rhs)))
    big = 10.0**7
    # Zeros are shown, so a hidden count is at least 1 (min(): the bound must hold in the data).
    bounds = Bounds(np.array([min(1, value(p) or 0) for p in cells]), np.full(len(cells), big))
    integrality = np.ones(len(cells))
    # Every solution found shows a value each cell can take: a cell seen with two values is not
    # determined, and most cells need no program of their own.
    known = seen_before if seen_before is not None else {}
    seen: list[set[float]] = [known.setdefault(p, {float(value(p) or 0)}) for p in cells]
    result: dict[Path, tuple[float, float]] = {}
    for path, i in index.items():
        for sign in (1.0, -1.0):
            if len(seen[i]) > 1:
                break
            objective = np.zeros(len(cells))
            objective[i] = sign
            found = milp(objective, constraints=constraints, bounds=bounds, integrality=integrality)
            if found.status != 0:
                seen[i].add(-1.0)  # unbounded (or numerically doubtful): not determined
                break
            for k, x in enumerate(found.x):
                seen[k].add(float(round(x)))
        result[path] = (min(seen[i]), max(seen[i]))
    return result
