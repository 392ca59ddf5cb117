"""Importing participants and their enrolments from CSV or XLSX, all or nothing.

``read_table`` turns the file into rows of text; ``check`` validates every row and reports
each problem with its row number, column and what to fix; ``find_duplicates`` flags rows
that match an existing participant (same identity code, or same name and year of birth);
``save`` creates everything inside one transaction through the ordinary services, so the
same rules apply as on the pages, and rolls all of it back if any row fails.
"""

import base64
import csv
import io
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from pilotti.accounts.models import User
from pilotti.audit.models import Action, Category, Purpose, Result
from pilotti.audit.services import log_access
from pilotti.core import uploads
from pilotti.core.spreadsheets import append_row, write_csv_rows
from pilotti.organisations.models import Organisation
from pilotti.people import crypto
from pilotti.people import services as people
from pilotti.people.models import Gender, Participant
from pilotti.people.validators import normalise_identity_code, validate_identity_code
from pilotti.programmes.models import DeliveryUnit, Programme
from pilotti.recruitment import services
from pilotti.recruitment.models import ReferralSource, Stage

MAX_BYTES = 1024 * 1024
MAX_ROWS = 2000
# An Excel sheet is read no further than this many rows (blank ones included) and columns: the
# template's columns and room for a few notes beside them.
MAX_SCANNED_ROWS = 10 * MAX_ROWS
MAX_COLUMNS = 40
COLUMNS = [
    "name",
    "phone",
    "email",
    "address",
    "identity_code",
    "birth_year",
    "gender",
    "preferred_language",
    "interpreter_language",
    "segment",
    "municipality",
    "unit",
    "referral_source",
    "contacted_on",
    "stage",
    "stage_date",
    "reason",
]
REQUIRED = ["referral_source", "contacted_on"]
EXAMPLE = {
    "name": "Maija Malli",
    "phone": "040 000 0001",
    "email": "testi.henkilo1@example.org",
    "address": "Esimerkkikatu 1, 33100 Tampere",
    "identity_code": "",
    "birth_year": "1990",
    "gender": "female",
    "preferred_language": "suomi",
    "interpreter_language": "",
    "segment": "",
    "municipality": "Tampere",
    "unit": "",
    "referral_source": "child_health_clinic",
    "contacted_on": "15.9.2025",
    "stage": "enrolled",
    "stage_date": "22.9.2025",
    "reason": "",
}


class ImportError_(Exception):  # the builtin ImportError is taken
    """The file itself cannot be read."""


class Decision(StrEnum):
    EXISTING = "existing"  # enrol the participant who is already there
    NEW = "new"  # add a new participant anyway
    SKIP = "skip"  # leave the row out


@dataclass
class Problem:
    row: int
    column: str
    message: str


@dataclass
class Row:
    number: int  # as the spreadsheet numbers it: the header is row 1
    values: dict[str, str]
    profile: people.ProfileFields = field(default_factory=people.ProfileFields)
    contact: people.ContactFields = field(default_factory=people.ContactFields)
    unit: DeliveryUnit | None = None
    referral_source: str = ""
    contacted_on: date | None = None
    stage: str = Stage.CONTACTED
    stage_date: date | None = None
    reason: str = ""
    duplicates: list[Participant] = field(default_factory=list)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _too_many_rows() -> ImportError_:
    return ImportError_(_("The file has more than %(n)d rows. Split it into smaller files.") % {"n": MAX_ROWS})


def _xlsx_rows(sheet: Any) -> list[list[str]]:
    """The sheet's non-blank rows, read one at a time, no wider than MAX_COLUMNS and no further
    than MAX_SCANNED_ROWS.

    openpyxl fills a gap between rows with blank rows as wide as the file declares (a 1.5 KB file
    can put one row at the millionth and declare 16 384 columns), so the limits stop the reading
    itself instead of being checked on what it has already built."""
    rows: list[list[str]] = []
    for scanned, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
        if scanned > MAX_SCANNED_ROWS or len(rows) > MAX_ROWS + 1:
            raise _too_many_rows()
        if any(cell is not None for cell in row):
            rows.append([_text(cell) for cell in row])
    return rows


def read_table(name: str, content: bytes) -> list[list[str]]:
    if len(content) > MAX_BYTES:
        raise ImportError_(_("The file is larger than 1 MB. Split it into smaller files."))
    if name.lower().endswith(".xlsx"):
        try:
            uploads.check_xlsx(content)
        except ValidationError as error:
            raise ImportError_(error.messages[0]) from error
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a broken file
            raise ImportError_(
                _("The file could not be opened as Excel (.xlsx). Save it again as .xlsx or CSV.")
            ) from error
        try:
            rows = _xlsx_rows(workbook.worksheets[0])
        finally:
            workbook.close()
    elif name.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ImportError_(_("The CSV file is not in UTF-8. Save it as “CSV UTF-8” and try again.")) from error
        dialect = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
        reader = csv.reader(io.StringIO(text), delimiter=dialect)
        try:
            rows = [[cell.strip() for cell in row] for row in reader]
        except csv.Error as error:  # e.g. an unclosed quote swallowing the rest: a cell over 128 KB
            raise ImportError_(
                _(
                    "Line %(line)d of the CSV file could not be read. "
                    "Check the quotation marks on it and the lines before."
                )
                % {"line": reader.line_num}
            ) from error
    else:
        raise ImportError_(_("Choose a .csv or .xlsx file."))
    rows = [row for row in rows if any(row)]
    if len(rows) > MAX_ROWS + 1:
        raise _too_many_rows()
    return rows


def _date(value: str) -> date:
    for parse in (date.fromisoformat, lambda v: datetime.strptime(v, "%d.%m.%Y").date()):  # noqa: DTZ007
        try:
            return parse(value)
        except ValueError:
            continue
    raise ValueError(value)


def _choice(value: str, choices: list[tuple[str, Any]]) -> str:
    wanted = value.casefold()
    for code, label in choices:
        if wanted in (code.casefold(), str(label).casefold()):
            return code
    raise ValueError(value)


class _Checker:
    def __init__(self, organisation: Organisation, programme: Programme) -> None:
        self.problems: list[Problem] = []
        self.units = {u.name.casefold(): u for u in programme.units.filter(organisation=organisation)}
        self.segments = list(programme.segments.values_list("name", flat=True))

    def problem(self, row: Row, column: str, message: str) -> None:
        self.problems.append(Problem(row.number, column, message))

    def check(self, row: Row) -> None:
        v = row.values
        self._contact(row)
        if v["birth_year"]:
            if not v["birth_year"].isdigit() or not 1900 <= int(v["birth_year"]) <= date.today().year:  # noqa: DTZ011
                self.problem(row, "birth_year", _("Write the year of birth as four digits, e.g. 1990."))
            else:
                row.profile.birth_year = int(v["birth_year"])
        if v["gender"]:
            try:
                row.profile.gender = _choice(v["gender"], Gender.choices)
            except ValueError:
                self.problem(
                    row,
                    "gender",
                    _("Write one of: %(values)s, or leave it empty.") % {"values": ", ".join(Gender.values)},
                )
        row.profile.preferred_language = v["preferred_language"][:60]
        row.profile.interpreter_language = v["interpreter_language"][:60]
        row.profile.needs_interpreter = bool(v["interpreter_language"])
        row.profile.municipality = v["municipality"][:100]
        self._enrolment(row)

    def _contact(self, row: Row) -> None:
        v = row.values
        row.contact = people.ContactFields(
            name=v["name"][:200], phone=v["phone"][:40], email=v["email"], address=v["address"]
        )
        if v["email"]:
            try:
                validate_email(v["email"])
            except ValidationError:
                self.problem(row, "email", _("This is not an e-mail address. Check it, or leave it empty."))
        if v["identity_code"]:
            try:
                validate_identity_code(v["identity_code"])
            except ValidationError as error:
                self.problem(row, "identity_code", " ".join(error.messages))
            else:
                row.contact.identity_code = normalise_identity_code(v["identity_code"])
        if not v["name"] and not v["birth_year"]:
            self.problem(row, "name", _("Give at least a name or a year of birth, so the person can be told apart."))

    def _enrolment(self, row: Row) -> None:
        v = row.values
        try:
            row.referral_source = _choice(v["referral_source"], ReferralSource.choices)
        except ValueError:
            self.problem(
                row, "referral_source", _("Write one of: %(values)s.") % {"values": ", ".join(ReferralSource.values)}
            )
        try:
            row.contacted_on = _date(v["contacted_on"])
        except ValueError:
            self.problem(row, "contacted_on", _("Write the date as 15.9.2025 or 2025-09-15."))
        if v["segment"]:
            if self.segments and v["segment"] not in self.segments:
                self.problem(
                    row,
                    "segment",
                    _("Write one of the programme's segments: %(names)s.") % {"names": ", ".join(self.segments)},
                )
            row.profile.segment = v["segment"][:200]
        if v["unit"]:
            row.unit = self.units.get(v["unit"].casefold())
            if row.unit is None:
                self.problem(
                    row,
                    "unit",
                    _("No unit of yours in this programme has this name. Write the unit's name as on its page."),
                )
        self._stage(row)

    def _stage(self, row: Row) -> None:
        v = row.values
        if v["stage"]:
            try:
                row.stage = _choice(v["stage"], Stage.choices)
            except ValueError:
                self.problem(row, "stage", _("Write one of: %(values)s.") % {"values": ", ".join(Stage.values)})
                return
        if row.stage != Stage.CONTACTED:
            try:
                row.stage_date = _date(v["stage_date"])
            except ValueError:
                self.problem(row, "stage_date", _("Write the day the person reached this stage, e.g. 22.9.2025."))
        if row.stage_date and row.contacted_on and row.stage_date < row.contacted_on:
            self.problem(row, "stage_date", _("The stage date is before the contact date. Check both dates."))
        if row.stage == Stage.DROPPED_OUT and not v["reason"]:
            self.problem(row, "reason", _("Write why the person dropped out."))
        row.reason = v["reason"][:300]


def check_header(
    rows: list[list[str]], columns: Collection[str], required: Collection[str]
) -> tuple[list[str], list[Problem]]:
    """A template-shaped table's header row, and every problem with the table's shape: an empty
    file, unknown or missing columns, no rows under the header."""
    if not rows:
        return [], [Problem(1, "", _("The file is empty. Start from the template."))]
    header = [cell.strip().lower() for cell in rows[0]]
    problems = [
        Problem(1, name, _("Unknown column. Use the column names of the template."))
        for name in header
        if name and name not in columns
    ]
    problems += [
        Problem(1, name, _("This column is missing. Add it as in the template."))
        for name in required
        if name not in header
    ]
    if not problems and len(rows) == 1:
        problems = [Problem(2, "", _("The file has no rows under the header."))]
    return header, problems


def parse(rows: list[list[str]], organisation: Organisation, programme: Programme) -> tuple[list[Row], list[Problem]]:
    header, problems = check_header(rows, COLUMNS, REQUIRED)
    if problems:
        return [], problems
    checker = _Checker(organisation, programme)
    parsed = []
    for number, cells in enumerate(rows[1:], start=2):
        values = dict.fromkeys(COLUMNS, "")
        values.update({name: cell for name, cell in zip(header, cells, strict=False) if name})
        row = Row(number=number, values=values)
        checker.check(row)
        parsed.append(row)
    _in_file_duplicates(parsed, checker)
    return parsed, checker.problems


def _in_file_duplicates(rows: list[Row], checker: _Checker) -> None:
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        keys = []
        if row.contact.identity_code:
            keys.append(("identity_code", row.contact.identity_code))
        if row.contact.name and row.profile.birth_year:
            keys.append(("name", f"{people.normalise_name(row.contact.name)}|{row.profile.birth_year}"))
        for key in keys:
            if key in seen:
                checker.problem(
                    row, key[0], _("The same person is on row %(row)d. Remove one of the rows.") % {"row": seen[key]}
                )
            seen.setdefault(key, row.number)


def find_duplicates(rows: list[Row], organisation: Organisation, actor: User) -> list[Row]:
    """Rows that match a participant already in the organisation. Each match is logged as a search."""
    flagged = []
    for row in rows:
        row.duplicates = people.duplicates_of(
            organisation,
            identity_code=row.contact.identity_code,
            name=row.contact.name,
            birth_year=row.profile.birth_year,
        )
        for participant in row.duplicates:
            log_access(
                actor,
                participant=participant,
                action=Action.SEARCH,
                category=Category.CONTACT_DETAILS,
                purpose=Purpose.IMPORT,
                item=_("duplicate check"),
                result=Result.FOUND,
            )
        if row.duplicates:
            flagged.append(row)
    return flagged


class _Rollback(Exception):
    pass


def save(
    rows: list[Row],
    *,
    actor: User,
    organisation: Organisation,
    programme: Programme,
    decisions: dict[int, Decision],
    dry_run: bool = False,
) -> tuple[int, list[Problem]]:
    """Creates the participants and enrolments, or nothing at all if any row is refused.

    ``dry_run`` goes through every service (capacity, segments, dates) and rolls back, so the
    report before confirming already names every row that would be refused.
    """
    problems: list[Problem] = []
    created = 0
    try:
        with transaction.atomic():
            for row in rows:
                decision = decisions.get(row.number, Decision.NEW) if row.duplicates else Decision.NEW
                if decision == Decision.SKIP:
                    continue
                try:
                    with transaction.atomic():
                        _save_row(row, actor, organisation, programme, decision)
                        created += 1
                except ValidationError as error:
                    problems.append(Problem(row.number, _column_of(error), " ".join(error.messages)))
            if problems or dry_run:
                raise _Rollback
    except _Rollback:
        return (created if not problems else 0), problems
    return created, []


def _column_of(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return next(iter(error.error_dict), "")
    return ""


def _save_row(row: Row, actor: User, organisation: Organisation, programme: Programme, decision: Decision) -> None:
    if decision == Decision.EXISTING:
        participant = row.duplicates[0]
    else:
        participant = people.participant_create(
            actor=actor, organisation=organisation, profile=row.profile, contact=row.contact, log_purpose=Purpose.IMPORT
        )
    assert row.contacted_on is not None  # noqa: S101  (checked before saving)
    enrolment = services.enrolment_create(
        actor=actor,
        participant=participant,
        fields=services.EnrolmentFields(
            programme=programme,
            unit=row.unit,
            referral_source=row.referral_source,
            segment=row.profile.segment,
            contacted_on=row.contacted_on,
        ),
    )
    if row.stage != Stage.CONTACTED:
        on = row.stage_date or row.contacted_on
        services.enrolment_transition(actor=actor, enrolment=enrolment, to=row.stage, on=on, reason=row.reason)


def template_rows() -> list[list[str]]:
    return [COLUMNS, [EXAMPLE[name] for name in COLUMNS]]


def template_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "participants"
    for row in template_rows():
        append_row(sheet, row)
    values = workbook.create_sheet("values")
    for row in (["gender", *Gender.values], ["referral_source", *ReferralSource.values], ["stage", *Stage.values]):
        append_row(values, row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_csv() -> str:
    out = io.StringIO()
    write_csv_rows(csv.writer(out), template_rows())
    return out.getvalue()


def pack(content: bytes) -> str:
    """The uploaded file, encrypted, for the session while the user decides about duplicates."""
    return crypto.encrypt(base64.b64encode(content).decode())


def unpack(token: str) -> bytes:
    return base64.b64decode(crypto.decrypt(token))
