"""Small-number suppression for anything that leaves the organisation (docs/statistics.md, Small numbers).

``shared(report)`` turns the internal report into the shared one:
- primary suppression: a count of 1 … threshold − 1 people becomes ``SUPPRESSED`` (0 stays:
  an empty cell discloses nothing about a person);
- secondary suppression, so that a hidden cell cannot be recovered:
  * from a total: where cells add up to a published total and exactly one of them is hidden,
    the next smallest non-zero cell is hidden too (or, with none, the total);
  * from a complementary share: a "k of n" is hidden when k or n − k is small;
  * from differences along the recruitment flow: a step whose count differs from the previous
    published step by 1 … threshold − 1 is hidden;
- no mean, SD, min, max, median, test or effect size for fewer people than the threshold;
- per-person rows (attendance per participant), free-text answers and the reasons people gave
  for leaving are left out altogether: they are about single people.

The rules are greedy (one pass per table, in the order above) and documented in
docs/evaluation.md; pilotti/evaluation/tests/test_suppression.py pins each one.
"""

import copy
import hashlib
import itertools
import json
import pathlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast

import numpy as np
from django.conf import settings
from django.core.cache import cache
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from pilotti.evaluation import disclosure
from pilotti.evaluation.report.cost import withhold_shared as withhold_cost
from pilotti.evaluation.report.qualitative import withhold_shared as withhold_qualitative
from pilotti.evaluation.report.response import withhold_shared as withhold_response
from pilotti.evaluation.report.types import Report

SUPPRESSED = "suppressed"
STAGE_COLUMNS = (
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
PATH_COLUMNS = ("contacted", "interested", "enrolled", "started", "completed")


def threshold() -> int:
    return int(getattr(settings, "SMALL_NUMBER_THRESHOLD", 5))


def is_small(value: Any, limit: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < limit


def hidden(value: Any) -> bool:
    return isinstance(value, str) and value == SUPPRESSED


def additive(cells: list[Any], total: Any, limit: int) -> tuple[list[Any], Any]:
    """Primary and secondary suppression of cells that add up to ``total``."""
    out = [SUPPRESSED if is_small(c, limit) else c for c in cells]
    total_out = SUPPRESSED if is_small(total, limit) else total
    hidden_at = [i for i, c in enumerate(out) if hidden(c)]
    if len(hidden_at) == 1 and not hidden(total_out) and total_out is not None:
        candidates = [i for i, c in enumerate(out) if isinstance(c, int) and c > 0]
        if candidates:
            out[min(candidates, key=lambda i: out[i])] = SUPPRESSED
        else:
            total_out = SUPPRESSED
    return out, total_out


def _hide(entry: dict[str, Any], keys: Iterable[str]) -> None:
    """Hide figures; a count of zero stays, so that every hidden count is known to be at least 1."""
    for key in keys:
        value = entry.get(key)
        if value is not None and not (disclosure.is_count(value) and value == 0):
            entry[key] = SUPPRESSED


SHARE_KEYS = ("share", "ci_low", "ci_high")
SUMMARY_KEYS = ("mean", "sd", "ci_low", "ci_high", "min", "max")


def proportion(entry: dict[str, Any], n: Any, limit: int) -> None:
    """A "k of n" with its share and interval: hidden when k or n − k is small."""
    k = entry.get("n")
    if (
        hidden(k)
        or hidden(n)
        or is_small(k, limit)
        or (isinstance(n, int) and isinstance(k, int) and is_small(n - k, limit))
    ):
        entry["n"] = SUPPRESSED if k else k
        _hide(entry, SHARE_KEYS)


def _counts_table(rows: list[dict[str, Any]], total: dict[str, Any], limit: int) -> None:
    """Rows of stage counts with a total row: the cumulative path per row, then each column."""
    for row in [*rows, total]:
        for column in STAGE_COLUMNS:
            if is_small(row.get(column), limit):
                row[column] = SUPPRESSED
        _chain(row, PATH_COLUMNS, limit)
    for column in STAGE_COLUMNS:
        cells, total[column] = additive([row.get(column) for row in rows], total.get(column), limit)
        if len(rows) == 1 and hidden(total[column]):
            cells = [SUPPRESSED]
        for row, cell in zip(rows, cells, strict=True):
            row[column] = cell
        if len(rows) == 1 and hidden(rows[0][column]):
            total[column] = SUPPRESSED


def _chain(row: dict[str, Any], columns: Iterable[str], limit: int) -> None:
    """Along a cumulative path a small drop between published counts reveals a few people."""
    previous: Any = None
    for column in columns:
        value = row.get(column)
        if (
            isinstance(value, int)
            and isinstance(previous, int)
            and previous >= value
            and is_small(previous - value, limit)
        ):
            row[column] = SUPPRESSED
            continue
        if isinstance(value, int):
            previous = value


def recruitment(data: dict[str, Any], limit: int) -> None:
    total = data["total"]
    sources_total = copy.deepcopy(total)
    _counts_table(data["segments"], total, limit)
    _counts_table(data["referral_sources"], sources_total, limit)
    for column in STAGE_COLUMNS:  # either table's hidden total hides it in both
        if hidden(sources_total[column]):
            total[column] = SUPPRESSED
    steps = data["flow"]
    previous: Any = None
    for step in steps:
        n = step["n"]
        if is_small(n, limit) or (isinstance(previous, int) and isinstance(n, int) and is_small(previous - n, limit)):
            step["n"] = SUPPRESSED
        elif isinstance(n, int):
            previous = n
        step["reasons"] = []
    for step, following in itertools.pairwise(steps):
        left_total = (
            step["n"] - following["n"] if isinstance(step["n"], int) and isinstance(following["n"], int) else None
        )
        cells = [entry["n"] for entry in step["left"]] + [step["in_progress"]]
        out, _ = additive(cells, left_total, limit)
        for entry, cell in zip(step["left"], out, strict=False):
            entry["n"] = cell
        step["in_progress"] = out[-1]


def attendance(data: dict[str, Any], limit: int) -> None:
    for meeting in data["meetings"]:
        cells, meeting["recorded"] = additive(
            [meeting["present"], meeting["absent"], meeting["excused"]], meeting["recorded"], limit
        )
        meeting["present"], meeting["absent"], meeting["excused"] = cells
        if is_small(meeting["visitors"], limit):
            meeting["visitors"] = SUPPRESSED
    for row in data["by_number"]:
        cells, row["recorded"] = additive([row["present"], row["absent"], row["excused"]], row["recorded"], limit)
        row["present"], row["absent"], row["excused"] = cells
        if is_small(row["visitors"], limit):
            row["visitors"] = SUPPRESSED
    data["participants"] = []
    summary = data["summary"]
    for key in ("attended", "offered", "visitors"):
        if is_small(summary[key], limit):
            summary[key] = SUPPRESSED
    cells, _ = additive([band["n"] for band in data["rate_bands"]], summary["starters"], limit)
    for band, cell in zip(data["rate_bands"], cells, strict=True):
        band["n"] = cell
    if is_small(summary["starters"], limit):
        _hide(summary, ("starters", "median_rate", "q1_rate", "q3_rate", "rate"))
    dose = data["dose"]
    dose["n"] = dose.pop("reached")
    proportion(dose, dose["of"], limit)
    if is_small(dose["of"], limit):
        dose["of"] = SUPPRESSED
    dose["reached"] = dose.pop("n")
    cells, data["dropouts"] = additive([row["n"] for row in data["dropout_by_meeting"]], data["dropouts"], limit)
    for row, cell in zip(data["dropout_by_meeting"], cells, strict=True):
        row["n"] = cell


def _summary(entry: dict[str, Any], n: Any, limit: int) -> None:
    if not isinstance(n, int) or n < limit:
        _hide(entry, SUMMARY_KEYS)


VERSION_COUNTS = ("responses", "people", "anonymous", "at_meetings")


def feedback(data: list[dict[str, Any]], limit: int) -> None:
    for version in data:
        for key in VERSION_COUNTS:  # answers too: 3 answers tell that at most 3 people answered
            if is_small(version[key], limit):
                version[key] = SUPPRESSED
        for item in version["items"]:
            if is_small(item["people"], limit):
                _withhold_item(item, "fewer_people")
                continue
            n = item["n"]
            if is_small(item.get("clusters"), limit):  # people and anonymous answers: a count
                item["clusters"] = SUPPRESSED
            _summary(item, n, limit)
            distribution = item.get("distribution", [])
            if item["type"] == "multiple_choice":
                for entry in distribution:
                    proportion(entry, n, limit)
            elif distribution:
                cells, _ = additive([entry["n"] for entry in distribution], n, limit)
                for entry, cell in zip(distribution, cells, strict=True):
                    entry["n"] = cell
                    if hidden(cell):
                        _hide(entry, SHARE_KEYS)
            if "top_two" in item:
                proportion(item["top_two"], n, limit)
            if "answers" in item:
                item["answers"] = []
            if is_small(n, limit):
                item["n"] = SUPPRESSED


def _withhold_item(item: dict[str, Any], reason: str) -> None:
    """An item answered by fewer people than the threshold: no figure of it but that it exists."""
    item["withheld"] = reason
    _hide(item, ("n", "people", "clusters", *SUMMARY_KEYS))
    for entry in [*item.get("distribution", []), *([item["top_two"]] if "top_two" in item else [])]:
        _hide(entry, ("n", *SHARE_KEYS))
    if "answers" in item:
        item["answers"] = []


GROUP_RESULTS = (
    "pre",
    "post",
    "difference",
    "r",
    "t",
    "df",
    "p_t",
    "wilcoxon",
    "d_z",
    "d_av",
    "can_reach_significance",
    "clinical_change",
)


def _withhold_group(group: dict[str, Any], reason: str) -> None:
    for key in GROUP_RESULTS:
        group.pop(key, None)
    group.pop("rci", None)
    if group["n"]:
        group["n"] = SUPPRESSED
        group["withheld"] = reason


def before_after(data: list[dict[str, Any]], limit: int) -> None:
    for instrument in data:
        for key in VERSION_COUNTS:
            if is_small(instrument.get(key), limit):
                instrument[key] = SUPPRESSED
        pairs = max((g["n"] for s in instrument["scores"] for g in s["groups"]), default=0)
        measured = instrument["measured_people"]
        if isinstance(measured, int) and is_small(measured - pairs, limit):
            instrument["measured_people"] = SUPPRESSED  # measured − pairs: those measured once
        if is_small(measured, limit):
            instrument["measured_people"] = SUPPRESSED
        for score in instrument["scores"]:
            published: list[int] = []
            for group in sorted(score["groups"], key=lambda g: -g["n"] if disclosure.is_count(g["n"]) else 0):
                n = group["n"]
                if n < limit:
                    _withhold_group(group, "fewer_people")
                    continue
                if any(is_small(larger - n, limit) for larger in published):
                    # Nested populations (everyone with two measurements and the completers, or
                    # everyone measured): means of groups that differ by a few people give those
                    # few's sum of scores, n₁·mean₁ − n₂·mean₂ (one person's, for one).
                    _withhold_group(group, "derivable")
                    continue
                published.append(n)
                for classes in (group.get("rci"), group.get("clinical_change")):
                    if classes and classes.get("counts"):
                        names = list(classes["counts"])
                        cells, _ = additive([classes["counts"][name] for name in names], n, limit)
                        classes["counts"] = dict(zip(names, cells, strict=True))


COMPARED_COUNTS = ("enrolled", "started", "completed")


def comparison_row(row: dict[str, Any], limit: int) -> None:
    for key in COMPARED_COUNTS:
        if is_small(row[key], limit):
            row[key] = SUPPRESSED
    _chain(row, ("enrolled", "started", "completed"), limit)
    started = row["started"]
    if not isinstance(started, int) or started < limit:
        _hide(
            row,
            ("attendance_rate", "present", "recorded")
            if row["attendance_rate"] is not None
            else ("present", "recorded"),
        )
    for rating in row["ratings"].values():
        _summary(rating, rating["people"], limit)
        if is_small(rating["people"], limit):
            rating["withheld"] = "fewer_people"
            _hide(rating, ("n", "people"))
        if is_small(rating["n"], limit):
            rating["n"] = SUPPRESSED


def comparison(data: dict[str, Any], limit: int, *, only_others: bool = False) -> None:
    """Each table's rows; with ``only_others``, only rows of other organisations (the model
    owner's cross-adoption view inside the internal report)."""
    for table in ("units", "sites", "organisations"):
        for row in data[table]:
            if not only_others or not row["own"]:
                comparison_row(row, limit)
    # Units add up to their organisation: a single hidden unit count would be recoverable.
    for organisation in data["organisations"]:
        if only_others and organisation["own"]:
            continue
        units = [row for row in data["units"] if row["organisation"] == organisation["name"]]
        for key in COMPARED_COUNTS:
            cells, organisation[key] = additive([row[key] for row in units], organisation[key], limit)
            for row, cell in zip(units, cells, strict=True):
                row[key] = cell


def shared(report: Report, limit: int | None = None) -> Report:
    """The shared view of an internal report (a new dictionary; the internal one is untouched)."""
    return shared_set({"report": report}, limit)["report"]


PROGRAMME = "programme"


@dataclass(frozen=True)
class Release:
    """Shared reports of a programme that already left, by scope (``shared_set``'s ``scopes``):
    what was published and the internal reports it was made from."""

    published: Mapping[str, Any]
    internal: Mapping[str, Any]


def shared_set(
    reports: Mapping[str, Report],
    limit: int | None = None,
    *,
    scopes: Mapping[str, str] | None = None,
    released: Sequence[Release] = (),
) -> dict[str, Report]:
    """The shared views of every report of one programme that may leave together, protected at
    once, so that what one hides cannot be worked out by setting it beside the others: the
    programme's report (named ``PROGRAMME``) and its units' reports (any other names), each with
    its comparison. The units' counts add up to the programme's wherever the data says so
    (``between``).

    ``released``: shared reports of the programme that left before (another viewer's, another
    period's, the same period's on another day). Their figures are fixed; the new reports are
    protected together with them (``across``), hiding more where setting them side by side would
    give a hidden count away. ``scopes`` names what each report covers (the same scope in two
    releases is the same units; default: the report's name)."""
    limit = limit if limit is not None else threshold()
    scopes = {name: (scopes or {}).get(name, name) for name in reports}
    trees = {name: _tables(report, limit) for name, report in reports.items()}
    truths = {name: {**report, VIRTUAL: {}} for name, report in reports.items()}
    old = _add_released(trees, truths, released)
    ledger = disclosure.Ledger(trees, truths, limit=limit, merge=True, frozen=frozenset(old))
    # First: the copies these find are merged in the relations that follow.
    if PROGRAMME in reports:
        between(ledger, truths, PROGRAMME, [name for name in reports if name != PROGRAMME])
    across(ledger, truths, scopes, old)
    _released_between(ledger, truths, old, len(released))
    for name, tree in trees.items():
        if name == SEGMENTS:
            continue
        relations(ledger.under((name,)), tree)
        populations(ledger.under((name,)), tree, truths[name])
    ledger.protect()
    for name in [*old, SEGMENTS]:
        trees.pop(name, None)
    for name, tree in trees.items():
        linked_statistics(tree, reports[name])
        # Costs per person are published only where their denominators are (report/cost.py).
        withhold_cost(tree, limit)
        del tree[VIRTUAL]
    return cast(dict[str, Report], trees)


def _add_released(trees: dict[str, Any], truths: dict[str, Any], released: Sequence[Release]) -> dict[str, str]:
    """The releases' reports as frozen reports of the ledger's trees: name → scope."""
    old: dict[str, str] = {}
    for i, release in enumerate(released):
        for scope, published in release.published.items():
            old[f"released {i} {scope}"] = scope
            trees[f"released {i} {scope}"] = {**copy.deepcopy(published), VIRTUAL: {}}
            truths[f"released {i} {scope}"] = {**release.internal[scope], VIRTUAL: {}}
    return old


def _released_between(ledger: disclosure.Ledger, truths: dict[str, Any], old: Mapping[str, str], count: int) -> None:
    """Within each release, its units' reports add up to its programme's."""
    for i in range(count):
        names = [name for name in old if name.startswith(f"released {i} ")]
        whole = [name for name in names if old[name].startswith(PROGRAMME)]
        if len(whole) == 1:
            between(ledger, truths, whole[0], [name for name in names if name != whole[0]])


def others_only(report: Report) -> dict[str, Any]:
    """What the internal view shows of other organisations (their comparison rows), as a release:
    the rest of the internal view never leaves the organisation, and is not recorded."""
    compared = cast(dict[str, Any], report["comparison"])
    rows = {level: [row for row in compared[level] if not row["own"]] for level in COMPARED_LEVELS}
    return {
        "filters": report["filters"],
        "recruitment": {"segments": [], "total": {}, "referral_sources": [], "flow": []},
        "attendance": {
            "meetings": [],
            "by_number": [],
            "participants": [],
            "rate_bands": [],
            "summary": {},
            "dose": {},
            "dropout_by_meeting": [],
            "dropouts": None,
        },
        "feedback": [],
        "before_after": [],
        "comparison": {"instruments": report["comparison"]["instruments"], **rows},
    }


COMPARED_LEVELS = ("units", "sites", "organisations")
CACHE_SECONDS = 24 * 60 * 60
# The code that decides what is hidden: a change to it changes every cache key.
_CODE = hashlib.sha256(
    b"".join(
        (pathlib.Path(__file__).parent / name).read_bytes()
        for name in ("suppression.py", "disclosure.py", "report/cost.py", "report/qualitative.py", "report/response.py")
    )
).hexdigest()


def shared_set_cached(
    reports: Mapping[str, Report],
    limit: int | None = None,
    *,
    scopes: Mapping[str, str] | None = None,
    released: Sequence[Release] = (),
) -> dict[str, Report]:
    """``shared_set``, remembered under a key made of everything it reads: the internal reports
    (every figure, so any change in the data changes the key), the threshold and this code.
    ``shared_set`` is a pure function of these, so a remembered result is never stale; only the
    time it was made (``generated_at``, not part of the key) is the new report's."""
    limit = limit if limit is not None else threshold()
    inputs = {name: {k: v for k, v in report.items() if k != "generated_at"} for name, report in reports.items()}
    before = [[release.published, release.internal] for release in released]
    digest = hashlib.sha256(
        json.dumps([_CODE, limit, inputs, scopes, before], sort_keys=True, default=str).encode()
    ).hexdigest()
    key = f"evaluation:shared:{digest}"
    result: dict[str, Report] | None = cache.get(key)
    if result is None:
        result = shared_set(reports, limit, scopes=scopes, released=released)
        cache.set(key, result, CACHE_SECONDS)
    for name, report in result.items():
        report["generated_at"] = reports[name]["generated_at"]
    return result


def _tables(report: Report, limit: int) -> dict[str, Any]:
    """The table-by-table rules on a copy of one report."""
    # The rules walk the report by its declared key names and replace values with SUPPRESSED or
    # drop keys the contract marks NotRequired: they work on the plain tree, which stays a Report.
    result = cast(dict[str, Any], copy.deepcopy(report))
    result["view"] = "shared"
    result["threshold"] = limit
    recruitment(result["recruitment"], limit)
    attendance(result["attendance"], limit)
    feedback(result["feedback"], limit)
    before_after(result["before_after"], limit)
    # Service use before and after has the before/after's shape: the same rules (report/serviceuse.py).
    before_after(result.get("service_use", []), limit)
    comparison(result["comparison"], limit)
    withhold_qualitative(result, limit)  # counts of people behind themes, apart from the ledger's tables
    withhold_response(result, limit)  # response rates per measurement point (report/response.py)
    result[VIRTUAL] = {}
    return result


def internal(report: Report, limit: int | None = None, *, released: Sequence[Release] = ()) -> Report:
    """The internal view: unsuppressed, except other organisations' rows in the comparison."""
    limit = limit if limit is not None else threshold()
    # Only the comparison changes: copying the whole report (every participant's row) cost seconds.
    result: Report = {**report, "threshold": limit, "comparison": copy.deepcopy(report["comparison"])}
    tree = cast(dict[str, Any], result)
    comparison(tree["comparison"], limit, only_others=True)
    # Other organisations' hidden rows must not be recoverable from the totals beside them; only
    # the comparison (a copy) may hide more.
    if not released:
        ledger = disclosure.Ledger(tree, report, hideable=("comparison",), limit=limit)
        _comparison_relations(ledger, tree)
        ledger.protect()
    else:
        # With the shared reports that left (and other internal views' rows of others): an
        # adopter's unit hidden in its own shared report must not be shown or worked out here.
        trees: dict[str, Any] = {"internal": tree}
        truths: dict[str, Any] = {"internal": report}
        old = _add_released(trees, truths, released)
        ledger = disclosure.Ledger(
            trees, truths, hideable=("internal", "comparison"), limit=limit, merge=True, frozen=frozenset(old)
        )
        across(ledger, truths, {"internal": "internal"}, old, others=True)
        _released_between(ledger, truths, old, len(released))
        _comparison_relations(ledger.under(("internal",)), tree)
        for name in old:
            relations(ledger.under((name,)), trees[name])
            populations(ledger.under((name,)), trees[name], truths[name])
        ledger.protect()
    _comparison_statistics(tree)
    return result


# --- Relations between the report's counts, for disclosure.Ledger --------------------------------

ATTENDANCE_COUNTS = ("present", "absent", "excused", "recorded", "visitors")
COMPARED_SUMS = ("enrolled", "started", "completed", "present", "recorded")


Path = disclosure.Path


def relations(ledger: disclosure.Ledger, report: dict[str, Any]) -> None:
    """Every sum and order the report's shape defines, within and between its tables."""
    r, a = ("recruitment",), ("attendance",)
    recruitment = report["recruitment"]
    rows = [(*r, "segments", i) for i in range(len(recruitment["segments"]))]
    sources = [(*r, "referral_sources", i) for i in range(len(recruitment["referral_sources"]))]
    total = (*r, "total")
    for column in STAGE_COLUMNS:
        ledger.total([(*row, column) for row in rows], (*total, column))
        ledger.total([(*row, column) for row in sources], (*total, column))
    for row in [*rows, *sources, total]:
        for smaller, larger in itertools.pairwise(reversed(PATH_COLUMNS)):
            ledger.at_most((*row, smaller), (*row, larger))
    flow = recruitment["flow"]
    for i, step in enumerate(flow):
        here = (*r, "flow", i)
        ledger.relate({(*here, "n"): 1, (*total, step["step"]): -1})
        if i + 1 < len(flow):
            left = [(*here, "left", k, "n") for k in range(len(step["left"]))]
            ledger.relate(
                {(*here, "n"): 1, (*r, "flow", i + 1, "n"): -1, (*here, "in_progress"): -1} | dict.fromkeys(left, -1)
            )
    for k, stage in enumerate(EXIT_COLUMNS):
        ledger.total([(*r, "flow", i, "left", k, "n") for i, step in enumerate(flow) if step["left"]], (*total, stage))
    attendance = report["attendance"]
    meetings = [(*a, "meetings", i) for i in range(len(attendance["meetings"]))]
    numbers = [(*a, "by_number", i) for i in range(len(attendance["by_number"]))]
    for row in [*meetings, *numbers]:
        ledger.total([(*row, "present"), (*row, "absent"), (*row, "excused")], (*row, "recorded"))
    for i, row in enumerate(attendance["by_number"]):
        same = [
            m for m, meeting in zip(meetings, attendance["meetings"], strict=True) if meeting["number"] == row["number"]
        ]
        for key in ATTENDANCE_COUNTS:
            ledger.total([(*m, key) for m in same], (*numbers[i], key))
    summary = (*a, "summary")
    for key, total_key in (("present", "attended"), ("recorded", "offered"), ("visitors", "visitors")):
        ledger.total([(*m, key) for m in meetings], (*summary, total_key))
        ledger.total([(*m, key) for m in numbers], (*summary, total_key))
    ledger.total([(*a, "rate_bands", i, "n") for i in range(len(attendance["rate_bands"]))], (*summary, "starters"))
    ledger.relate({(*a, "dose", "of"): 1, (*summary, "starters"): -1})
    ledger.at_most((*a, "dose", "reached"), (*a, "dose", "of"))
    ledger.total(
        [(*a, "dropout_by_meeting", i, "n") for i in range(len(attendance["dropout_by_meeting"]))], (*a, "dropouts")
    )
    # Those who attended at all started, and those who left after a meeting attended (orders the
    # independent attacker of the tests wrote down and this list lacked).
    ledger.at_most((*summary, "starters"), (*total, "started"))
    ledger.at_most((*a, "dropouts"), (*summary, "starters"))
    _feedback_relations(ledger, report)
    _outcome_relations(ledger, report)
    _comparison_relations(ledger, report)
    _newer_relations(ledger, report)


EXIT_COLUMNS = ("declined", "not_reached", "dropped_out")


def _feedback_relations(ledger: disclosure.Ledger, report: dict[str, Any]) -> None:
    for v, version in enumerate(report["feedback"]):
        head = ("feedback", v)
        for key in ("anonymous", "at_meetings", "people"):
            ledger.at_most((*head, key), (*head, "responses"))
        for i, item in enumerate(version["items"]):
            here = (*head, "items", i)
            # An item's answers are at most the version's, its people at most its answers, and the
            # clusters of its interval between the two: a published people and responses of 5 gave
            # away a hidden n of 5 (found by the tests' attacker, which writes its own relations).
            ledger.at_most((*here, "n"), (*head, "responses"))
            ledger.at_most((*here, "people"), (*here, "n"))
            ledger.at_most((*here, "people"), (*here, "clusters"))
            ledger.at_most((*here, "clusters"), (*here, "n"))
            entries = item.get("distribution", [])
            cells = [(*here, "distribution", k, "n") for k in range(len(entries))]
            if item["type"] == "multiple_choice":
                for cell in cells:
                    ledger.at_most(cell, (*here, "n"))
            elif cells:
                ledger.total(cells, (*here, "n"))
            if "top_two" in item:
                top = sorted(range(len(entries)), key=lambda k: entries[k]["value"])[-2:]
                ledger.total([cells[k] for k in top], (*here, "top_two", "n"))


def _outcome_relations(ledger: disclosure.Ledger, report: dict[str, Any]) -> None:
    for v, instrument in enumerate(report["before_after"]):
        head = ("before_after", v)
        for s, score in enumerate(instrument["scores"]):
            groups = [(*head, "scores", s, "groups", g) for g in range(len(score["groups"]))]
            for group, data in zip(groups, score["groups"], strict=True):
                ledger.at_most((*group, "n"), (*head, "measured_people"))
                for key in ("rci", "clinical_change"):
                    counts = (data.get(key) or {}).get("counts") or {}
                    ledger.total([(*group, key, "counts", name) for name in counts], (*group, "n"))
            for smaller, larger in itertools.pairwise(reversed(groups)):
                ledger.at_most((*smaller, "n"), (*larger, "n"))


def _newer_relations(ledger: disclosure.Ledger, report: dict[str, Any]) -> None:
    """What people said, service use before and after and the response rates: the orders their
    definitions imply, within them and with the other tables (their counts also add up between a
    programme's reports: ``between``). Protected table by table only, a unit's hidden service-use
    pairs were worked out from the programme's by the tests' attacker (``attacker.read_newer``)."""
    total = ("recruitment", "total")
    said = report.get("qualitative")
    if said:
        head: Path = ("qualitative",)
        themes = [(*head, "themes", i) for i in range(len(said["themes"]))]
        mains = [t for t, theme in zip(themes, said["themes"], strict=True) if theme["parent"] is None]
        for t, theme in zip(themes, said["themes"], strict=True):
            ledger.at_most((*t, "people"), (*t, "excerpts"))
            ledger.at_most((*t, "people"), (*head, "people"))
            ledger.at_most((*t, "excerpts"), (*head, "excerpts"))
            main = [m for m, row in zip(themes, said["themes"], strict=True) if row["name"] == theme["parent"]]
            for m in main if theme["parent"] is not None else []:
                ledger.at_most((*t, "people"), (*m, "people"))
                ledger.at_most((*t, "excerpts"), (*m, "excerpts"))
        for key in ("people", "excerpts"):  # everyone and every excerpt is under some main theme
            _sum_at_least(ledger, report, [(*m, key) for m in mains], (*head, key))
        ledger.at_most((*head, "people"), (*head, "excerpts"))
    for v, use in enumerate(report.get("service_use", [])):
        head = ("service_use", v)
        for s, score in enumerate(use["scores"]):
            for g, group in enumerate(score["groups"]):
                here: Path = (*head, "scores", s, "groups", g)
                ledger.at_most((*here, "n"), (*head, "measured_people"))
                for key in ("rci", "clinical_change"):
                    counts = (group.get(key) or {}).get("counts") or {}
                    ledger.total([(*here, key, "counts", name) for name in counts], (*here, "n"))
    versions = {
        section: {version.get("name"): (section, v) for v, version in enumerate(report[section])}
        for section in ("feedback", "before_after")
    }
    for k, row in enumerate(report.get("response_rates", [])):
        here = ("response_rates", k)
        ledger.at_most((*here, "answered"), (*here, "due"))
        ledger.at_most((*here, "answered_invited"), (*here, "invited"))
        if not row["per_meeting"]:
            ledger.at_most((*here, "due"), (*total, "enrolled"))
        feedback = versions["feedback"].get(row["instrument"])
        if feedback is not None:
            ledger.at_most((*here, "answered"), (*feedback, "responses"))
            if not row["per_meeting"]:
                ledger.at_most((*here, "answered"), (*feedback, "people"))
        outcome = versions["before_after"].get(row["instrument"])
        if outcome is not None:
            ledger.at_most((*here, "answered"), (*outcome, "responses"))
            if row["when"] == "intake":
                ledger.at_most((*here, "answered"), (*outcome, "measured_people"))
            if row["when"] == "end":
                for s, score in enumerate(report["before_after"][outcome[1]]["scores"]):
                    for g, group in enumerate(score["groups"]):
                        if group["population"] != "itt":
                            ledger.at_most((*outcome, "scores", s, "groups", g, "n"), (*here, "answered"))


def _sum_at_least(ledger: disclosure.Ledger, tree: dict[str, Any], parts: list[Path], whole: Path) -> None:
    """``whole`` is at most the sum of ``parts``: their sum less it is a made-up cell, never shown
    (an overlap, at least 0), so that the ledger's equalities carry the order."""
    truth = disclosure.count_at(ledger.truth, ledger.prefix)
    values = [disclosure.count_at(truth, p) for p in (*parts, whole)]
    if not parts or not all(disclosure.is_count(v) for v in values):
        return
    key = "overlap " + " ".join(map(str, whole))
    cell = _virtual(ledger, tree, truth, key, sum(values[:-1]) - values[-1])
    tree[VIRTUAL][key] = SUPPRESSED
    ledger.statistics.add((*ledger.prefix, *cell))
    ledger.relate({**dict.fromkeys(parts, 1), whole: -1, cell: -1})


def _comparison_relations(ledger: disclosure.Ledger, report: dict[str, Any]) -> None:
    c = ("comparison",)
    units = report["comparison"]["units"]
    # Sites are not named on a unit's row; organisations are.
    for i, row in enumerate(report["comparison"]["organisations"]):
        members = [j for j, unit in enumerate(units) if unit["organisation"] == row["name"]]
        for column in COMPARED_SUMS:
            ledger.total([(*c, "units", j, column) for j in members], (*c, "organisations", i, column))
    for level in ("units", "sites", "organisations"):
        for i, _row in enumerate(report["comparison"][level]):
            row = (*c, level, i)
            ledger.at_most((*row, "completed"), (*row, "started"))
            ledger.at_most((*row, "started"), (*row, "enrolled"))
            ledger.at_most((*row, "present"), (*row, "recorded"))
    for i, row in enumerate(report["comparison"]["organisations"]):
        members = [j for j, unit in enumerate(units) if unit["organisation"] == row["name"]]
        for key in row["ratings"]:
            ledger.group_total(
                [(*c, "units", j, "ratings", key, "n") for j in members if key in units[j]["ratings"]],
                (*c, "organisations", i, "ratings", key, "n"),
            )
    everyone = range(len(units))
    # Sites and organisations group the same units: each level adds up to the same sums.
    for level in ("sites", "organisations"):
        for column in COMPARED_SUMS:
            rows = range(len(report["comparison"][level]))
            sums: disclosure.Relation = {(*c, "units", j, column): 1 for j in everyone}
            ledger.relate(sums | {(*c, level, i, column): -1 for i in rows})
    # A unit's row repeats its meetings' roll calls.
    meetings = report["attendance"]["meetings"]
    for j, unit in enumerate(units):
        own = [i for i, meeting in enumerate(meetings) if meeting.get("unit") == unit["name"]]
        if own:
            for key in ("present", "recorded"):
                ledger.total([("attendance", "meetings", i, key) for i in own], (*c, "units", j, key))
    for column in ("enrolled", "started", "completed"):
        ledger.total([(*c, "units", j, column) for j in everyone], ("recruitment", "total", column))
    ledger.total([(*c, "units", j, "present") for j in everyone], ("attendance", "summary", "attended"))
    ledger.total([(*c, "units", j, "recorded") for j in everyone], ("attendance", "summary", "offered"))


VIRTUAL = "_virtual"  # cells made up for relations, in the ledger's copies only


def _virtual(ledger: disclosure.Ledger, tree: dict[str, Any], truth: dict[str, Any], key: str, value: int) -> Path:
    tree[VIRTUAL][key] = value
    truth[VIRTUAL][key] = value
    return (VIRTUAL, key)


def populations(ledger: disclosure.Ledger, tree: dict[str, Any], truth: dict[str, Any]) -> None:
    """Made-up cells: each feedback item's sum of values and of squares, published with its mean
    and SD (the attacker's two moment equations, as relations between counts), and the
    difference of nested populations (final-survey respondents within starters, the people
    measured around the pairs), hidden when it is 1 … threshold − 1 people."""
    limit = ledger.limit
    for v, (version, true_version) in enumerate(zip(tree["feedback"], truth["feedback"], strict=True)):
        for i, (item, true_item) in enumerate(zip(version["items"], true_version["items"], strict=True)):
            entries = true_item.get("distribution", [])
            if item["type"] == "multiple_choice" or not entries or true_item.get("mean") is None:
                continue
            if not all(isinstance(e["value"], int) for e in entries):
                continue
            cells: list[Path] = [("feedback", v, "items", i, "distribution", k, "n") for k in range(len(entries))]
            for power, key, figure in ((1, "sum", "mean"), (2, "squares", "sd")):
                value = sum(int(e["value"]) ** power * e["n"] for e in entries)
                cell = _virtual(ledger, tree, truth, f"{key} {v} {i}", value)
                if not _shown(item.get(figure)) or not _shown(item.get("mean")) or hidden(item["n"]):
                    tree[VIRTUAL][cell[1]] = SUPPRESSED
                ledger.statistics.add((*ledger.prefix, *cell))
                coefficients = {c: int(e["value"]) ** power for c, e in zip(cells, entries, strict=True)}
                ledger.relate({**coefficients, cell: -1})
    for v, version in enumerate(truth["feedback"]):
        if version["anonymous"] == 0:
            _difference(ledger, tree, truth, ("recruitment", "total", "started"), ("feedback", v, "people"), limit)
    for section in ("before_after", "service_use"):
        for v, instrument in enumerate(truth.get(section, [])):
            for s, score in enumerate(instrument["scores"]):
                for g, _group in enumerate(score["groups"]):
                    _difference(
                        ledger,
                        tree,
                        truth,
                        (section, v, "measured_people"),
                        (section, v, "scores", s, "groups", g, "n"),
                        limit,
                    )


def _shown(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _difference(
    ledger: disclosure.Ledger, tree: dict[str, Any], truth: dict[str, Any], larger: Path, smaller: Path, limit: int
) -> None:
    """``larger`` − ``smaller`` is a group of people of its own: protected like a count when small."""
    a, b = disclosure.count_at(truth, larger), disclosure.count_at(truth, smaller)
    if not (disclosure.is_count(a) and disclosure.is_count(b)) or b > a:
        return
    key = "difference " + " ".join(map(str, (*larger, "-", *smaller)))
    cell = _virtual(ledger, tree, truth, key, a - b)
    if is_small(a - b, limit):
        tree[VIRTUAL][key] = SUPPRESSED
    ledger.fixed.add((*ledger.prefix, *cell))
    ledger.relate({larger: 1, smaller: -1, cell: -1})


# Lists of the report whose rows are the same row in a unit's report and the programme's, by this key.
ROW_KEYS: dict[str, tuple[str, ...]] = {
    "segments": ("segment",),
    "referral_sources": ("source",),
    "flow": ("step",),
    "left": ("stage",),
    "meetings": ("unit", "number", "date"),
    "by_number": ("number",),
    "rate_bands": ("low",),
    "dropout_by_meeting": ("number",),
    "feedback": ("instrument", "version"),
    "items": ("key",),
    "distribution": ("value",),
    "before_after": ("instrument", "version"),
    "scores": ("score",),
    "groups": ("population",),
    "units": ("name",),
    "sites": ("name",),
    "organisations": ("name",),
    "themes": ("name",),
    "service_use": ("service",),
    "response_rates": ("entry",),
}
COUNT_KEYS = frozenset(
    {
        *STAGE_COLUMNS,
        *ATTENDANCE_COUNTS,
        *VERSION_COUNTS,
        "n",
        "in_progress",
        "attended",
        "offered",
        "starters",
        "reached",
        "of",
        "dropouts",
        "measured_people",
        "clusters",
        "enrolled",
        "started",
        "completed",
        "excerpts",
        "due",
        "answered",
        "invited",
        "answered_invited",
    }
)
SECTIONS = ("recruitment", "attendance", "feedback", "before_after", "comparison")
# Sections a report may lack (report/types.py ``NotRequired``), linked between a programme's
# reports and with what left (the registry keeps their counts: releases.py) like the others.
NEWER = ("qualitative", "service_use", "response_rates")


def _sections(report: Any) -> dict[str, Any]:
    """The tables whose counts are linked between reports: every section the report has."""
    return {s: report[s] for s in (*SECTIONS, *NEWER) if s in report}


def _counts(node: Any, path: Path, key: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Path, bool]]:
    """Every count of a report: (its key, the same in every report of the set; its path; whether
    it is the size of a group whose statistics are published)."""
    if isinstance(node, dict):
        group = any(k in node for k in ("mean", "pre"))
        for name, value in node.items():
            here = (*path, name)
            if name == "counts" and isinstance(value, dict):  # reliable-change classes
                for k, count in value.items():
                    if disclosure.is_count(count):
                        yield (*key, name, k), (*here, k), False
            elif name in ROW_KEYS and isinstance(value, list):
                fields = ROW_KEYS[name]
                for i, row in enumerate(value):
                    if isinstance(row, dict) and all(f in row for f in fields):
                        yield from _counts(row, (*here, i), (*key, name, *(row[f] for f in fields)))
            elif isinstance(value, dict):
                yield from _counts(value, here, (*key, name))
            elif name in COUNT_KEYS and disclosure.is_count(value):
                yield (*key, name), here, group and name == "n"


def between(ledger: disclosure.Ledger, truths: dict[str, Any], whole: str, parts: list[str]) -> None:
    """The units' reports add up to the programme's, count by count, where the data says so (an
    answer given in two units, a person counted once: such relations do not hold and are left out)."""
    found: dict[tuple[Any, ...], list[Path]] = {}

    def sections(name: str) -> dict[str, Any]:
        return _sections(truths[name])

    for name in parts:
        for key, path, _group in _counts(sections(name), (name,), ()):
            found.setdefault(key, []).append(path)
    for key, path, group in _counts(sections(whole), (whole,), ()):
        if key in found:
            if len(found[key]) == 1:
                ledger.same(found[key][0], path)
            elif group:
                ledger.group_total(found[key], path)
            else:
                ledger.total(found[key], path)


# Keys whose count in a report is found anywhere the same: a meeting's roll call, a unit's row of the
# comparison (its own figures in the period, whoever's report shows it).
SCOPE_FREE = (("attendance", "meetings"), ("comparison", "units"))


def _additive(key: tuple[Any, ...]) -> bool:
    """Counts of events in the period (an enrolment by the day contacted, a meeting, an answer):
    the count over two periods that do not overlap is the sum of the two. People (starters, the
    people who answered, pairs) are not: one person may be in both."""
    section, last = key[0], key[-1]
    if section == "recruitment":
        return True
    if section == "attendance":
        return key[1] in ("meetings", "by_number") or (
            key[1] == "summary" and last in ("attended", "offered", "visitors")
        )
    if section == "feedback":
        return last in ("responses", "anonymous", "at_meetings", "n")
    if section == "comparison":
        return last in (*COMPARED_SUMS, "n")
    return False


def _period(report: Any) -> tuple[date, date]:
    filters = report.get("filters") or {}
    since, until = filters.get("since"), filters.get("until")
    return (date.fromisoformat(since) if since else date.min, date.fromisoformat(until) if until else date.max)


def _tiles(a: tuple[date, date], b: tuple[date, date], whole: tuple[date, date]) -> bool:
    """Periods ``a`` and ``b`` follow each other without overlap and make up ``whole``."""
    first, second = sorted((a, b))
    return (
        first[0] == whole[0]
        and second[1] == whole[1]
        and first[1] < date.max
        and first[1].toordinal() + 1 == second[0].toordinal()
    )


def across(
    ledger: disclosure.Ledger,
    truths: dict[str, Any],
    scopes: Mapping[str, str],
    old: Mapping[str, str],
    *,
    others: bool = False,
) -> None:
    """The new reports beside those that left before (``old``: name → scope). The same count of
    the same scope and period is one cell (a meeting's roll call and a unit's comparison row in any
    scope); an additive count of a period within another's is at most that one's; where a period is
    two others one after the other, its additive counts are their sums (January and February
    published beside January–February give February less January)."""
    if not old:
        return
    everything = {**scopes, **old}
    keyed = {
        name: {key: path for key, path, _group in _counts(_sections(truths[name]), (name,), ())} for name in everything
    }
    periods = {name: _period(truths[name]) for name in everything}

    def linked(a: str, b: str, key: tuple[Any, ...]) -> bool:
        return everything[a] == everything[b] or key[:2] in SCOPE_FREE

    # The new reports against those that left, and those that left against each other: a link
    # between two that left is knowledge too, which the new report's figures may complete (April–
    # September's meetings are January–June's; January–March beside January–June then gave away
    # April–September's hidden meeting-number total: the tests' attacker, three releases).
    pairs = [(new, before) for new in scopes for before in old] + list(itertools.combinations(old, 2))
    for new, before in pairs:
        a, b = periods[new], periods[before]
        for key, path in keyed[new].items():
            other = keyed[before].get(key)
            if other is None or not linked(new, before, key):
                continue
            if others and new not in old and not _of_others(truths, path):
                continue
            if a == b or key[:2] == SCOPE_FREE[0]:
                ledger.same(path, other)
            elif _additive(key) and b[0] >= a[0] and b[1] <= a[1]:
                ledger.at_most(other, path)
            elif _additive(key) and a[0] >= b[0] and a[1] <= b[1]:
                ledger.at_most(path, other)
    names = list(everything)
    for whole in names:
        for x, y in itertools.combinations([n for n in names if n != whole], 2):
            if not _tiles(periods[x], periods[y], periods[whole]):
                continue
            for key, path in keyed[whole].items():
                parts = [keyed[n][key] for n in (x, y) if key in keyed[n] and linked(n, whole, key)]
                if others and not all(p[0] in old or _of_others(truths, p) for p in (path, *parts)):
                    continue
                if _additive(key) and parts:
                    ledger.total(parts, path)
    segments(ledger, truths, everything, old, others=others)


SEGMENTS = disclosure.ZERO_ALLOWED  # the ledger's made-up stretches (``segments``)


def segments(
    ledger: disclosure.Ledger,
    truths: dict[str, Any],
    everything: Mapping[str, str],
    old: Mapping[str, str],
    *,
    others: bool = False,
) -> None:
    """Three or more periods of the same counts, overlapping in any way (January–June and
    April–September beside January–March): an additive count of a period is the sum of its counts
    over the stretches between every period's boundaries. The stretches are made-up cells (whole
    numbers of at least 0, never shown); their values in the data are not known here (no report
    was built for them), so any whole numbers adding up to every period's count stand for them.
    Pairs give orders only (``across``); with the stretches, every difference the periods allow
    is in the ledger: April–June is January–June less January–March, and April–September less
    that is July–September."""
    keyed = {
        name: {key: path for key, path, _group in _counts(_sections(truths[name]), (name,), ())} for name in everything
    }
    periods = {name: _period(truths[name]) for name in everything}
    groups: dict[tuple[Any, ...], list[tuple[str, Path]]] = {}
    for name in everything:
        for key, path in keyed[name].items():
            if not _additive(key) or key[:2] == SCOPE_FREE[0]:
                continue  # a meeting's roll call is the same in every period that holds its day
            if others and name not in old and not _of_others(truths, path):
                continue
            scope = "" if key[:2] in SCOPE_FREE else everything[name]
            groups.setdefault((scope, *key), []).append((name, path))
    problems = []
    for group, members in groups.items():
        spans = {periods[name] for name, _path in members}
        if len(spans) < 3:
            continue
        after = {end + timedelta(days=1) for _start, end in spans if end < date.max}
        points = sorted({start for start, _end in spans} | after)
        rows = [(path, [p for p in points if periods[name][0] <= p <= periods[name][1]]) for name, path in members]
        problems.append((group, rows))
    if not problems:
        return
    values = _stretches(problems, ledger.value)
    ledger.tree.setdefault(SEGMENTS, {})
    ledger.truth.setdefault(SEGMENTS, {})
    for group, rows in problems:
        if group not in values:
            continue  # the periods' counts are no sums of whole numbers: no such relation holds
        for path, points in rows:
            cells: list[Path] = []
            for point in points:
                cell = (SEGMENTS, f"{group} {point.isoformat()}")
                if cell[1] not in ledger.tree[SEGMENTS]:
                    ledger.tree[SEGMENTS][cell[1]] = SUPPRESSED
                    ledger.truth[SEGMENTS][cell[1]] = values[group][point]
                    ledger.statistics.add(cell)
                cells.append(cell)
            ledger.total(cells, path)


def _stretches(problems: list[tuple[Any, list[tuple[Path, list[date]]]]], value: Any) -> dict[Any, dict[date, int]]:
    """Whole numbers of at least 0 for each group's stretches adding up to each period's count:
    one integer program over all groups (each group's rows are intervals of its stretches, so the
    program is small and easy); a group without a solution is left out."""
    index: dict[tuple[Any, date], int] = {}
    rows, rhs = [], []
    for group, members in problems:
        for path, points in members:
            rows.append([index.setdefault((group, p), len(index)) for p in points])
            rhs.append(float(value(path)))
    at = [(r, c) for r, columns in enumerate(rows) for c in columns]
    matrix = csr_array((np.ones(len(at)), ([r for r, _ in at], [c for _, c in at])), shape=(len(rows), len(index)))
    found = milp(
        np.zeros(len(index)),
        constraints=[LinearConstraint(matrix, np.array(rhs), np.array(rhs))],
        bounds=Bounds(np.zeros(len(index)), np.full(len(index), np.inf)),
        integrality=np.ones(len(index)),
    )
    if found.status == 0:
        result: dict[Any, dict[date, int]] = {}
        for (group, point), i in index.items():
            result.setdefault(group, {})[point] = round(found.x[i])
        return result
    if len(problems) == 1:
        return {}
    return {k: v for problem in problems for k, v in _stretches([problem], value).items()}


def _of_others(truths: dict[str, Any], path: Path) -> bool:
    """Whether ``path`` is in another organisation's comparison row (the internal view's own rows
    are never linked to what left: they are shown in full there)."""
    if len(path) < 4 or path[1] != "comparison" or path[2] not in COMPARED_LEVELS:
        return False
    return not truths[str(path[0])]["comparison"][path[2]][path[3]]["own"]


def linked_statistics(report: dict[str, Any], internal: Any) -> None:
    """Withhold the statistics of hidden counts, so that a mean or share cannot solve for them."""
    summary = report["attendance"]["summary"]
    if hidden(summary["attended"]) or hidden(summary["offered"]):
        _hide(summary, ("rate",))
    if hidden(summary["starters"]):
        _hide(summary, ("median_rate", "q1_rate", "q3_rate"))
    dose = report["attendance"]["dose"]
    if hidden(dose["reached"]) or hidden(dose["of"]):
        _hide(dose, SHARE_KEYS)
    for version, truths in zip(report["feedback"], internal["feedback"], strict=True):
        for item, truth in zip(version["items"], truths["items"], strict=True):
            entries = [*item.get("distribution", []), *([item["top_two"]] if "top_two" in item else [])]
            for entry in entries:
                if hidden(entry["n"]):
                    _hide(entry, SHARE_KEYS)
            if hidden(item["n"]) or _moments_reveal(item, truth):
                item.setdefault("withheld", "derivable")
                _hide(item, SUMMARY_KEYS)
            if "clusters" in item and (hidden(item["n"]) or hidden(item["people"])):
                _hide(item, ("clusters",))  # at least the people, at most the answers
    for v, version in enumerate(report["feedback"]):
        for i, item in enumerate(version["items"]):
            # The ledger hid the item's sum of values (or of squares) so that no hidden count can
            # be worked out with it: the mean (or SD) goes, and with it the rest of the summary.
            if hidden(report[VIRTUAL].get(f"sum {v} {i}")) or hidden(report[VIRTUAL].get(f"squares {v} {i}")):
                item.setdefault("withheld", "derivable")
                _hide(item, SUMMARY_KEYS)
    for instrument in [*report["before_after"], *report.get("service_use", [])]:
        for score in instrument["scores"]:
            for group in score["groups"]:
                if hidden(group["n"]) and "withheld" not in group:
                    _withhold_group(group, "derivable")
    for row in report.get("response_rates", []):
        for count, of, share in (
            ("answered", "due", "share_of_due"),
            ("answered_invited", "invited", "share_of_invited"),
        ):
            if hidden(row[count]) or hidden(row[of]):
                row[share] = SUPPRESSED
    _comparison_statistics(report)


def _comparison_statistics(report: dict[str, Any]) -> None:
    for level in ("units", "sites", "organisations"):
        for row in report["comparison"][level]:
            if hidden(row["present"]) or hidden(row["recorded"]):
                _hide(row, ("attendance_rate",))
            for rating in row["ratings"].values():
                if hidden(rating["n"]):
                    rating.setdefault("withheld", "derivable")
                    _hide(rating, SUMMARY_KEYS)


def _moments_reveal(item: dict[str, Any], truth: dict[str, Any]) -> bool:
    """Whether the item's mean and SD would pin down a hidden count of its distribution: with n
    they are two more equations, Σ value·count = n·mean and Σ value²·count = (n−1)·SD² + n·mean²."""
    entries = item.get("distribution", [])
    hidden_at = [k for k, entry in enumerate(entries) if hidden(entry["n"])]
    mean = truth.get("mean")
    if not hidden_at or mean is None or item["type"] == "multiple_choice":
        return False
    n = truth["n"]
    second = (n - 1) * (truth.get("sd") or 0.0) ** 2 + n * mean**2
    one: disclosure.Path = ("one",)
    counts: dict[disclosure.Path, int] = {("cell", k): entry["n"] for k, entry in enumerate(truth["distribution"])}
    relations: list[disclosure.Relation] = [
        {**dict.fromkeys(counts, 1), one: -n},
        {**{("cell", k): int(e["value"]) for k, e in enumerate(entries)}, one: -round(n * mean)},
        {**{("cell", k): int(e["value"]) ** 2 for k, e in enumerate(entries)}, one: -round(second)},
    ]
    cells: list[disclosure.Path] = [("cell", k) for k in hidden_at]
    ranges = disclosure.solve(cells, relations, [], set(cells), lambda p: 1 if p == one else counts[p])
    return any(high - low < 0.5 for low, high in ranges.values())
