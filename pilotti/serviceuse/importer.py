"""Importing counts of service use from CSV or XLSX, all or nothing.

The file is read by the participant import's reader (``recruitment.importer.read_table``: size
and row limits, CSV dialects, XLSX guarded against bombs); every row is checked and every
problem reported at once with its row number, column and what to fix; only a file without
problems is saved, in one transaction, through the same services as the page. A code that
already has counts for the service is updated (the history keeps the earlier counts and names
the file), so the after counts can come in a second file.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from pilotti.accounts.models import User
from pilotti.core.spreadsheets import csv_bytes
from pilotti.organisations.viewer import Viewer
from pilotti.people.models import Participant
from pilotti.programmes.models import Programme
from pilotti.recruitment.importer import ImportError_, Problem, check_header, read_table
from pilotti.serviceuse import selectors, services
from pilotti.serviceuse.models import Service, ServiceUse

T = TypeVar("T")
COLUMNS = ["code", "service", "support_started_on", "support_ended_on", "before", "after"]
REQUIRED = ["code", "service", "support_started_on", "support_ended_on", "before"]

__all__ = ["COLUMNS", "ImportError_", "Problem", "check", "read_table", "save", "template_csv"]


@dataclass
class Row:
    number: int
    person: services.Person
    service: Service
    fields: services.UseFields


def _date(value: str) -> date:
    for parse in (date.fromisoformat, lambda v: datetime.strptime(v, "%d.%m.%Y").date()):  # noqa: DTZ007
        try:
            return parse(value)
        except ValueError:
            continue
    raise ValueError(value)


def _count(value: str) -> int:
    number = int(value.replace(" ", ""))
    if number < 0:
        raise ValueError(value)
    return number


def _parsed(
    problems: list[Problem], number: int, column: str, values: dict[str, str], parse: Callable[[str], T]
) -> T | None:
    try:
        return parse(values[column])
    except ValueError:
        message = (
            _("Write the number of contacts as a whole number, 0 or more.")
            if column in ("before", "after")
            else _("Write the date as 15.9.2025 or 2025-09-15.")
        )
        problems.append(Problem(number, column, message))
        return None


def check(viewer: Viewer, programme: Programme, table: list[list[str]]) -> tuple[list[Row], list[Problem]]:
    """Every row checked; the rows ready to save, and every problem at once."""
    header, problems = check_header(table, COLUMNS, REQUIRED)
    if problems:
        return [], problems
    by_name = {s.name.casefold(): s for s in selectors.services_of(programme)}
    rows: list[Row] = []
    seen: dict[tuple[str, int], int] = {}
    for number, cells in enumerate(table[1:], start=2):
        values = dict.fromkeys(COLUMNS, "")
        values.update({name: cell.strip() for name, cell in zip(header, cells, strict=False) if name})
        found = len(problems)
        person = selectors.person_by_code(viewer, values["code"])
        if person is None:
            problems.append(
                Problem(number, "code", _("No person or household of yours has this code. Check the code."))
            )
        elif not services.enrolled_in(programme, person):
            problems.append(Problem(number, "code", _("This code is not enrolled in the programme. Check the code.")))
        service = by_name.get(values["service"].casefold())
        if service is None:
            names = ", ".join(s.name for s in by_name.values()) or "—"
            problems.append(
                Problem(number, "service", _("Write one of the programme's services: %(names)s.") % {"names": names})
            )
        started = _parsed(problems, number, "support_started_on", values, _date)
        ended = _parsed(problems, number, "support_ended_on", values, _date)
        before = _parsed(problems, number, "before", values, _count)
        after = _parsed(problems, number, "after", values, _count) if values["after"] else None
        if started is not None and ended is not None and ended < started:
            problems.append(
                Problem(number, "support_ended_on", _("The support cannot end before it started. Check both dates."))
            )
        if len(problems) > found or person is None or service is None:
            continue
        if started is None or ended is None or before is None:
            continue
        fields = services.UseFields(
            support_started_on=started, support_ended_on=ended, before_count=before, after_count=after
        )
        key = (person.code, service.pk)
        if key in seen:
            problems.append(
                Problem(
                    number,
                    "code",
                    _("The same code and service are on row %(row)d. Remove one of the rows.") % {"row": seen[key]},
                )
            )
        seen.setdefault(key, number)
        rows.append(Row(number, person, service, fields))
    return rows, problems


@transaction.atomic
def save(rows: list[Row], *, actor: User, file_name: str) -> tuple[int, int]:
    """Saves every row (the caller checked them all first); returns (added, updated). A service's
    refusal rolls back the whole file."""
    added = updated = 0
    reason = _("Imported from %(file)s") % {"file": file_name[:200]}
    for row in rows:
        owner = Q(participant=row.person) if isinstance(row.person, Participant) else Q(household=row.person)
        existing = ServiceUse.objects.filter(owner, service=row.service).first()
        try:
            if existing is None:
                services.service_use_add(actor=actor, service=row.service, person=row.person, fields=row.fields)
                added += 1
            else:
                services.service_use_update(actor=actor, use=existing, fields=row.fields, reason=reason)
                updated += 1
        except ValidationError as error:
            raise ImportError_(
                _("Row %(row)d: %(message)s") % {"row": row.number, "message": " ".join(error.messages)}
            ) from error
    return added, updated


def template_csv(programme: Programme) -> bytes:
    names = [s.name for s in selectors.services_of(programme)] or [_("Family work")]
    return csv_bytes(COLUMNS, [["P-23456", names[0], "15.9.2025", "15.3.2026", 4, 1]])
