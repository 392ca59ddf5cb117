"""An attacker with nothing but a shared report: for each hidden count, the smallest and largest
value consistent with every published figure, solved as one integer program (SciPy's milp).

What the attacker knows:
- every sum and order the report's figures obey, written here from the report's contract
  (``read_report``, ``read_together``) and not taken from the defender's list
  (``suppression.relations``), so that a relation the defender forgets is not forgotten by the
  attacker too; kept where they hold in the data (an attacker may know any that happens to hold);
- a hidden count is a whole number of at least 1, or of at least 0 where it is 0 in the data:
  zeros are shown except where the defender must hide one to protect another count, and this
  attacker is told which hidden counts are zeros (more than a reader knows);
- every published statistic over counts it can write linearly: a share k/n, a distribution's
  mean (Σ value·count = n·mean) and its second moment (Σ value²·count = (n−1)·SD² + n·mean²).

``recoveries`` returns the hidden counts the attacker determines exactly.
"""

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.linalg import null_space
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

# The attacker takes nothing from the defender but the names of its two constants.
from pilotti.evaluation import suppression

Path = tuple[str | int, ...]
# Made-up unknowns: a count over the days between two of the releases' period boundaries (at
# least 0; ``knowledge_releases``). Never reported as recovered: they are no published cell.
SEGMENT = "~segment"
TOLERANCE = 1e-6  # published floats are exact up to rounding in the last digits


@dataclass
class Knowledge:
    """What one shared report tells, as linear (in)equalities over its counts."""

    shared: Any
    internal: Any
    equalities: list[tuple[dict[Path, float], float]] = field(default_factory=list)  # Σ c·x = b (± tolerance)
    orders: list[tuple[Path, Path]] = field(default_factory=list)
    sums: list[dict[Path, float]] = field(default_factory=list)  # Σ c·x ≤ 0

    def count(self, path: Path) -> Any:
        return _at(self.shared, path)

    def internal_count(self, path: Path) -> Any:
        return _at(self.internal, path)

    def hidden(self, path: Path) -> bool:
        return path[0] == SEGMENT or bool(self.count(path) == suppression.SUPPRESSED)


def knowledge(shared: Any, internal: Any) -> Knowledge:
    return knowledge_set({"report": shared}, {"report": internal})


def knowledge_set(shared: dict[str, Any], internal: dict[str, Any]) -> Knowledge:
    """Everything a set of shared reports of one programme tells together: each report's own
    relations, and the units' counts adding up to the programme's (``suppression.PROGRAMME``)."""
    known = Knowledge(shared, internal)
    reading = Reading(shared, internal)
    for name in shared:
        read_report(reading, (name,))
    if suppression.PROGRAMME in shared:
        parts: list[Path] = [(name,) for name in shared if name != suppression.PROGRAMME]
        read_together(reading, (suppression.PROGRAMME,), parts)
    _add(known, reading)
    for name in shared:
        _statistics(known, (name,))
    return known


def _add(known: Knowledge, reading: "Reading") -> None:
    known.equalities += [({p: float(c) for p, c in r.items()}, 0.0) for r in reading.equalities]
    known.orders += reading.orders
    known.sums += [{p: float(c) for p, c in r.items()} for r in reading.sums]


def _published(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _statistics(known: Knowledge, report: Path) -> None:
    """Shares and moments published beside hidden counts."""
    shared = _at(known.shared, report)
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
    for k, row in enumerate(shared.get("response_rates", [])):
        # A share is published to four decimals: a k of n, one of them published, gives the other
        # where a single whole number rounds to the share.
        for count, of, share in (
            ("answered", "due", "share_of_due"),
            ("answered_invited", "invited", "share_of_invited"),
        ):
            here = (*report, "response_rates", k)
            if not _published(row[share]):
                continue
            if _published(row[of]) and not _published(row[count]):
                found = [x for x in range(row[of] + 1) if round(x / row[of], 4) == row[share]]
                if len(found) == 1:
                    known.equalities.append(({(*here, count): 1.0}, float(found[0])))
            elif _published(row[count]) and not _published(row[of]) and row[share]:
                found = [
                    x
                    for x in range(max(row[count], 1), 10 * row[count] + 100)
                    if round(row[count] / x, 4) == row[share]
                ]
                if len(found) == 1:
                    known.equalities.append(({(*here, of): 1.0}, float(found[0])))
    dose = shared["attendance"]["dose"]
    if _published(dose["share"]) and _published(dose["of"]):
        known.equalities.append(({(*report, "attendance", "dose", "reached"): 1.0}, dose["share"] * dose["of"]))


def ranges(known: Knowledge) -> dict[Path, tuple[int, int]]:
    """Each hidden count's smallest and largest possible value (one program for all of them)."""
    cells = sorted(
        {p for relation, _ in known.equalities for p in relation if known.hidden(p)}
        | {p for pair in known.orders for p in pair if known.hidden(p)}
        | {p for relation in known.sums for p in relation if known.hidden(p)},
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
    for relation in known.sums:
        row = np.zeros(len(cells))
        rhs = 0.0
        for p, c in relation.items():
            if p in index:
                row[index[p]] += c
            else:
                rhs -= c * float(known.count(p))
        if row.any():
            high_rows.append(row)
            lows.append(-np.inf)
            highs.append(rhs)
    matrix = csr_array(np.array(low_rows + high_rows))
    constraints = [LinearConstraint(matrix, np.array(lows), np.array(highs))]
    seed: dict[Path, float] = {}
    big = 10.0**6
    floors = [0.0 if p[0] == SEGMENT or known.internal_count(p) == 0 else 1.0 for p in cells]
    bounds = Bounds(np.array(floors), np.full(len(cells), big))
    integrality = np.ones(len(cells))
    if any(p[0] == SEGMENT for p in cells):  # no truth for these: a first solution stands for it
        first = milp(np.zeros(len(cells)), constraints=constraints, bounds=bounds, integrality=integrality)
        assert first.status == 0, first.message
        seed = {p: float(round(first.x[index[p]])) for p in cells}
    lowest = {p: seed[p] if p[0] == SEGMENT else float(known.internal_count(p)) for p in cells}
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
    return {p: (int(lowest[p]), int(highest[p])) for p in cells if p[0] != SEGMENT}


def _exact(found: dict[Path, tuple[int, int]]) -> dict[Path, int]:
    """The counts with a single possible value, but for zeros: a hidden zero worked out stands
    for no one (zeros are otherwise shown)."""
    return {path: low for path, (low, high) in found.items() if low == high > 0}


def recoveries(shared: Any, internal: Any) -> dict[Path, int]:
    """Hidden counts the attacker pins to a single value, with that value."""
    return _exact(ranges(knowledge(shared, internal)))


def recoveries_set(shared: dict[str, Any], internal: dict[str, Any]) -> dict[Path, int]:
    """Hidden counts of any report of the set pinned to a single value by all of them together."""
    return _exact(ranges(knowledge_set(shared, internal)))


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
    for key in {key for r in internal.values() for key, _groups in _scores(r)}:
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


ScoreKey = tuple[str, str, int, str]


def _scores(report: Any) -> Iterator[tuple[ScoreKey, list[Any]]]:
    """Each paired score's groups: the before/after's instruments and the services whose use is
    compared before and after (the same shape: ``ServiceUseOut.scores``)."""
    for section, name in (("before_after", "instrument"), ("service_use", "service")):
        for measure in report.get(section, []):
            for score in measure["scores"]:
                yield (section, measure[name], measure.get("version", 0), score["score"]), list(score["groups"])


def _groups(report: Any, key: ScoreKey) -> dict[str, int]:
    return {g["population"]: g["n"] for g in _all_groups(report, key)}


def _all_groups(report: Any, key: ScoreKey) -> list[Any]:
    return next((groups for found, groups in _scores(report) if found == key), [])


def _published_groups(report: Any, key: ScoreKey) -> dict[str, Any]:
    return {g["population"]: g for g in _all_groups(report, key) if "pre" in g}


def person_level_leaks(shared: Any, limit: int) -> list[str]:
    """Published statistics of groups that differ by fewer than ``limit`` people, or that stand
    for fewer people than that."""
    leaks = []
    for key, groups in _scores(shared):
        published = [g for g in groups if "pre" in g]
        for group in published:
            if group["n"] < limit:
                leaks.append(f"{key} {group['population']}: n {group['n']}")
        for a in published:
            for b in published:
                if a is not b and 0 < a["n"] - b["n"] < limit:
                    leaks.append(f"{key}: {a['n']} vs {b['n']}")
    for use in shared.get("service_use", []):  # those with a count before only: measured − pairs
        measured = use["measured_people"]
        for score in use["scores"]:
            for group in score["groups"]:
                if _published(measured) and _published(group["n"]) and 0 < measured - group["n"] < limit:
                    leaks.append(f"{use['name']}: {measured} measured, {group['n']} pairs")
    for version in shared["feedback"]:
        for item in version["items"]:
            if _published(item.get("mean")) and _published(item["people"]) and item["people"] < limit:
                leaks.append(f"{version['instrument']} {item['key']}: a mean of {item['people']} people")
            for key in ("n", "people", "clusters"):  # counts: shown only from the threshold on (or 0)
                if _published(item.get(key)) and 0 < item[key] < limit:
                    leaks.append(f"{version['instrument']} {item['key']}: {key} {item[key]}")
    return leaks


# --- The attacker's own reading of the report's shape ---------------------------------------------
# Written from the report's contract (report/types.py) and what its figures mean, not from
# suppression.relations/between: a relation the defender forgets must not be forgotten here too.

STAGES = (
    "contacted",
    "interested",
    "enrolled",
    "started",
    "completed",
    "waiting",
    "declined",
    "not_reached",
    "dropped_out",
)
FUNNEL = ("contacted", "interested", "enrolled", "started", "completed")  # each at most the one before
ROLL_CALL = ("present", "absent", "excused")
MEETING_COUNTS = (*ROLL_CALL, "recorded", "visitors")
UNIT_COUNTS = ("enrolled", "started", "completed", "present", "recorded")


def _at(tree: Any, path: Path) -> Any:
    node = tree
    for key in path:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass
class Reading:
    """Relations the attacker writes down, kept where they hold in the internal data (the attacker
    is assumed to know every relation that happens to hold: the strongest attacker)."""

    shared: Any
    internal: Any
    equalities: list[dict[Path, int]] = field(default_factory=list)
    orders: list[tuple[Path, Path]] = field(default_factory=list)
    sums: list[dict[Path, int]] = field(default_factory=list)  # Σ c·x ≤ 0

    def _known(self, path: Path) -> bool:
        shown = _at(self.shared, path)
        return (_whole(shown) or shown == suppression.SUPPRESSED) and _whole(_at(self.internal, path))

    def equal(self, terms: dict[Path, int]) -> None:
        terms = {p: c for p, c in terms.items() if c}
        known = terms and all(self._known(p) for p in terms)
        if known and sum(c * _at(self.internal, p) for p, c in terms.items()) == 0:
            self.equalities.append(terms)

    def adds_up(self, parts: list[Path], whole: Path) -> None:
        terms: dict[Path, int] = {}
        for part in parts:
            terms[part] = terms.get(part, 0) + 1
        terms[whole] = terms.get(whole, 0) - 1
        self.equal(terms)

    def at_most(self, small: Path, large: Path) -> None:
        if self._known(small) and self._known(large) and _at(self.internal, small) <= _at(self.internal, large):
            self.orders.append((small, large))

    def sum_at_most(self, parts: list[Path], whole: Path) -> None:
        """``whole`` is at most the sum of ``parts``."""
        terms: dict[Path, int] = {whole: 1}
        for part in parts:
            terms[part] = terms.get(part, 0) - 1
        terms = {p: c for p, c in terms.items() if c}
        if (
            terms
            and all(self._known(p) for p in terms)
            and sum(c * _at(self.internal, p) for p, c in terms.items()) <= 0
        ):
            self.sums.append(terms)


def read_report(reading: Reading, at: Path) -> None:
    """Every sum and order one report's figures obey."""
    report = _at(reading.shared, at)
    rec = (*at, "recruitment")
    total = (*rec, "total")
    for table in ("segments", "referral_sources"):
        rows = [(*rec, table, i) for i in range(len(report["recruitment"][table]))]
        for stage in STAGES:
            reading.adds_up([(*row, stage) for row in rows], (*total, stage))
        for row in [*rows, total]:
            for later, earlier in itertools.pairwise(reversed(FUNNEL)):
                reading.at_most((*row, later), (*row, earlier))
    flow = report["recruitment"]["flow"]
    left_by_stage: dict[str, list[Path]] = {}
    for i, step in enumerate(flow):
        here = (*rec, "flow", i)
        reading.adds_up([(*here, "n")], (*total, step["step"]))
        if i + 1 < len(flow):
            exits = [(*here, "left", k, "n") for k in range(len(step["left"]))]
            reading.adds_up([(*rec, "flow", i + 1, "n"), (*here, "in_progress"), *exits], (*here, "n"))
        for k, leaving in enumerate(step["left"]):
            left_by_stage.setdefault(leaving["stage"], []).append((*here, "left", k, "n"))
    for stage, cells in left_by_stage.items():
        reading.adds_up(cells, (*total, stage))
    att = (*at, "attendance")
    attendance = report["attendance"]
    meetings = [(*att, "meetings", i) for i in range(len(attendance["meetings"]))]
    numbers = [(*att, "by_number", i) for i in range(len(attendance["by_number"]))]
    for row in [*meetings, *numbers]:
        reading.adds_up([(*row, key) for key in ROLL_CALL], (*row, "recorded"))
    for number, row in zip(numbers, attendance["by_number"], strict=True):
        same = [
            m for m, meeting in zip(meetings, attendance["meetings"], strict=True) if meeting["number"] == row["number"]
        ]
        for key in MEETING_COUNTS:
            reading.adds_up([(*m, key) for m in same], (*number, key))
    summary = (*att, "summary")
    for key, whole in (("present", "attended"), ("recorded", "offered"), ("visitors", "visitors")):
        reading.adds_up([(*m, key) for m in meetings], (*summary, whole))
        reading.adds_up([(*m, key) for m in numbers], (*summary, whole))
    reading.adds_up(
        [(*att, "rate_bands", i, "n") for i in range(len(attendance["rate_bands"]))], (*summary, "starters")
    )
    reading.adds_up([(*att, "dose", "of")], (*summary, "starters"))
    reading.at_most((*att, "dose", "reached"), (*att, "dose", "of"))
    dropouts = [(*att, "dropout_by_meeting", i, "n") for i in range(len(attendance["dropout_by_meeting"]))]
    reading.adds_up(dropouts, (*att, "dropouts"))
    # Beyond what the defender lists: those who attended at all started, and leavers attended.
    reading.at_most((*summary, "starters"), (*total, "started"))
    reading.at_most((*att, "dropouts"), (*summary, "starters"))
    for v, version in enumerate(report["feedback"]):
        head = (*at, "feedback", v)
        for key in ("anonymous", "at_meetings", "people"):
            reading.at_most((*head, key), (*head, "responses"))
        for i, item in enumerate(version["items"]):
            here = (*head, "items", i)
            reading.at_most((*here, "n"), (*head, "responses"))
            reading.at_most((*here, "people"), (*here, "n"))
            reading.at_most((*here, "people"), (*here, "clusters"))
            reading.at_most((*here, "clusters"), (*here, "n"))
            entries = item.get("distribution", [])
            cells = [(*here, "distribution", k, "n") for k in range(len(entries))]
            if item["type"] == "multiple_choice":
                for cell in cells:
                    reading.at_most(cell, (*here, "n"))
            elif cells:
                reading.adds_up(cells, (*here, "n"))
            if "top_two" in item:
                labels = set(item["top_two"].get("labels", []))
                chosen = [cell for cell, entry in zip(cells, entries, strict=True) if entry["label"] in labels]
                reading.adds_up(chosen, (*here, "top_two", "n"))
    for v, instrument in enumerate(report["before_after"]):
        head = (*at, "before_after", v)
        for s, score in enumerate(instrument["scores"]):
            by_population = {g["population"]: (*head, "scores", s, "groups", k) for k, g in enumerate(score["groups"])}
            for k, group in enumerate(score["groups"]):
                here = (*head, "scores", s, "groups", k)
                reading.at_most((*here, "n"), (*head, "measured_people"))
                for classes in ("rci", "clinical_change"):
                    counts = (group.get(classes) or {}).get("counts") or {}
                    reading.adds_up([(*here, classes, "counts", name) for name in counts], (*here, "n"))
            for small, large in (("completers", "all_pairs"), ("all_pairs", "itt"), ("completers", "itt")):
                if small in by_population and large in by_population:
                    reading.at_most((*by_population[small], "n"), (*by_population[large], "n"))
    cmp = (*at, "comparison")
    compared = report["comparison"]
    units = [(*cmp, "units", j) for j in range(len(compared["units"]))]
    for level in ("units", "sites", "organisations"):
        rows = [(*cmp, level, j) for j in range(len(compared[level]))]
        for row in rows:
            reading.at_most((*row, "completed"), (*row, "started"))
            reading.at_most((*row, "started"), (*row, "enrolled"))
            reading.at_most((*row, "present"), (*row, "recorded"))
    for j, organisation in enumerate(compared["organisations"]):
        members = [
            u for u, row in zip(units, compared["units"], strict=True) if row["organisation"] == organisation["name"]
        ]
        for key in UNIT_COUNTS:
            reading.adds_up([(*u, key) for u in members], (*cmp, "organisations", j, key))
        for rating in organisation["ratings"]:
            rated = [u for u, row in zip(units, compared["units"], strict=True) if rating in row["ratings"]]
            reading.adds_up(
                [(*u, "ratings", rating, "n") for u in rated if u in members],
                (*cmp, "organisations", j, "ratings", rating, "n"),
            )
    for level in ("sites", "organisations"):
        rows = [(*cmp, level, j) for j in range(len(compared[level]))]
        for key in UNIT_COUNTS:
            reading.equal({**{(*u, key): 1 for u in units}, **{(*r, key): -1 for r in rows}})
    wholes = {
        "enrolled": (*total, "enrolled"),
        "started": (*total, "started"),
        "completed": (*total, "completed"),
        "present": (*summary, "attended"),
        "recorded": (*summary, "offered"),
    }
    for key, whole in wholes.items():
        reading.adds_up([(*u, key) for u in units], whole)
    # A unit's row repeats its meetings' roll calls.
    for u, row in zip(units, compared["units"], strict=True):
        own = [m for m, meeting in zip(meetings, attendance["meetings"], strict=True) if meeting["unit"] == row["name"]]
        if own:
            reading.adds_up([(*m, "present") for m in own], (*u, "present"))
            reading.adds_up([(*m, "recorded") for m in own], (*u, "recorded"))
    read_newer(reading, at, report)


def read_newer(reading: Reading, at: Path, report: Any) -> None:
    """The sections added after the first audit: what people said, service use before and after,
    the response rates and the client council (report/types.py: Qualitative, ServiceUseOut,
    ResponseRate, Council). Only what their definitions imply: an equality that merely happens
    to hold (no one under two themes, everyone due answering) is not the attacker's to know."""
    total = (*at, "recruitment", "total")
    said = report.get("qualitative")
    if said:
        head = (*at, "qualitative")
        themes = [(*head, "themes", i) for i in range(len(said["themes"]))]
        mains = [t for t, theme in zip(themes, said["themes"], strict=True) if theme["parent"] is None]
        for t, theme in zip(themes, said["themes"], strict=True):
            # Each person behind a theme has an excerpt tagged with it; a theme's people and
            # excerpts are among the section's; a main theme counts its themes' people and excerpts.
            reading.at_most((*t, "people"), (*t, "excerpts"))
            reading.at_most((*t, "people"), (*head, "people"))
            reading.at_most((*t, "excerpts"), (*head, "excerpts"))
            for main, row in zip(themes, said["themes"], strict=True):
                if theme["parent"] is not None and row["parent"] is None and row["name"] == theme["parent"]:
                    reading.at_most((*t, "people"), (*main, "people"))
                    reading.at_most((*t, "excerpts"), (*main, "excerpts"))
        # Everyone and every excerpt is under some main theme.
        for key in ("people", "excerpts"):
            reading.sum_at_most([(*m, key) for m in mains], (*head, key))
        reading.at_most((*head, "people"), (*head, "excerpts"))
    for v, use in enumerate(report.get("service_use", [])):
        head = (*at, "service_use", v)
        for s, score in enumerate(use["scores"]):
            for g, group in enumerate(score["groups"]):
                here = (*head, "scores", s, "groups", g)
                reading.at_most((*here, "n"), (*head, "measured_people"))
                for classes in ("rci", "clinical_change"):
                    counts = (group.get(classes) or {}).get("counts") or {}
                    reading.adds_up([(*here, classes, "counts", name) for name in counts], (*here, "n"))
    versions = {
        section: {version.get("name"): (*at, section, v) for v, version in enumerate(report[section])}
        for section in ("feedback", "before_after")
    }
    for k, row in enumerate(report.get("response_rates", [])):
        here = (*at, "response_rates", k)
        reading.at_most((*here, "answered"), (*here, "due"))
        reading.at_most((*here, "answered_invited"), (*here, "invited"))
        if not row["per_meeting"]:  # people, each enrolled
            reading.at_most((*here, "due"), (*total, "enrolled"))
        # The same questionnaire's answers in the feedback and before/after sections.
        if row["instrument"] in versions["feedback"]:
            version = versions["feedback"][row["instrument"]]
            reading.at_most((*here, "answered"), (*version, "responses"))
            if not row["per_meeting"]:
                reading.at_most((*here, "answered"), (*version, "people"))
        if row["instrument"] in versions["before_after"]:
            outcome = versions["before_after"][row["instrument"]]
            reading.at_most((*here, "answered"), (*outcome, "responses"))
            if row["when"] == "intake":  # those who answered the intake were measured
                reading.at_most((*here, "answered"), (*outcome, "measured_people"))
            if row["when"] == "end":  # a pair's end is an end answer
                for s, score in enumerate(_at(reading.shared, outcome)["scores"]):
                    for g, group in enumerate(score["groups"]):
                        if group["population"] != "itt":
                            reading.at_most((*outcome, "scores", s, "groups", g, "n"), (*here, "answered"))
    council = report.get("council")
    if council:  # suggestions, not people: never hidden, but written down all the same
        head = (*at, "council")
        reading.sum_at_most([(*head, "suggestions")], (*head, "accepted"))
        reading.sum_at_most([(*head, "suggestions")], (*head, "declined"))
        reading.sum_at_most([(*head, "suggestions")], (*head, "done"))
        reading.at_most((*head, "done"), (*head, "accepted"))


def keyed(report: Any, at: Path) -> Iterator[tuple[tuple[Any, ...], Path]]:
    """Each count of a report with what it counts (the same key in another report of the programme
    counts the same thing for that report's units)."""
    recruitment = report["recruitment"]
    rec = (*at, "recruitment")
    for stage in STAGES:
        yield ("total", stage), (*rec, "total", stage)
        for table, name in (("segments", "segment"), ("referral_sources", "source")):
            for i, row in enumerate(recruitment[table]):
                yield (table, row[name], stage), (*rec, table, i, stage)
    for i, step in enumerate(recruitment["flow"]):
        yield ("flow", step["step"]), (*rec, "flow", i, "n")
        yield ("flow", step["step"], "in_progress"), (*rec, "flow", i, "in_progress")
        for k, leaving in enumerate(step["left"]):
            yield ("flow", step["step"], leaving["stage"]), (*rec, "flow", i, "left", k, "n")
    attendance = report["attendance"]
    att = (*at, "attendance")
    for i, meeting in enumerate(attendance["meetings"]):
        for key in MEETING_COUNTS:
            yield ("meeting", meeting["unit"], meeting["number"], meeting["date"], key), (*att, "meetings", i, key)
    for i, row in enumerate(attendance["by_number"]):
        for key in MEETING_COUNTS:
            yield ("number", row["number"], key), (*att, "by_number", i, key)
    for key in ("attended", "offered", "visitors", "starters"):
        yield ("summary", key), (*att, "summary", key)
    for i, band in enumerate(attendance["rate_bands"]):
        yield ("band", band["low"]), (*att, "rate_bands", i, "n")
    for key in ("reached", "of"):
        yield ("dose", key), (*att, "dose", key)
    for i, row in enumerate(attendance["dropout_by_meeting"]):
        yield ("dropout", row["number"]), (*att, "dropout_by_meeting", i, "n")
    yield ("dropouts",), (*att, "dropouts")
    for section in ("feedback", "before_after"):
        for v, version in enumerate(report[section]):
            head = (*at, section, v)
            name = (section, version["instrument"], version["version"])
            for key in ("responses", "people", "anonymous", "at_meetings", "measured_people"):
                if key in version:
                    yield (*name, key), (*head, key)
            for i, item in enumerate(version.get("items", [])):
                for key in ("n", "people", "clusters"):
                    if key in item:
                        yield (*name, item["key"], key), (*head, "items", i, key)
                for k, entry in enumerate(item.get("distribution", [])):
                    yield (*name, item["key"], entry["value"]), (*head, "items", i, "distribution", k, "n")
                if "top_two" in item:
                    yield (*name, item["key"], "top_two"), (*head, "items", i, "top_two", "n")
            for s, score in enumerate(version.get("scores", [])):
                for g, group in enumerate(score["groups"]):
                    here = (*head, "scores", s, "groups", g)
                    population = (*name, score["score"], group["population"])
                    yield population, (*here, "n")
                    for classes in ("rci", "clinical_change"):
                        for label in (group.get(classes) or {}).get("counts") or {}:
                            yield (*population, classes, label), (*here, classes, "counts", label)
    for level in ("units", "sites", "organisations"):
        for j, row in enumerate(report["comparison"][level]):
            here = (*at, "comparison", level, j)
            for key in UNIT_COUNTS:
                yield (level, row["name"], key), (*here, key)
            for rating in row["ratings"]:
                for key in ("n", "people"):
                    yield (level, row["name"], rating, key), (*here, "ratings", rating, key)
    said = report.get("qualitative")
    if said:
        for key in ("people", "excerpts"):
            yield ("qualitative", key), (*at, "qualitative", key)
        for i, theme in enumerate(said["themes"]):
            for key in ("people", "excerpts"):
                yield ("theme", theme["name"], key), (*at, "qualitative", "themes", i, key)
    for v, use in enumerate(report.get("service_use", [])):
        head = (*at, "service_use", v)
        yield ("service_use", use["service"], "measured_people"), (*head, "measured_people")
        for s, score in enumerate(use["scores"]):
            for g, group in enumerate(score["groups"]):
                here = (*head, "scores", s, "groups", g)
                population = ("service_use", use["service"], score["score"], group["population"])
                yield population, (*here, "n")
                for classes in ("rci", "clinical_change"):
                    for label in (group.get(classes) or {}).get("counts") or {}:
                        yield (*population, classes, label), (*here, classes, "counts", label)
    for k, row in enumerate(report.get("response_rates", [])):
        for key in ("due", "answered", "invited", "answered_invited"):
            yield ("response", row["entry"], key), (*at, "response_rates", k, key)
    if report.get("council"):
        for key in ("suggestions", "accepted", "declined", "done"):
            yield ("council", key), (*at, "council", key)


def read_together(reading: Reading, whole: Path, parts: list[Path]) -> None:
    """The units' reports add up to the programme's, count by count."""
    found: dict[tuple[Any, ...], list[Path]] = {}
    for part in parts:
        for key, path in keyed(_at(reading.shared, part), part):
            found.setdefault(key, []).append(path)
    for key, path in keyed(_at(reading.shared, whole), whole):
        if key in found:
            reading.adds_up(found[key], path)


# --- Several releases side by side --------------------------------------------------------------
# Reports of one programme that left at different times, to different viewers or for different
# periods. The attacker knows each report's scope (whose units) and period (its filters).

EVERYWHERE = (("attendance", "meetings"), ("comparison", "units"))  # the same figures in any report


def _events(key: tuple[Any, ...]) -> bool:
    """Counts of things that happen on a day (contacts, meetings, answers): over two periods that do
    not overlap, the sum of the two."""
    if key[0] in ("total", "segments", "referral_sources", "flow", "meeting", "number"):
        return True
    if key[0] == "summary":
        return key[1] in ("attended", "offered", "visitors")
    if key[0] == "feedback":
        return key[-1] in ("responses", "anonymous", "at_meetings", "n", "top_two") or _whole(key[-1])
    return key[0] in ("units", "sites", "organisations") and key[-1] in (*UNIT_COUNTS, "n")


def _days(report: Any) -> tuple[str, str]:
    since, until = report["filters"]["since"], report["filters"]["until"]
    return (since or "0000-00-00", until or "9999-99-99")


def _next_day(day: str) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


def knowledge_releases(
    releases: list[tuple[dict[str, Any], dict[str, Any]]], programme_scopes: set[str] | None = None
) -> Knowledge:
    """Every release's shared reports by scope (with the internal ones behind them), read together.
    ``programme_scopes``: the scopes that are a programme's report over the others of its release."""
    shared = {
        f"{i} {scope}": report for i, (published, _) in enumerate(releases) for scope, report in published.items()
    }
    internal = {f"{i} {scope}": report for i, (_, truth) in enumerate(releases) for scope, report in truth.items()}
    scope_of = {f"{i} {scope}": scope for i, (published, _) in enumerate(releases) for scope in published}
    known = Knowledge(shared, internal)
    reading = Reading(shared, internal)
    for name in shared:
        read_report(reading, (name,))
    for i, (published, _) in enumerate(releases):
        for scope in published:
            if scope in (programme_scopes or {suppression.PROGRAMME}):
                parts: list[Path] = [(f"{i} {s}",) for s in published if s != scope]
                read_together(reading, (f"{i} {scope}",), parts)
    counts = {name: dict(keyed(shared[name], (name,))) for name in shared}
    days = {name: _days(shared[name]) for name in shared}
    names = sorted(shared)
    for a, b in itertools.combinations(names, 2):
        if a.split(" ")[0] == b.split(" ")[0]:
            continue  # the same release: read above
        for key, path in counts[a].items():
            other = counts[b].get(key)
            if other is None or (scope_of[a] != scope_of[b] and key[:1] not in (("meeting",),) and key[0] != "units"):
                continue
            if days[a] == days[b] or key[0] == "meeting":
                reading.equal({path: 1, other: -1})
            elif _events(key) and days[a][0] <= days[b][0] and days[b][1] <= days[a][1]:
                reading.at_most(other, path)
            elif _events(key) and days[b][0] <= days[a][0] and days[a][1] <= days[b][1]:
                reading.at_most(path, other)
    for whole in names:
        for x, y in itertools.permutations([n for n in names if n != whole], 2):
            if not (days[x][0] == days[whole][0] and days[y][1] == days[whole][1]):
                continue
            if days[x][1] == "9999-99-99" or _next_day(days[x][1]) != days[y][0]:
                continue
            for key, path in counts[whole].items():
                same = [n for n in (x, y) if scope_of[n] == scope_of[whole] or key[0] in ("meeting", "units")]
                if _events(key) and same:
                    reading.adds_up([counts[n][key] for n in same if key in counts[n]], path)
    _add(known, reading)
    _segments(known, counts, days, scope_of)
    for name in shared:
        _statistics(known, (name,))
    return known


def _segments(
    known: Knowledge,
    counts: dict[str, dict[tuple[Any, ...], Path]],
    days: dict[str, tuple[str, str]],
    scope_of: dict[str, str],
) -> None:
    """Periods that overlap without one holding the other (January–June and April–September):
    a count of events over a period is the sum of its counts over the stretches between any
    release's period boundaries, each a whole number of at least 0. Written as unknowns, these
    give every difference the periods allow, nested, following each other or overlapping."""
    everywhere = ("meeting", "units")
    keys = {key for found in counts.values() for key in found if _events(key)}
    for key in keys:
        having = [n for n in counts if key in counts[n]]
        groups: dict[str, list[str]] = {}
        for name in having:
            groups.setdefault("" if key[0] in everywhere else scope_of[name], []).append(name)
        for group, names in groups.items():
            if len({days[n] for n in names}) < 3 or not any(known.hidden(counts[n][key]) for n in names):
                continue  # two periods alone give orders only (read above)
            if not all(_whole(_at(known.internal, counts[n][key])) for n in names):
                continue
            points = sorted({days[n][0] for n in names} | {_next_day(days[n][1]) for n in names if days[n][1] < "9"})
            for name in names:
                start, end = days[name]
                inside = [p for p in points if start <= p and (end.startswith("9999") or p <= end)]
                terms: dict[Path, float] = {(SEGMENT, group, *map(str, key), p): 1.0 for p in inside}
                terms[counts[name][key]] = -1.0
                known.equalities.append((terms, 0.0))


def recoveries_releases(
    releases: list[tuple[dict[str, Any], dict[str, Any]]], programme_scopes: set[str] | None = None
) -> dict[Path, int]:
    """Hidden counts of any release pinned to a single value by all of them together."""
    return _exact(ranges(knowledge_releases(releases, programme_scopes)))
