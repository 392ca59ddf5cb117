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

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import Combinable

from pilotti.accounts.models import User
from pilotti.organisations.models import Membership, Organisation, Role
from pilotti.people.models import Consent, ConsentPurpose, Household, HouseholdMember, Participant
from pilotti.programmes.selectors import _assigned_unit_ids

VIEWER_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.EVALUATOR)


def _organisation_ids(user: User, roles: tuple[Role, ...]) -> "QuerySet[Membership, int]":
    if not user.is_authenticated:
        return Membership.objects.none().values_list("organisation_id", flat=True)
    return Membership.objects.filter(user=user, is_active=True, role__in=roles).values_list(
        "organisation_id", flat=True
    )


def _enrolled_in_my_units(user: User) -> tuple["QuerySet[Participant, int]", "QuerySet[Household, int]"]:
    """Participants and households with an enrolment in a unit the user facilitates."""
    from pilotti.recruitment.models import Enrolment

    enrolments = Enrolment.objects.filter(unit__in=_assigned_unit_ids(user)).order_by()
    households = enrolments.filter(household__isnull=False).values_list("household_id", flat=True)
    via_household = HouseholdMember.objects.filter(household__in=households, participant__isnull=False).order_by()
    # A UNION of the two sets of keys, not participants filtered by two ORed INs: PostgreSQL
    # answers the latter by scanning every participant (100 000 in a national data set).
    direct = enrolments.filter(participant__isnull=False).values_list("participant_id", flat=True)
    participants = direct.union(via_household.values_list("participant_id", flat=True))
    return participants, households  # type: ignore[return-value]


def participants_visible_to(user: User) -> QuerySet[Participant]:
    participants, _households = _enrolled_in_my_units(user)
    return Participant.objects.filter(
        Q(organisation__in=_organisation_ids(user, VIEWER_ROLES)) | Q(pk__in=participants)
    )


def households_visible_to(user: User) -> QuerySet[Household]:
    _participants, households = _enrolled_in_my_units(user)
    return Household.objects.filter(Q(organisation__in=_organisation_ids(user, VIEWER_ROLES)) | Q(pk__in=households))


def participants_with_contact_details_visible_to(user: User) -> QuerySet[Participant]:
    """Those whose contact details the user may see: a coordinator's, or their own units' people."""
    participants, _households = _enrolled_in_my_units(user)
    return Participant.objects.filter(
        Q(organisation__in=_organisation_ids(user, (Role.COORDINATOR,))) | Q(pk__in=participants)
    )


def can_see_contact_details(user: User, participant: Participant) -> bool:
    return participants_with_contact_details_visible_to(user).filter(pk=participant.pk).exists()


def can_manage_participants(user: User, organisation_id: int | None) -> bool:
    """Coordinators create and edit participants, households and enrolments, and import them."""
    if organisation_id is None:
        return False
    return _organisation_ids(user, (Role.COORDINATOR,)).filter(organisation_id=organisation_id).exists()


def can_record_consent(user: User, participant: Participant) -> bool:
    """Coordinators, and facilitators for the people of their own units (consent is often given there)."""
    return can_see_contact_details(user, participant)


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


def organisations_coordinated_by(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=_organisation_ids(user, (Role.COORDINATOR,)))


def with_latest_enrolment(participants: QuerySet[Participant]) -> QuerySet[Participant]:
    """Annotates the latest enrolment's programme and stage, for lists (no query per row)."""
    from pilotti.recruitment.models import Enrolment

    households = HouseholdMember.objects.filter(participant=OuterRef(OuterRef("pk"))).values("household_id")
    latest = Enrolment.objects.filter(Q(participant=OuterRef("pk")) | Q(household__in=households)).order_by(
        "-contacted_on", "-id"
    )
    return participants.annotate(
        latest_programme=Subquery(latest.values("programme__name")[:1]),
        latest_stage=Subquery(latest.values("stage")[:1]),
    )


def participant_list(user: User, organisation: Organisation | None) -> QuerySet[Participant]:
    """The participants of the organisation the user is working in, as the switcher chose it."""
    participants = participants_visible_to(user).filter(organisation=organisation)
    return with_latest_enrolment(participants).select_related("organisation").order_by("code")


def households_of(user: User, participant: Participant) -> QuerySet[HouseholdMember]:
    """The participant's household memberships that the user may see."""
    return participant.memberships.filter(household__in=households_visible_to(user)).select_related("household")
