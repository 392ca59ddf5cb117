"""Reads of organisations and their members. The only door to memberships and invitations."""

from django.db.models import QuerySet

from pilotti.accounts.models import User
from pilotti.organisations.models import Invitation, Membership, Organisation, Role


def memberships_of(user: User) -> QuerySet[Membership]:
    """The user's own active memberships, for the organisation switcher."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user, is_active=True)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def organisations_visible_to(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(memberships__user=user, memberships__is_active=True).distinct()


def has_role(user: User, organisation: Organisation, *roles: Role) -> bool:
    return Membership.objects.filter(user=user, organisation=organisation, is_active=True, role__in=roles).exists()


def memberships_visible_to(user: User, organisation: Organisation) -> QuerySet[Membership]:
    """All members of the organisation for its admins; nothing for anyone else."""
    if not has_role(user, organisation, Role.ADMIN):
        return Membership.objects.none()
    return Membership.objects.filter(organisation=organisation).select_related("user").order_by("user__email")


def invitations_visible_to(user: User, organisation: Organisation) -> QuerySet[Invitation]:
    if not has_role(user, organisation, Role.ADMIN):
        return Invitation.objects.none()
    return Invitation.objects.filter(organisation=organisation).select_related("invited_by")


def count_active_admins(organisation: Organisation) -> int:
    return Membership.objects.filter(organisation=organisation, role=Role.ADMIN, is_active=True).count()
