"""Reads of the access log. A coordinator sees the log of a participant of their organisation."""

from django.db.models import QuerySet

from pilotti.accounts.models import User
from pilotti.audit.models import AccessLog
from pilotti.organisations.models import Role
from pilotti.organisations.selectors import has_role
from pilotti.people.models import Participant


def can_see_access_log(user: User, participant: Participant) -> bool:
    return has_role(user, participant.organisation, Role.COORDINATOR)


def access_log_of(user: User, participant: Participant) -> QuerySet[AccessLog]:
    if not can_see_access_log(user, participant):
        return AccessLog.objects.none()
    return AccessLog.objects.filter(participant=participant).order_by("-at", "-id")
