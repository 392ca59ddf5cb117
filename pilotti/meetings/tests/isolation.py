"""The isolation contract of the meetings URLs (see tests/test_isolation.py).

The feed URL is registered with a guessed token: without the real one, everyone gets 404.
"""

from typing import Any

from pilotti.meetings import services
from tests.factories import add_participants, make_programme, make_site, make_unit


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
        "meetings:unit_roster": {"unit_uuid": unit.uuid},
        "meetings:feed_revoke": {"feed_uuid": feed.uuid},
        "meetings:feed": {"token": "GuessedTokenGuessedTokenGuessedTokenGuesse"},
        "meetings:unit_create": {"slug": programme.slug},
        "meetings:unit_status": {"unit_uuid": unit.uuid},
        "meetings:unit_edit": {"unit_uuid": unit.uuid},
        "meetings:unit_schedule": {"unit_uuid": unit.uuid},
        "meetings:add": {"unit_uuid": unit.uuid},
        "meetings:move": by_meeting,
        "meetings:cancel": by_meeting,
        "meetings:restore": by_meeting,
    }


# The authorisation matrix (tests/test_authz_matrix.py; the format is in tests/authz.py).
# Cells per relation: admin coordinator facilitator evaluator, or one cell for all four;
# GET/POST when they differ. login: to the sign-in page; reauth: to re-authentication.
EXPECTED: dict[str, dict[str, str]] = {
    "meetings:unit_create": {
        "own": "200 200 403 403",
        "partner": "200 200 404 403",
        "adopter": "200 200 404 403",
        "other": "404",
        "anonymous": "login",
    },
    "meetings:unit_status": {
        "own": "405/302 405/302 405/403 405/403",
        "partner": "405/403 405/403 405/404 405/403",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
    "meetings:unit_edit": {
        "own": "200 200 403 403",
        "partner": "403 403 404 403",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "meetings:unit_schedule": {
        "own": "200 200 403 403",
        "partner": "403 403 404 403",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "meetings:add": {
        "own": "200 200 403 403",
        "partner": "403 403 404 403",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "meetings:move": {
        "own": "200 200 200 403",
        "partner": "403 403 404 403",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "meetings:cancel": {
        "own": "200 200 200 403",
        "partner": "403 403 404 403",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "meetings:restore": {
        "own": "405/302 405/302 405/302 405/403",
        "partner": "405/403 405/403 405/404 405/403",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
    "meetings:attendance": {
        "own": "405/400 405/400 405/400 405/403",
        "partner": "405/403 405/403 405/404 405/403",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
    "meetings:detail": {
        "own": "200",
        "partner": "200 200 404 200",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "meetings:edit": {
        "own": "200 200 200 403",
        "partner": "403 403 404 403",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "meetings:feed": {
        "own": "404",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "404",
    },
    "meetings:feed_create": {
        "own": "405/200",
        "partner": "405/200",
        "adopter": "405/200",
        "other": "405/200",
        "anonymous": "login",
    },
    "meetings:feed_create_unit": {
        "own": "405/200",
        "partner": "405/200 405/200 405/404 405/200",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
    "meetings:feed_list": {
        "own": "200",
        "partner": "200",
        "adopter": "200",
        "other": "200",
        "anonymous": "login",
    },
    "meetings:feed_revoke": {
        "own": "405/404 405/404 405/302 405/404",
        "partner": "405/404",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
    "meetings:mark_held": {
        "own": "405/302 405/302 405/302 405/403",
        "partner": "405/403 405/403 405/404 405/403",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
    "meetings:unit_roster": {
        "own": "200/405 200/405 200/405 404",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "meetings:mine": {
        "own": "200",
        "partner": "200",
        "adopter": "200",
        "other": "200",
        "anonymous": "login",
    },
    "meetings:reminder_choice": {
        "own": "404 200 200 404",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "meetings:roll_call": {
        "own": "405/302 405/302 405/302 405/403",
        "partner": "405/403 405/403 405/404 405/403",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
    "meetings:unmark_held": {
        "own": "405/302 405/302 405/302 405/403",
        "partner": "405/403 405/403 405/404 405/403",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
    "meetings:visitors": {
        "own": "405/302 405/302 405/302 405/403",
        "partner": "405/403 405/403 405/404 405/403",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
}
