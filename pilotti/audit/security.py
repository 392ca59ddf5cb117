"""Security events: ``record_security_event`` writes one, the receivers below call it.

Sign-ins and their failures, lockouts, MFA and password changes arrive as signals from Django,
django-axes and allauth (connected in ``AuditConfig.ready``); refused requests (403, CSRF, 429,
and 404 on an object's address for a signed-in user) are recorded by
``audit.middleware.SecurityEventMiddleware``. Times are UTC; nothing a person typed is stored
except a keyed hash of the sign-in name; paths have their bearer secrets masked.
"""

from typing import Any

from allauth.account.signals import password_changed, password_reset, password_set
from allauth.mfa.signals import authentication_failed, authenticator_added, authenticator_removed, authenticator_reset
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from pilotti.accounts.models import User
from pilotti.audit.masking import mask_secrets
from pilotti.audit.models import EventKind, SecurityEvent
from pilotti.core.client_address import client_address

# Set on a request whose event a receiver or view already recorded, so that the middleware
# does not record the same refusal again from its status code.
RECORDED = "_pilotti_security_event_recorded"


def identifier_hash(identifier: str) -> str:
    """A keyed hash of a sign-in name: attempts on one name can be grouped, but the name (or a
    password typed into the wrong field) cannot be read back or looked up without the key."""
    normalised = identifier.strip().lower()
    if not normalised:
        return ""
    return salted_hmac("pilotti.audit.identifier", normalised).hexdigest()[:16]


def _signed_in_user(request: HttpRequest | None) -> User | None:
    user = getattr(request, "user", None)
    return user if isinstance(user, User) and user.is_authenticated else None


def record_security_event(
    kind: EventKind,
    *,
    request: HttpRequest | None = None,
    user: User | None = None,
    identifier: str = "",
    status: int | None = None,
    detail: str = "",
) -> SecurityEvent:
    """Writes one event. Without ``user`` the request's signed-in user is taken; a failed
    sign-in names the account when the typed name is an existing account's e-mail address."""
    if user is None:
        user = _signed_in_user(request)
    if user is None and identifier:
        user = User.objects.filter(email__iexact=identifier.strip()).first()
    meta = request.META if request is not None else {}
    event = SecurityEvent(
        kind=kind,
        user=user,
        user_email=user.email if user is not None else "",
        identifier_hash=identifier_hash(identifier),
        ip_address=(client_address(request) or None) if request is not None and meta else None,
        user_agent=str(meta.get("HTTP_USER_AGENT", ""))[:300],
        method=(request.method or "") if request is not None else "",
        path=mask_secrets(request.path)[:300] if request is not None else "",
        status=status,
        detail=mask_secrets(detail)[:200],
    )
    event.save()
    if request is not None:
        setattr(request, RECORDED, True)
    return event


def _typed_name(credentials: dict[str, Any] | None) -> str:
    for key in ("email", "username", "login"):
        if credentials and credentials.get(key):
            return str(credentials[key])
    return ""


@receiver(user_logged_in, dispatch_uid="pilotti.audit.sign_in")
def _signed_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    record_security_event(EventKind.SIGN_IN, request=request, user=user)


@receiver(user_logged_out, dispatch_uid="pilotti.audit.sign_out")
def _signed_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        record_security_event(EventKind.SIGN_OUT, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="pilotti.audit.sign_in_failed")
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django has already replaced the password in ``credentials``; only the name is used.
    # A wrong password on the re-authentication page is a failed sign-in of the signed-in user.
    record_security_event(EventKind.SIGN_IN_FAILED, request=request, identifier=_typed_name(credentials))


@receiver(user_locked_out, dispatch_uid="pilotti.audit.locked_out")
def _locked_out(sender: Any, request: HttpRequest | None, username: str | None = None, **kwargs: Any) -> None:
    record_security_event(EventKind.LOCKED_OUT, request=request, identifier=username or "", status=429)


@receiver(authentication_failed, dispatch_uid="pilotti.audit.mfa_failed")
def _second_factor_failed(sender: Any, request: HttpRequest, user: User, authenticator: Any, **kwargs: Any) -> None:
    record_security_event(EventKind.SECOND_FACTOR_FAILED, request=request, user=user, detail=str(authenticator.type))


@receiver(authenticator_added, dispatch_uid="pilotti.audit.mfa_added")
def _authenticator_added(sender: Any, request: HttpRequest, user: User, authenticator: Any, **kwargs: Any) -> None:
    record_security_event(EventKind.MFA_ADDED, request=request, user=user, detail=str(authenticator.type))


@receiver(authenticator_removed, dispatch_uid="pilotti.audit.mfa_removed")
def _authenticator_removed(sender: Any, request: HttpRequest, user: User, authenticator: Any, **kwargs: Any) -> None:
    record_security_event(EventKind.MFA_REMOVED, request=request, user=user, detail=str(authenticator.type))


@receiver(authenticator_reset, dispatch_uid="pilotti.audit.mfa_reset")
def _authenticator_reset(sender: Any, request: HttpRequest, user: User, authenticator: Any, **kwargs: Any) -> None:
    record_security_event(
        EventKind.RECOVERY_CODES_REGENERATED, request=request, user=user, detail=str(authenticator.type)
    )


@receiver(password_changed, dispatch_uid="pilotti.audit.password_changed")
@receiver(password_set, dispatch_uid="pilotti.audit.password_set")
def _password_changed(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    record_security_event(EventKind.PASSWORD_CHANGED, request=request, user=user)


@receiver(password_reset, dispatch_uid="pilotti.audit.password_reset")
def _password_reset(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    record_security_event(EventKind.PASSWORD_RESET, request=request, user=user)
