"""Reads for the answering pages: who may make links, type in paper forms and run client panels.

- Personal links and paper forms: the organisation's coordinators and the facilitators of the
  person's own units (the people who may see their contact details), as in people.selectors.
- Client panels: those who may change the meeting (its unit's facilitators and managers) open
  and set it; everyone who sees the meeting sees how many have answered, and the answers only
  once at least ``SURVEY_PANEL_MIN_ANSWERS`` have answered.
"""

import functools
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.db import connection, connections
from django.db.models import Avg, Count, Model, Q, QuerySet

from pilotti.core.ratelimit import Read
from pilotti.instruments import coverage
from pilotti.instruments import selectors as instruments
from pilotti.instruments.models import Instrument, InstrumentVersion, Mode, Response, ScoringRule
from pilotti.meetings.models import Meeting
from pilotti.organisations.models import Organisation
from pilotti.organisations.viewer import Viewer
from pilotti.people.models import Participant
from pilotti.people.selectors import participants_with_contact_details_visible_to
from pilotti.programmes.models import DeliveryUnit
from pilotti.surveys.models import ClientPanel, PersonalLink

# The client panel takes answers from an hour before its meeting starts (people arrive, the
# tablet is set up) until a week after (a late answer from home).
PANEL_OPENS_BEFORE = timedelta(hours=1)
PANEL_CLOSES_AFTER = timedelta(days=7)


def participants_for_answers(viewer: Viewer) -> QuerySet[Participant]:
    """Participants for whom the viewer may make personal links and type in paper forms."""
    return participants_with_contact_details_visible_to(viewer)


def instruments_for(viewer: Viewer, organisation_id: int) -> QuerySet[Instrument]:
    """The library and the organisation's own instruments, as the viewer sees them."""
    visible = instruments.instruments_visible_to(viewer)
    return visible.filter(Q(organisation__isnull=True) | Q(organisation_id=organisation_id)).order_by("name")


def current_versions(
    instrument_list: QuerySet[Instrument], *, online_only: bool, organisation_id: int | None = None
) -> list[InstrumentVersion]:
    """Each instrument's current version; with ``online_only`` only those participants can answer,
    counting the translation packs of ``organisation_id`` (which mark the versions, for the labels)."""
    versions = []
    for instrument in instrument_list.prefetch_related("versions"):
        version = max(instrument.versions.all(), key=lambda v: v.number, default=None)
        if version is not None:
            version.instrument = instrument
            versions.append(version)
    if organisation_id is not None:
        coverage.with_packs(versions, organisation_id)
    return [v for v in versions if coverage.covered(v) or not online_only]


def links_of(participant: Participant) -> QuerySet[PersonalLink]:
    return (
        PersonalLink.objects.filter(participant=participant)
        .select_related("version__instrument", "created_by", "response")
        .order_by("-created_at")
    )


def panel_of(meeting: Meeting) -> ClientPanel | None:
    return ClientPanel.objects.filter(meeting=meeting).select_related("version__instrument").first()


@functools.cache
def _live_panel_sql() -> str:
    quote = connection.ops.quote_name

    def table(model: type[Model]) -> str:
        return quote(model._meta.db_table)

    columns = ", ".join(f"p.{quote(field.column)}" for field in ClientPanel._meta.concrete_fields)
    return (
        f"SELECT {columns}, m.{quote('unit_id')} AS unit_id, u.{quote('organisation_id')} AS organisation_id, "  # noqa: S608 - names from the models, the code bound
        f"m.{quote('starts_at')} AS meeting_starts_at, m.{quote('status')} AS meeting_status, "
        f"v.{quote('uuid')} AS version_uuid, r.{quote('id')} AS rule_id, i.{quote('name')} AS instrument_name "
        f"FROM {table(ClientPanel)} p "
        f"JOIN {table(Meeting)} m ON m.{quote('id')} = p.{quote('meeting_id')} "
        f"JOIN {table(DeliveryUnit)} u ON u.{quote('id')} = m.{quote('unit_id')} "
        f"JOIN {table(InstrumentVersion)} v ON v.{quote('id')} = p.{quote('version_id')} "
        f"JOIN {table(Instrument)} i ON i.{quote('id')} = v.{quote('instrument_id')} "
        f"LEFT JOIN {table(ScoringRule)} r ON r.{quote('version_id')} = v.{quote('id')} "
        f"WHERE p.{quote('code')} = %s"
    )


def panel_accepts_answers(panel: ClientPanel, now: datetime) -> bool:
    """Open, and within the window around its meeting: from PANEL_OPENS_BEFORE its start to
    PANEL_CLOSES_AFTER it; never for a cancelled meeting. A code seen on a screen or a photo
    must not let anyone answer a meeting that has not happened, or long after."""
    meeting = panel.meeting
    if not panel.is_open or meeting.status == Meeting.Status.CANCELLED:
        return False
    return meeting.starts_at - PANEL_OPENS_BEFORE <= now <= meeting.starts_at + PANEL_CLOSES_AFTER


def live_panel_read(code: str) -> Read:
    """The panel of a code, for answering it (``live_panel_from_row`` makes the panel of its
    row): read in the request's counter statement (``throttling.panel_waits``).

    Every answer of a full room comes through here, so the row is read with hand-written SQL (the
    same query through ``select_related`` cost more to build than all of the answer's writes) and
    the meeting, unit and organisation are known by id only: their other fields load if read.
    """
    return Read(_live_panel_sql(), [code])


def live_panel_from_row(row: tuple[Any, ...]) -> ClientPanel:
    """The panel of a row of ``live_panel_read``, the version as
    ``instruments.version_for_answering`` keeps it, usually from memory."""
    fields = [field.attname for field in ClientPanel._meta.concrete_fields]
    values = list(row[: len(fields)])
    for at, column, converters in _panel_converters(connection.alias):  # as the ORM converts a row
        for converter in converters:
            values[at] = converter(values[at], column, connection)
    panel = ClientPanel.from_db(connection.alias, fields, values)
    extra = dict(zip(_EXTRA_COLUMNS, row[len(fields) :], strict=True))
    return _with_meeting_and_version(panel, extra)


_EXTRA_COLUMNS = (
    "unit_id",
    "organisation_id",
    "meeting_starts_at",
    "meeting_status",
    "version_uuid",
    "rule_id",
    "instrument_name",
)


@functools.cache
def _panel_converters(alias: str) -> list[tuple[int, Any, list[Any]]]:
    """The database's and the fields' converters of the panel's columns (SQLite's booleans and
    UUIDs, for example), as ``SQLCompiler.get_converters`` finds them."""
    db = connections[alias]
    found = []
    for at, field in enumerate(ClientPanel._meta.concrete_fields):
        column = field.get_col(ClientPanel._meta.db_table)
        converters = db.ops.get_db_converters(column) + cast(Any, field).get_db_converters(db)
        if converters:
            found.append((at, column, converters))
    return found


def _with_meeting_and_version(panel: ClientPanel, extra: dict[str, Any]) -> ClientPanel:
    organisation = Organisation.from_db(panel._state.db, ["id"], [extra["organisation_id"]])
    unit = DeliveryUnit.from_db(panel._state.db, ["id", "organisation_id"], [extra["unit_id"], organisation.pk])
    unit.organisation = organisation
    starts_at = extra["meeting_starts_at"]
    if starts_at.tzinfo is None:  # SQLite gives a raw query's extra column as the stored UTC, naive
        starts_at = starts_at.replace(tzinfo=UTC)
    meeting = Meeting.from_db(
        panel._state.db,
        ["id", "unit_id", "starts_at", "status"],
        [panel.meeting_id, unit.pk, starts_at, extra["meeting_status"]],
    )
    meeting.unit = unit
    panel.meeting = meeting
    key = None
    if extra["rule_id"] is not None:
        key = (panel.version_id, uuid.UUID(str(extra["version_uuid"])).hex, extra["rule_id"], extra["instrument_name"])
    panel.version = instruments.version_for_answering(panel.version_id, key)
    return panel


@dataclass(frozen=True)
class PanelResults:
    count: int
    shown: bool  # False while fewer than the threshold have answered
    threshold: int
    mean: float | None = None
    distribution: tuple[tuple[int, int], ...] = ()  # (total, how many) for single-number questionnaires


def panel_results(panel: ClientPanel) -> PanelResults:
    answered = Response.objects.filter(
        meeting_id=panel.meeting_id, version_id=panel.version_id, mode=Mode.CLIENT_PANEL, submitted_at__isnull=False
    )
    threshold = settings.SURVEY_PANEL_MIN_ANSWERS
    count = answered.count()
    if count < threshold:
        return PanelResults(count=count, shown=False, threshold=threshold)
    mean = answered.aggregate(mean=Avg("total"))["mean"]
    rows = answered.filter(total__isnull=False).values("total").annotate(n=Count("id")).order_by("total")
    distribution = tuple((int(row["total"]), row["n"]) for row in rows) if len(rows) <= 11 else ()
    return PanelResults(
        count=count,
        shown=True,
        threshold=threshold,
        mean=None if mean is None else round(mean, 2),
        distribution=distribution,
    )


def participants_of_meeting(viewer: Viewer, meeting: Meeting) -> QuerySet[Participant]:
    """The meeting's unit's participants (enrolled alone or with their household) the user may
    make links and paper entries for, by code."""
    from pilotti.people.models import HouseholdMember
    from pilotti.recruitment.models import Enrolment

    enrolments = Enrolment.objects.filter(unit_id=meeting.unit_id)
    via_household = HouseholdMember.objects.filter(
        household__in=enrolments.filter(household__isnull=False).values("household_id"), participant__isnull=False
    ).values("participant_id")
    direct = enrolments.filter(participant__isnull=False).values("participant_id")
    return participants_for_answers(viewer).filter(Q(pk__in=direct) | Q(pk__in=via_household)).order_by("code")
