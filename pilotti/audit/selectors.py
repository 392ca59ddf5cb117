"""Reads of the access log (a coordinator sees the log of a participant of their organisation;
an organisation's admins, often its data protection contact, see the whole organisation's log
and its members' security events) and of the install-wide security events (superusers only)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from pilotti.accounts.models import User
from pilotti.audit.models import AccessLog, SecurityEvent
from pilotti.audit.services import Person
from pilotti.core.zone import day_start
from pilotti.organisations.models import Membership, Organisation, Role
from pilotti.organisations.viewer import Viewer, active_memberships


def can_see_access_log(user: User, participant: Person) -> bool:
    """The coordinators of the participant's organisation."""
    return active_memberships(user, (Role.COORDINATOR,)).filter(organisation_id=participant.organisation_id).exists()


def access_log_of(user: User, participant: Person) -> QuerySet[AccessLog]:
    if not can_see_access_log(user, participant):
        return AccessLog.objects.none()
    return AccessLog.objects.filter(participant_id=participant.pk).order_by("-at", "-id")


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


def administered_organisation(viewer: Viewer) -> Organisation | None:
    """The organisation the viewer works in, if they are one of its admins."""
    organisation = viewer.organisation
    if organisation is None or not viewer.memberships((Role.ADMIN,)).filter(organisation=organisation).exists():
        return None
    return organisation


@dataclass(frozen=True)
class LogFilters:
    """What the organisation's access log is narrowed to; empty values filter nothing."""

    code: str = ""
    user_email: str = ""
    first_day: date | None = None
    last_day: date | None = None
    action: str = ""
    purpose: str = ""


def organisation_access_log(organisation: Organisation, filters: LogFilters) -> QuerySet[AccessLog]:
    """Every access-log entry of the organisation's data, newest first (days are Helsinki days)."""
    entries = AccessLog.objects.filter(organisation=organisation)
    if filters.code:
        entries = entries.filter(participant_code__iexact=filters.code)
    if filters.user_email:
        entries = entries.filter(user_email=filters.user_email)
    if filters.first_day:
        entries = entries.filter(at__gte=day_start(filters.first_day))
    if filters.last_day:
        entries = entries.filter(at__lt=day_start(filters.last_day + timedelta(days=1)))
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.purpose:
        entries = entries.filter(purpose=filters.purpose)
    return entries.order_by("-at", "-id")


def access_log_users(organisation: Organisation) -> list[str]:
    """The e-mail addresses that appear in the organisation's log, former members' too."""
    emails = AccessLog.objects.filter(organisation=organisation).values_list("user_email", flat=True)
    return sorted(set(emails.order_by().distinct()))


def organisation_security_events(organisation: Organisation, *, since: datetime) -> QuerySet[SecurityEvent]:
    """The security events of the organisation's members (sign-ins, failures, lockouts, MFA and
    password changes). Failed sign-ins under a name that is no account have no user and are not
    anyone's: those stay on the superusers' page."""
    members = Membership.objects.filter(organisation=organisation).values("user_id")
    return SecurityEvent.objects.filter(user__in=members, at__gte=since).order_by("-at", "-id")
