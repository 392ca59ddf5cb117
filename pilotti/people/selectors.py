"""Reads of participants, households, contact details and consents: the only door to them.

Who sees what, per active membership:
- coordinators, admins and evaluators of the organisation see its participants and
  households, pseudonymously (code, birth year, segment, stages);
- a facilitator sees only the participants and households enrolled in units they facilitate;
- contact details (name, phone, e-mail, address, identity code) are shown only to the
  organisation's coordinators and to the facilitators of the person's own units — never to
  evaluators or admins;
- coordinators manage participants; facilitators record consents and stage changes for their
  own units' people.
"""

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import Combinable

from pilotti.organisations.models import Organisation, Role
from pilotti.organisations.viewer import Viewer
from pilotti.people.models import Consent, ConsentPurpose, ContactDetails, Household, HouseholdMember, Participant
from pilotti.programmes.selectors import assigned_unit_ids

VIEWER_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.EVALUATOR)


def _enrolled_in_my_units(viewer: Viewer) -> tuple["QuerySet[Participant, int]", "QuerySet[Household, int]"]:
    """The keys of the participants and households with an enrolment in a unit the viewer facilitates.

    Enrolments are recruitment's, the layer above: the door follows the ``enrolments`` relation
    recruitment declares on participants and households (a join in the database) and imports
    nothing of recruitment's, so people stays below it (docs/architecture.md, "Layers").
    """
    units = assigned_unit_ids(viewer)
    households = Household.objects.filter(enrolments__unit__in=units).order_by().values_list("pk", flat=True)
    via_household = HouseholdMember.objects.filter(household__in=households, participant__isnull=False).order_by()
    # A UNION of the two sets of keys, not participants filtered by two ORed INs: PostgreSQL
    # answers the latter by scanning every participant (100 000 in a national data set).
    direct = Participant.objects.filter(enrolments__unit__in=units).order_by().values_list("pk", flat=True)
    participants = direct.union(via_household.values_list("participant_id", flat=True))
    return participants, households


def participants_visible_to(viewer: Viewer) -> QuerySet[Participant]:
    participants, _households = _enrolled_in_my_units(viewer)
    return Participant.objects.filter(
        Q(organisation__in=viewer.organisation_ids(VIEWER_ROLES)) | Q(pk__in=participants)
    )


def households_visible_to(viewer: Viewer) -> QuerySet[Household]:
    _participants, households = _enrolled_in_my_units(viewer)
    return Household.objects.filter(Q(organisation__in=viewer.organisation_ids(VIEWER_ROLES)) | Q(pk__in=households))


def participants_with_contact_details_visible_to(viewer: Viewer) -> QuerySet[Participant]:
    """Those whose contact details the viewer may see: a coordinator's, or their own units' people."""
    participants, _households = _enrolled_in_my_units(viewer)
    return Participant.objects.filter(
        Q(organisation__in=viewer.organisation_ids((Role.COORDINATOR,))) | Q(pk__in=participants)
    )


def consents_visible_to(viewer: Viewer) -> QuerySet[Consent]:
    """Consents follow their participant."""
    return Consent.objects.filter(participant__in=participants_visible_to(viewer))


def contact_of(participant: Participant) -> ContactDetails | None:
    """The participant's contact details, for those ``can_see_contact_details`` lets see them."""
    return ContactDetails.objects.filter(participant=participant).first()


def can_see_contact_details(viewer: Viewer, participant: Participant) -> bool:
    return participants_with_contact_details_visible_to(viewer).filter(pk=participant.pk).exists()


def can_manage_participants(viewer: Viewer, organisation_id: int | None) -> bool:
    """Coordinators create and edit participants, households and enrolments, and import them."""
    if organisation_id is None:
        return False
    return viewer.memberships((Role.COORDINATOR,)).filter(organisation_id=organisation_id).exists()


def can_record_consent(viewer: Viewer, participant: Participant) -> bool:
    """Coordinators, and facilitators for the people of their own units (consent is often given there)."""
    return can_see_contact_details(viewer, participant)


def consent_holds_on(
    day: date | Combinable, *, purpose: str = ConsentPurpose.EVALUATION, participant: str = "pk"
) -> Exists:
    """Whether a consent for ``purpose`` holds on ``day``, as an expression for any query.

    ``participant`` names the outer query's participant (``"pk"`` on participants,
    ``"participant"`` on answers); ``day`` is a date or an outer field, e.g.
    ``OuterRef("answered_on")``, so each answer is judged on its own day. A consent holds from
    the day it was given until the day before it was withdrawn.
    """
    return Exists(
        Consent.objects.filter(participant=OuterRef(participant), purpose=purpose, given_on__lte=day).filter(
            Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day)
        )
    )


def participants_with_evaluation_consent_on(
    day: date, participants: QuerySet[Participant] | None = None
) -> QuerySet[Participant]:
    """Participants (by default all; pass a scoped queryset) whose evaluation consent holds on ``day``."""
    base = participants if participants is not None else Participant.objects.all()
    return base.filter(consent_holds_on(day))


def consent_holds(participant: Participant, day: date, purpose: str = ConsentPurpose.EVALUATION) -> bool:
    return Participant.objects.filter(pk=participant.pk).filter(consent_holds_on(day, purpose=purpose)).exists()


def consents_of(participant: Participant) -> QuerySet[Consent]:
    return participant.consents.select_related("recorded_by").order_by("purpose", "-given_on")


def household_members(household: Household) -> QuerySet[HouseholdMember]:
    return household.members.select_related("participant").order_by("id")


def organisations_coordinated_by(viewer: Viewer) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=viewer.organisation_ids((Role.COORDINATOR,)))


def households_of(viewer: Viewer, participant: Participant) -> QuerySet[HouseholdMember]:
    """The participant's household memberships that the viewer may see."""
    return participant.memberships.filter(household__in=households_visible_to(viewer)).select_related("household")
