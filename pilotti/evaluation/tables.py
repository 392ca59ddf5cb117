"""The report's tables as rows, for CSV (long format) and XLSX (a sheet per table).

Aggregate tables only: the same figures as the page, in the same view (a shared report's tables
carry its suppression). Per-person rows appear only in the internal view's attendance table,
under pseudonymous codes.
"""

import io
from collections.abc import Mapping
from datetime import date
from typing import Any

from openpyxl import Workbook

from pilotti.core.spreadsheets import csv_bytes, write_table
from pilotti.evaluation.report.types import Report
from pilotti.recruitment.selectors import FUNNEL_STAGES, NOW_STAGES

Table = tuple[list[str], list[list[Any]]]
STAGES = [*FUNNEL_STAGES, *NOW_STAGES]


def tables(report: Report) -> dict[str, Table]:
    result: dict[str, Table] = {}
    recruitment = report["recruitment"]
    result["recruitment_segments"] = (
        ["segment", "target", *STAGES],
        [
            ["(total)" if r is recruitment["total"] else r["segment"], r["target"], *_stages(r)]
            for r in [*recruitment["segments"], recruitment["total"]]
        ],
    )
    result["recruitment_sources"] = (
        ["referral_source", *STAGES],
        [[r["source"], *_stages(r)] for r in recruitment["referral_sources"]],
    )
    result["flow"] = (
        ["step", "n", "declined", "not_reached", "dropped_out", "in_progress"],
        [
            [s["step"], s["n"], *(e["n"] for e in s["left"]), s["in_progress"]]
            if s["left"]
            else [s["step"], s["n"], None, None, None, None]
            for s in recruitment["flow"]
        ],
    )
    attendance = report["attendance"]
    result["attendance_meetings"] = (
        ["unit", "number", "date", "present", "absent", "excused", "recorded", "visitors"],
        [
            [
                m["unit"],
                m["number"],
                _day(m["date"]),
                m["present"],
                m["absent"],
                m["excused"],
                m["recorded"],
                m["visitors"],
            ]
            for m in attendance["meetings"]
        ],
    )
    result["attendance_by_number"] = (
        ["number", "units", "present", "absent", "excused", "recorded", "visitors"],
        [
            [m["number"], m["meetings"], m["present"], m["absent"], m["excused"], m["recorded"], m["visitors"]]
            for m in attendance["by_number"]
        ],
    )
    result["attendance_rate_bands"] = (
        ["rate_from", "rate_below", "starters"],
        [[band["low"], band["high"], band["n"]] for band in attendance["rate_bands"]],
    )
    summary = {
        **attendance["summary"],
        **{f"dose_{k}": v for k, v in attendance["dose"].items()},
        "dropouts": attendance["dropouts"],
    }
    result["attendance_summary"] = (["figure", "value"], [[k, v] for k, v in summary.items()])
    if attendance["participants"]:
        result["attendance_participants"] = (
            ["code", "unit", "attended", "offered", "rate", "dropped_out"],
            [
                [p["code"], p["unit"], p["attended"], p["offered"], p["rate"], p["dropped_out"]]
                for p in attendance["participants"]
            ],
        )
    items, options = [], []
    for version in report["feedback"]:
        for item in version["items"]:
            items.append(
                [
                    version["instrument"],
                    version["version"],
                    item["key"],
                    item["type"],
                    item["n"],
                    item.get("mean"),
                    item.get("sd"),
                    item.get("ci_low"),
                    item.get("ci_high"),
                    item.get("min"),
                    item.get("max"),
                    item["people"],
                    item.get("ci_method"),
                ]
            )
            for entry in item.get("distribution", []):
                options.append(
                    [
                        version["instrument"],
                        version["version"],
                        item["key"],
                        entry["value"],
                        entry["label"],
                        entry["n"],
                        entry["share"],
                        entry["ci_low"],
                        entry["ci_high"],
                    ]
                )
    result["feedback_items"] = (
        [
            "instrument",
            "version",
            "item",
            "type",
            "n",
            "mean",
            "sd",
            "ci_low",
            "ci_high",
            "min",
            "max",
            "people",
            "ci_method",
        ],
        items,
    )
    result["feedback_options"] = (
        ["instrument", "version", "item", "value", "label", "n", "share", "ci_low", "ci_high"],
        options,
    )
    changes = []
    for instrument in report["before_after"]:
        for score in instrument["scores"]:
            for g in score["groups"]:
                pick = _picker(g)

                rci = g["rci"].get("counts") or {} if "rci" in g else {}
                changes.append(
                    [
                        instrument["instrument"],
                        instrument["version"],
                        score["score"],
                        g["population"],
                        g["n"],
                        *_paired_values(g),
                        pick("d_av", "g"),
                        pick("d_av", "ci_low"),
                        pick("d_av", "ci_high"),
                        rci.get("recovered"),
                        rci.get("improved"),
                        rci.get("unchanged"),
                        rci.get("deteriorated"),
                        *_issue_18_columns(instrument, g),
                    ]
                )
    result["before_after"] = (
        [
            "instrument",
            "version",
            "score",
            "population",
            "pairs",
            *_paired_columns("pre", "post"),
            "g_av",
            "g_av_ci_low",
            "g_av_ci_high",
            "recovered",
            "improved",
            "unchanged",
            "deteriorated",
            *ISSUE_18_COLUMNS,
        ],
        changes,
    )
    comparison = report["comparison"]
    for level in ("units", "sites", "organisations"):
        keys = [i["key"] for i in comparison["instruments"]]
        result[f"comparison_{level}"] = (
            [
                "name",
                "organisation",
                "enrolled",
                "started",
                "completed",
                "meetings_held",
                "attendance_rate",
                *(f"{k}_{part}" for k in keys for part in ("n", "mean", "ci_low", "ci_high")),
            ],
            [
                [
                    r["name"],
                    r["organisation"],
                    r["enrolled"],
                    r["started"],
                    r["completed"],
                    r["meetings_held"],
                    r["attendance_rate"],
                    *(_part(r["ratings"].get(k), part) for k in keys for part in ("n", "mean", "ci_low", "ci_high")),
                ]
                for r in comparison[level]
            ],
        )
    cost = report.get("cost")
    if cost is not None:
        result.update(_cost_tables(cost))
    result.update(_later_tables(report))
    return result


def _paired_columns(before: str, after: str) -> list[str]:
    """The columns of a paired comparison (``_paired_values``), its two sides named ``before`` and
    ``after``."""
    return [
        *(f"{side}_{part}" for side in (before, after) for part in ("mean", "sd")),
        *("change_mean", "change_ci_low", "change_ci_high", "t", "df", "p_t"),
        *("p_wilcoxon", "wilcoxon_method", "g_z", "g_z_ci_low", "g_z_ci_high"),
    ]


def _paired_values(group: Mapping[str, Any]) -> list[Any]:
    """A paired comparison's figures as the report holds them (``statistics.paired``), withheld
    parts empty."""
    pick = _picker(group)
    return [
        *(pick(side, part) for side in ("pre", "post") for part in ("mean", "sd")),
        *(pick("difference", part) for part in ("mean", "ci_low", "ci_high")),
        *(group.get(key) for key in ("t", "df", "p_t")),
        pick("wilcoxon", "p"),
        pick("wilcoxon", "method"),
        *(pick("d_z", part) for part in ("g", "ci_low", "ci_high")),
    ]


SERVICE_USE_COLUMNS = [
    "service",
    "name",
    "period_months",
    "measured",
    "population",
    "pairs",
    "withheld",
    *_paired_columns("before", "after"),
]


def _later_tables(report: Report) -> dict[str, Table]:
    """What participants changed (the client council), service use before and after, what people
    said and the response rates (docs/evaluation.md): the figures of the page, in its view (the
    shared report's are suppressed by the same step as the page's)."""
    result: dict[str, Table] = {}
    council = report.get("council")
    if council is not None:
        by_meeting: dict[tuple[str, str], list[int]] = {}
        for item in council["items"]:
            counts = by_meeting.setdefault((item["meeting_on"], item["unit"]), [0, 0, 0, 0])
            counts[0] += 1
            counts[1] += item["decision"] == "accepted"
            counts[2] += item["decision"] == "declined"
            counts[3] += bool(item["done_on"])
        result["council"] = (
            ["meeting_on", "unit", "suggestions", "accepted", "declined", "done"],
            [
                *([_day(day), unit, *counts] for (day, unit), counts in sorted(by_meeting.items())),
                ["(total)", None, council["suggestions"], council["accepted"], council["declined"], council["done"]],
            ],
        )
        result["council_suggestions"] = (
            ["meeting_on", "unit", "suggestion", "decision", "decision_text", "decided_on", "action", "done_on"],
            [
                [
                    _day(item["meeting_on"]),
                    item["unit"],
                    item["suggestion"],
                    item["decision"],
                    item["decision_text"],
                    _day(item["decided_on"]),
                    item["action"],
                    _day(item["done_on"]),
                ]
                for item in council["items"]
            ],
        )
    uses = report.get("service_use")
    if uses is not None:
        rows = []
        for use in uses:
            for score in use["scores"]:
                for group in score["groups"]:
                    rows.append(
                        [
                            use["service"],
                            use["name"],
                            use["period_months"],
                            use["measured_people"],
                            group["population"],
                            group["n"],
                            group.get("withheld"),
                            *_paired_values(group),
                        ]
                    )
        result["service_use"] = (SERVICE_USE_COLUMNS, rows)
    said = report.get("qualitative")
    if said is not None:
        result["qualitative_themes"] = (
            ["theme", "main_theme", "people", "excerpts"],
            [
                *([t["name"], t["parent"], t["people"], t["excerpts"]] for t in said["themes"]),
                ["(all)", None, said["people"], said["excerpts"]],
            ],
        )
    rates = report.get("response_rates")
    if rates is not None:
        result["response_rates"] = (
            [
                "instrument",
                "when",
                "follow_up_weeks",
                "per_meeting",
                "due",
                "answered",
                "share_of_due",
                "invited",
                "answered_invited",
                "share_of_invited",
            ],
            [
                [
                    r["instrument"],
                    r["when"],
                    r["follow_up_weeks"],
                    r["per_meeting"],
                    r["due"],
                    r["answered"],
                    r["share_of_due"],
                    r["invited"],
                    r["answered_invited"],
                    r["share_of_invited"],
                ]
                for r in rates
            ],
        )
    return result


def _cost_tables(cost: Mapping[str, Any]) -> dict[str, Table]:
    """Cost per result (docs/evaluation.md): the figures, what they are made of, and per unit."""
    figures: list[list[Any]] = [
        ["total", None, cost["total"], None, None],
        ["per_started", cost["per_started"]["n"], cost["per_started"]["amount"], None, None],
        ["per_completer", cost["per_completer"]["n"], cost["per_completer"]["amount"], None, None],
    ]
    for row in cost["per_improved"]:
        figures.append([f"per_improved_known:{row['instrument']}", row["improved"], row["observed"], None, None])
        figures.append(
            [
                f"per_improved_estimate:{row['instrument']}",
                row["starters"],
                row["estimate"],
                row["ci_low"],
                row["ci_high"],
            ]
        )
    marginal = cost["marginal_unit"]
    figures.append(["one_more_unit", marginal["units"], marginal["mean"], marginal["low"], marginal["high"]])
    made_of = [[c["category"], "", c["hours"], c["amount"]] for c in cost["categories"]]
    made_of += [
        ["staff" if s["role"] != "interpreter" else "interpreter", s["role"], s["hours"], s["amount"]]
        for s in cost["staff"]
    ]
    return {
        "cost": (["figure", "n", "euros", "ci_low", "ci_high"], figures),
        "cost_made_of": (["category", "role", "hours", "euros"], made_of),
        "cost_units": (
            ["unit", "organisation", "meetings_held", "euros"],
            [[u["unit"], u["organisation"], u["meetings_held"], u["amount"]] for u in cost["units"]],
        ),
    }


def _stages(row: Mapping[str, Any]) -> list[Any]:
    return [row[stage] for stage in STAGES]


# Labels of the before/after (docs/evaluation.md, Before and after): primary or secondary, how
# baseline and end were chosen, the test's direction, the intervals' kind and why an effect size
# is not given, which SD reliable change used, and the clinically relevant change on its own.
ISSUE_18_COLUMNS = (
    "outcome",
    "pairing",
    "wilcoxon_alternative",
    "g_z_interval",
    "g_z_not_given",
    "g_av_interval",
    "g_av_not_given",
    "rci_method",
    "rci_sd_source",
    "rci_sd",
    "rci_threshold",
    "clinical_points",
    "clinical_recovered",
    "clinical_improved",
    "clinical_unchanged",
    "clinical_deteriorated",
)


def _issue_18_columns(instrument: Mapping[str, Any], group: Mapping[str, Any]) -> list[Any]:
    pick = _picker(group)
    rci = group.get("rci") or {}
    clinical = group.get("clinical_change") or {}
    counts = clinical.get("counts") or {}
    return [
        instrument.get("outcome"),
        instrument.get("pairing"),
        pick("wilcoxon", "alternative"),
        pick("d_z", "interval"),
        pick("d_z", "not_interpretable"),
        pick("d_av", "interval"),
        pick("d_av", "not_interpretable"),
        rci.get("method"),
        rci.get("sd_source"),
        rci.get("sd"),
        rci.get("threshold"),
        clinical.get("points"),
        counts.get("recovered"),
        counts.get("improved"),
        counts.get("unchanged"),
        counts.get("deteriorated"),
    ]


def _picker(group: Mapping[str, Any]) -> Any:
    def pick(key: str, sub: str) -> Any:
        value = group.get(key)
        return value.get(sub) if isinstance(value, dict) else None

    return pick


def _part(rating: Mapping[str, Any] | None, key: str) -> Any:
    return None if rating is None else rating.get(key)


def _day(value: Any) -> Any:
    """The report holds its days as ISO text (it is JSON); the files hold them as dates."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def as_csv(report: Report, *, finnish: bool = False) -> bytes:
    """Long format: one line per cell, table · row · column · value; through the guarded writer
    (byte-order mark, texts starting with = + - @ as text). ``finnish``: "Excel (suomi)"."""
    rows = [
        [report["view"], name, number, column, value]
        for name, (header, table_rows) in tables(report).items()
        for number, row in enumerate(table_rows, start=1)
        for column, value in zip(header, row, strict=True)
    ]
    return csv_bytes(["view", "table", "row", "column", "value"], rows, finnish=finnish)


def as_xlsx(report: Report) -> bytes:
    """A sheet per table, the view and filters on the first; every sheet through the guarded
    writer, its header frozen and filterable, days as dates."""
    book = Workbook()
    about = book.create_sheet("report", 0)
    book.remove(book.worksheets[1])  # the empty default sheet
    about_rows: list[list[Any]] = [
        ["programme", report["programme"]["slug"]],
        ["view", report["view"]],
        ["threshold", report.get("threshold")],
        *([key, _day(value)] for key, value in report["filters"].items()),
    ]
    write_table(about, ["figure", "value"], about_rows)
    for name, (header, rows) in tables(report).items():
        sheet = book.create_sheet(name[:31])
        write_table(
            sheet, header, ([value if not isinstance(value, bool) else int(value) for value in row] for row in rows)
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
