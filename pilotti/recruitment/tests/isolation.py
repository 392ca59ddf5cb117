"""URL kwargs of the recruitment pages, pointing at objects of ``world.org``."""

from typing import Any

from tests.factories import enrol, make_household, make_participant, make_programme, make_unit


def url_kwargs(world: Any) -> dict[str, dict[str, object]]:
    programme = make_programme(world.org, name="Alfan rekrytointi")
    unit = make_unit(programme, name="Alfan ryhmä")
    participant = make_participant(world.org, name="Alfan Rekrytoitava")
    household = make_household(participant)
    enrolment = enrol(participant, unit)
    return {
        "recruitment:participant_enrol": {"participant_uuid": participant.uuid},
        "recruitment:household_enrol": {"household_uuid": household.uuid},
        "recruitment:enrolment_detail": {"enrolment_uuid": enrolment.uuid},
        "recruitment:enrolment_move": {"enrolment_uuid": enrolment.uuid},
        "recruitment:enrolment_correct": {"enrolment_uuid": enrolment.uuid},
        "recruitment:enrolment_undo": {"enrolment_uuid": enrolment.uuid},
        "recruitment:programme_funnel": {"slug": programme.slug},
        "recruitment:unit_funnel": {"unit_uuid": unit.uuid},
    }


# The authorisation matrix (tests/test_authz_matrix.py; the format is in tests/authz.py).
# Cells per relation: admin coordinator facilitator evaluator, or one cell for all four;
# GET/POST when they differ. login: to the sign-in page; reauth: to re-authentication.
EXPECTED: dict[str, dict[str, str]] = {
    "recruitment:enrolment_detail": {
        "own": "200 200 404 200",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "recruitment:enrolment_move": {
        "own": "405/403 405/400 405/404 405/403",
        "partner": "405/404",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
    "recruitment:enrolment_correct": {
        "own": "405/403 405/400 405/404 405/403",
        "partner": "405/404",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
    "recruitment:enrolment_undo": {
        "own": "405/403 405/400 405/404 405/403",
        "partner": "405/404",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
    "recruitment:household_enrol": {
        "own": "403 200 404 403",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "recruitment:import": {
        "own": "403 200 403 403",
        "partner": "403 200 403 403",
        "adopter": "403 200 403 403",
        "other": "403 200 403 403",
        "anonymous": "login",
    },
    "recruitment:import_confirm": {
        "own": "405/403 405/302 405/403 405/403",
        "partner": "405/403 405/302 405/403 405/403",
        "adopter": "405/403 405/302 405/403 405/403",
        "other": "405/403 405/302 405/403 405/403",
        "anonymous": "login",
    },
    "recruitment:import_template_csv": {
        "own": "200",
        "partner": "200",
        "adopter": "200",
        "other": "200",
        "anonymous": "login",
    },
    "recruitment:import_template_xlsx": {
        "own": "200",
        "partner": "200",
        "adopter": "200",
        "other": "200",
        "anonymous": "login",
    },
    "recruitment:participant_enrol": {
        "own": "403 200 404 403",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "recruitment:programme_funnel": {
        "own": "200 200 404 200",
        "partner": "200 200 404 200",
        "adopter": "200 200 404 200",
        "other": "404",
        "anonymous": "login",
    },
    "recruitment:unit_funnel": {
        "own": "200 200 404 200",
        "partner": "200 200 404 200",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
}
