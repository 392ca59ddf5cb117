"""Writes of the three ways to answer: personal links, the client panel and paper forms.

Every submitted response, whatever the way, is followed by
``measurement.services.response_submitted`` (safety alerts, due questionnaires), called after
the response is stored so that a failure there never loses the answer.
"""

import hashlib
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pilotti.accounts.models import User
from pilotti.audit.models import Action, Category, Purpose, Result
from pilotti.audit.services import log_access
from pilotti.core import languages, once
from pilotti.core.tokens import hash_token
from pilotti.instruments import coverage
from pilotti.instruments import selectors as instruments
from pilotti.instruments.models import InstrumentVersion, Mode, Response
from pilotti.instruments.scoring import AnswerValue, problems
from pilotti.instruments.services import response_record
from pilotti.measurement.services import response_submitted
from pilotti.meetings.models import Meeting
from pilotti.meetings.sms import send_sms, sms_available
from pilotti.people.models import ContactDetails, Participant
from pilotti.surveys import questionnaire, selectors
from pilotti.surveys.models import ClientPanel, PanelDevice, PersonalLink

# Ten characters of letters and digits without look-alikes: about 58 bits, and every answer
# is rate-limited, for an address that only gives a blank anonymous questionnaire.
PANEL_CODE_ALPHABET = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
PANEL_CODE_LENGTH = 10


class AlreadyAnswered(Exception):
    """The link was answered, or this device already answered the client panel."""


class TooManyAnswers(Exception):
    """The client panel's limit of answers from one address was reached."""


def link_path(token: str) -> str:
    return reverse("surveys:answer", kwargs={"token": token})


def link_url(token: str) -> str:
    """The address for messages sent without a request (``settings.SITE_URL``)."""
    return settings.SITE_URL + link_path(token)


def panel_path(panel: ClientPanel) -> str:
    return reverse("surveys:panel_answer", kwargs={"code": panel.code})


def can_be_answered_online(version: InstrumentVersion, organisation_id: int) -> bool:
    """Only versions with complete wording in some language (for validated instruments: an
    official translation, or the organisation's licensed translation pack) are offered to participants."""
    return bool(version.languages) or bool(coverage.covered(version, organisation_id))


# --- Personal links ----------------------------------------------------------------------------


def personal_link_create(
    *,
    actor: User | None,
    participant: Participant,
    version: InstrumentVersion,
    expires_at: datetime | None = None,
    send_by: str | None = None,
) -> tuple[PersonalLink, str]:
    """A new link and its token (shown or sent once; only the hash is kept).

    ``send_by`` "email" or "sms" sends it to the participant's contact details, in their
    preferred language, and writes an access-log entry; None only makes it (to show as a QR
    code). ``actor`` None is a system task such as the measurement plan.
    """
    if version.instrument.organisation_id not in (None, participant.organisation_id):
        raise ValidationError(_("This instrument belongs to another organisation."))
    if not can_be_answered_online(version, participant.organisation_id):
        raise ValidationError(_("This questionnaire has no wording for participants; type in a paper form instead."))
    if send_by not in (None, "", PersonalLink.SentBy.EMAIL, PersonalLink.SentBy.SMS):
        raise ValidationError(_("Unknown way of sending."))
    if send_by == PersonalLink.SentBy.SMS and not sms_available():
        raise ValidationError(_("Text messages cannot be sent from this installation. Send the link by e-mail."))
    address = _address(participant, send_by) if send_by else ""
    token = secrets.token_urlsafe(32)
    link = PersonalLink.objects.create(
        organisation_id=participant.organisation_id,
        participant=participant,
        version=version,
        token_hash=hash_token(token),
        created_by=actor,
        expires_at=expires_at or timezone.now() + timedelta(days=settings.SURVEY_LINK_DAYS),
        sent_by=send_by or "",
    )
    if send_by:
        _send_link(actor, link, token, address)
    return link, token


def _address(participant: Participant, send_by: str) -> str:
    contact = ContactDetails.objects.filter(participant=participant).first()
    address = (contact.email if send_by == PersonalLink.SentBy.EMAIL else contact.phone) if contact else ""
    if not address:
        if send_by == PersonalLink.SentBy.EMAIL:
            raise ValidationError(_("%(code)s has no e-mail address.") % {"code": participant.code})
        raise ValidationError(_("%(code)s has no phone number.") % {"code": participant.code})
    return address


def _send_link(actor: User | None, link: PersonalLink, token: str, address: str) -> None:
    language = languages.from_free_text(link.participant.preferred_language) or settings.PARTICIPANT_LANGUAGES[0]
    with translation.override(language):
        values = {
            "title": link.version.title_in(language),
            "url": link_url(token),
            "date": date_format(timezone.localtime(link.expires_at), "SHORT_DATE_FORMAT"),
        }
        body = _("Please answer the questionnaire “%(title)s” by %(date)s: %(url)s") % values
        if link.sent_by == PersonalLink.SentBy.SMS:
            send_sms(address, body)
        else:
            subject = _("A questionnaire for you: %(title)s") % values
            send_mail(
                subject, body + "\n\n" + _("The link is personal: please do not share it.") + "\n", None, [address]
            )
    log_access(
        actor,
        participant=link.participant,
        action=Action.SEND,
        category=Category.CONTACT_DETAILS,
        purpose=Purpose.QUESTIONNAIRE,
        item=f"{link.sent_by} questionnaire link {link.version}",
        system="" if actor else "questionnaire links",
    )


def personal_link_find(token: str, *, now: datetime | None = None) -> PersonalLink | None:
    """The link of a token, while it has not expired; None for unknown and expired alike."""
    link = (
        PersonalLink.objects.filter(token_hash=hash_token(token))
        .select_related("participant", "version", "version__instrument", "response")
        .first()
    )
    if link is None or link.expires_at <= (now or timezone.now()):
        return None
    return link


def draft_answers(link: PersonalLink) -> dict[str, AnswerValue]:
    from pilotti.instruments.services import answers_of

    if link.response is None or link.response.submitted_at is not None:
        return {}
    return answers_of(link.response)


def _locked(link: PersonalLink) -> PersonalLink:
    locked = PersonalLink.objects.select_for_update().select_related("version__instrument").get(pk=link.pk)
    if locked.submitted_at is not None:
        raise AlreadyAnswered
    return locked


def _replace_draft(link: PersonalLink) -> None:
    if link.response is not None and link.response.submitted_at is None:
        draft = link.response
        link.response = None
        link.save(update_fields=["response"])
        draft.delete()


def personal_link_pause(*, link: PersonalLink, answers: Mapping[str, AnswerValue], language: str) -> Response:
    """Keeps the answers so far as a response not yet submitted; the same link resumes it."""
    with transaction.atomic():
        link = _locked(link)
        _replace_draft(link)
        draft = response_record(
            version=link.version,
            organisation=link.organisation,
            participant=link.participant,
            answers=answers,
            mode=Mode.PERSONAL_LINK,
            language=language,
            submitted=False,
        )
        link.response = draft
        link.save(update_fields=["response"])
    return draft


def link_scope(link: PersonalLink) -> str:
    """The personal link's forms' scope of one-time keys (pilotti.core.once)."""
    return f"link:{link.pk}"


def personal_link_submit(
    *,
    link: PersonalLink,
    answers: Mapping[str, AnswerValue],
    language: str,
    once_key: str = "",
    now: datetime | None = None,
) -> Response:
    """Stores the answers as submitted. A link is answered once: a second time raises
    AlreadyAnswered; missing or invalid answers raise ValidationError keyed by item. The form's
    one-time key is recorded with the answer (``once_key``, see pilotti.core.once)."""
    with transaction.atomic():
        link = _locked(link)
        once.claim(link_scope(link), once_key, now=now)
        _replace_draft(link)
        response = response_record(
            version=link.version,
            organisation=link.organisation,
            participant=link.participant,
            answers=answers,
            mode=Mode.PERSONAL_LINK,
            language=language,
            now=now,
        )
        link.response, link.submitted_at = response, response.submitted_at
        link.save(update_fields=["response", "submitted_at"])
    response_submitted(response=response)
    return response


# --- The client panel --------------------------------------------------------------------------


def _new_panel_code() -> str:
    return "".join(secrets.choice(PANEL_CODE_ALPHABET) for _ in range(PANEL_CODE_LENGTH))


@transaction.atomic
def panel_set(
    *, actor: User, meeting: Meeting, version: InstrumentVersion, kiosk: bool, is_open: bool = True
) -> ClientPanel:
    """Opens the meeting's client panel, or changes its questionnaire, kiosk mode or openness.
    The questionnaire can change only until the first answer."""
    if version.instrument.organisation_id not in (None, meeting.unit.organisation_id):
        raise ValidationError(_("This instrument belongs to another organisation."))
    if not can_be_answered_online(version, meeting.unit.organisation_id):
        raise ValidationError(_("This questionnaire has no wording for participants; type in a paper form instead."))
    panel = ClientPanel.objects.select_for_update().filter(meeting=meeting).first()
    if panel is None:
        return ClientPanel.objects.create(
            meeting=meeting, version=version, code=_new_panel_code(), kiosk=kiosk, is_open=is_open, created_by=actor
        )
    if panel.version_id != version.pk and panel_answer_count(panel):
        raise ValidationError(_("The questionnaire cannot change after the first answer."))
    panel.version, panel.kiosk, panel.is_open = version, kiosk, is_open
    panel.save(update_fields=["version", "kiosk", "is_open"])
    return panel


def panel_answer_count(panel: ClientPanel) -> int:
    return Response.objects.filter(
        meeting_id=panel.meeting_id, version_id=panel.version_id, mode=Mode.CLIENT_PANEL, submitted_at__isnull=False
    ).count()


def device_hash(panel: ClientPanel, device_id: str) -> str:
    return hashlib.sha256(f"{panel.code}:{device_id}".encode()).hexdigest()


def panel_answer(
    *,
    panel: ClientPanel,
    answers: Mapping[str, AnswerValue],
    language: str,
    device_id: str,
    over_limit: bool = False,
    once_key: str = "",
    now: datetime | None = None,
) -> Response:
    """One anonymous answer to the meeting's panel.

    Outside kiosk mode a device (its cookie's random id, hashed with the panel's code) answers
    once: a second time raises AlreadyAnswered. The device row is not linked to the answer.
    Safety items are never offered here, so they are left out of the checks too. ``over_limit``:
    this address has sent more answers to the panel than its limit allows in the window
    (``throttling.panel_waits`` counts them with the request): a valid answer raises TooManyAnswers.
    A form's one-time key (``once_key``) stores it once, kiosk mode too: a resend raises
    once.AlreadyUsed.
    """
    if not selectors.panel_accepts_answers(panel, now or timezone.now()):
        raise ValidationError(_("This questionnaire is closed."))
    version = instruments.version_with_structure(panel.version)
    spec = instruments.spec_of(version)
    offered = {item.key for item in questionnaire.offered_items(spec, anonymous=True)}
    answers = {key: value for key, value in answers.items() if key in offered}
    found = {key: code for key, code in problems(spec, answers).items() if key in offered}
    if found:
        raise ValidationError({key: ValidationError(code, code=code) for key, code in found.items()})
    if over_limit:
        raise TooManyAnswers
    # With safety items left out the form is partial for the instrument's checks; the offered
    # items were checked in full above, and the missing-items rule decides the total.
    complete = offered == {item.key for item in spec.items}
    if panel.kiosk and complete and not once_key:  # response_record stores all or nothing by itself
        response = _panel_response(panel, version, answers, language, submitted=True, now=now)
    else:
        with transaction.atomic():
            once.claim(panel_scope(panel), once_key, now=now)
            if not panel.kiosk:
                try:
                    with transaction.atomic():
                        PanelDevice.objects.create(panel=panel, device_hash=device_hash(panel, device_id))
                except IntegrityError:
                    raise AlreadyAnswered from None
            response = _panel_response(panel, version, answers, language, submitted=complete, now=now)
            if not complete:
                response.submitted_at = now or timezone.now()
                response.save(update_fields=["submitted_at"])
    response_submitted(response=response)
    return response


def panel_scope(panel: ClientPanel) -> str:
    """The panel's forms' scope of one-time keys (pilotti.core.once)."""
    return f"panel:{panel.pk}"


def _panel_response(
    panel: ClientPanel,
    version: InstrumentVersion,
    answers: Mapping[str, AnswerValue],
    language: str,
    *,
    submitted: bool,
    now: datetime | None,
) -> Response:
    return response_record(
        version=version,
        organisation=panel.meeting.unit.organisation,
        meeting=panel.meeting,
        answers=answers,
        mode=Mode.CLIENT_PANEL,
        language=language,
        submitted=submitted,
        now=now,
    )


def panel_has_answered(panel: ClientPanel, device_id: str) -> bool:
    return (
        bool(device_id) and PanelDevice.objects.filter(panel=panel, device_hash=device_hash(panel, device_id)).exists()
    )


# --- Paper -------------------------------------------------------------------------------------


def paper_record(
    *,
    actor: User,
    participant: Participant,
    version: InstrumentVersion,
    answers: Mapping[str, AnswerValue],
    language: str,
    meeting: Meeting | None = None,
    answered_on: datetime | None = None,
    once_key: str = "",
) -> Response:
    """A paper form typed in by staff: marked as paper, items may be left blank (the
    instrument's missing-items rule then decides the total). The entry form's one-time key
    (``once_key``) stores it once: a resend raises once.AlreadyUsed."""
    with transaction.atomic():
        once.claim(f"paper:{participant.pk}", once_key)
        response = response_record(
            version=version,
            organisation=participant.organisation,
            participant=participant,
            meeting=meeting,
            answers=answers,
            mode=Mode.PAPER,
            language=language,
            actor=actor,
            now=answered_on,
        )
    log_access(
        actor,
        participant=participant,
        action=Action.CHANGE,
        category=Category.ANSWERS,
        purpose=Purpose.QUESTIONNAIRE,
        item=f"paper questionnaire {version}",
        result=Result.SAVED,
    )
    response_submitted(response=response)
    return response
