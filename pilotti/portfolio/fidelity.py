"""Fidelity across adopters: does each organisation running a model deliver it as the model plans?

One row per organisation running the programme (the owner, its partners, the adopters), its own
units only, beside the model's core components: meetings held against those planned to date and
against the plan's number per unit, the meetings' length, whether the planned facilitator roles
were present (the roll call's facilitators and their roles in the unit), the curriculum topics
met as meeting themes, and the people: starters per unit (group size) and attendance. People are
counted as the report's comparison counts them: enrolments, a household's being one.

Counts of meetings and units are about the organisation's work, not about people, and are shown
as they are. Figures about people follow the report's comparison between organisations
(``evaluation.suppression.comparison_row``): in a row of an organisation the viewer does not work
for, a count of 1 … threshold − 1 people is suppressed, and group size and attendance are hidden
unless at least the threshold of people started.

Trained facilitators come from the staff app's rosters (``staff.selectors.trained_staff_by_unit``):
people on the roster of the organisation's units holding a completed, valid training of the
programme today, per unit; absent when the programme has no training. Staff counts are about the
organisation's work, not participants, and are not suppressed.

Columns are declared in ``COLUMNS``: a further figure is one more ``Column`` and one more key in
``Row.values``. A constant number of queries per table.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from pilotti.core.zone import HELSINKI
from pilotti.evaluation.suppression import SUPPRESSED, is_small, threshold
from pilotti.meetings.models import Attendance, Meeting
from pilotti.organisations.models import Organisation
from pilotti.programmes.models import DeliveryUnit, Programme, UnitFacilitator
from pilotti.recruitment.models import Enrolment
from pilotti.staff.models import Training
from pilotti.staff.selectors import trained_staff_by_unit

Kind = Literal["count", "number", "share", "minutes", "of_topics"]
Relation = Literal["owner", "partner", "adopter"]


@dataclass(frozen=True)
class Column:
    key: str
    heading: Any  # a lazy translation
    kind: Kind
    about_people: bool = False  # suppressed in other organisations' rows


COLUMNS: tuple[Column, ...] = (
    Column("units", _("Units"), "count"),
    Column("planned", _("Meetings planned to date"), "count"),
    Column("held", _("Meetings held"), "count"),
    Column("held_share", _("Held of planned"), "share"),
    Column("held_per_unit", _("Meetings held per unit"), "number"),
    Column("minutes", _("Meeting length, minutes"), "minutes"),
    Column("roles_present", _("Planned roles present"), "share"),
    Column("topics_covered", _("Curriculum topics covered"), "of_topics"),
    Column("trained_per_unit", _("Trained facilitators per unit"), "number"),
    Column("started", _("People started"), "count", about_people=True),
    Column("group_size", _("People per unit"), "number", about_people=True),
    Column("attendance_rate", _("Attendance"), "share", about_people=True),
)


@dataclass
class Row:
    organisation: str
    organisation_id: int
    relation: Relation
    own: bool  # the viewer works for it: nothing suppressed
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    """The model's core components, from the programme's session plan."""

    meetings: str  # "8", "6–10" or "" when the plan names none
    minutes: int
    roles: list[str]
    topics: int


@dataclass(frozen=True)
class Fidelity:
    plan: Plan
    columns: tuple[Column, ...]
    rows: list[Row]
    threshold: int


def plan_of(programme: Programme, topics: int) -> Plan:
    low, high = programme.meetings_min, programme.meetings_max
    meetings = f"{low}–{high}" if low and high and low != high else str(high or low or "")
    return Plan(meetings, programme.duration_minutes, programme.facilitator_role_labels(), topics)


def fidelity(
    programme: Programme, organisations: list[tuple[Organisation, Relation]], own_ids: set[int], now: datetime
) -> Fidelity:
    """The rows of ``organisations`` (the ones the viewer may see, in order), ``own_ids`` those
    the viewer works for."""
    ids = [organisation.pk for organisation, _relation in organisations]
    topics = [title.casefold() for title in programme.topics.values_list("title", flat=True)]
    figures = _figures(programme, ids, now, set(topics), set(programme.facilitator_roles))
    limit = threshold()
    rows = []
    for organisation, relation in organisations:
        row = Row(organisation.name, organisation.pk, relation, organisation.pk in own_ids, figures[organisation.pk])
        if not row.own:
            _suppress(row.values, limit)
        rows.append(row)
    return Fidelity(plan_of(programme, len(topics)), COLUMNS, rows, limit)


def _suppress(values: dict[str, Any], limit: int) -> None:
    started = values["started"]
    if is_small(started, limit):
        values["started"] = SUPPRESSED
    if not isinstance(started, int) or started < limit:
        for key in ("group_size", "attendance_rate"):
            if values[key] is not None:
                values[key] = SUPPRESSED


def _figures(
    programme: Programme, ids: list[int], now: datetime, topics: set[str], roles: set[str]
) -> dict[int, dict[str, Any]]:
    """Nine queries, whatever the number of organisations, units and meetings."""
    organisation_of = dict(
        DeliveryUnit.objects.filter(programme=programme, organisation__in=ids).values_list("pk", "organisation_id")
    )
    units: dict[int, int] = defaultdict(int)
    for organisation_id in organisation_of.values():
        units[organisation_id] += 1
    trained: dict[int, int] | None = None
    if Training.objects.filter(programme=programme).exists():
        trained = defaultdict(int)
        today = timezone.localtime(now, HELSINKI).date()
        by_unit = trained_staff_by_unit(DeliveryUnit.objects.filter(pk__in=list(organisation_of)), on=today)
        for unit_id, count in by_unit.items():
            trained[organisation_of[unit_id]] += count
    due = Meeting.objects.filter(unit__programme=programme, unit__organisation__in=ids, starts_at__lt=now)
    meetings = {
        row["unit__organisation_id"]: row
        for row in due.values("unit__organisation_id")
        .annotate(
            planned=Count("pk"),  # cancelled ones too: they were planned
            held=Count("pk", filter=Q(status=Meeting.Status.HELD)),
            minutes=Avg("duration_minutes", filter=Q(status=Meeting.Status.HELD)),
        )
        .order_by()
    }
    held = Meeting.objects.filter(unit__programme=programme, unit__organisation__in=ids, status=Meeting.Status.HELD)
    themes: dict[int, set[str]] = defaultdict(set)
    for organisation_id, theme in held.exclude(theme="").values_list("unit__organisation_id", "theme").distinct():
        themes[organisation_id].add(theme.strip().casefold())
    roles_present = _roles_present(programme, held, roles)
    started = dict(
        Enrolment.objects.filter(unit__programme=programme, unit__organisation__in=ids, started_on__isnull=False)
        .values_list("unit__organisation_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    attendance = {
        row["meeting__unit__organisation_id"]: row
        for row in Attendance.objects.filter(meeting__in=held)
        .values("meeting__unit__organisation_id")
        .annotate(present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)), recorded=Count("pk"))
        .order_by()
    }
    result = {}
    for organisation_id in ids:
        unit_count = units.get(organisation_id, 0)
        met = meetings.get(organisation_id, {})
        planned, held_count = int(met.get("planned") or 0), int(met.get("held") or 0)
        people = int(started.get(organisation_id, 0))
        attended = attendance.get(organisation_id, {})
        recorded = int(attended.get("recorded") or 0)
        result[organisation_id] = {
            "units": unit_count,
            "planned": planned,
            "held": held_count,
            "held_share": held_count / planned if planned else None,
            "held_per_unit": held_count / unit_count if unit_count else None,
            "minutes": float(met["minutes"]) if met.get("minutes") is not None else None,
            "roles_present": roles_present.get(organisation_id),
            "topics_covered": len(topics & themes[organisation_id]),
            "trained_per_unit": trained[organisation_id] / unit_count if trained is not None and unit_count else None,
            "started": people,
            "group_size": people / unit_count if unit_count and people else None,
            "attendance_rate": int(attended.get("present") or 0) / recorded if recorded else None,
        }
    return result


def _roles_present(programme: Programme, held: Any, roles: set[str]) -> dict[int, float]:
    """Per organisation, the share of its held meetings with a facilitator present in each
    planned role (the role each person holds in the meeting's unit), of the held meetings whose
    facilitators were recorded at all. Absent where no meeting's facilitators were recorded, or
    the plan names no roles."""
    if not roles:
        return {}
    role_of = {
        (unit_id, user_id): role
        for unit_id, user_id, role in UnitFacilitator.objects.filter(unit__programme=programme).values_list(
            "unit_id", "user_id", "role"
        )
    }
    present: dict[tuple[int, int], set[str]] = defaultdict(set)  # (organisation, meeting) → roles
    through = Meeting.facilitators_present.through.objects.filter(meeting__in=held)
    for meeting_id, unit_id, organisation_id, user_id in through.values_list(
        "meeting_id", "meeting__unit_id", "meeting__unit__organisation_id", "user_id"
    ):
        present[(organisation_id, meeting_id)].add(role_of.get((unit_id, user_id), ""))
    recorded: dict[int, int] = defaultdict(int)
    complete: dict[int, int] = defaultdict(int)
    for (organisation_id, _meeting_id), found in present.items():
        recorded[organisation_id] += 1
        complete[organisation_id] += roles <= found
    return {organisation_id: complete[organisation_id] / n for organisation_id, n in recorded.items()}


def topics_label(covered: int, topics: int) -> str:
    return ngettext("%(covered)s of %(topics)s topic", "%(covered)s of %(topics)s topics", topics) % {
        "covered": covered,
        "topics": topics,
    }
