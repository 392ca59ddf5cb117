"""``log_access``: the one way an access-log entry is written. Views and services call it explicitly."""

from collections.abc import Sequence
from typing import Any, Protocol

from django.http import HttpRequest

from pilotti.accounts.models import User
from pilotti.audit.models import AccessLog, Action, Category, Purpose, Result
from pilotti.core.client_address import client_address
from pilotti.organisations.models import Membership, Organisation
from pilotti.organisations.viewer import active_memberships


class Person(Protocol):
    """A participant or a household as the log names them: by key, organisation and code. The log
    sits below people (every app logs through it), so it asks for this shape, not for their models."""

    @property
    def pk(self) -> Any: ...

    @property
    def organisation_id(self) -> int: ...

    @property
    def code(self) -> str: ...


def _membership(user: User, organisation_id: int | None) -> Membership | None:
    if organisation_id is None:
        return None
    return active_memberships(user).filter(organisation_id=organisation_id).first()


def _entry(
    request: HttpRequest | None,
    user: User | None,
    membership: Membership | None,
    *,
    system: str,
    participant: Person | None,
    household: Person | None,
    action: Action,
    category: Category,
    purpose: Purpose,
    item: str,
    result: Result,
) -> AccessLog:
    return AccessLog(
        user=user,
        user_email=user.email if user is not None else f"system: {system}",
        role=membership.role if membership else "",
        organisation_id=(
            participant.organisation_id if participant else household.organisation_id if household else None
        ),
        participant_id=participant.pk if participant else None,
        participant_code=participant.code if participant else household.code if household else "",
        household_id=household.pk if household else None,
        action=action,
        category=category,
        item=item[:200],
        purpose=purpose,
        result=result,
        ip_address=client_address(request) if request is not None else None,
        user_agent=request.headers.get("User-Agent", "")[:300] if request is not None else "",
        path=request.path[:300] if request is not None else "",
    )


def _actor(by: HttpRequest | User | None, system: str) -> tuple[HttpRequest | None, User | None]:
    if by is None and not system:
        raise ValueError("An access-log entry without a user must name the system task that made it.")
    if isinstance(by, HttpRequest):
        if not isinstance(by.user, User):  # an API request carries the token's holder (api.auth)
            raise ValueError("An access-log entry of a request needs the signed-in user.")
        return by, by.user
    return None, by if isinstance(by, User) else None


def log_access(
    by: HttpRequest | User | None,
    *,
    participant: Person | None = None,
    household: Person | None = None,
    action: Action,
    category: Category,
    purpose: Purpose,
    item: str = "",
    result: Result = Result.SHOWN,
    system: str = "",
    organisation: Organisation | None = None,
) -> AccessLog:
    """Records one use of a person's data by a request's user (with its address), by a user,
    or (``by=None``) by the named system task, e.g. the reminder sender run from cron.
    ``organisation`` places an entry about no one person (a look at the whole log) in its log."""
    request, user = _actor(by, system)
    person = participant or household
    organisation_id = person.organisation_id if person else organisation.pk if organisation else None
    membership = _membership(user, organisation_id) if user is not None else None
    entry = _entry(
        request,
        user,
        membership,
        system=system,
        participant=participant,
        household=household,
        action=action,
        category=category,
        purpose=purpose,
        item=item,
        result=result,
    )
    entry.organisation_id = organisation_id
    entry.save()
    return entry


def log_access_many(
    by: HttpRequest | User,
    *,
    participants: Sequence[Person],
    households: Sequence[Person] = (),
    action: Action,
    category: Category,
    purpose: Purpose,
    item: str = "",
    result: Result = Result.SHOWN,
) -> list[AccessLog]:
    """One entry per person (and household) for a page that shows many at once (a roll call, a
    list), so that each one's own log extract lists it; written in one INSERT whatever the size."""
    request, user = _actor(by, "")
    # (participant, household, their organisation's id) for each one shown
    shown: list[tuple[Person | None, Person | None, int]] = [(p, None, p.organisation_id) for p in participants]
    shown += [(None, h, h.organisation_id) for h in households]
    organisation_ids = {organisation_id for _p, _h, organisation_id in shown}
    memberships = {m.organisation_id: m for m in active_memberships(user).filter(organisation_id__in=organisation_ids)}
    entries = [
        _entry(
            request,
            user,
            memberships.get(organisation_id),
            system="",
            participant=participant,
            household=household,
            action=action,
            category=category,
            purpose=purpose,
            item=item,
            result=result,
        )
        for participant, household, organisation_id in shown
    ]
    return AccessLog.objects.bulk_create(entries)
