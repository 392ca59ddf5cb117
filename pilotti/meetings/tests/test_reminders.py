from collections.abc import Iterator
from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from conftest import World, signed_in
from pilotti.audit.models import AccessLog
from pilotti.meetings import reminders
from pilotti.meetings import services as meetings_services
from pilotti.meetings.models import Meeting, MeetingReminder, ReminderChoice
from pilotti.meetings.reminders import Recipient
from pilotti.meetings.sms import TextMessage
from pilotti.organisations.models import Membership
from pilotti.people import services as people
from pilotti.people.models import Participant
from pilotti.programmes import services
from pilotti.recruitment import services as recruitment
from tests.factories import NOW, add_participants, enrolled_group, unit_with_meetings


def _remind(**options: object) -> str:
    out = StringIO()
    call_command("send_meeting_reminders", stdout=out, **options)
    return out.getvalue()


def test_it_reminds_the_facilitators_once_with_the_remote_link(world: World, frozen_now: datetime) -> None:
    unit, [meeting] = unit_with_meetings(world.org, facilitator=world.facilitator, at=[NOW + timedelta(hours=20)])
    services.facilitator_assign(actor=None, unit=unit, user=world.coordinator, role="peer_instructor")
    meetings_services.meeting_update(
        actor=None, meeting=meeting, theme="Synnytys", remote_link="https://video.example.org/r"
    )
    assert "Sent 2 meeting reminder(s) for the next 24 h." in _remind()
    assert "Sent 0" in _remind()  # cron runs again: nobody hears twice
    assert sorted(m.to[0] for m in mail.outbox) == [world.coordinator.email, world.facilitator.email]
    message = mail.outbox[0]
    assert message.subject == "Reminder: Hervanta on Thursday 14 Mar 2030 at 08:00"
    assert "Join the meeting: https://video.example.org/r" in message.body
    assert "Theme: Synnytys" in message.body
    assert MeetingReminder.objects.filter(meeting=meeting).count() == 2


def test_it_reminds_only_of_meetings_inside_the_window(world: World, frozen_now: datetime) -> None:
    unit_with_meetings(
        world.org,
        facilitator=world.facilitator,
        at=[NOW - timedelta(hours=1), NOW + timedelta(hours=23), NOW + timedelta(hours=25)],
    )
    _remind()
    assert len(mail.outbox) == 1
    assert "at 11:00" in mail.outbox[0].subject  # 23 h from noon
    _remind(hours=48)
    assert len(mail.outbox) == 2


def test_it_sends_nothing_for_a_cancelled_meeting(world: World, frozen_now: datetime) -> None:
    _unit, [meeting] = unit_with_meetings(world.org, facilitator=world.facilitator)
    meetings_services.meeting_cancel(actor=None, meeting=meeting, reason="Sairastuminen")
    _remind()
    assert mail.outbox == []


def test_it_leaves_out_facilitators_who_left_the_organisation(world: World, frozen_now: datetime) -> None:
    unit_with_meetings(world.org, facilitator=world.facilitator)
    Membership.objects.filter(user=world.facilitator).update(is_active=False)
    _remind()
    assert mail.outbox == []


def test_it_tries_again_after_a_failed_send(
    world: World, frozen_now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    unit_with_meetings(world.org, facilitator=world.facilitator)

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("mail server down")

    working = reminders.send_mail
    monkeypatch.setattr(reminders, "send_mail", broken)
    _remind()
    assert not MeetingReminder.objects.exists()
    monkeypatch.setattr(reminders, "send_mail", working)
    _remind()
    assert len(mail.outbox) == 1


@pytest.fixture
def participants_by_sms(monkeypatch: pytest.MonkeyPatch) -> None:
    """A second recipient source, as issue 5's participants who chose text messages will be."""

    def source(meeting: Meeting) -> Iterator[Recipient]:
        yield Recipient(key="participant:1", channel=MeetingReminder.Channel.SMS, address="+358401234567")

    monkeypatch.setattr(reminders, "RECIPIENT_SOURCES", [*reminders.RECIPIENT_SOURCES, source])


def test_it_sends_text_messages_through_the_backend(
    world: World, frozen_now: datetime, participants_by_sms: None, sms_outbox: list[TextMessage]
) -> None:
    unit_with_meetings(world.org, facilitator=world.facilitator)
    _remind()
    _remind()
    assert [m.to for m in sms_outbox] == ["+358401234567"]
    assert sms_outbox[0].body.startswith("Hervanta meets on Wednesday 13 Mar 2030 at 14:00.")
    assert len(mail.outbox) == 1


def test_it_prints_text_messages_with_the_console_backend_only_in_debug(
    settings: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]
) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from pilotti.meetings.sms import check_sms_backend, send_sms

    settings.SMS_BACKEND = "pilotti.meetings.sms.ConsoleBackend"  # type: ignore[attr-defined]
    settings.DEBUG = True  # type: ignore[attr-defined]
    send_sms("+358401234567", "Muistutus")
    assert "SMS to +358401234567:\nMuistutus" in capsys.readouterr().out
    assert check_sms_backend() == []
    # A production server (DEBUG off) would keep the number and the link in its journal.
    settings.DEBUG = False  # type: ignore[attr-defined]
    assert [error.id for error in check_sms_backend()] == ["pilotti.E120"]
    with pytest.raises(ImproperlyConfigured):
        send_sms("+358401234567", "Muistutus")
    assert "+358401234567" not in capsys.readouterr().out


def test_without_a_backend_no_page_offers_text_messages_and_none_are_sent(
    world: World, settings: pytest.FixtureRequest
) -> None:
    settings.SMS_BACKEND = ""  # type: ignore[attr-defined]
    meeting, person = _participant_who_chose(world, "sms")
    page = signed_in(world.coordinator).get(reverse("meetings:reminder_choice", args=[person.uuid])).content.decode()
    assert 'value="email"' in page
    assert 'value="sms"' not in page
    assert list(reminders.participant_recipients(meeting)) == []


# --- Participants ------------------------------------------------------------------------------


def _participant_who_chose(
    world: World, channel: str, *, language: str = "", consent: bool = True
) -> tuple[Meeting, Participant]:
    unit, [meeting] = unit_with_meetings(world.org, facilitator=None, at=[NOW + timedelta(hours=20)])
    meetings_services.meeting_update(
        actor=None, meeting=meeting, remote_link="https://video.example.org/r", notes="Salaista"
    )
    [person] = add_participants(unit, 1)
    if language:
        Participant.objects.filter(pk=person.pk).update(preferred_language=language)
    if consent:
        people.consent_give(
            actor=None, participant=person, purpose="participation", given_on=date(2030, 1, 1), method="written"
        )
    meetings_services.reminder_choice_set(actor=None, participant=person, channel=channel)
    return meeting, person


def test_it_reminds_a_participant_who_chose_e_mail_once(world: World, frozen_now: datetime) -> None:
    _meeting, person = _participant_who_chose(world, "email")
    _remind()
    _remind()
    [message] = mail.outbox
    assert message.to == ["testi1@example.org"]
    # No preferred language given: Finnish.
    assert "Liity tapaamiseen: https://video.example.org/r" in message.body
    assert "Salaista" not in message.body
    assert MeetingReminder.objects.get().recipient_key == f"participant:{person.uuid}"


def test_it_writes_in_swedish_or_english_and_otherwise_in_finnish(world: World, frozen_now: datetime) -> None:
    meeting, _person = _participant_who_chose(world, "email", language="svenska")
    [recipient] = reminders.participant_recipients(meeting)
    assert recipient.language == "sv"
    assert reminders.message_language("English") == "en"
    assert reminders.message_language("arabia") == "fi"


def test_it_sends_a_text_message_to_a_participant_who_chose_one(
    world: World, frozen_now: datetime, sms_outbox: list[TextMessage]
) -> None:
    _participant_who_chose(world, "sms")
    _remind()
    _remind()
    assert [m.to for m in sms_outbox] == ["040 000 0001"]
    assert "https://video.example.org/r" in sms_outbox[0].body
    assert mail.outbox == []


def test_it_sends_nothing_when_the_consent_to_take_part_is_withdrawn(world: World, frozen_now: datetime) -> None:
    _meeting, person = _participant_who_chose(world, "email")
    people.consent_withdraw(actor=world.coordinator, consent=person.consents.get(), on=date(2030, 3, 13))
    _remind()
    assert mail.outbox == []


def test_it_sends_nothing_without_consent_or_choice_or_after_the_enrolment_ended(
    world: World, frozen_now: datetime
) -> None:
    _participant_who_chose(world, "email", consent=False)
    _participant_who_chose(world, "none")
    _meeting, left = _participant_who_chose(world, "email")
    recruitment.enrolment_transition(
        actor=None, enrolment=left.enrolments.get(), to="dropped_out", on=date(2030, 3, 13), reason="Muutti"
    )
    _remind()
    assert mail.outbox == []


def test_it_lets_the_facilitator_choose_a_participants_reminders(world: World, frozen_now: datetime) -> None:
    _unit, meeting, [person] = enrolled_group(world.org, facilitator=world.facilitator, size=1)
    back = reverse("meetings:detail", args=[meeting.uuid])
    url = reverse("meetings:reminder_choice", args=[person.uuid]) + f"?next={back}"
    client = signed_in(world.facilitator)
    assert "Meeting reminders for " + person.code in client.get(url).text
    response = client.post(url, {"channel": "sms", "next": back})
    assert response["Location"] == back
    assert ReminderChoice.objects.get(participant=person).channel == "sms"
    assert "Meeting reminders to participants" in client.get(back).text
    for outsider in (world.evaluator, world.outsider):
        assert signed_in(outsider).get(url).status_code == 404
    assert client.post(url, {"channel": "pigeon"}).status_code == 400


def test_it_writes_each_participant_reminder_in_their_access_log(world: World, frozen_now: datetime) -> None:
    _meeting, person = _participant_who_chose(world, "email")
    _remind()
    _remind()
    [entry] = AccessLog.objects.filter(participant=person)
    assert (entry.action, entry.purpose, entry.category) == ("send", "reminder", "contact_details")
    assert entry.user is None
    assert entry.user_email == "system: send_meeting_reminders"
