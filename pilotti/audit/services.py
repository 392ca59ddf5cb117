"""``log_access``: the one way an access-log entry is written. Views and services call it explicitly."""

from axes.helpers import get_client_ip_address
from django.http import HttpRequest

from pilotti.accounts.models import User
from pilotti.audit.models import AccessLog, Action, Category, Purpose, Result
from pilotti.organisations.models import Membership, Organisation
from pilotti.people.models import Household, Participant


def _client_ip(request: HttpRequest) -> str | None:
    # django-axes resolves the client address behind PROXY_COUNT proxies; reuse its answer.
    return get_client_ip_address(request) or None


def _membership(user: User, organisation: Organisation | None) -> Membership | None:
    if organisation is None:
        return None
    return Membership.objects.filter(user=user, organisation=organisation, is_active=True).first()


def log_access(
    by: HttpRequest | User,
    *,
    participant: Participant | None = None,
    household: Household | None = None,
    action: Action,
    category: Category,
    purpose: Purpose,
    item: str = "",
    result: Result = Result.SHOWN,
) -> AccessLog:
    """Records one use of a person's data by a request's user (with its address) or by a user."""
    request = by if isinstance(by, HttpRequest) else None
    user: User = request.user if request is not None else by  # type: ignore[assignment]
    organisation = participant.organisation if participant else household.organisation if household else None
    membership = _membership(user, organisation)
    return AccessLog.objects.create(
        user=user,
        user_email=user.email,
        role=membership.role if membership else "",
        organisation=organisation,
        participant=participant,
        participant_code=participant.code if participant else household.code if household else "",
        household=household,
        action=action,
        category=category,
        item=item[:200],
        purpose=purpose,
        result=result,
        ip_address=_client_ip(request) if request is not None else None,
        user_agent=request.headers.get("User-Agent", "")[:300] if request is not None else "",
        path=request.path[:300] if request is not None else "",
    )
