"""Reads of the services followed and their use: the door.

A count follows its person or household (``participants_visible_to``, ``households_visible_to``):
their organisation's coordinators, admins and evaluators see it, and the facilitators of their
units. The person's organisation's coordinators record and correct counts (as they manage the
people); the programme's owner's admins and coordinators name the services."""

from typing import Any

from django.db.models import Q, QuerySet

from pilotti.organisations.viewer import Viewer
from pilotti.people.models import Household, Participant
from pilotti.people.selectors import can_manage_participants, households_visible_to, participants_visible_to
from pilotti.programmes.models import Programme
from pilotti.programmes.selectors import can_edit_programme, programmes_visible_to
from pilotti.serviceuse.models import Service, ServiceUse


def service_uses_visible_to(viewer: Viewer) -> QuerySet[ServiceUse]:
    return ServiceUse.objects.filter(
        Q(participant__in=participants_visible_to(viewer)) | Q(household__in=households_visible_to(viewer))
    )


def services_visible_to(viewer: Viewer) -> QuerySet[Service]:
    """A programme's services are part of its plan: seen by whoever sees the programme."""
    return Service.objects.filter(programme__in=programmes_visible_to(viewer))


def can_define_services(viewer: Viewer, programme: Programme) -> bool:
    return can_edit_programme(viewer, programme)


def can_record_service_use(viewer: Viewer, organisation_id: int | None) -> bool:
    return can_manage_participants(viewer, organisation_id)


def services_of(programme: Programme) -> QuerySet[Service]:
    return Service.objects.filter(programme=programme).order_by("name")


def programme_uses(viewer: Viewer, programme: Programme) -> QuerySet[ServiceUse]:
    return (
        service_uses_visible_to(viewer)
        .filter(service__programme=programme)
        .select_related("service", "participant", "household")
        .order_by("service__name", "support_started_on", "id")
    )


def person_by_code(viewer: Viewer, code: str) -> Participant | Household | None:
    """The participant or household with the code whose counts the viewer may record."""
    code = code.strip().upper()
    if not code:
        return None
    person: Participant | Household | None = participants_visible_to(viewer).filter(code=code).first()
    if person is None:
        person = households_visible_to(viewer).filter(code=code).first()
    if person is None or not can_record_service_use(viewer, person.organisation_id):
        return None
    return person


def person_service_use(participant: Participant) -> list[dict[str, Any]]:
    """The person's own counts and their households', for their data-access export (pilotti/rights)."""
    households = participant.memberships.values("household_id")
    uses = (
        ServiceUse.objects.filter(Q(participant=participant) | Q(household__in=households))
        .select_related("service__programme", "household")
        .order_by("service__programme__name", "service__name", "id")
    )
    return [
        {
            "programme": use.service.programme.name,
            "service": use.service.name,
            "household": use.household.code if use.household else None,
            "support_started_on": use.support_started_on,
            "support_ended_on": use.support_ended_on,
            "months": use.service.period_months,
            "contacts_before": use.before_count,
            "contacts_after": use.after_count,
        }
        for use in uses
    ]


def use_history(use: ServiceUse) -> QuerySet[Any]:
    versions: QuerySet[Any] = use.history.select_related("history_user").order_by("-history_date")
    return versions
