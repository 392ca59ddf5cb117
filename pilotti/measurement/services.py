"""Writes of the measurement plan and safety alerts.

``response_submitted`` is the hook every way of answering calls (personal link, client panel,
paper entry). Due questionnaires need nothing from it: they are computed by query
(``selectors.due_questionnaires``). It raises a safety alert when a safety item was answered
above zero.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotti.accounts.models import User
from pilotti.audit.models import Action, Category, Purpose, Result
from pilotti.audit.services import log_access, log_access_many
from pilotti.core.history import mark_history, save_with_history
from pilotti.instruments import selectors as instruments
from pilotti.instruments.models import Instrument, Response
from pilotti.instruments.scoring import score
from pilotti.instruments.services import answers_of
from pilotti.measurement import invitations, selectors
from pilotti.measurement.models import Audience, PlanEntry, SafetyAlert, When
from pilotti.people.models import Participant
from pilotti.programmes.models import DeliveryUnit, Programme


def response_submitted(*, response: Response) -> None:
    """Called once by every way of answering, right after a response is submitted.

    Raises a safety alert if a safety item was answered above zero. Anonymous answers have no
    participant and cannot raise a personal alert. The invitation the answer answers stops:
    no reminder follows it.
    """
    if response.safety_flagged and response.participant_id is not None and response.submitted_at is not None:
        alert_raise(response=response)
    invitations.response_arrived(response)


# --- Safety alerts ----------------------------------------------------------------------------


def _alert_url(alert: SafetyAlert) -> str:
    return settings.SITE_URL + reverse("measurement:alert", kwargs={"alert_uuid": alert.uuid})


def _notify(alert: SafetyAlert, recipients: list[User]) -> None:
    # Nothing about the person or the answers: only that an alert waits, and where.
    subject = _("Pilotti: a safety alert needs your attention")
    body = render_to_string("measurement/email/alert.txt", {"url": _alert_url(alert)})
    for user in recipients:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


@transaction.atomic
def alert_raise(*, response: Response, notify: bool = True) -> SafetyAlert | None:
    """Raises the alert of a flagged response once, and e-mails the responsible workers after commit."""
    participant = response.participant
    if participant is None or not response.safety_flagged:
        return None
    existing = SafetyAlert.objects.filter(response=response).first()
    if existing is not None:
        return existing
    spec = instruments.spec_of(instruments.version_with_structure(response.version))
    recipients = list(selectors.responsible_workers(participant)) if notify else []
    alert = SafetyAlert.objects.create(
        organisation_id=participant.organisation_id,
        participant=participant,
        response=response,
        items=list(score(spec, answers_of(response)).safety_items),
        raised_at=response.submitted_at or timezone.now(),
        notified=len(recipients),
    )
    if recipients:
        transaction.on_commit(lambda: _notify(alert, recipients))
    return alert


@transaction.atomic
def alerts_shown(*, request: HttpRequest, alerts: Iterable[SafetyAlert]) -> None:
    """One access-log entry per person whose alert a list shows (the start page, the alerts page)."""
    participants = list({alert.participant_id: alert.participant for alert in alerts}.values())
    if participants:
        log_access_many(
            request, participants=participants, action=Action.VIEW, category=Category.ANSWERS,
            purpose=Purpose.QUESTIONNAIRE, item="safety alert list",
        )  # fmt: skip


def alert_acknowledge(*, actor: User, alert: SafetyAlert, note: str, request: HttpRequest | None = None) -> SafetyAlert:
    """Records who acknowledged the alert, when and what was done; the change keeps history and is logged."""
    if alert.acknowledged_at is not None:
        raise ValidationError(_("This alert has already been acknowledged."))
    alert.acknowledged_at = timezone.now()
    alert.acknowledged_by = actor
    alert.note = note.strip()
    save_with_history(
        alert, actor=actor, reason="acknowledged", update_fields=["acknowledged_at", "acknowledged_by", "note"]
    )
    log_access(
        request or actor,
        participant=alert.participant,
        action=Action.CHANGE,
        category=Category.ANSWERS,
        purpose=Purpose.QUESTIONNAIRE,
        item="safety alert acknowledged",
        result=Result.SAVED,
    )
    return alert


# --- The plan ---------------------------------------------------------------------------------


@dataclass
class EntryFields:
    instrument: Instrument
    when: str
    audience: str
    follow_up_weeks: int | None = None
    anonymous: bool = False
    window_days: int = 14
    primary_outcome: bool = False


def _check(fields: EntryFields) -> None:
    errors: dict[str, str] = {}
    if fields.when == When.FOLLOW_UP and not fields.follow_up_weeks:
        errors["follow_up_weeks"] = _("Give the number of weeks after the end.")
    if fields.anonymous and fields.audience == Audience.STAFF:
        errors["anonymous"] = _("Workers' ratings are not anonymous.")
    if fields.primary_outcome and (fields.anonymous or fields.audience == Audience.STAFF):
        errors["primary_outcome"] = _("A primary outcome is measured per person: not anonymous, not workers' ratings.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def plan_entry_add(*, actor: User | None, programme: Programme, fields: EntryFields) -> PlanEntry:
    _check(fields)
    last = (
        PlanEntry.objects.filter(programme=programme).order_by("-position").values_list("position", flat=True).first()
    )
    if fields.primary_outcome:
        for previous in PlanEntry.objects.filter(programme=programme, primary_outcome=True):
            previous.primary_outcome = False
            reason = "another entry became the primary outcome"
            save_with_history(previous, actor=actor, reason=reason, update_fields=["primary_outcome"])
    return PlanEntry.objects.create(
        programme=programme,
        instrument=fields.instrument,
        when=fields.when,
        follow_up_weeks=fields.follow_up_weeks if fields.when == When.FOLLOW_UP else None,
        audience=fields.audience,
        anonymous=fields.anonymous,
        window_days=fields.window_days,
        primary_outcome=fields.primary_outcome,
        position=(last or 0) + 1,
        created_by=actor,
    )


@transaction.atomic
def plan_entry_remove(*, actor: User, entry: PlanEntry) -> None:
    """Answers already given stay; only the plan changes (with history)."""
    mark_history(entry, actor=actor, reason=f"removed by {actor.pk}")
    entry.delete()


# --- Invitations: "send now" from the due list ---------------------------------------------------


def invitations_send_now(
    *, actor: User, rows: "Iterable[selectors.DueRow]", units: QuerySet[DeliveryUnit], only_uninvited: bool = False
) -> dict[str, int]:
    """Sends the rows' invitations (or a reminder, for one already sent) now; each message is
    written in the access log under the actor's name (``invitations._log_sent``)."""
    by_entry: dict[int, tuple[PlanEntry, set[str]]] = {}
    for row in rows:
        if row.sendable and row.participant_uuid:
            by_entry.setdefault(row.entry.pk, (row.entry, set()))[1].add(row.participant_uuid)
    counts = {"sent": 0, "reminded": 0}
    now = timezone.now()
    for entry, uuids in by_entry.values():
        ids = set(Participant.objects.filter(uuid__in=uuids).values_list("pk", flat=True))
        done = invitations.send_now(
            actor=actor, entry=entry, participant_ids=ids, units=units, now=now, only_uninvited=only_uninvited
        )
        for key, value in done.items():
            counts[key] += value
    return counts
