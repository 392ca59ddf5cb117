"""The door's key: who is looking, and through which organisation.

Every scoping selector (``programmes_visible_to``, ``participants_visible_to`` …) takes a
``Viewer`` rather than a bare user, and every one of them reaches the user's memberships through
``Viewer.memberships``, the one membership query. A viewer either looks through one
organisation (an API token: its holder's membership in the token's organisation, nothing else)
or explicitly through all of the user's organisations (the pages, which have always let a
person who works in several organisations open what any of their memberships shows; the
switcher's choice travels along as ``organisation`` for the pages that narrow a list to it or
create something in it).

The same selector therefore answers the same question for a page and for the API; only the
viewer differs, and it says so.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from pilotti.organisations.models import Membership, Organisation, Role

if TYPE_CHECKING:
    from pilotti.accounts.models import User


class _Token(Protocol):
    """What a viewer needs of an API token (``api.models.ApiToken``), without importing the API."""

    @property
    def user(self) -> "User": ...

    @property
    def organisation(self) -> Organisation: ...


class _Request(Protocol):
    """What a viewer needs of a page's request (set by ``CurrentOrganisationMiddleware``)."""

    @property
    def user(self) -> "User": ...

    @property
    def organisation(self) -> Organisation | None: ...


def active_memberships(
    user: "User | AnonymousUser | None", roles: tuple[Role, ...] | None = None, organisation: Organisation | None = None
) -> QuerySet[Membership]:
    """The user's active memberships (with one of the roles, in one organisation, if given).

    The one membership query: the scoping selectors and the permission checks that go with them
    reach it through ``Viewer.memberships``; what asks about a user outside any viewer (the
    organisation switcher, an API token's holder, the access log's role column) calls it directly.
    """
    if user is None or not user.is_authenticated:  # None: a system task
        return Membership.objects.none()
    memberships = Membership.objects.filter(user=user, is_active=True)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return memberships if organisation is None else memberships.filter(organisation=organisation)


@dataclass(frozen=True)
class Viewer:
    user: "User"
    organisation: Organisation | None
    all_organisations: bool

    @classmethod
    def from_request(cls, request: _Request) -> "Viewer":
        """A page's viewer: all the user's organisations, the switcher's choice as ``organisation``."""
        return cls(user=request.user, organisation=request.organisation, all_organisations=True)

    @classmethod
    def from_token(cls, token: _Token) -> "Viewer":
        """An API caller: the token's holder, only through their membership in the token's organisation."""
        return cls(user=token.user, organisation=token.organisation, all_organisations=False)

    @classmethod
    def everywhere(cls, user: "User") -> "Viewer":
        """A user without a request (calendar feeds, reminders, commands): all their organisations."""
        return cls(user=user, organisation=None, all_organisations=True)

    def memberships(self, roles: tuple[Role, ...] | None = None) -> QuerySet[Membership]:
        """The memberships this viewer looks through: one organisation's, or all of them."""
        if self.all_organisations:
            return active_memberships(self.user, roles)
        if self.organisation is None:
            return Membership.objects.none()
        return active_memberships(self.user, roles, self.organisation)

    def organisation_ids(self, roles: tuple[Role, ...] | None = None) -> "QuerySet[Membership, int]":
        """The organisations this viewer looks through in one of the roles, as a subquery."""
        return self.memberships(roles).values_list("organisation_id", flat=True)
