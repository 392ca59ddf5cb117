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
import itertools
from collections.abc import Iterable
from typing import Any, cast

from django.conf import settings

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
    for key in keys:
        if key in entry and entry[key] is not None:
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


def feedback(data: list[dict[str, Any]], limit: int) -> None:
    for version in data:
        if is_small(version["people"], limit):
            version["people"] = SUPPRESSED
        for item in version["items"]:
            n = item["n"]
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
)


def before_after(data: list[dict[str, Any]], limit: int) -> None:
    for instrument in data:
        for key in ("people", "measured_people"):
            if is_small(instrument.get(key), limit):
                instrument[key] = SUPPRESSED
        for score in instrument["scores"]:
            for group in score["groups"]:
                n = group["n"]
                if n < limit:
                    for key in GROUP_RESULTS:
                        group.pop(key, None)
                    group.pop("rci", None)
                    group["n"] = SUPPRESSED if n else 0
                    continue
                rci = group.get("rci")
                if rci and rci.get("counts"):
                    names = list(rci["counts"])
                    cells, _ = additive([rci["counts"][name] for name in names], n, limit)
                    rci["counts"] = dict(zip(names, cells, strict=True))


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
        _summary(rating, rating["n"], limit)
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
    limit = limit if limit is not None else threshold()
    # The rules walk the report by its declared key names and replace values with SUPPRESSED or
    # drop keys the contract marks NotRequired: they work on the plain tree, which stays a Report.
    result = cast(dict[str, Any], copy.deepcopy(report))
    result["view"] = "shared"
    result["threshold"] = limit
    recruitment(result["recruitment"], limit)
    attendance(result["attendance"], limit)
    feedback(result["feedback"], limit)
    before_after(result["before_after"], limit)
    comparison(result["comparison"], limit)
    return cast(Report, result)


def internal(report: Report, limit: int | None = None) -> Report:
    """The internal view: unsuppressed, except other organisations' rows in the comparison."""
    limit = limit if limit is not None else threshold()
    # Only the comparison changes: copying the whole report (every participant's row) cost seconds.
    result: Report = {**report, "threshold": limit, "comparison": copy.deepcopy(report["comparison"])}
    comparison(cast(dict[str, Any], result["comparison"]), limit, only_others=True)
    return result
