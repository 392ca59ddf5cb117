"""Reads for the person's rights: who may act on them, everything stored about a person
(Art. 15 / 20) and the person's log (client-data act § 11). A constant number of queries."""

from datetime import date, timedelta
from typing import Any

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from pilotti.accounts.models import User
from pilotti.audit.models import AccessLog
from pilotti.instruments.models import Answer, Response
from pilotti.interviews.selectors import person_material
from pilotti.measurement.models import SafetyAlert
from pilotti.meetings.models import Attendance, ReminderChoice
from pilotti.organisations.models import Organisation, Role
from pilotti.organisations.viewer import Viewer, active_memberships
from pilotti.people.models import Consent, ContactDetails, Household, HouseholdMember, Participant
from pilotti.recruitment.models import Enrolment, StageChange
from pilotti.rights.models import Disclosure, ErasureRecord
from pilotti.serviceuse.selectors import person_service_use
from pilotti.surveys.models import PersonalLink

LOG_EXTRACT_DAYS = 2 * 365 + 1  # "normally the last two years" (703/2023 § 11)


def participant_for_rights(viewer: Viewer, participant_uuid: Any) -> Participant:
    """The participant, if the viewer coordinates their organisation; 404 for everyone else
    (admins, evaluators, facilitators, outsiders), without a hint that the person exists."""
    organisations = viewer.organisation_ids((Role.COORDINATOR,))
    queryset = Participant.objects.filter(organisation__in=organisations).select_related("organisation")
    return get_object_or_404(queryset, uuid=participant_uuid)


def household_for_rights(viewer: Viewer, household_uuid: Any) -> Household:
    """The household, if the viewer coordinates its organisation; 404 for everyone else."""
    organisations = viewer.organisation_ids((Role.COORDINATOR,))
    queryset = Household.objects.filter(organisation__in=organisations).select_related("organisation")
    return get_object_or_404(queryset, uuid=household_uuid)


def _profile(participant: Participant) -> dict[str, Any]:
    return {
        "code": participant.code,
        "organisation": participant.organisation.name,
        "birth_year": participant.birth_year,
        "age_band": participant.get_age_band_display(),
        "gender": participant.get_gender_display(),
        "preferred_language": participant.preferred_language,
        "needs_interpreter": participant.needs_interpreter,
        "interpreter_language": participant.interpreter_language,
        "segment": participant.segment,
        "municipality": participant.municipality,
        "created_at": participant.created_at,
    }


def _contact(participant: Participant) -> dict[str, str] | None:
    contact = ContactDetails.objects.filter(participant=participant).first()
    if contact is None:
        return None
    fields = ("name", "phone", "email", "address", "identity_code")
    return {field: getattr(contact, field) for field in fields}


def _enrolments(participant: Participant) -> list[dict[str, Any]]:
    households = HouseholdMember.objects.filter(participant=participant).values("household_id")
    enrolments = (
        Enrolment.objects.filter(Q(participant=participant) | Q(household__in=households))
        .select_related("programme", "unit", "household")
        .prefetch_related(Prefetch("changes", queryset=StageChange.objects.order_by("on", "id")))
        .order_by("contacted_on", "id")
    )
    return [
        {
            "programme": e.programme.name,
            "unit": e.unit.name if e.unit else "",
            "as_household": e.household.code if e.household else "",
            "referral_source": e.get_referral_source_display(),
            "stage": e.get_stage_display(),
            "contacted_on": e.contacted_on,
            "completed_on": e.completed_on,
            "ended_on": e.ended_on,
            "end_reason": e.end_reason,
            "stage_history": [
                {
                    "on": c.on,
                    "from": c.get_from_stage_display(),
                    "to": c.get_to_stage_display(),
                    "reason": c.reason,
                }
                for c in e.changes.all()
            ],
        }
        for e in enrolments
    ]


def _responses(participant: Participant) -> list[dict[str, Any]]:
    responses = (
        Response.objects.filter(participant=participant)
        .select_related("version__instrument", "band")
        .prefetch_related(
            Prefetch("answers", queryset=Answer.objects.select_related("item").prefetch_related("choices"))
        )
        .order_by("submitted_at", "id")
    )
    return [
        {
            "questionnaire": r.version.instrument.local_name,
            "version": r.version.number,
            "answered_by": r.get_mode_display(),
            "submitted_at": r.submitted_at,
            "total": r.total,
            "mean_item_score": r.mean_item_score,
            "band": r.band.label if r.band else None,
            "subscale_scores": r.subscale_scores,
            "answers": [
                {
                    "item": a.item.key,
                    "value": a.value,
                    "choices": [o.value for o in a.choices.all()],
                    "text": a.text,
                    "date": a.date,
                }
                for a in r.answers.all()
            ],
        }
        for r in responses
    ]


def _access_log(participant: Participant, since: Any = None) -> list[dict[str, Any]]:
    entries = AccessLog.objects.filter(participant=participant)
    if since is not None:
        entries = entries.filter(at__gte=since)
    return [
        {
            "at": e.at,
            "user": e.user_email,
            "role": e.get_role_display(),
            "action": e.get_action_display(),
            "data": e.get_category_display(),
            "details": e.item_label,
            "purpose": e.get_purpose_display(),
        }
        for e in entries.order_by("-at", "-id")
    ]


def _disclosures(participant: Participant, since: date | None = None) -> list[dict[str, Any]]:
    disclosures = Disclosure.objects.filter(participant=participant)
    if since is not None:
        disclosures = disclosures.filter(disclosed_on__gte=since)
    return [
        {
            "disclosed_on": d.disclosed_on,
            "recipient": d.recipient,
            "legal_basis": d.legal_basis,
            "what": d.what,
            "by": d.recorded_by_email,
        }
        for d in disclosures.order_by("-disclosed_on", "-id")
    ]


def person_data(participant: Participant) -> dict[str, Any]:
    """Everything Pilotti stores about one person, decrypted, for the person themselves."""
    reminder = ReminderChoice.objects.filter(participant=participant).first()
    return {
        "generated_at": timezone.now(),
        "profile": _profile(participant),
        "contact_details": _contact(participant),
        "households": [
            {"household": m.household.code, "relation": m.get_relation_display()}
            for m in HouseholdMember.objects.filter(participant=participant).select_related("household")
        ],
        "consents": [
            {
                "purpose": c.get_purpose_display(),
                "given_on": c.given_on,
                "method": c.get_method_display(),
                "withdrawn_on": c.withdrawn_on,
            }
            for c in Consent.objects.filter(participant=participant).order_by("given_on", "id")
        ],
        "enrolments": _enrolments(participant),
        "attendance": [
            {"meeting": a.meeting.starts_at, "group": a.meeting.unit.name, "status": a.get_status_display()}
            for a in Attendance.objects.filter(participant=participant)
            .select_related("meeting__unit")
            .order_by("meeting__starts_at")
        ],
        "questionnaires": _responses(participant),
        "safety_alerts": [
            {"raised_at": s.raised_at, "acknowledged_at": s.acknowledged_at, "what_was_done": s.note}
            for s in SafetyAlert.objects.filter(participant=participant).order_by("raised_at")
        ],
        "reminders": reminder.get_channel_display() if reminder else None,
        # Never the tokens: only that a link was made, for what and what became of it.
        "questionnaire_links": [
            {
                "questionnaire": link.version.instrument.local_name,
                "created_at": link.created_at,
                "expires_at": link.expires_at,
                "answered_at": link.submitted_at,
            }
            for link in PersonalLink.objects.filter(participant=participant)
            .select_related("version__instrument")
            .order_by("created_at")
        ],
        # What they said in interviews and focus groups, and excerpts of their free-text answers.
        "interviews": person_material(participant),
        # Counts of their (or their household's) contacts with services before and after the support.
        "service_use": person_service_use(participant),
        "access_log": _access_log(participant),
        "disclosures": _disclosures(participant),
    }


def person_log(participant: Participant) -> dict[str, Any]:
    """Who used or received the person's data and why, over the last two years."""
    now = timezone.now()
    since = now - timedelta(days=LOG_EXTRACT_DAYS)
    return {
        "generated_at": now,
        "participant": participant.code,
        "organisation": participant.organisation.name,
        "since": since.date(),
        "access_log": _access_log(participant, since),
        "disclosures": _disclosures(participant, since.date()),
    }


def is_erased(participant: Participant) -> bool:
    return ErasureRecord.objects.filter(participant=participant).exists()


def is_household_erased(household: Household) -> bool:
    return ErasureRecord.objects.filter(household=household).exists()


def organisation_for_admin(user: User, organisation: Organisation | None) -> Organisation | None:
    if organisation is None:
        return None
    if not active_memberships(user, (Role.ADMIN,), organisation).exists():
        return None
    return organisation
