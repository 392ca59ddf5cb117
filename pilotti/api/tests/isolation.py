"""The isolation contract of the API token pages and the API's own URLs (see tests/test_isolation.py).

The API answers 401 to a signed-in session without a token (it takes bearer tokens only); its
scoping for another organisation's token is tested in test_scoping.py.
"""

from typing import Any

from pilotti.api.models import ApiToken
from tests.factories import build, make_token


def url_kwargs(world: Any) -> dict[str, dict[str, object]]:
    make_token(world.coordinator, world.org)
    token = ApiToken.objects.get(user=world.coordinator)
    pilot = build(world, people=1, meetings=1, name="Isolaatio")
    participant = pilot.people[0]
    enrolment = participant.enrolments.get()
    response = participant.responses.first()
    assert response is not None
    assert pilot.who5 is not None
    return {
        "api:token_revoke": {"token_uuid": token.uuid},
        "api-v1:programme_detail": {"slug": pilot.programme.slug},
        "api-v1:programme_report": {"slug": pilot.programme.slug},
        "api-v1:unit_detail": {"unit_uuid": pilot.unit.uuid},
        "api-v1:meeting_detail": {"meeting_uuid": pilot.meetings[0].uuid},
        "api-v1:attendance_list": {"meeting_uuid": pilot.meetings[0].uuid},
        "api-v1:attendance_record": {"meeting_uuid": pilot.meetings[0].uuid},
        "api-v1:participant_detail": {"participant_uuid": participant.uuid},
        "api-v1:enrolment_detail": {"enrolment_uuid": enrolment.uuid},
        "api-v1:instrument_detail": {"instrument_uuid": pilot.who5.instrument.uuid},
        "api-v1:response_detail": {"response_uuid": response.uuid},
    }


# The authorisation matrix (tests/authz.py). Every call without a bearer token is 401 whoever
# the session belongs to; the schema and its documentation are public, as an API's contract is.
_TOKEN_ONLY = {"own": "401", "partner": "401", "adopter": "401", "other": "401", "anonymous": "401"}
_TOKEN_ONLY_GET = {relation: "401/405" for relation in _TOKEN_ONLY}
_PUBLIC = {"own": "200", "partner": "200", "adopter": "200", "other": "200", "anonymous": "200"}

EXPECTED: dict[str, dict[str, str]] = {
    "api:tokens": {"own": "200", "partner": "200", "adopter": "200", "other": "200", "anonymous": "login"},
    # Each admin sees the tokens of their own organisation's members.
    "api:organisation_tokens": {
        "own": "200 404 404 404",
        "partner": "200 404 404 404",
        "adopter": "200 404 404 404",
        "other": "200 404 404 404",
        "anonymous": "login",
    },
    "api:token_create": {
        "own": "405/400",
        "partner": "405/400",
        "adopter": "405/400",
        "other": "405/400",
        "anonymous": "login",
    },
    # The coordinator's own token: they and their organisation's admin may revoke it.
    "api:token_revoke": {
        "own": "405/302 405/302 405/404 405/404",
        "partner": "405/404",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
    "api-v1:api-root": {"own": "404", "partner": "404", "adopter": "404", "other": "404", "anonymous": "404"},
    "api-v1:openapi-json": _PUBLIC,
    "api-v1:openapi-view": _PUBLIC,
    "api-v1:attendance_list": _TOKEN_ONLY,
    "api-v1:attendance_record": _TOKEN_ONLY,
    "api-v1:enrolment_list": _TOKEN_ONLY,
    "api-v1:enrolment_new": _TOKEN_ONLY,
    "api-v1:participant_list": _TOKEN_ONLY,
    "api-v1:participant_new": _TOKEN_ONLY,
    "api-v1:response_list": _TOKEN_ONLY,
    "api-v1:response_new": _TOKEN_ONLY,
    "api-v1:enrolment_detail": _TOKEN_ONLY_GET,
    "api-v1:instrument_detail": _TOKEN_ONLY_GET,
    "api-v1:instrument_list": _TOKEN_ONLY_GET,
    "api-v1:meeting_detail": _TOKEN_ONLY_GET,
    "api-v1:meeting_list": _TOKEN_ONLY_GET,
    "api-v1:participant_detail": _TOKEN_ONLY_GET,
    "api-v1:programme_detail": _TOKEN_ONLY_GET,
    "api-v1:response_detail": _TOKEN_ONLY_GET,
    "api-v1:programme_list": _TOKEN_ONLY_GET,
    "api-v1:programme_report": _TOKEN_ONLY_GET,
    "api-v1:unit_detail": _TOKEN_ONLY_GET,
    "api-v1:unit_list": _TOKEN_ONLY_GET,
}
