"""Reads of API tokens, and what an API caller may see.

Tokens: a staff member sees their own; an organisation's admins see the tokens scoped to their
organisation (``organisation_tokens``).

A caller acts as the token's user with their role in the token's organisation. Every read goes
through the same scoping selectors as the pages (``programmes_visible_to``,
``units_visible_to``, ``participants_visible_to`` …) and is then narrowed to the token's
organisation, as the organisation switcher narrows the pages: a person with memberships in
several organisations gets from a token only what their membership in its organisation shows.
The narrowing only ever removes rows; it never adds any that the selectors did not give.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from pilotti.accounts.models import User
from pilotti.api.models import ApiToken
from pilotti.instruments.models import Instrument, Response
from pilotti.instruments.selectors import responses_visible_to
from pilotti.organisations.models import Membership, Organisation, Role
from pilotti.organisations.selectors import has_role
from pilotti.people.models import Participant
from pilotti.people.selectors import participants_visible_to
from pilotti.programmes.models import DeliveryUnit, Meeting, Programme
from pilotti.programmes.selectors import (
    _in_consortium,
    meetings_visible_to,
    programmes_visible_to,
    units_visible_to,
)
from pilotti.recruitment.models import Enrolment
from pilotti.recruitment.selectors import enrolments_visible_to
from pilotti.surveys.selectors import instruments_for

# --- Tokens ------------------------------------------------------------------------------------


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first, revoked ones included (they show when and by whom)."""
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user).select_related("organisation", "revoked_by")


def is_admin(user: User, organisation: Organisation | None) -> bool:
    return organisation is not None and user.is_authenticated and has_role(user, organisation, Role.ADMIN)


def organisation_tokens(user: User, organisation: Organisation | None) -> QuerySet[ApiToken]:
    """Every token scoped to the organisation, for its admins; nothing for anyone else."""
    if organisation is None or not is_admin(user, organisation):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(organisation=organisation).select_related("user", "revoked_by")


def can_revoke(user: User, token: ApiToken) -> bool:
    return token.user_id == user.pk or has_role(user, token.organisation, Role.ADMIN)


def revocable_by(user: User) -> QuerySet[ApiToken]:
    """Tokens the user may revoke: their own, and those scoped to organisations they administer."""
    if not user.is_authenticated:
        return ApiToken.objects.none()
    administered = Membership.objects.filter(user=user, is_active=True, role=Role.ADMIN).values("organisation_id")
    return ApiToken.objects.filter(Q(user=user) | Q(organisation__in=administered))


# --- The caller --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Caller:
    token: ApiToken
    membership: Membership

    @property
    def user(self) -> User:
        return self.token.user

    @property
    def organisation(self) -> Organisation:
        return self.membership.organisation

    @property
    def role(self) -> str:
        return self.membership.role


def caller_for(token_hash: str) -> Caller | None:
    """The live token with this hash and its holder's active membership in its organisation, in
    one query; None for an unknown, revoked or expired token, a deactivated account or membership."""
    token = (
        ApiToken.objects.filter(token_hash=token_hash, revoked_at__isnull=True, user__is_active=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
        .select_related("user", "organisation")
        .first()
    )
    if token is None:
        return None
    membership = (
        Membership.objects.filter(user=token.user, organisation=token.organisation, is_active=True)
        .select_related("organisation")
        .first()
    )
    return Caller(token=token, membership=membership) if membership is not None else None


# --- What the caller sees ----------------------------------------------------------------------


def units_for(caller: Caller) -> QuerySet[DeliveryUnit]:
    """The organisation's own units and, for its staff, the units of the consortium it belongs to
    (the programme's owner and partners run it together); a facilitator's, only their own units."""
    visible = units_visible_to(caller.user)
    organisation = caller.organisation
    if caller.role == Role.FACILITATOR:
        return visible.filter(organisation=organisation, facilitators__user=caller.user)
    member = Q(programme__organisation=organisation) | Q(programme__partnerships__organisation=organisation)
    consortium = DeliveryUnit.objects.filter(_in_consortium("")).filter(member).values("pk")
    return visible.filter(Q(organisation=organisation) | Q(pk__in=consortium))


def programmes_for(caller: Caller) -> QuerySet[Programme]:
    """Programmes the organisation owns, is a partner in or has adopted; a facilitator's, those of their units."""
    visible = programmes_visible_to(caller.user)
    if caller.role == Role.FACILITATOR:
        return visible.filter(pk__in=units_for(caller).values("programme_id"))
    organisation = caller.organisation
    linked = Programme.objects.filter(
        Q(organisation=organisation)
        | Q(partnerships__organisation=organisation)
        | Q(adoptions__organisation=organisation)
    ).values("pk")
    return visible.filter(pk__in=linked)


def meetings_for(caller: Caller) -> QuerySet[Meeting]:
    return meetings_visible_to(caller.user).filter(unit__in=units_for(caller))


def participants_for(caller: Caller) -> QuerySet[Participant]:
    return participants_visible_to(caller.user).filter(organisation=caller.organisation)


def enrolments_for(caller: Caller) -> QuerySet[Enrolment]:
    return enrolments_visible_to(caller.user).filter(organisation=caller.organisation)


def instruments_for_caller(caller: Caller) -> QuerySet[Instrument]:
    return instruments_for(caller.user, caller.organisation.pk)


def responses_for(caller: Caller) -> QuerySet[Response]:
    """Submitted answers of the organisation, for its admins, coordinators and evaluators."""
    return responses_visible_to(caller.user).filter(organisation=caller.organisation, submitted_at__isnull=False)
