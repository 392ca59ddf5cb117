"""Writes for the person's rights: recording a disclosure, erasing a person (on request or
when the retention period ends). One code path anonymises, for both."""

from datetime import date

from django.db import models, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import get_history_model_for_model

from pilotti.accounts.models import User
from pilotti.audit.models import Action, Category, Purpose, Result
from pilotti.audit.services import log_access
from pilotti.core.history import save_with_history
from pilotti.instruments.models import Answer, Response
from pilotti.interviews.services import person_material_counts, person_material_erase
from pilotti.measurement.models import SafetyAlert
from pilotti.meetings.models import ReminderChoice
from pilotti.organisations.models import Organisation
from pilotti.people.models import AgeBand, ContactDetails, Household, HouseholdMember, Participant
from pilotti.recruitment.models import Enrolment, StageChange
from pilotti.rights.models import Disclosure, ErasureReason, ErasureRecord
from pilotti.serviceuse.services import service_use_counts, service_use_erase

KEEP_ANONYMISED = "keep_anonymised"
DELETE_ANSWERS = "delete_answers"


class ErasureRefused(Exception):
    """A statutory retention period has not passed (or the client relationship continues)."""

    def __init__(self, message: str, until: date | None) -> None:
        super().__init__(message)
        self.message = message
        self.until = until


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _enrolments(participant: Participant) -> QuerySet[Enrolment]:
    households = HouseholdMember.objects.filter(participant=participant).values("household_id")
    return Enrolment.objects.filter(Q(participant=participant) | Q(household__in=households))


def programme_ended_on(participant: Participant) -> tuple[date | None, bool]:
    """The day the person's last programme ended, and whether a client relationship began
    (an enrolment that started). ``None`` while an enrolment is still open; the day the
    person was added if they were never enrolled."""
    enrolments = _enrolments(participant)
    figures = enrolments.aggregate(
        open=Max("id", filter=Q(completed_on=None, ended_on=None)),
        completed=Max("completed_on"),
        ended=Max("ended_on"),
        started=Max("started_on"),
        any=Max("id"),
    )
    started = figures["started"] is not None
    if figures["any"] is None:
        return participant.created_at.date(), False
    if figures["open"] is not None:
        return None, started
    return max(d for d in (figures["completed"], figures["ended"]) if d is not None), started


def statutory_until(participant: Participant) -> tuple[bool, date | None]:
    """(held, until): whether client documents must still be kept by law, and until when."""
    years = participant.organisation.statutory_retention_years
    if not years:
        return False, None
    ended, started = programme_ended_on(participant)
    if not started:
        return False, None  # no client relationship began: no client documents to keep
    if ended is None:
        return True, None
    until = _add_years(ended, years)
    return until > timezone.localdate(), until


def retention_due(participant: Participant, today: date) -> bool:
    ended, _started = programme_ended_on(participant)
    if ended is None:
        return False
    organisation = participant.organisation
    years = max(organisation.retention_years_after_programme, organisation.statutory_retention_years or 0)
    return _add_years(ended, years) <= today


def _history(model: type[models.Model]) -> type[models.Model]:
    history: type[models.Model] = get_history_model_for_model(model)
    return history


def erasure_counts(participant: Participant) -> dict[str, int]:
    policy = participant.organisation.erasure_policy
    responses = Response.objects.filter(participant=participant)
    return {
        "contact_details": ContactDetails.objects.filter(participant=participant).count(),
        "contact_details_history": _history(ContactDetails)
        ._default_manager.filter(participant_id=participant.pk)
        .count(),
        "participant_history": _history(Participant)._default_manager.filter(id=participant.pk).count(),
        "responses_deleted": responses.count() if policy == DELETE_ANSWERS else 0,
        "responses_kept_anonymised": responses.count() if policy == KEEP_ANONYMISED else 0,
        "safety_alerts": SafetyAlert.objects.filter(participant=participant).count(),
        "reminder_choice": ReminderChoice.objects.filter(participant=participant).count(),
        **person_material_counts(participant),
        **service_use_counts(participant=participant),
    }


def _age_band(birth_year: int | None, fallback: str) -> str:
    """Keeps the coarse age band the reports group by, instead of the exact year."""
    if birth_year is None:
        return fallback
    age = timezone.localdate().year - birth_year
    bands = [(18, AgeBand.UNDER_18), (30, AgeBand.AGE_18_29), (45, AgeBand.AGE_30_44), (65, AgeBand.AGE_45_64)]
    return next((str(band) for limit, band in bands if age < limit), str(AgeBand.AGE_65_PLUS))


# Profile fields that could point at a person; code, gender and segment stay (see docs/rights.md).
BLANKED = {"birth_year": None, "municipality": "", "preferred_language": "", "interpreter_language": ""}


def _anonymise(participant: Participant, policy: str) -> None:
    # Queryset updates and deletes, so that erasing does not itself write new history rows
    # holding the values; then the history tables are cleaned of the old ones.
    pk = participant.pk
    ContactDetails.objects.filter(participant_id=pk).delete()
    _history(ContactDetails)._default_manager.filter(participant_id=pk).delete()
    profile = {**BLANKED, "age_band": _age_band(participant.birth_year, participant.age_band)}
    Participant.objects.filter(pk=pk).update(**profile)
    _history(Participant)._default_manager.filter(id=pk).update(**profile)
    Enrolment.objects.filter(participant_id=pk).update(end_reason="")
    _history(Enrolment)._default_manager.filter(participant_id=pk).update(end_reason="")
    StageChange.objects.filter(enrolment__participant_id=pk).update(reason="")
    ReminderChoice.objects.filter(participant_id=pk).delete()
    _history(ReminderChoice)._default_manager.filter(participant_id=pk).delete()
    person_material_erase(participant)  # interviews, focus groups, excerpts: before the answers go
    service_use_erase(participant=participant)  # their counts of contacts with services, and their history
    if policy == DELETE_ANSWERS:
        SafetyAlert.objects.filter(participant_id=pk).delete()
        _history(SafetyAlert)._default_manager.filter(participant_id=pk).delete()
        Response.objects.filter(participant_id=pk).delete()
    else:
        # Scores and chosen values stay for the reports; free text could name someone.
        Answer.objects.filter(response__participant_id=pk).exclude(text="").update(text="")
        SafetyAlert.objects.filter(participant_id=pk).update(note="")
        _history(SafetyAlert)._default_manager.filter(participant_id=pk).update(note="")


def _refuse_if_held(participant: Participant) -> None:
    held, until = statutory_until(participant)
    if held:
        if until is None:
            message = _("The law requires keeping this person's client documents: their programme has not ended.")
        else:
            message = _("The law requires keeping this person's client documents until %(date)s.") % {
                "date": until.isoformat()
            }
        raise ErasureRefused(message, until)


def _by_email(actor: User | None) -> str:
    return actor.email if actor is not None else "system: apply_retention"


def participant_erase(
    *, actor: User | None, participant: Participant, reason: str = ErasureReason.REQUEST, item: str = ""
) -> ErasureRecord:
    """Erases what identifies the person and records that it was done, without naming them.

    Refused (``ErasureRefused``) while a statutory retention period holds. The participant row
    stays, anonymised: the access log points at it and is never erased. Erasing someone already
    erased anonymises again whatever was added since and keeps the first record."""
    _refuse_if_held(participant)
    policy = participant.organisation.erasure_policy
    if not item:
        item = "erasure (Art. 17)" if reason == ErasureReason.REQUEST else "erasure (retention period ended)"
    with transaction.atomic():
        counts = erasure_counts(participant)
        _anonymise(participant, policy)
        log_access(
            actor,
            participant=participant,
            action=Action.CHANGE,
            category=Category.CONTACT_DETAILS,
            purpose=Purpose.CLIENT_WORK,
            item=item,
            result=Result.SAVED,
            system="" if actor is not None else "apply_retention",
        )
        record, _created = ErasureRecord.objects.get_or_create(
            participant=participant,
            defaults={
                "organisation": participant.organisation,
                "by": actor,
                "by_email": _by_email(actor),
                "reason": reason,
                "policy": policy,
                "counts": counts,
            },
        )
        return record


def household_members_to_erase(household: Household) -> QuerySet[Participant]:
    """The household's members who are participants of their own (parents, partners)."""
    return Participant.objects.filter(memberships__household=household).select_related("organisation")


def household_erasure_counts(household: Household) -> dict[str, int]:
    members = HouseholdMember.objects.filter(household=household)
    return {
        "members_erased": household_members_to_erase(household).count(),
        "other_members_blanked": members.filter(participant=None).count(),
        "household_history": _history(Household)._default_manager.filter(id=household.pk).count(),
        "member_history": _history(HouseholdMember)._default_manager.filter(household_id=household.pk).count(),
        **service_use_counts(household=household),
    }


def household_erase(*, actor: User | None, household: Household) -> ErasureRecord:
    """Erases a whole household (PH- code) on request: every member who is a participant as
    ``participant_erase`` does, the other members' (children's) year of birth and due date, and
    the household's municipality, in the history tables too.

    All or nothing: refused (``ErasureRefused``) if the law still holds any member's client
    documents, and then nothing is erased. The household code and segment stay, like a
    participant's code and segment."""
    members = list(household_members_to_erase(household))
    for member in members:
        _refuse_if_held(member)
    with transaction.atomic():
        counts = household_erasure_counts(household)
        for member in members:
            participant_erase(actor=actor, participant=member, item="household erasure (Art. 17)")
        blank = {"birth_year": None, "due_date": None}
        HouseholdMember.objects.filter(household=household).update(**blank)
        _history(HouseholdMember)._default_manager.filter(household_id=household.pk).update(**blank)
        Household.objects.filter(pk=household.pk).update(municipality="")
        service_use_erase(household=household)
        _history(Household)._default_manager.filter(id=household.pk).update(municipality="")
        record, _created = ErasureRecord.objects.update_or_create(
            household=household,
            defaults={
                "organisation": household.organisation,
                "by": actor,
                "by_email": _by_email(actor),
                "reason": ErasureReason.REQUEST,
                "policy": household.organisation.erasure_policy,
                "counts": counts,
            },
        )
        return record


def disclosure_record(
    *, actor: User, participant: Participant, recipient: str, legal_basis: str, what: str, disclosed_on: date
) -> Disclosure:
    return Disclosure.objects.create(
        organisation=participant.organisation,
        participant=participant,
        recipient=recipient,
        legal_basis=legal_basis,
        what=what,
        disclosed_on=disclosed_on,
        recorded_by=actor,
        recorded_by_email=actor.email,
    )


def organisation_set_rights_policy(
    *,
    actor: User,
    organisation: Organisation,
    retention_years_after_programme: int,
    statutory_retention_years: int | None,
    erasure_policy: str,
) -> Organisation:
    """Saved with ``save()`` so that the organisation's history records who changed what."""
    organisation.retention_years_after_programme = retention_years_after_programme
    organisation.statutory_retention_years = statutory_retention_years
    organisation.erasure_policy = erasure_policy
    save_with_history(
        organisation,
        actor=actor,
        update_fields=["retention_years_after_programme", "statutory_retention_years", "erasure_policy"],
    )
    return organisation
