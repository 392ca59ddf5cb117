"""Reads of organisations and their members. The only door to memberships and invitations."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from pilotti.accounts.models import User
from pilotti.organisations.models import Invitation, Membership, Organisation, Role
from pilotti.organisations.viewer import Viewer, active_memberships


def memberships_of(user: User | AnonymousUser) -> QuerySet[Membership]:
    """The user's own active memberships, for the organisation switcher."""
    return active_memberships(user).select_related("organisation").order_by("organisation__name")


def organisations_visible_to(viewer: Viewer) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=viewer.organisation_ids())


def has_role(user: User, organisation: Organisation, *roles: Role) -> bool:
    return active_memberships(user, roles, organisation).exists()


def _administers(viewer: Viewer) -> Organisation | None:
    """The viewer's organisation if the viewer is one of its admins."""
    organisation = viewer.organisation
    if organisation is None or not viewer.memberships((Role.ADMIN,)).filter(organisation=organisation).exists():
        return None
    return organisation


def memberships_visible_to(viewer: Viewer) -> QuerySet[Membership]:
    """All members of the viewer's organisation for its admins; nothing for anyone else."""
    organisation = _administers(viewer)
    if organisation is None:
        return Membership.objects.none()
    return Membership.objects.filter(organisation=organisation).select_related("user").order_by("user__email")


def invitations_visible_to(viewer: Viewer) -> QuerySet[Invitation]:
    organisation = _administers(viewer)
    if organisation is None:
        return Invitation.objects.none()
    return Invitation.objects.filter(organisation=organisation).select_related("invited_by")


def count_active_admins(organisation: Organisation) -> int:
    return Membership.objects.filter(organisation=organisation, role=Role.ADMIN, is_active=True).count()
