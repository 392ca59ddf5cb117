"""Paper answers in bulk: an XLSX template per questionnaire and delivery unit, and its import.

The template lists the unit's participants by pseudonymous code, one column per item with the
allowed values explained and, where a list is possible, Excel's data validation. A filled
template is imported all or nothing: every row is checked first, any error saves nothing, and
each answer is then saved through ``services.paper_record`` (marked as paper, access-logged,
followed by the measurement plan's safety checks).
"""

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from pilotti.accounts.models import User
from pilotti.core import uploads
from pilotti.core.spreadsheets import append_row
from pilotti.instruments.fileformat import MAX_ITEMS
from pilotti.instruments.models import InstrumentVersion
from pilotti.instruments.scoring import AnswerValue, Problem, problems
from pilotti.instruments.spec import ItemSpec, ItemType, VersionSpec, text_in
from pilotti.organisations.viewer import Viewer
from pilotti.people.models import HouseholdMember, Participant
from pilotti.programmes.models import DeliveryUnit
from pilotti.recruitment.models import Enrolment
from pilotti.surveys import questionnaire, selectors, services

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
ANSWERS_SHEET = "answers"
INSTRUCTIONS_SHEET = "instructions"
# A hidden sheet names the questionnaire version and the unit, so a template cannot be
# imported into another unit or against another version of the questionnaire.
KEY_SHEET = "pilotti"
FIXED_COLUMNS = ["code", "answered_on", "language"]
HEADER_ROWS = 2  # the column keys, then what each column takes
MAX_COLUMNS = len(FIXED_COLUMNS) + MAX_ITEMS


class ImportFileError(Exception):
    """The file cannot be read as this template: nothing in it was looked at further."""


@dataclass
class PaperRow:
    number: int  # the spreadsheet's row number, as the person sees it
    participant: Participant
    answered_on: date
    language: str
    answers: dict[str, AnswerValue]


def participants_of_unit(viewer: Viewer, unit: DeliveryUnit) -> QuerySet[Participant]:
    """The unit's participants (enrolled alone or with their household) the viewer may type paper answers in for."""
    enrolments = Enrolment.objects.filter(unit=unit)
    via_household = HouseholdMember.objects.filter(
        household__in=enrolments.filter(household__isnull=False).values("household_id"), participant__isnull=False
    ).values("participant_id")
    direct = enrolments.filter(participant__isnull=False).values("participant_id")
    return (
        selectors.participants_for_answers(viewer).filter(Q(pk__in=direct) | Q(pk__in=via_household)).order_by("code")
    )


def _allowed(item: ItemSpec, language: str) -> str:
    """What a column takes, in words, for the template's second header row and error messages."""
    if item.type in ItemType.WITH_OPTIONS:
        labels = "; ".join(f"{o.value} = {text_in(o.label, language)}" for o in item.options)
        if item.type == ItemType.MULTIPLE_CHOICE:
            example = ";".join(str(o.value) for o in item.options[:2])
            return _("one or more of %(options)s, separated by semicolons, e.g. %(example)s") % {
                "options": labels,
                "example": example,
            }
        return _("one of %(options)s") % {"options": labels}
    if item.type == ItemType.SCALE and item.value_range:
        low, high = item.value_range
        ends = [text_in(item.min_label, language), text_in(item.max_label, language)]
        words = f" ({int(low)} = {ends[0]}, {int(high)} = {ends[1]})" if all(ends) else ""
        return _("a whole number %(low)d–%(high)d") % {"low": low, "high": high} + words
    if item.type == ItemType.NUMBER:
        if item.value_range:
            return _("a number %(low)s–%(high)s") % {
                "low": f"{item.value_range[0]:g}",
                "high": f"{item.value_range[1]:g}",
            }
        return _("a number")
    if item.type == ItemType.DATE:
        return _("a date, e.g. 2025-03-31")
    return _("free text")


def _example(item: ItemSpec) -> Any:
    if item.type == ItemType.MULTIPLE_CHOICE and item.options:
        return ";".join(str(o.value) for o in item.options[:2])
    if item.type in ItemType.WITH_OPTIONS and item.options:
        return item.options[0].value
    if item.value_range:
        return int(item.value_range[0]) if item.type == ItemType.SCALE else item.value_range[0]
    if item.type == ItemType.DATE:
        return "2025-03-31"
    if item.type == ItemType.NUMBER:
        return 1
    return _("Text as written on the form")


def _validation(item: ItemSpec) -> DataValidation | None:
    if item.type == ItemType.SINGLE_CHOICE and item.options:
        values = ",".join(str(o.value) for o in item.options)
        return DataValidation(type="list", formula1=f'"{values}"', allow_blank=True)
    if item.type == ItemType.SCALE and item.value_range:
        low, high = item.value_range
        return DataValidation(
            type="whole", operator="between", formula1=str(int(low)), formula2=str(int(high)), allow_blank=True
        )
    if item.type == ItemType.NUMBER and item.value_range:
        low, high = item.value_range
        return DataValidation(
            type="decimal", operator="between", formula1=f"{low:g}", formula2=f"{high:g}", allow_blank=True
        )
    return None


def template_xlsx(
    *, version: InstrumentVersion, spec: VersionSpec, unit: DeliveryUnit, codes: Sequence[str], language: str
) -> bytes:
    items = questionnaire.offered_items(spec, anonymous=False)
    languages = list(spec.languages) or ["fi"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = ANSWERS_SHEET
    append_row(sheet, [*FIXED_COLUMNS, *(item.key for item in items)])
    append_row(
        sheet,
        [
            _("participant code (do not change)"),
            _("date on the form, e.g. 2025-03-31"),
            _("language of the form: %(languages)s") % {"languages": ", ".join(languages)},
            *(f"{text_in(item.text, language, item.key)} — {_allowed(item, language)}" for item in items),
        ],
    )
    for code in codes:
        append_row(sheet, [code])
    last = HEADER_ROWS + max(len(codes), 1) + 50
    # Multiple choices and free text are typed into cells formatted as text, so that Excel does
    # not read "1;3" or "1,3" as a number (Finnish Excel makes 1,3 the decimal 1.3) or a date.
    for index, item in enumerate(items, start=len(FIXED_COLUMNS) + 1):
        if item.type in (ItemType.MULTIPLE_CHOICE, ItemType.FREE_TEXT):
            for row in range(HEADER_ROWS + 1, last + 1):
                sheet.cell(row=row, column=index).number_format = "@"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet[2]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B3"
    for index in range(1, len(FIXED_COLUMNS) + len(items) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 14 if index <= len(FIXED_COLUMNS) else 24
    checks = [
        (2, DataValidation(type="date", operator="greaterThan", formula1="DATE(2000,1,1)", allow_blank=True)),
        (3, DataValidation(type="list", formula1='"{}"'.format(",".join(languages)), allow_blank=True)),
    ]
    checks += [(len(FIXED_COLUMNS) + i + 1, v) for i, item in enumerate(items) if (v := _validation(item)) is not None]
    for column, validation in checks:
        validation.error = _("Not an allowed value: see the second row of this column.")
        validation.showErrorMessage = True
        letter = get_column_letter(column)
        validation.add(f"{letter}{HEADER_ROWS + 1}:{letter}{last}")
        sheet.add_data_validation(validation)

    guide = workbook.create_sheet(INSTRUCTIONS_SHEET)
    title = text_in(spec.title, language, version.instrument.name)
    for line in [
        [_("Paper answers: %(questionnaire)s, %(unit)s") % {"questionnaire": title, "unit": unit.name}],
        [_("1. On the sheet “answers”, fill in one row per paper form: the date on the form and each answer.")],
        [_("2. Leave a row empty if the person gave no form; leave a cell empty for a question left blank.")],
        [_("3. Do not change the codes, the first two rows or the column order. Each person at most once.")],
        [
            _(
                "Several choices in one cell: separate them with semicolons, e.g. 1;3. Type values, "
                "not formulas: a cell with a formula or an error such as #VALUE! is refused."
            )
        ],
        [
            _(
                "4. Upload the file on the unit's page. A file with any error saves nothing: "
                "fix the listed rows and upload again."
            )
        ],
        [],
        [_("Example")],
        [*FIXED_COLUMNS, *(item.key for item in items)],
        ["ABC-123", "2025-03-31", languages[0], *(_example(item) for item in items)],
    ]:
        append_row(guide, line)
    guide["A1"].font = Font(bold=True)
    guide["A8"].font = Font(bold=True)

    key = workbook.create_sheet(KEY_SHEET)
    append_row(key, ["version", str(version.uuid)])
    append_row(key, ["unit", str(unit.uuid)])
    key.sheet_state = "hidden"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read_rows(content: bytes) -> tuple[dict[str, str], list[tuple[Any, ...]]]:
    """The hidden key sheet and the answer sheet's rows, read safely (the upload's size is checked by
    the form with pilotti.core.uploads; here the unpacked size and the rows are bounded)."""
    if not content.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            _("This is not an Excel workbook (.xlsx). Download the template, fill it in and save it as .xlsx.")
        )
    unreadable = _("The workbook cannot be read. Save it again as .xlsx and upload it again.")
    try:
        uploads.check_xlsx(content)
        # Formulas as formulas (data_only=False): a cell whose answer a formula computed is refused,
        # not stored as the value the spreadsheet last showed.
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except ValidationError as error:
        raise ImportFileError(unreadable if error.code == "not_xlsx" else error.messages[0]) from error
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportFileError(unreadable) from error
    try:
        if KEY_SHEET not in workbook.sheetnames or ANSWERS_SHEET not in workbook.sheetnames:
            raise ImportFileError(
                _("This workbook is not a Pilotti paper-answer template. Download the template for this unit.")
            )
        key = {str(row[0]): str(row[1]) for row in workbook[KEY_SHEET].iter_rows(max_col=2, values_only=True) if row[0]}
        rows: list[tuple[Any, ...]] = []
        # No wider than a questionnaire can be: openpyxl pads every row to the width the file
        # declares (16 384 columns would make 2 000 rows take a quarter of a gigabyte).
        for row in workbook[ANSWERS_SHEET].iter_rows(max_col=MAX_COLUMNS):
            rows.append(tuple(_cell_value(cell) for cell in row))
            if len(rows) > MAX_ROWS + HEADER_ROWS:
                raise ImportFileError(_("The file has more than %(n)d rows.") % {"n": MAX_ROWS})
    finally:
        workbook.close()
    return key, rows


@dataclass(frozen=True)
class BadCell:
    """A cell holding a formula or a spreadsheet error instead of a typed value."""

    written: str
    formula: bool


def _cell_value(cell: Any) -> Any:
    if cell.data_type == "f":
        return BadCell(str(cell.value), formula=True)
    if cell.data_type == "e" or (isinstance(cell.value, str) and cell.value.strip() in ERROR_CODES):
        return BadCell(str(cell.value), formula=False)
    return cell.value


def _bad_cells(where: str, cells: Sequence[Any], expected: Sequence[str]) -> list[str]:
    """Each formula or error cell of a row, named by its column letter and key."""
    found = []
    for index, cell in enumerate(cells):
        if not isinstance(cell, BadCell):
            continue
        column = get_column_letter(index + 1)
        name = f"{column} ({expected[index]})" if index < len(expected) else column
        problem = (
            _("holds a formula (%(formula)s): type the value itself") % {"formula": cell.written}
            if cell.formula
            else _("holds the spreadsheet error %(error)s: type the value itself") % {"error": cell.written}
        )
        message = _("%(where)s, column %(column)s: %(problem)s")
        found.append(message % {"where": where, "column": name, "problem": problem})
    return found


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, BadCell):
        return value.written
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _value(item: ItemSpec, cell: Any) -> AnswerValue:
    """A cell as the answer shape ``scoring`` takes; what does not parse is kept as written."""
    if cell is None or _text(cell) == "":
        return None
    if item.type == ItemType.DATE:
        if isinstance(cell, datetime):
            return cell.date()
        try:
            return date.fromisoformat(_text(cell))
        except ValueError:
            return _text(cell)
    if item.type == ItemType.MULTIPLE_CHOICE:
        # Semicolons as the template asks; commas and spaces as people also type.
        parts = [p for p in re.split(r"[;,\s]+", _text(cell)) if p]
        return [int(p) for p in parts] if all(p.lstrip("-").isdigit() for p in parts) else _text(cell)
    if item.type == ItemType.FREE_TEXT:
        return _text(cell)[:5000]
    return _text(cell)


def _message(item: ItemSpec, written: str, problem: str, language: str) -> str:
    if problem == Problem.NOT_A_DATE:
        return _("'%(value)s' is not a date such as 2025-03-31") % {"value": written}
    if item.type in ItemType.WITH_OPTIONS:
        values = ", ".join(str(o.value) for o in item.options)
        return _("'%(value)s' is not one of %(values)s") % {"value": written, "values": values}
    if item.value_range:
        low, high = item.value_range
        return _("'%(value)s' is not one of %(low)s–%(high)s") % {
            "value": written,
            "low": f"{low:g}",
            "high": f"{high:g}",
        }
    return _("'%(value)s' is not %(allowed)s") % {"value": written, "allowed": _allowed(item, language)}


def _date(cell: Any) -> date | None:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    try:
        return date.fromisoformat(_text(cell))
    except ValueError:
        return None


def parse(
    *,
    content: bytes,
    version: InstrumentVersion,
    spec: VersionSpec,
    unit: DeliveryUnit,
    participants: QuerySet[Participant],
    language: str,
) -> tuple[list[PaperRow], list[str]]:
    """The rows to save, and every error found as "row N, item M (key): …"; nothing is saved here."""
    key, rows = read_rows(content)
    if key.get("version") != str(version.uuid) or key.get("unit") != str(unit.uuid):
        raise ImportFileError(
            _("This template is for another questionnaire, version or unit. Download the template for this one.")
        )
    items = questionnaire.offered_items(spec, anonymous=False)
    header = [_text(cell) for cell in (rows[0] if rows else ())]
    expected = [*FIXED_COLUMNS, *(item.key for item in items)]
    if header[: len(expected)] != expected:
        raise ImportFileError(_("The columns of the sheet “answers” were changed. Use the template as downloaded."))
    by_code = {p.code: p for p in participants}
    languages = list(spec.languages) or ["fi"]
    today = timezone.localdate()
    parsed: list[PaperRow] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[HEADER_ROWS:], start=HEADER_ROWS + 1):
        cells = list(row) + [None] * (len(expected) - len(row))
        if all(_text(cell) == "" for cell in cells[1:]):
            continue  # a participant who gave no paper form
        code = _text(cells[0])
        where = _("row %(row)d") % {"row": number}
        bad = _bad_cells(where, cells, expected)
        if bad:
            errors += bad
            if any(isinstance(cell, BadCell) for cell in cells[: len(FIXED_COLUMNS)]):
                continue  # no code, date or language to check the rest against
            # The row's other cells are still checked, so that every problem is listed at once.
            cells = [None if isinstance(cell, BadCell) else cell for cell in cells]
        participant = by_code.get(code)
        if participant is None:
            errors.append(
                _("%(where)s: '%(code)s' is not the code of a participant of this unit")
                % {"where": where, "code": code}
            )
            continue
        if code in seen:
            errors.append(
                _("%(where)s: %(code)s is already on row %(first)d")
                % {"where": where, "code": code, "first": seen[code]}
            )
            continue
        seen[code] = number
        answered_on = _date(cells[1])
        if answered_on is None or answered_on > today:
            errors.append(
                _("%(where)s, answered_on: '%(value)s' is not a date such as 2025-03-31, today or earlier")
                % {"where": where, "value": _text(cells[1])}
            )
        form_language = _text(cells[2]) or languages[0]
        if form_language not in languages:
            errors.append(
                _("%(where)s, language: '%(value)s' is not one of %(values)s")
                % {"where": where, "value": form_language, "values": ", ".join(languages)}
            )
        answers = {item.key: _value(item, cells[len(FIXED_COLUMNS) + i]) for i, item in enumerate(items)}
        found = problems(spec, answers, partial=True)
        for index, item in enumerate(items, start=1):
            if item.key in found:
                written = _text(cells[len(FIXED_COLUMNS) + index - 1])
                errors.append(
                    _("%(where)s, item %(n)d (%(key)s): %(message)s")
                    % {
                        "where": where,
                        "n": index,
                        "key": item.key,
                        "message": _message(item, written, found[item.key], language),
                    }
                )
        if answered_on is not None:
            parsed.append(PaperRow(number, participant, answered_on, form_language, answers))
    if not errors and not parsed:
        errors.append(_("The file has no filled-in rows. Fill in one row per paper form."))
    return parsed, errors


@transaction.atomic
def save(*, actor: User, version: InstrumentVersion, rows: list[PaperRow]) -> int:
    """Saves every checked row through the paper-entry service, or nothing if any fails."""
    for row in rows:
        services.paper_record(
            actor=actor,
            participant=row.participant,
            version=version,
            answers={k: v for k, v in row.answers.items() if v is not None},
            language=row.language,
            answered_on=timezone.make_aware(datetime.combine(row.answered_on, time(12))),
        )
    return len(rows)
