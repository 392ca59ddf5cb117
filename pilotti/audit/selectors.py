"""Reads of the access log (a coordinator sees the log of a participant of their organisation)
and of the security events (superusers only)."""

from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from pilotti.accounts.models import User
from pilotti.audit.models import AccessLog, SecurityEvent
from pilotti.organisations.models import Role
from pilotti.organisations.selectors import has_role
from pilotti.people.models import Participant


def can_see_access_log(user: User, participant: Participant) -> bool:
    return has_role(user, participant.organisation, Role.COORDINATOR)


def access_log_of(user: User, participant: Participant) -> QuerySet[AccessLog]:
    if not can_see_access_log(user, participant):
        return AccessLog.objects.none()
    return AccessLog.objects.filter(participant=participant).order_by("-at", "-id")


def can_see_security_events(user: User | AnonymousUser) -> bool:
    # Security events span every organisation: only the installation's superusers read them.
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def security_events(
    user: User | AnonymousUser, *, kind: str = "", since: datetime | None = None
) -> QuerySet[SecurityEvent]:
    if not can_see_security_events(user):
        return SecurityEvent.objects.none()
    events = SecurityEvent.objects.all()
    if kind:
        events = events.filter(kind=kind)
    if since is not None:
        events = events.filter(at__gte=since)
    return events.order_by("-at", "-id")
