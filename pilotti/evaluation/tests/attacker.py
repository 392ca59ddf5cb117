"""An attacker with nothing but a shared report: for each hidden count, the smallest and largest
value consistent with every published figure, solved as one integer program (SciPy's milp).

What the attacker knows:
- every sum and order the report's shape defines (``suppression.relations``, the contract's
  relations, kept where they hold in the data);
- a hidden count is a whole number of at least 1 (zeros are shown);
- every published statistic over counts it can write linearly: a share k/n, a distribution's
  mean (Σ value·count = n·mean) and its second moment (Σ value²·count = (n−1)·SD² + n·mean²).

``recoveries`` returns the hidden counts the attacker determines exactly.
"""

import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.linalg import null_space
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from pilotti.evaluation import disclosure, suppression

Path = disclosure.Path
TOLERANCE = 1e-6  # published floats are exact up to rounding in the last digits


@dataclass
class Knowledge:
    """What one shared report tells, as linear (in)equalities over its counts."""

    shared: Any
    internal: Any
    equalities: list[tuple[dict[Path, float], float]] = field(default_factory=list)  # Σ c·x = b (± tolerance)
    orders: list[tuple[Path, Path]] = field(default_factory=list)

    def count(self, path: Path) -> Any:
        return disclosure.count_at(self.shared, path)

    def internal_count(self, path: Path) -> Any:
        return disclosure.count_at(self.internal, path)

    def hidden(self, path: Path) -> bool:
        return bool(self.count(path) == suppression.SUPPRESSED)


def knowledge(shared: Any, internal: Any) -> Knowledge:
    return knowledge_set({"report": shared}, {"report": internal})


def knowledge_set(shared: dict[str, Any], internal: dict[str, Any]) -> Knowledge:
    """Everything a set of shared reports of one programme tells together: each report's own
    relations, and the units' counts adding up to the programme's (``suppression.PROGRAMME``)."""
    known = Knowledge(shared, internal)
    ledger = disclosure.Ledger(shared, internal)
    for name, report in shared.items():
        suppression.relations(ledger.under((name,)), report)
    if suppression.PROGRAMME in shared:
        parts = [name for name in shared if name != suppression.PROGRAMME]
        suppression.between(ledger, internal, suppression.PROGRAMME, parts)
    known.equalities += [({p: float(c) for p, c in r.items()}, 0.0) for r in ledger.relations]
    known.orders += ledger.orders
    for name in shared:
        _statistics(known, (name,))
    return known


def _published(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _statistics(known: Knowledge, report: Path) -> None:
    """Shares and moments published beside hidden counts."""
    shared = disclosure.count_at(known.shared, report)
    for v, version in enumerate(shared["feedback"]):
        for i, item in enumerate(version["items"]):
            here: Path = (*report, "feedback", v, "items", i)
            n = item["n"]
            entries = item.get("distribution", [])
            cells = [(*here, "distribution", k, "n") for k in range(len(entries))]
            for cell, entry in zip(cells, entries, strict=True):
                if _published(entry["share"]) and _published(n):
                    known.equalities.append(({cell: 1.0}, entry["share"] * n))
                elif _published(entry["share"]) and _published(entry["n"]) and entry["n"]:
                    known.equalities.append(({(*here, "n"): float(entry["share"])}, float(entry["n"])))
            if item["type"] in ("scale", "single_choice") and entries and _published(item.get("mean")):
                mean = float(item["mean"])
                known.equalities.append(
                    ({cell: float(e["value"]) - mean for cell, e in zip(cells, entries, strict=True)}, 0.0)
                )
                if _published(item.get("sd")) and _published(n):
                    second = (n - 1) * float(item["sd"]) ** 2 + n * mean**2
                    known.equalities.append(
                        ({cell: float(e["value"]) ** 2 for cell, e in zip(cells, entries, strict=True)}, second)
                    )
    dose = shared["attendance"]["dose"]
    if _published(dose["share"]) and _published(dose["of"]):
        known.equalities.append(({(*report, "attendance", "dose", "reached"): 1.0}, dose["share"] * dose["of"]))


def ranges(known: Knowledge) -> dict[Path, tuple[int, int]]:
    """Each hidden count's smallest and largest possible value (one program for all of them)."""
    cells = sorted(
        {p for relation, _ in known.equalities for p in relation if known.hidden(p)}
        | {p for pair in known.orders for p in pair if known.hidden(p)},
        key=str,
    )
    index = {p: i for i, p in enumerate(cells)}
    if not cells:
        return {}
    low_rows, high_rows, lows, highs = [], [], [], []
    for relation, constant in known.equalities:
        row = np.zeros(len(cells))
        rhs = constant
        for p, c in relation.items():
            if p in index:
                row[index[p]] += c
            else:
                rhs -= c * float(known.count(p))
        if not row.any():
            continue
        slack = TOLERANCE * max(1.0, abs(rhs))
        low_rows.append(row)
        lows.append(rhs - slack)
        highs.append(rhs + slack)
    for small, large in known.orders:
        row = np.zeros(len(cells))
        rhs = 0.0
        for p, sign in ((small, 1.0), (large, -1.0)):
            if p in index:
                row[index[p]] += sign
            else:
                rhs -= sign * float(known.count(p))
        if row.any():
            high_rows.append(row)
            lows.append(-np.inf)
            highs.append(rhs)
    matrix = csr_array(np.array(low_rows + high_rows))
    constraints = [LinearConstraint(matrix, np.array(lows), np.array(highs))]
    big = 10.0**6
    bounds = Bounds(np.ones(len(cells)), np.full(len(cells), big))
    integrality = np.ones(len(cells))
    lowest = {p: float(known.internal_count(p)) for p in cells}
    highest = dict(lowest)

    def seen(found: Any) -> None:
        for other, k in index.items():
            lowest[other] = min(lowest[other], round(found.x[k]))
            highest[other] = max(highest[other], round(found.x[k]))

    # Programs pushing every open cell at once, in random directions, find second values for
    # most cells cheaply; each remaining cell then gets its own two programs. Only a shortcut to
    # solutions: a cell is called determined only after both of its own programs.
    signs = np.random.default_rng(1)
    for _ in range(6):
        open_cells = [index[p] for p in cells if lowest[p] == highest[p]]
        if len(open_cells) < 4:
            break
        objective = np.zeros(len(cells))
        objective[open_cells] = signs.choice([-1.0, 1.0], size=len(open_cells))
        found = milp(objective, constraints=constraints, bounds=bounds, integrality=integrality)
        if found.status != 0:
            break
        seen(found)
    for path, i in index.items():
        for sign in (1.0, -1.0):
            if lowest[path] < highest[path]:
                break  # two values already seen in solutions: not determined
            objective = np.zeros(len(cells))
            objective[i] = sign
            found = milp(objective, constraints=constraints, bounds=bounds, integrality=integrality)
            assert found.status in (0, 3), (path, found.message)  # the truth is always a solution
            if found.status == 3:  # unbounded: as large as one likes
                highest[path] = big
                break
            seen(found)
    return {p: (int(lowest[p]), int(highest[p])) for p in cells}


def recoveries(shared: Any, internal: Any) -> dict[Path, int]:
    """Hidden counts the attacker pins to a single value, with that value."""
    return {path: low for path, (low, high) in ranges(knowledge(shared, internal)).items() if low == high}


def recoveries_set(shared: dict[str, Any], internal: dict[str, Any]) -> dict[Path, int]:
    """Hidden counts of any report of the set pinned to a single value by all of them together."""
    return {path: low for path, (low, high) in ranges(knowledge_set(shared, internal)).items() if low == high}


def small_sums(shared: dict[str, Any], internal: dict[str, Any], limit: int) -> list[str]:
    """Sums of scores of 1 … limit − 1 people that published means of a set of reports give.

    A paired group's mean is a sum of its people's scores over n. The people of one score fall
    into parts that every published group is a union of: per unit, the completers, the others
    with two measurements and those with a baseline only. A set of parts is disclosed when its
    indicator lies in the span of the published groups' indicators (then a combination of n·mean
    is its sum; for intention to treat, of the baselines carried forward too). Every set of
    non-empty parts standing for 1 … limit − 1 people is tried."""
    leaks = []
    units = [name for name in internal if name != suppression.PROGRAMME]
    for key in {_score_key(i, s) for r in internal.values() for i in r["before_after"] for s in i["scores"]}:
        parts: list[tuple[str, str]] = []  # (unit, "completers" | "others")
        sizes: list[int] = []
        for unit in units:
            groups = _groups(internal[unit], key)
            if "all_pairs" not in groups:
                continue
            completers, pairs = groups.get("completers", 0), groups["all_pairs"]
            sizes_of = (
                ("completers", completers),
                ("others", pairs - completers),
                ("once", groups.get("itt", pairs) - pairs),
            )
            for part, n in sizes_of:
                if n:
                    parts.append((unit, part))
                    sizes.append(n)
        if not parts:
            continue
        rows = []
        for name, report in shared.items():
            for population in _published_groups(report, key):
                members = MEMBERS.get(population)
                if members is None:
                    continue
                rows.append(
                    [1.0 if p in members and (name == suppression.PROGRAMME or u == name) else 0.0 for u, p in parts]
                )
        if not rows:
            continue
        # A vector lies in the span of the rows when it is orthogonal to their null space.
        free = null_space(np.array(rows))
        for size in range(1, min(limit, len(parts) + 1)):  # each part holds at least one person
            for chosen in itertools.combinations(range(len(parts)), size):
                people = sum(sizes[k] for k in chosen)
                if not 0 < people < limit:
                    continue
                target = np.zeros(len(parts))
                target[list(chosen)] = 1.0
                if not free.size or np.abs(free.T @ target).max() < 1e-7:
                    leaks.append(f"{key}: the sum of {people} people's scores ({[parts[k] for k in chosen]})")
    return leaks


# The parts of one unit's people that each population is made of: completers, the others with
# two measurements, and those with a baseline only (intention to treat carries it forward).
MEMBERS = {
    "itt": ("completers", "others", "once"),
    "all_pairs": ("completers", "others"),
    "completers": ("completers",),
}


def _score_key(instrument: Any, score: Any) -> tuple[str, int, str]:
    return (instrument["instrument"], instrument["version"], score["score"])


def _groups(report: Any, key: tuple[str, int, str]) -> dict[str, int]:
    return {g["population"]: g["n"] for g in _all_groups(report, key)}


def _all_groups(report: Any, key: tuple[str, int, str]) -> list[Any]:
    for instrument in report["before_after"]:
        for score in instrument["scores"]:
            if _score_key(instrument, score) == key:
                return list(score["groups"])
    return []


def _published_groups(report: Any, key: tuple[str, int, str]) -> dict[str, Any]:
    return {g["population"]: g for g in _all_groups(report, key) if "pre" in g}


def person_level_leaks(shared: Any, limit: int) -> list[str]:
    """Published statistics of groups that differ by fewer than ``limit`` people, or that stand
    for fewer people than that."""
    leaks = []
    for instrument in shared["before_after"]:
        for score in instrument["scores"]:
            published = [g for g in score["groups"] if "pre" in g]
            for group in published:
                if group["n"] < limit:
                    leaks.append(f"{instrument['instrument']} {score['score']} {group['population']}: n {group['n']}")
            for a in published:
                for b in published:
                    if a is not b and 0 < a["n"] - b["n"] < limit:
                        leaks.append(f"{instrument['instrument']} {score['score']}: {a['n']} vs {b['n']}")
    for version in shared["feedback"]:
        for item in version["items"]:
            if _published(item.get("mean")) and _published(item["people"]) and item["people"] < limit:
                leaks.append(f"{version['instrument']} {item['key']}: a mean of {item['people']} people")
            for key in ("n", "people", "clusters"):  # counts: shown only from the threshold on (or 0)
                if _published(item.get(key)) and 0 < item[key] < limit:
                    leaks.append(f"{version['instrument']} {item['key']}: {key} {item[key]}")
    return leaks
