"""Reads for the answering pages: who may make links, type in paper forms and run client panels.

- Personal links and paper forms: the organisation's coordinators and the facilitators of the
  person's own units (the people who may see their contact details), as in people.selectors.
- Client panels: those who may change the meeting (its unit's facilitators and managers) open
  and set it; everyone who sees the meeting sees how many have answered, and the answers only
  once at least ``SURVEY_PANEL_MIN_ANSWERS`` have answered.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Avg, Count, Q, QuerySet

from pilotti.accounts.models import User
from pilotti.instruments import selectors as instruments
from pilotti.instruments.models import Instrument, InstrumentVersion, Mode, Response
from pilotti.people.models import Participant
from pilotti.people.selectors import participants_with_contact_details_visible_to
from pilotti.programmes.models import Meeting
from pilotti.surveys.models import ClientPanel, PersonalLink


def participants_for_answers(user: User) -> QuerySet[Participant]:
    """Participants for whom the user may make personal links and type in paper forms."""
    return participants_with_contact_details_visible_to(user)


def instruments_for(user: User, organisation_id: int) -> QuerySet[Instrument]:
    """The library and the organisation's own instruments, as the user sees them."""
    visible = instruments.instruments_visible_to(user)
    return visible.filter(Q(organisation__isnull=True) | Q(organisation_id=organisation_id)).order_by("name")


def current_versions(instrument_list: QuerySet[Instrument], *, online_only: bool) -> list[InstrumentVersion]:
    """Each instrument's current version; with ``online_only`` only those participants can answer."""
    versions = []
    for instrument in instrument_list.prefetch_related("versions"):
        version = max(instrument.versions.all(), key=lambda v: v.number, default=None)
        if version is not None and (version.languages or not online_only):
            version.instrument = instrument
            versions.append(version)
    return versions


def links_of(participant: Participant) -> QuerySet[PersonalLink]:
    return (
        PersonalLink.objects.filter(participant=participant)
        .select_related("version__instrument", "created_by", "response")
        .order_by("-created_at")
    )


def panel_of(meeting: Meeting) -> ClientPanel | None:
    return ClientPanel.objects.filter(meeting=meeting).select_related("version__instrument").first()


def live_panel(code: str) -> ClientPanel | None:
    return (
        ClientPanel.objects.filter(code=code)
        .select_related("meeting__unit__organisation", "version__instrument", "version__scoring")
        .prefetch_related(*instruments.structure_prefetches("version__"))
        .first()
    )


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


def participants_of_meeting(user: User, meeting: Meeting) -> QuerySet[Participant]:
    """The meeting's unit's participants (enrolled alone or with their household) the user may
    make links and paper entries for, by code."""
    from pilotti.people.models import HouseholdMember
    from pilotti.recruitment.models import Enrolment

    enrolments = Enrolment.objects.filter(unit_id=meeting.unit_id)
    via_household = HouseholdMember.objects.filter(
        household__in=enrolments.filter(household__isnull=False).values("household_id"), participant__isnull=False
    ).values("participant_id")
    direct = enrolments.filter(participant__isnull=False).values("participant_id")
    return participants_for_answers(user).filter(Q(pk__in=direct) | Q(pk__in=via_household)).order_by("code")
