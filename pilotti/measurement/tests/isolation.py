"""The isolation contract of the measurement URLs (see tests/test_isolation.py)."""

from typing import Any

from pilotti.measurement.services import alert_raise
from tests.factories import answer, plan, setup_unit

PHQ9_ITEM9 = {f"q{i}": 0 for i in range(1, 9)} | {"q9": 1}


def url_kwargs(world: Any) -> dict[str, dict[str, object]]:
    programme, unit, [participant] = setup_unit(world.org, people=1, facilitator=world.facilitator, name="Mittaus")
    entry = plan(programme, "who-5", "intake")
    alert = alert_raise(response=answer("phq-9", participant, PHQ9_ITEM9, unit.meetings.first().starts_at.date()))  # type: ignore[union-attr]
    assert alert is not None
    return {
        "measurement:plan": {"slug": programme.slug},
        "measurement:plan_add": {"slug": programme.slug},
        "measurement:plan_remove": {"slug": programme.slug, "entry_uuid": entry.uuid},
        "measurement:programme_due": {"slug": programme.slug},
        "measurement:unit_due": {"unit_uuid": unit.uuid},
        "measurement:programme_due_send": {"slug": programme.slug},
        "measurement:unit_due_send": {"unit_uuid": unit.uuid},
        "measurement:alert": {"alert_uuid": alert.uuid},
        "measurement:alert_acknowledge": {"alert_uuid": alert.uuid},
        "measurement:person_scores": {"participant_uuid": participant.uuid},
    }


# The authorisation matrix (tests/test_authz_matrix.py; the format is in tests/authz.py).
# Cells per relation: admin coordinator facilitator evaluator, or one cell for all four;
# GET/POST when they differ. login: to the sign-in page; reauth: to re-authentication.
EXPECTED: dict[str, dict[str, str]] = {
    "measurement:person_scores": {
        "own": "200/405",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "measurement:alert": {
        "own": "404 200 200 404",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "measurement:alert_acknowledge": {
        "own": "405/404 405/400 405/400 405/404",
        "partner": "405/404",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
    "measurement:alerts": {
        "own": "200",
        "partner": "200",
        "adopter": "200",
        "other": "200",
        "anonymous": "login",
    },
    "measurement:plan": {
        "own": "200",
        "partner": "200 200 404 200",
        "adopter": "200 200 404 200",
        "other": "404",
        "anonymous": "login",
    },
    "measurement:plan_add": {
        "own": "405/400 405/400 405/403 405/403",
        "partner": "405/403 405/403 405/404 405/403",
        "adopter": "405/403 405/403 405/404 405/403",
        "other": "405/404",
        "anonymous": "login",
    },
    "measurement:plan_remove": {
        "own": "405/302 405/302 405/403 405/403",
        "partner": "405/403 405/403 405/404 405/403",
        "adopter": "405/403 405/403 405/404 405/403",
        "other": "405/404",
        "anonymous": "login",
    },
    "measurement:programme_due": {
        "own": "200",
        "partner": "200 200 404 200",
        "adopter": "200 200 404 200",
        "other": "404",
        "anonymous": "login",
    },
    "measurement:unit_due": {
        "own": "200",
        "partner": "200 200 404 200",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    # Sending: only those who may see the person's contact details (coordinators, the unit's
    # facilitators); a door the viewer may not pass answers 404 whatever the method.
    "measurement:programme_due_send": {
        "own": "405/403 405/302 405/302 405/403",
        "partner": "405/403 405/403 404 405/403",
        "adopter": "405/403 405/403 404 405/403",
        "other": "404",
        "anonymous": "login",
    },
    "measurement:unit_due_send": {
        "own": "405/403 405/302 405/302 405/403",
        "partner": "405/403 405/403 404 405/403",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
}
