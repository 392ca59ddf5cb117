"""The isolation contract of the answering URLs (see tests/test_isolation.py).

The participants' pages are registered with a guessed token and a guessed panel code: without
the real one, everyone gets 404.
"""

from typing import Any

from tests.factories import add_participants, make_programme, make_site, make_unit, panel_for


def url_kwargs(world: Any) -> dict[str, dict[str, object]]:
    programme = make_programme(world.org, name="Alfan kyselyohjelma")
    unit = make_unit(programme, site=make_site(programme), facilitator=world.facilitator)
    meeting = unit.meetings.first()
    assert meeting is not None
    panel_for(meeting)
    [participant] = add_participants(unit, 1, start=951)
    by_meeting = {"meeting_uuid": meeting.uuid}
    by_participant = {"participant_uuid": participant.uuid}
    return {
        "surveys:answer": {"token": "GuessedTokenGuessedTokenGuessedTokenGuesse"},
        "surveys:panel_answer": {"code": "Gu3ssedC0d"},
        "surveys:link_list": by_participant,
        "surveys:paper": by_participant,
        "surveys:meeting_people": by_meeting,
        "surveys:panel": by_meeting,
        "surveys:panel_save": by_meeting,
        "surveys:panel_print": by_meeting,
        "paper_import:page": {"unit_uuid": unit.uuid},
        "paper_import:template": {"unit_uuid": unit.uuid},
    }


# The authorisation matrix (tests/test_authz_matrix.py; the format is in tests/authz.py).
# Cells per relation: admin coordinator facilitator evaluator, or one cell for all four;
# GET/POST when they differ. login: to the sign-in page; reauth: to re-authentication.
EXPECTED: dict[str, dict[str, str]] = {
    "surveys:answer": {
        "own": "404",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "404",
    },
    "surveys:link_list": {
        "own": "404 200 200 404",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "surveys:link_new": {
        "own": "404",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "surveys:meeting_people": {
        "own": "200 200 200 403",
        "partner": "403 403 404 403",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "surveys:panel": {
        "own": "200",
        "partner": "200 200 404 200",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "surveys:panel_answer": {
        "own": "404",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "404",
    },
    "surveys:panel_print": {
        "own": "200 200 200 403",
        "partner": "403 403 404 403",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "surveys:panel_save": {
        "own": "405/400 405/400 405/400 405/403",  # an empty form is shown again with its errors
        "partner": "405/403 405/403 405/404 405/403",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
    "surveys:paper": {
        "own": "404 200 200 404",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    # A partner sees the unit but does not run it: refused, not hidden.
    "paper_import:page": {
        "own": "200 200 200 403",
        "partner": "403 403 404 403",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    # Without ?version= there is no template to give (404) to those who may have one; the
    # download with a version is tested in test_paper_import.py.
    "paper_import:template": {
        "own": "404 404 404 403",
        "partner": "403 403 404 403",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    # The example questionnaire file holds nobody's data.
    "paper_import:instrument_example": {
        "own": "200",
        "partner": "200",
        "adopter": "200",
        "other": "200",
        "anonymous": "login",
    },
}
