from collections.abc import Iterator
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from conftest import World
from pilotti.meetings import reminders
from pilotti.meetings.models import MeetingReminder
from pilotti.meetings.reminders import Recipient
from pilotti.meetings.sms import TextMessage
from pilotti.meetings.tests.helpers import NOW, unit_with_meetings
from pilotti.organisations.models import Membership
from pilotti.programmes import services
from pilotti.programmes.models import Meeting


def _remind(**options: object) -> str:
    out = StringIO()
    call_command("send_meeting_reminders", stdout=out, **options)
    return out.getvalue()


def test_it_reminds_the_facilitators_once_with_the_remote_link(world: World, frozen_now: datetime) -> None:
    unit, [meeting] = unit_with_meetings(world.org, facilitator=world.facilitator, at=[NOW + timedelta(hours=20)])
    services.facilitator_assign(actor=None, unit=unit, user=world.coordinator, role="peer_instructor")
    services.meeting_update(actor=None, meeting=meeting, theme="Synnytys", remote_link="https://video.example.org/r")
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
    services.meeting_cancel(actor=None, meeting=meeting, reason="Sairastuminen")
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


def test_it_prints_text_messages_with_the_console_backend(
    settings: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]
) -> None:
    from pilotti.meetings.sms import send_sms

    settings.SMS_BACKEND = "pilotti.meetings.sms.ConsoleBackend"  # type: ignore[attr-defined]
    send_sms("+358401234567", "Muistutus")
    assert "SMS to +358401234567:\nMuistutus" in capsys.readouterr().out
