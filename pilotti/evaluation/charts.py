"""Geometry for the report's SVG charts; the templates in templates/evaluation/charts/ draw them.

Charts are drawn on the server from the report's numbers, so they work without JavaScript, in the
PDF, and under a Content-Security-Policy without inline styles: colours come from classes in
pilotti.css (CSS variables), with presentation attributes as the fallback WeasyPrint reads.
Suppressed values get no bar; each chart has a table with the same numbers beside it.
"""

from collections.abc import Mapping
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext

from pilotti.evaluation import summary
from pilotti.evaluation.report.types import FeedbackItem, FlowStep, Report

# Every chart is drawn on a 480-unit-wide canvas and shown at most 480 px wide on the page
# (pilotti.css) and 11 cm wide in the PDF (report_pdf.css), with its text at FONT units: 16 px on
# a computer, 12.5 px on a 390 px phone (374 px of content), 10.4 pt in the PDF. Readable text
# needs at least 12 px and 9 pt (tests/test_pdf.py measures both).
WIDTH = 480
FONT = 16
# Horizontal bars: the label on a line of its own above its bar, so a long label needs no room
# beside the bar and is not cut short; the value after the bar or its interval, never on it.
LABEL_LINE = 22
BAR_HEIGHT = 20
ROW = LABEL_LINE + BAR_HEIGHT + 12
VALUE_ROOM = 74
LABEL_CHARS = 52
# Columns: room for the axis numbers on the left and the axis title below.
AXIS = 40


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _missing(value: Any) -> str | None:
    """Why a value has no bar: withheld ("suppressed") or none at all; None when it has one."""
    if value == "suppressed":
        return "withheld"
    return "none" if _number(value) is None else None


def horizontal_bars(rows: list[tuple[str, Any, str]], maximum: float | None = None) -> dict[str, Any]:
    """(label, value, text shown after the bar) per row; bars scaled to ``maximum``."""
    values = [v for v in (_number(row[1]) for row in rows) if v is not None]
    top = maximum if maximum else max(values, default=0) or 1
    span = WIDTH - VALUE_ROOM
    bars = []
    for n, (label, value, text) in enumerate(rows):
        number = _number(value)
        y = n * ROW
        width = max(0.0, round(span * (number or 0) / top, 1))
        bars.append(
            {
                "label": label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…",
                "text": text,
                "label_y": y + FONT,
                "y": y + LABEL_LINE,
                "text_y": y + LABEL_LINE + BAR_HEIGHT * 0.5 + FONT * 0.35,
                "width": width,
                "end": round(width + 6, 1),
                "missing": _missing(value),
            }
        )
    return {"width": WIDTH, "height": max(1, len(rows)) * ROW, "font": FONT, "bar_height": BAR_HEIGHT, "bars": bars}


def columns(values: list[tuple[str, Any]], height: int = 160) -> dict[str, Any]:
    """Vertical columns, e.g. people present at each meeting in order."""
    numbers = [v for v in (_number(value) for _label, value in values) if v is not None]
    top = max(numbers, default=0) or 1
    count = max(1, len(values))
    step = (WIDTH - AXIS) / count
    cols = []
    for n, (label, value) in enumerate(values):
        number = _number(value)
        h = round((height - FONT) * (number or 0) / top, 1)
        cols.append(
            {
                "label": label,
                "x": round(AXIS + n * step, 1),
                "middle": round(AXIS + n * step + step * 0.375, 1),
                "width": round(max(1.0, step * 0.75), 1),
                "y": round(height - h, 1),
                "height": h,
                "missing": _missing(value),
            }
        )
    withheld = any(column["missing"] == "withheld" for column in cols)
    bottom = height + FONT + 10
    return {
        "width": WIDTH,
        "height": bottom + (FONT + 8 if withheld else 0) + 4,
        "font": FONT,
        "axis": AXIS,
        "baseline": height,
        "top": int(top),
        "top_y": FONT,
        "title_y": bottom,
        "legend_y": bottom + FONT + 8,
        "withheld": withheld,
        "columns": cols,
    }


def flow(steps: list[FlowStep]) -> dict[str, Any]:
    """The CONSORT-style flow: a box per step, and beside it a box of who left before the next."""
    boxes: list[dict[str, Any]] = []
    box_height = 60
    line = FONT + 6
    row = box_height + 40
    for n, step in enumerate(steps):
        left: list[Mapping[str, Any]] = [entry for entry in step["left"] if entry["n"] != 0]
        if step.get("in_progress"):
            left.append({"label": None, "n": step["in_progress"]})
        y = n * row
        left_y = y + box_height + 2
        lines = [{**entry, "y": left_y + 6 + line * (k + 1) - 4} for k, entry in enumerate(left)]
        boxes.append(
            {
                "step": step,
                "y": y,
                "left": lines,
                "left_y": left_y,
                "line_y": left_y + 14,
                "left_height": 12 + line * len(left),
                "arrow_y": y + box_height,
                "last": n == len(steps) - 1,
            }
        )
    bottom = max([len(steps) * row - 40] + [int(b["left_y"]) + int(b["left_height"]) for b in boxes if b["left"]])
    return {
        "width": WIDTH,
        "height": bottom + 2,
        "font": FONT,
        "box_width": 220,
        "middle": 110,
        "left_x": 240,
        "left_width": 238,
        "box_height": box_height,
        "boxes": boxes,
    }


def _share_text(entry: dict[str, Any]) -> str:
    share = entry.get("share")
    return f"{number_format(round(100 * share), 0, use_l10n=True)}\u00a0%" if isinstance(share, int | float) else ""


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
        [
            (gettext("Before"), pre.get("mean"), _fmt(pre.get("mean"))),
            (gettext("After"), post.get("mean"), _fmt(post.get("mean"))),
        ],
        maximum=top,
    )
    span = WIDTH - VALUE_ROOM
    for bar, measured in zip(chart["bars"], (pre, post), strict=True):
        low, high = _number(measured.get("ci_low")), _number(measured.get("ci_high"))
        if low is not None and high is not None:
            x2 = round(span * min(high, top) / top, 1)
            bar["whisker"] = {
                "x1": round(span * max(low, 0) / top, 1),
                "x2": x2,
                "y": bar["y"] + BAR_HEIGHT / 2,
            }
            # The value is written after the interval's end: a whisker never crosses it.
            bar["end"] = round(max(bar["end"], x2 + 6), 1)
    return chart


def _fmt(value: Any) -> str:
    """A mean as the tables write it: one decimal, the locale's decimal comma."""
    number = _number(value)
    return "" if number is None else number_format(number, 1, use_l10n=True)
