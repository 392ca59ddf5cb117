"""Measuring a laid-out PDF (WeasyPrint's layout tree): what sticks out of the page's content box."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from weasyprint.formatting_structure import boxes

# Rounding in the layout (the borders' half pixels) is not clipping.
TOLERANCE = 0.5


@dataclass(frozen=True)
class Overflow:
    page: int
    what: str
    right: float
    limit: float


def _descendants(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", []) or []:
        yield from _descendants(child)


def _text(box: Any) -> str:
    return " ".join(b.text for b in _descendants(box) if isinstance(b, boxes.TextBox))


def table_overflows(document: Any) -> list[Overflow]:
    """Every table, and every piece of text in a table, whose right edge passes the right edge of
    its page's content box (what the printer would cut off)."""
    found = []
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        limit = page_box.content_box_x() + page_box.width
        for box in _descendants(page_box):
            if not isinstance(box, boxes.TableBox):
                continue
            right = box.border_box_x() + box.border_width()
            if right > limit + TOLERANCE:
                found.append(Overflow(number, "table: " + _text(box)[:80], right, limit))
            for inner in _descendants(box):
                if isinstance(inner, boxes.TextBox):
                    edge = inner.position_x + inner.width
                    if edge > limit + TOLERANCE:
                        found.append(Overflow(number, "text: " + inner.text, edge, limit))
    return found


def tables(document: Any) -> list[tuple[int, str]]:
    """(page, the table's text) of every table fragment laid out."""
    return [
        (number, _text(box))
        for number, page in enumerate(document.pages, start=1)
        for box in _descendants(page._page_box)
        if isinstance(box, boxes.TableBox)
    ]


def split_rows(document: Any) -> list[str]:
    """The text of every body row laid out on more than one page (a row broken across pages);
    the heading row, repeated on each page by design, is not one."""
    pages_of: dict[int, set[int]] = {}
    text_of: dict[int, str] = {}
    for number, page in enumerate(document.pages, start=1):
        for group in _descendants(page._page_box):
            if not isinstance(group, boxes.TableRowGroupBox) or group.is_header or group.is_footer:
                continue
            for row in group.children:
                if row.element is not None:
                    pages_of.setdefault(id(row.element), set()).add(number)
                    text_of[id(row.element)] = _text(row)[:80]
    return [text_of[key] for key, pages in pages_of.items() if len(pages) > 1]
