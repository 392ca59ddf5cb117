"""Geometry for the report's SVG charts; the templates in templates/evaluation/charts/ draw them.

Charts are drawn on the server from the report's numbers, so they work without JavaScript, in the
PDF, and under a Content-Security-Policy without inline styles: colours come from classes in
pilotti.css (CSS variables), with presentation attributes as the fallback WeasyPrint reads.
Suppressed values get no bar; each chart has a table with the same numbers beside it.
"""

from collections.abc import Mapping
from typing import Any

from pilotti.evaluation import summary
from pilotti.evaluation.report.types import FeedbackItem, FlowStep, Report

WIDTH = 640
BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 220


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def horizontal_bars(rows: list[tuple[str, Any, str]], maximum: float | None = None) -> dict[str, Any]:
    """(label, value, text shown at the bar's end) per row; bars scaled to ``maximum``."""
    values = [v for v in (_number(row[1]) for row in rows) if v is not None]
    top = maximum if maximum else max(values, default=0) or 1
    span = WIDTH - LABEL_WIDTH - 70
    bars = []
    for n, (label, value, text) in enumerate(rows):
        number = _number(value)
        y = n * (BAR_HEIGHT + GAP)
        bars.append(
            {
                "label": label,
                "text": text,
                "y": y,
                "text_y": y + BAR_HEIGHT * 0.7,
                "width": max(0.0, round(span * (number or 0) / top, 1)),
                "end": LABEL_WIDTH + 6 + max(0.0, round(span * (number or 0) / top, 1)),
                "missing": number is None,
            }
        )
    return {"width": WIDTH, "height": max(1, len(rows)) * (BAR_HEIGHT + GAP), "label_width": LABEL_WIDTH, "bars": bars}


def columns(values: list[tuple[str, Any]], height: int = 160) -> dict[str, Any]:
    """Vertical columns, e.g. people present at each meeting in order."""
    numbers = [v for v in (_number(value) for _label, value in values) if v is not None]
    top = max(numbers, default=0) or 1
    count = max(1, len(values))
    step = (WIDTH - 40) / count
    cols = []
    for n, (label, value) in enumerate(values):
        number = _number(value)
        h = round((height - 20) * (number or 0) / top, 1)
        cols.append(
            {
                "label": label,
                "x": round(30 + n * step, 1),
                "width": round(max(1.0, step * 0.75), 1),
                "y": round(height - h, 1),
                "height": h,
                "missing": number is None,
            }
        )
    return {"width": WIDTH, "height": height + 20, "baseline": height, "top": int(top), "columns": cols}


def flow(steps: list[FlowStep]) -> dict[str, Any]:
    """The CONSORT-style flow: a box per step, and beside it a box of who left before the next."""
    boxes: list[dict[str, Any]] = []
    box_height = 54
    row = box_height + 36
    for n, step in enumerate(steps):
        left: list[Mapping[str, Any]] = [entry for entry in step["left"] if entry["n"] != 0]
        if step.get("in_progress"):
            left.append({"label": None, "n": step["in_progress"]})
        y = n * row
        left_y = y + box_height + 2
        lines = [{**entry, "y": left_y + 20 + 18 * k} for k, entry in enumerate(left)]
        boxes.append(
            {
                "step": step,
                "y": y,
                "left": lines,
                "left_y": left_y,
                "line_y": left_y + 14,
                "left_height": 14 + 18 * len(left),
                "arrow_y": y + box_height,
                "last": n == len(steps) - 1,
            }
        )
    bottom = max([len(steps) * row - 36] + [int(b["left_y"]) + int(b["left_height"]) for b in boxes if b["left"]])
    return {"width": WIDTH, "height": bottom + 2, "box_height": box_height, "boxes": boxes}


def _share_text(entry: dict[str, Any]) -> str:
    share = entry.get("share")
    return f"{round(100 * share)} %" if isinstance(share, int | float) else ""


# Beyond this many rows the page and the PDF summarise; the JSON, CSV and XLSX keep every row.
# A national programme's 37 500 meetings and 30 000 participants as table rows made a page no one
# reads and a PDF WeasyPrint could not finish (docs/benchmarks.md).
MEETING_ROWS = 60
PARTICIPANT_ROWS = 200
UNIT_ROWS = 100
TEXT_ROWS = 50


def with_charts(report: Report) -> dict[str, Any]:
    """The report arranged for the page and the PDF: long lists summarised, chart geometry added
    (neither is part of the JSON). The report itself is left as it was."""
    import copy

    attendance, units = report["attendance"], report["comparison"]["units"]
    by_number = len(attendance["meetings"]) > MEETING_ROWS
    many_people = len(attendance["participants"]) > PARTICIPANT_ROWS
    result: dict[str, Any] = {
        **report,
        "attendance": {
            **attendance,
            "participants": [] if many_people else attendance["participants"],
            "participants_not_listed": len(attendance["participants"]) if many_people else 0,
        },
        "comparison": {
            **report["comparison"],
            "units": [] if len(units) > UNIT_ROWS else units,
            "units_not_listed": len(units) if len(units) > UNIT_ROWS else 0,
        },
        "feedback": [
            {**version, "items": [_newest_texts(item) for item in version["items"]]} for version in report["feedback"]
        ],
        "before_after": copy.deepcopy(report["before_after"]),
        "meetings_by_number": by_number,
    }
    if by_number:
        bars = [(str(row["number"]), row["present"]) for row in attendance["by_number"]]
    else:
        bars = [(f"{m['unit']} {m['number']}", m["present"]) for m in attendance["meetings"]]
    result["summary"] = summary.summarise(report)
    result["charts"] = {"flow": flow(report["recruitment"]["flow"]), "attendance": columns(bars)}
    for version in result["feedback"]:
        for item in version["items"]:
            if item.get("distribution"):
                item["chart"] = horizontal_bars(
                    [(str(e["label"]), e["share"], _share_text(e)) for e in item["distribution"]], maximum=1.0
                )
    for instrument in result["before_after"]:
        for score in instrument["scores"]:
            for group in score["groups"]:
                pre, post = group.get("pre"), group.get("post")
                if isinstance(pre, dict) and isinstance(post, dict):
                    group["chart"] = _before_after_bars(pre, post)
    return result


def _newest_texts(item: FeedbackItem) -> dict[str, Any]:
    """A copy of a feedback item with at most ``TEXT_ROWS`` written answers, the newest."""
    answers = item.get("answers")
    if not answers or len(answers) <= TEXT_ROWS:
        return {**item}
    return {**item, "answers": answers[-TEXT_ROWS:], "answers_not_shown": len(answers) - TEXT_ROWS}


def _before_after_bars(pre: dict[str, Any], post: dict[str, Any]) -> dict[str, Any]:
    """Two bars (mean before, mean after) with their confidence intervals as whiskers."""
    numbers = [
        v
        for v in (
            _number(pre.get("ci_high")),
            _number(post.get("ci_high")),
            _number(pre.get("mean")),
            _number(post.get("mean")),
        )
        if v is not None
    ]
    top = max(numbers, default=1) or 1
    chart = horizontal_bars(
        [("before", pre.get("mean"), _fmt(pre.get("mean"))), ("after", post.get("mean"), _fmt(post.get("mean")))],
        maximum=top,
    )
    span = WIDTH - LABEL_WIDTH - 70
    for bar, summary in zip(chart["bars"], (pre, post), strict=True):
        low, high = _number(summary.get("ci_low")), _number(summary.get("ci_high"))
        if low is not None and high is not None:
            bar["whisker"] = {
                "x1": LABEL_WIDTH + round(span * low / top, 1),
                "x2": LABEL_WIDTH + round(span * high / top, 1),
                "y": bar["y"] + BAR_HEIGHT / 2,
            }
    return chart


def _fmt(value: Any) -> str:
    number = _number(value)
    return "" if number is None else f"{number:.1f}"
