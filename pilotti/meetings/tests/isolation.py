"""The isolation contract of the meetings URLs (see tests/test_isolation.py).

The feed URL is registered with a guessed token: without the real one, everyone gets 404.
"""

from typing import Any

from pilotti.meetings import services
from pilotti.meetings.tests.helpers import add_participants
from pilotti.programmes.tests.helpers import make_programme, make_site, make_unit


def url_kwargs(world: Any) -> dict[str, dict[str, object]]:
    programme = make_programme(world.org, name="Alfan tapaamisohjelma")
    unit = make_unit(programme, site=make_site(programme), facilitator=world.facilitator)
    meeting = unit.meetings.first()
    assert meeting is not None
    feed, _token = services.feed_create(actor=world.facilitator, unit=unit)
    by_meeting = {"meeting_uuid": meeting.uuid}
    [participant] = add_participants(unit, 1, start=901)
    return {
        "meetings:detail": by_meeting,
        "meetings:edit": by_meeting,
        "meetings:mark_held": by_meeting,
        "meetings:unmark_held": by_meeting,
        "meetings:roll_call": by_meeting,
        "meetings:attendance": {**by_meeting, "person_uuid": participant.uuid},
        "meetings:visitors": by_meeting,
        "meetings:reminder_choice": {"participant_uuid": participant.uuid},
        "meetings:feed_create_unit": {"unit_uuid": unit.uuid},
        "meetings:feed_revoke": {"feed_uuid": feed.uuid},
        "meetings:feed": {"token": "GuessedTokenGuessedTokenGuessedTokenGuesse"},
    }
