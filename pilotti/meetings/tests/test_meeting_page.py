from datetime import timedelta

from django.urls import reverse

from conftest import World, signed_in
from pilotti.meetings import services
from pilotti.meetings.models import Meeting
from tests.factories import NOW, unit_with_meetings


def _details(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "topic": "",
        "theme": "",
        "remote_link": "",
        "interpreter_language": "",
        "notes": "",
    }
    data.update(changes)
    return data


def test_it_shows_the_meeting_to_an_evaluator_without_notes_or_actions(world: World, frozen_now: object) -> None:
    _unit, [meeting] = unit_with_meetings(world.org, facilitator=world.facilitator)
    services.meeting_update(actor=None, meeting=meeting, theme="Raskausaika", notes="Salainen muistiinpano")
    page = signed_in(world.evaluator).get(reverse("meetings:detail", args=[meeting.uuid])).content.decode()
    assert "Raskausaika" in page
    assert "Paikka Hervanta, Tampere" in page
    assert "Salainen muistiinpano" not in page
    assert "Mark held" not in page
    assert "Edit details" not in page
    facilitator_page = signed_in(world.facilitator).get(reverse("meetings:detail", args=[meeting.uuid])).text
    assert "Salainen muistiinpano" in facilitator_page
    assert "Mark held" in facilitator_page


def test_it_lets_the_units_facilitator_record_the_details(world: World, frozen_now: object) -> None:
    _unit, [meeting] = unit_with_meetings(world.org, facilitator=world.facilitator)
    client = signed_in(world.facilitator)
    url = reverse("meetings:edit", args=[meeting.uuid])
    assert "Raskausaika" in client.get(url).text  # the curriculum is offered
    response = client.post(
        url,
        _details(
            topic="Raskausaika",
            remote_link="https://video.example.org/abc",
            interpreter_language="arabia",
            facilitators_present=[world.facilitator.pk],
            notes="Kaksi uutta perhettä",
        ),
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.theme == "Raskausaika"
    assert meeting.remote_link == "https://video.example.org/abc"
    assert meeting.interpreter_language == "arabia"
    assert meeting.notes == "Kaksi uutta perhettä"
    assert list(meeting.facilitators_present.all()) == [world.facilitator]
    assert meeting.history.latest().history_user == world.facilitator
    page = client.get(reverse("meetings:detail", args=[meeting.uuid])).text
    assert 'href="https://video.example.org/abc"' in page
    assert "details changed" in page


def test_it_keeps_a_theme_typed_freely(world: World, frozen_now: object) -> None:
    _unit, [meeting] = unit_with_meetings(world.org, facilitator=world.facilitator)
    client = signed_in(world.coordinator)
    client.post(reverse("meetings:edit", args=[meeting.uuid]), _details(theme="Retki luontopolulle"))
    meeting.refresh_from_db()
    assert meeting.theme == "Retki luontopolulle"
    form = client.get(reverse("meetings:edit", args=[meeting.uuid])).text
    assert 'value="Retki luontopolulle"' in form


def test_it_refuses_a_link_that_is_not_https_and_keeps_what_was_typed(world: World, frozen_now: object) -> None:
    _unit, [meeting] = unit_with_meetings(world.org, facilitator=world.facilitator)
    client = signed_in(world.facilitator)
    url = reverse("meetings:edit", args=[meeting.uuid])
    response = client.post(url, _details(remote_link="http://video.example.org/abc", notes="Muista kahvi"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Use a link that starts with https://" in page
    assert "This is not a web address" not in page  # one message, the one that helps
    assert 'value="http://video.example.org/abc"' in page
    assert "Muista kahvi" in page
    response = client.post(url, _details(remote_link="https://"))
    assert "This is not a web address" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.remote_link == ""


def test_it_refuses_a_curriculum_topic_and_another_theme_together(world: World, frozen_now: object) -> None:
    _unit, [meeting] = unit_with_meetings(world.org, facilitator=world.facilitator)
    response = signed_in(world.facilitator).post(
        reverse("meetings:edit", args=[meeting.uuid]), _details(topic="Raskausaika", theme="Jotain muuta")
    )
    assert response.status_code == 400
    assert "not both" in response.content.decode()


def test_it_marks_a_meeting_held_with_one_tap_and_can_undo_it(world: World, frozen_now: object) -> None:
    _unit, [meeting] = unit_with_meetings(world.org, facilitator=world.facilitator, at=[NOW - timedelta(hours=1)])
    client = signed_in(world.facilitator)
    response = client.post(reverse("meetings:mark_held", args=[meeting.uuid]), follow=True)
    assert "The meeting is marked held." in response.text
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert "Undo" in response.text
    client.post(reverse("meetings:unmark_held", args=[meeting.uuid]))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED


def test_it_refuses_to_mark_a_future_meeting_held(world: World, frozen_now: object) -> None:
    _unit, [meeting] = unit_with_meetings(world.org, facilitator=world.facilitator, at=[NOW + timedelta(days=2)])
    client = signed_in(world.facilitator)
    assert (
        "You can mark the meeting held on its day." in client.get(reverse("meetings:detail", args=[meeting.uuid])).text
    )
    response = client.post(reverse("meetings:mark_held", args=[meeting.uuid]), follow=True)
    assert "You can mark it held on the day." in response.text
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED


def test_it_lets_a_facilitator_change_only_their_own_units_meetings(world: World, frozen_now: object) -> None:
    _own, [own] = unit_with_meetings(world.org, facilitator=world.facilitator, at=[NOW - timedelta(hours=1)])
    _other, [other] = unit_with_meetings(world.org, facilitator=None, name="Tesoma", at=[NOW - timedelta(hours=1)])
    client = signed_in(world.facilitator)
    assert client.post(reverse("meetings:mark_held", args=[own.uuid])).status_code == 302
    for name in ("meetings:detail", "meetings:edit", "meetings:mark_held", "meetings:move"):
        assert client.post(reverse(name, args=[other.uuid])).status_code == 404, name
    other.refresh_from_db()
    assert other.status == Meeting.Status.SCHEDULED


def test_it_lets_evaluators_read_only(world: World, frozen_now: object) -> None:
    _unit, [meeting] = unit_with_meetings(world.org, facilitator=world.facilitator, at=[NOW - timedelta(hours=1)])
    client = signed_in(world.evaluator)
    assert client.get(reverse("meetings:detail", args=[meeting.uuid])).status_code == 200
    for name in ("meetings:edit", "meetings:mark_held", "meetings:unmark_held"):
        assert client.post(reverse(name, args=[meeting.uuid]), _details(theme="x")).status_code == 403, name
    meeting.refresh_from_db()
    assert (meeting.status, meeting.theme) == (Meeting.Status.SCHEDULED, "")


def test_it_lets_a_facilitator_move_and_cancel_their_units_meetings(world: World, frozen_now: object) -> None:
    _unit, [first, second] = unit_with_meetings(
        world.org, facilitator=world.facilitator, at=[NOW + timedelta(days=1), NOW + timedelta(days=8)]
    )
    client = signed_in(world.facilitator)
    response = client.post(reverse("meetings:move", args=[first.uuid]), {"day": "2030-03-15", "start_time": "16:00"})
    assert response["Location"] == reverse("meetings:detail", args=[first.uuid])
    client.post(reverse("meetings:cancel", args=[second.uuid]), {"reason": "Ohjaaja sairastui"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.sequence, second.sequence) == (1, 1)
    assert second.status == Meeting.Status.CANCELLED
    page = client.get(reverse("meetings:detail", args=[second.uuid])).text
    assert "Ohjaaja sairastui" in page
    assert "Edit details" not in page


def test_it_accepts_only_the_units_facilitators_as_present(world: World, frozen_now: object) -> None:
    _unit, [meeting] = unit_with_meetings(world.org, facilitator=world.facilitator)
    response = signed_in(world.coordinator).post(
        reverse("meetings:edit", args=[meeting.uuid]), _details(facilitators_present=[world.evaluator.pk])
    )
    assert response.status_code == 400
    assert not meeting.facilitators_present.exists()


def test_it_keeps_who_was_present_in_the_history(world: World, frozen_now: object) -> None:
    _unit, [meeting] = unit_with_meetings(world.org, facilitator=world.facilitator)
    services.meeting_update(actor=world.facilitator, meeting=meeting, facilitators_present=[world.facilitator])
    services.meeting_update(actor=world.facilitator, meeting=meeting, facilitators_present=[])
    present = [list(record.facilitators_present.values_list("user_id", flat=True)) for record in meeting.history.all()]
    assert [world.facilitator.pk] in present
