"""Writes to participants, contact details, households and consents: atomic, recording who did it.

Services that write identifying data also write the access-log entry for the change.
"""

from dataclasses import dataclass, fields
from datetime import date
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pilotti.accounts.models import User
from pilotti.audit.models import Action, Category, Purpose, Result
from pilotti.audit.services import log_access
from pilotti.core.history import mark_history, save_with_history
from pilotti.organisations.models import Organisation
from pilotti.people import crypto, search
from pilotti.people.models import (
    Consent,
    ConsentPurpose,
    ContactDetails,
    Household,
    HouseholdMember,
    Participant,
    Relation,
    new_code,
)
from pilotti.people.validators import normalise_identity_code, validate_identity_code

IDENTITY_CODE_INDEX = "identity_code"
NAME_INDEX = "name"


@dataclass
class ProfileFields:
    birth_year: int | None = None
    age_band: str = ""
    gender: str = ""
    preferred_language: str = ""
    needs_interpreter: bool = False
    interpreter_language: str = ""
    segment: str = ""
    municipality: str = ""


@dataclass
class ContactFields:
    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    identity_code: str = ""

    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))


def normalise_name(name: str) -> str:
    return " ".join(name.split()).casefold()


def _scope(organisation_id: int) -> str:
    return str(Organisation.objects.values_list("uuid", flat=True).get(pk=organisation_id))


def duplicates_of(
    organisation: Organisation, *, identity_code: str = "", name: str = "", birth_year: int | None = None
) -> list[Participant]:
    """Participants of the organisation with the same identity code, or the same name and birth year."""
    scope = str(organisation.uuid)
    match = Q()
    if identity_code:
        codes = crypto.blind_index_candidates(IDENTITY_CODE_INDEX, scope, normalise_identity_code(identity_code))
        match |= Q(contact__identity_code_index__in=codes)
    if name and birth_year:
        names = crypto.blind_index_candidates(NAME_INDEX, scope, normalise_name(name))
        match |= Q(contact__name_index__in=names, birth_year=birth_year)
    if not match:
        return []
    return list(Participant.objects.filter(match, organisation=organisation).distinct().order_by("code"))


def _new_code(prefix: str, model: type[Participant] | type[Household]) -> str:
    for _attempt in range(20):
        code = new_code(prefix)
        if not model.objects.filter(code=code).exists():
            return code
    raise RuntimeError("No free participant code found")  # 31**5 codes: practically unreachable


def _apply_profile(participant: Participant, profile: ProfileFields) -> None:
    for field in fields(profile):
        setattr(participant, field.name, getattr(profile, field.name))
    if not participant.needs_interpreter:
        participant.interpreter_language = ""


def _save_contact(contact: ContactDetails, values: ContactFields, actor: User | None) -> None:
    if values.identity_code:
        validate_identity_code(values.identity_code)
    scope = _scope(contact.participant.organisation_id)
    for field in fields(values):
        setattr(contact, field.name, getattr(values, field.name).strip())
    contact.identity_code = normalise_identity_code(contact.identity_code)
    contact.identity_code_index = crypto.blind_index(IDENTITY_CODE_INDEX, scope, contact.identity_code)
    contact.name_index = crypto.blind_index(NAME_INDEX, scope, normalise_name(contact.name))
    save_with_history(contact, actor=actor)
    search.name_tokens_save(contact, scope=scope)


@transaction.atomic
def participant_create(
    *,
    actor: User | None,
    organisation: Organisation,
    profile: ProfileFields,
    contact: ContactFields | None = None,
    log_purpose: Purpose = Purpose.CLIENT_WORK,
    code: str = "",
) -> Participant:
    """``code`` is for the demo, which needs stable codes; everyone else gets a random one."""
    participant = Participant(organisation=organisation, created_by=actor)
    _apply_profile(participant, profile)
    participant.code = code or _new_code("PK", Participant)
    participant.full_clean()
    save_with_history(participant, actor=actor)
    if contact is not None and not contact.is_empty():
        _save_contact(ContactDetails(participant=participant), contact, actor)
        if actor is not None:
            log_access(
                actor,
                participant=participant,
                action=Action.CHANGE,
                category=Category.CONTACT_DETAILS,
                purpose=log_purpose,
                item="created",
                result=Result.SAVED,
            )
    return participant


@transaction.atomic
def participant_update(*, actor: User, participant: Participant, profile: ProfileFields) -> Participant:
    _apply_profile(participant, profile)
    participant.full_clean()
    save_with_history(participant, actor=actor)
    return participant


@transaction.atomic
def contact_details_update(
    *, actor: User, participant: Participant, values: ContactFields, request: HttpRequest | None = None
) -> ContactDetails:
    contact = ContactDetails.objects.filter(participant=participant).first() or ContactDetails(participant=participant)
    changed = [f.name for f in fields(values) if getattr(contact, f.name, "") != getattr(values, f.name).strip()]
    _save_contact(contact, values, actor)
    log_access(
        request or actor,
        participant=participant,
        action=Action.CHANGE,
        category=Category.CONTACT_DETAILS,
        purpose=Purpose.CLIENT_WORK,
        item=", ".join(changed),
        result=Result.SAVED,
    )
    return contact


@transaction.atomic
def consent_give(*, actor: User | None, participant: Participant, purpose: str, given_on: date, method: str) -> Consent:
    current = participant.consents.filter(purpose=purpose, withdrawn_on__isnull=True).first()
    if current is not None:
        raise ValidationError(
            _("This consent was already given on %(date)s. Withdraw it first if it has changed.")
            % {"date": current.given_on.strftime("%d.%m.%Y")}
        )
    consent = Consent(participant=participant, purpose=purpose, given_on=given_on, method=method, recorded_by=actor)
    consent.full_clean()
    save_with_history(consent, actor=actor)
    return consent


@transaction.atomic
def consents_give(
    *,
    actor: User | None,
    participant: Participant,
    purposes: list[str],
    given_on: date,
    method: str,
    request: HttpRequest | None = None,
) -> list[Consent]:
    """Consent for several purposes given at once (one form, one signature): a row per purpose, each
    with its own history and withdrawal. Purposes already in force are all named in one refusal.
    A person's consents are their data: recording them is written in the access log."""
    if not purposes:
        raise ValidationError({"purposes": _("Tick the purposes the person consents to.")})
    held = participant.consents.filter(purpose__in=purposes, withdrawn_on__isnull=True)
    if held:
        labels = dict(ConsentPurpose.choices)
        raise ValidationError(
            [
                _("Consent to %(purpose)s was already given on %(date)s. Withdraw it first if it has changed.")
                % {"purpose": labels[c.purpose], "date": date_format(c.given_on, "SHORT_DATE_FORMAT")}
                for c in held
            ]
        )
    given = [
        consent_give(actor=actor, participant=participant, purpose=purpose, given_on=given_on, method=method)
        for purpose in dict.fromkeys(purposes)
    ]
    if actor is not None:
        log_access(
            request or actor,
            participant=participant,
            action=Action.CHANGE,
            category=Category.CONSENTS,
            purpose=Purpose.CLIENT_WORK,
            item=", ".join(consent.purpose for consent in given),
            result=Result.SAVED,
        )
    return given


@transaction.atomic
def consent_withdraw(*, actor: User | None, consent: Consent, on: date) -> Consent:
    if consent.withdrawn_on is not None:
        raise ValidationError(_("This consent has already been withdrawn."))
    if on < consent.given_on:
        raise ValidationError(_("The withdrawal date is before the consent was given. Choose a later date."))
    consent.withdrawn_on = on
    save_with_history(consent, actor=actor)
    return consent


@dataclass
class MemberFields:
    relation: str
    participant: Participant | None = None
    # The member row being edited, so that a child keeps its identity (and its attendance).
    member_uuid: UUID | None = None
    birth_year: int | None = None
    due_date: date | None = None


def _check_members(organisation: Organisation, members: list[MemberFields]) -> None:
    seen: set[int] = set()
    for member in members:
        if member.relation == Relation.EXPECTED_CHILD and member.due_date is None:
            raise ValidationError(_("Give the due date of the expected child."))
        if member.participant is not None:
            if member.participant.organisation_id != organisation.pk:
                raise ValidationError(_("Only your organisation's participants can be members."))
            if member.participant.pk in seen:
                raise ValidationError(
                    _("%(code)s is listed twice. Remove one of the rows.") % {"code": member.participant.code}
                )
            seen.add(member.participant.pk)
    if not any(m.relation in (Relation.PARENT, Relation.PARTNER) and m.participant for m in members):
        raise ValidationError(_("Add at least one parent who is a participant, by their participant code."))


@transaction.atomic
def household_save(
    *,
    actor: User | None,
    organisation: Organisation,
    members: list[MemberFields],
    household: Household | None = None,
    segment: str = "",
    municipality: str = "",
    code: str = "",
) -> Household:
    """Creates a household or replaces the members of an existing one."""
    _check_members(organisation, members)
    if household is None:
        household = Household(organisation=organisation, code=code or _new_code("PH", Household))
    household.segment, household.municipality = segment, municipality
    save_with_history(household, actor=actor)
    existing = {m.uuid: m for m in household.members.all()} if household.pk else {}
    by_participant = {m.participant_id: m for m in existing.values() if m.participant_id}
    keep: list[int] = []
    for member in members:
        # Match the row being edited, else the participant's row: members are updated in place,
        # never deleted and re-created, so their history and attendance stay with them.
        row = existing.get(member.member_uuid) if member.member_uuid else None
        if row is None and member.participant is not None:
            row = by_participant.get(member.participant.pk)
        if row is None or row.pk in keep:
            row = HouseholdMember(household=household)
        row.participant, row.relation = member.participant, member.relation
        row.birth_year, row.due_date = member.birth_year, member.due_date
        mark_history(row, actor=actor)
        try:
            row.save()
        except IntegrityError as error:  # pragma: no cover - _check_members refuses duplicates first
            raise ValidationError(_("A participant is listed twice.")) from error
        keep.append(row.pk)
    household.members.exclude(pk__in=keep).delete()
    return household
