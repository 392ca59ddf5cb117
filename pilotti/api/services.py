"""Writes of API tokens: made (the token is returned once, only its hash is kept), used, revoked."""

import secrets
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotti.accounts.models import User
from pilotti.api.models import Access, ApiToken
from pilotti.api.selectors import can_revoke
from pilotti.core.tokens import hash_token
from pilotti.organisations.models import Organisation
from pilotti.organisations.selectors import memberships_of

TOKEN_START = "pilotti_"  # noqa: S105 - the public start of every token, not a secret
# No look-alike characters in the visible part: people read it aloud when asking an admin.
PREFIX_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def _new_prefix() -> str:
    for _attempt in range(20):
        prefix = TOKEN_START + "".join(secrets.choice(PREFIX_ALPHABET) for _ in range(8))
        if not ApiToken.objects.filter(prefix=prefix).exists():
            return prefix
    raise RuntimeError("No free token prefix found")  # 31**8 prefixes: practically unreachable


@transaction.atomic
def token_create(
    *, actor: User, organisation: Organisation, name: str, access: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token for the actor in one of their organisations, and the token itself (shown once).

    The secret part has 256 bits from ``secrets``: a plain SHA-256 suffices, no slow hash is needed."""
    if not memberships_of(actor).filter(organisation=organisation).exists():
        raise ValidationError({"organisation": _("Choose one of your own organisations.")})
    if access not in Access.values:
        raise ValidationError({"access": _("Choose read only, or read and write.")})
    if not name.strip():
        raise ValidationError({"name": _("Name the token, e.g. after the system that uses it.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_on": _("Choose a day in the future, or leave it empty.")})
    prefix = _new_prefix()
    token = f"{prefix}_{secrets.token_urlsafe(32)}"
    api_token = ApiToken.objects.create(
        user=actor,
        organisation=organisation,
        name=name.strip(),
        access=access,
        prefix=prefix,
        token_hash=hash_token(token),
        expires_at=expires_at,
    )
    return api_token, token


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """The token's owner, or an admin of its organisation, revokes it; revoking twice changes nothing."""
    if not can_revoke(actor, token):
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


@transaction.atomic
def tokens_end_with_password(*, user: User) -> int:
    """Ends every live token of the user when their password changes or is reset: whoever knew
    the old password could have made one, and a token would outlive the new password (issue 19,
    finding 12). The person's own action, so they are recorded as the one who revoked."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=user
    )


def token_used(*, token: ApiToken) -> None:
    """Remembers when the token was last used, so that its owner and admins see whether it is in use."""
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
