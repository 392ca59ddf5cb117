"""Reads of API tokens, and what an API caller may see.

Tokens: a staff member sees their own; an organisation's admins see the tokens scoped to their
organisation (``organisation_tokens``).

A caller acts as the token's user with their role in the token's organisation: its ``viewer``
(``Viewer.from_token``) looks through that one membership, and every read goes through the same
scoping selectors as the pages (``programmes_visible_to``, ``units_visible_to``,
``participants_visible_to`` …) with it. A person with memberships in several organisations gets
from a token only what their membership in its organisation shows.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from pilotti.accounts.models import User
from pilotti.api.models import ApiToken
from pilotti.organisations.models import Membership, Organisation, Role
from pilotti.organisations.selectors import has_role
from pilotti.organisations.viewer import Viewer, active_memberships

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
    administered = active_memberships(user, (Role.ADMIN,)).values("organisation_id")
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

    @property
    def viewer(self) -> Viewer:
        return Viewer.from_token(self.token)


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
    membership = active_memberships(token.user, organisation=token.organisation).select_related("organisation").first()
    return Caller(token=token, membership=membership) if membership is not None else None
