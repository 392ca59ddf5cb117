"""Writes to the services followed and the counts of their use: each atomic, its history row
naming who changed it and why."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from simple_history.utils import get_history_model_for_model

from pilotti.accounts.models import User
from pilotti.core.history import mark_history, save_with_history
from pilotti.people.models import Household, Participant
from pilotti.programmes.models import Programme
from pilotti.recruitment.models import Enrolment
from pilotti.serviceuse.models import Service, ServiceUse

Person = Participant | Household


@dataclass(frozen=True)
class ServiceFields:
    name: str
    description: str = ""
    period_months: int = 6


@dataclass(frozen=True)
class UseFields:
    support_started_on: date
    support_ended_on: date
    before_count: int
    after_count: int | None = None


def _check_service(programme: Programme, fields: ServiceFields, service: Service | None = None) -> None:
    same_name = Service.objects.filter(programme=programme, name__iexact=fields.name.strip())
    if service is not None:
        same_name = same_name.exclude(pk=service.pk)
    if same_name.exists():
        raise ValidationError({"name": _("The programme already follows a service of this name.")})


@transaction.atomic
def service_add(*, actor: User | None, programme: Programme, fields: ServiceFields) -> Service:
    _check_service(programme, fields)
    service = Service(
        programme=programme,
        organisation_id=programme.organisation_id,
        name=fields.name.strip(),
        description=fields.description.strip(),
        period_months=fields.period_months,
    )
    return save_with_history(service, actor=actor)


@transaction.atomic
def service_update(*, actor: User | None, service: Service, fields: ServiceFields, reason: str) -> Service:
    _check_service(service.programme, fields, service)
    service.name = fields.name.strip()
    service.description = fields.description.strip()
    service.period_months = fields.period_months
    return save_with_history(service, actor=actor, reason=reason)


def enrolled_in(programme: Programme, person: Person) -> bool:
    """The person is enrolled in the programme, on their own or with their household; or the
    household is."""
    if isinstance(person, Household):
        return Enrolment.objects.filter(programme=programme, household=person).exists()
    return Enrolment.objects.filter(
        Q(participant=person) | Q(household__members__participant=person), programme=programme
    ).exists()


def use_problems(fields: UseFields) -> dict[str, str]:
    problems: dict[str, str] = {}
    if fields.support_ended_on < fields.support_started_on:
        problems["support_ended_on"] = _("The support cannot end before it started. Check both dates.")
    if fields.before_count < 0:
        problems["before_count"] = _("Write the number of contacts, zero or more.")
    if fields.after_count is not None and fields.after_count < 0:
        problems["after_count"] = _("Write the number of contacts, zero or more, or leave it empty.")
    return problems


def _apply(use: ServiceUse, fields: UseFields) -> None:
    problems = use_problems(fields)
    if problems:
        raise ValidationError(problems)
    use.support_started_on = fields.support_started_on
    use.support_ended_on = fields.support_ended_on
    use.before_count = fields.before_count
    use.after_count = fields.after_count


@transaction.atomic
def service_use_add(*, actor: User | None, service: Service, person: Person, fields: UseFields) -> ServiceUse:
    if not enrolled_in(service.programme, person):
        raise ValidationError({"code": _("This code is not enrolled in the programme. Check the code.")})
    owner = Q(participant=person) if isinstance(person, Participant) else Q(household=person)
    if ServiceUse.objects.filter(owner, service=service).exists():
        raise ValidationError(
            {"code": _("This code already has counts for this service: correct them on their own page.")}
        )
    use = ServiceUse(service=service, organisation_id=person.organisation_id, created_by=actor)
    if isinstance(person, Participant):
        use.participant = person
    else:
        use.household = person
    _apply(use, fields)
    return save_with_history(use, actor=actor)


@transaction.atomic
def service_use_update(*, actor: User | None, use: ServiceUse, fields: UseFields, reason: str) -> ServiceUse:
    """A correction, or the after count once counted: the history keeps the earlier values."""
    _apply(use, fields)
    return save_with_history(use, actor=actor, reason=reason)


@transaction.atomic
def service_use_remove(*, actor: User | None, use: ServiceUse, reason: str) -> None:
    mark_history(use, actor=actor, reason=reason)
    use.delete()


# --- For the person's rights (pilotti/rights) ---------------------------------------------------


def _history_of_uses() -> type[models.Model]:
    history: type[models.Model] = get_history_model_for_model(ServiceUse)
    return history


def _owner(participant: Participant | None, household: Household | None) -> Q:
    """The rows of the person, else of the household (history rows carry the same columns)."""
    if participant is not None:
        return Q(participant_id=participant.pk)
    if household is not None:
        return Q(household_id=household.pk)
    raise ValueError("a participant or a household")


def service_use_counts(*, participant: Participant | None = None, household: Household | None = None) -> dict[str, int]:
    """How many counts, and earlier versions of them, an erasure removes."""
    owner = _owner(participant, household)
    return {
        "service_use": ServiceUse.objects.filter(owner).count(),
        "service_use_history": _history_of_uses()._default_manager.filter(owner).count(),
    }


def service_use_erase(*, participant: Participant | None = None, household: Household | None = None) -> None:
    """The person's or household's counts and their history, for an erasure: queryset deletes,
    so that erasing writes no new history row holding the values."""
    owner = _owner(participant, household)
    ServiceUse.objects.filter(owner).delete()
    _history_of_uses()._default_manager.filter(owner).delete()
