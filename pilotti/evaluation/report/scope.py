"""The report's scope: the filters, the units, enrolments and consented answers it covers."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import (
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncDate

from pilotti.core.zone import HELSINKI
from pilotti.evaluation.report.access import report_units
from pilotti.evaluation.report.types import FiltersOut
from pilotti.instruments.models import Response
from pilotti.organisations.viewer import Viewer
from pilotti.people.models import HouseholdMember
from pilotti.people.selectors import consent_holds_on
from pilotti.programmes.models import DeliveryUnit, Programme
from pilotti.recruitment.models import Enrolment
from pilotti.recruitment.selectors import enrolments_visible_to

DEFAULT_DOSE = 0.5

# --- The filters -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    since: date | None = None
    until: date | None = None
    unit: DeliveryUnit | None = None
    dose: float = DEFAULT_DOSE  # a share of the meetings offered, 0 < dose ≤ 1

    def as_dict(self) -> FiltersOut:
        return {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "unit": str(self.unit.uuid) if self.unit else None,
            "unit_name": self.unit.name if self.unit else None,
            "dose": self.dose,
        }


def in_period(field: str, filters: Filters) -> Q:
    condition = Q()
    if filters.since:
        condition &= Q(**{f"{field}__gte": filters.since})
    if filters.until:
        condition &= Q(**{f"{field}__lte": filters.until})
    return condition


@dataclass
class Scope:
    programme: Programme
    units: QuerySet[DeliveryUnit]
    enrolments: QuerySet[Enrolment]
    responses: QuerySet[Response]
    filters: Filters


def _participants_of(enrolments: QuerySet[Enrolment]) -> Q:
    """Participants enrolled on their own or as a member of an enrolled household."""
    households = enrolments.filter(household__isnull=False).values("household_id")
    members = HouseholdMember.objects.filter(household__in=households, participant__isnull=False)
    return Q(participant__in=enrolments.filter(participant__isnull=False).values("participant_id")) | Q(
        participant__in=members.values("participant_id")
    )


def consented_responses(units: QuerySet[DeliveryUnit], enrolments: QuerySet[Enrolment]) -> QuerySet[Response]:
    """Submitted answers at the units' meetings, or given outside meetings by people enrolled in
    them, counted only while the person's evaluation consent held on the day of answering
    (Helsinki time). Anonymous answers carry no person and are included."""
    return (
        Response.objects.filter(submitted_at__isnull=False)
        .filter(Q(meeting__unit__in=units) | (Q(meeting__isnull=True) & _participants_of(enrolments)))
        .annotate(answered_on=TruncDate("submitted_at", tzinfo=HELSINKI))
        .filter(Q(participant__isnull=True) | consent_holds_on(OuterRef("answered_on"), participant="participant"))
    )


def scope(viewer: Viewer | None, programme: Programme, filters: Filters) -> Scope:
    """``viewer`` None: the whole programme (``manage.py report``, run by the server's operator)."""
    if viewer is None:
        units = DeliveryUnit.objects.filter(programme=programme)
        enrolments = Enrolment.objects.filter(programme=programme)
    else:
        units = report_units(viewer, programme)
        enrolments = enrolments_visible_to(viewer).filter(programme=programme)
    if filters.unit is not None:
        units = units.filter(pk=filters.unit.pk)
        enrolments = enrolments.filter(unit=filters.unit)
    # Answers belong to the report by the day they were given, not by when the person was contacted.
    responses = consented_responses(units, enrolments).filter(in_period("answered_on", filters))
    enrolments = enrolments.filter(in_period("contacted_on", filters))
    return Scope(programme, units, enrolments, responses, filters)


@contextmanager
def materialised(responses: QuerySet[Response]) -> Iterator[QuerySet[Response]]:
    """The answers in scope selected once, into a temporary table the report's queries join.

    The scope (units, enrolled people, the consent held on the day of answering) is a condition
    every answer query would otherwise evaluate again; at a national programme's size that was
    most of the report's time (docs/benchmarks.md). The table lives in this connection only and
    is dropped afterwards; temporary tables need the primary database, not a read replica.
    """
    table = f"evaluation_scope_{uuid.uuid4().hex[:16]}"
    sql, params = responses.order_by().values(response_id=F("pk")).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {table} AS {sql}", params)
        cursor.execute(f"CREATE UNIQUE INDEX {table}_id ON {table} (response_id)")
        if connection.vendor == "postgresql":
            # Temporary tables are never analysed automatically: without it the planner guesses.
            cursor.execute(f"ANALYZE {table}")
    try:
        # The table's name is ours (a random hex suffix), never a user's input.
        yield Response.objects.filter(pk__in=RawSQL(f"SELECT response_id FROM {table}", ()))  # noqa: S608, S611
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
