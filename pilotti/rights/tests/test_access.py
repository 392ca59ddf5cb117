import json
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import World, reauthenticated, signed_in
from pilotti.audit.models import AccessLog
from pilotti.rights import selectors
from tests.factories import FULL_EMAIL, FULL_NAME, FULL_PHONE, answer, full_participant


def url(name: str, participant: object) -> str:
    return reverse(f"rights:{name}", kwargs={"participant_uuid": participant.uuid})  # type: ignore[attr-defined]


def test_it_exports_everything_as_json_with_contact_details(world: World) -> None:
    participant = full_participant(world.org)
    response = reauthenticated(world.coordinator).post(url("export_json", participant))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["profile"]["code"] == participant.code
    assert data["contact_details"]["name"] == FULL_NAME
    assert data["contact_details"]["phone"] == FULL_PHONE
    assert data["contact_details"]["email"] == FULL_EMAIL
    assert [h["relation"] for h in data["households"]] == ["parent"]
    assert data["consents"][0]["given_on"] == "2019-10-01"
    assert [c["to"] for c in data["enrolments"][0]["stage_history"]][-1] == "completed"
    assert data["questionnaires"][0]["answers"]
    assert data["safety_alerts"][0]["what_was_done"]
    assert data["reminders"] == "by text message"
    assert data["access_log"]  # earlier views are listed


def test_it_never_exports_link_tokens(world: World) -> None:
    participant = full_participant(world.org)
    data = selectors.person_data(participant)
    assert all("token" not in key for link in data["questionnaire_links"] for key in link)


def test_it_logs_the_export(world: World) -> None:
    participant = full_participant(world.org)
    reauthenticated(world.coordinator).post(url("export_json", participant))
    entry = AccessLog.objects.filter(participant=participant).first()
    assert entry is not None
    assert (entry.action, entry.category, entry.purpose) == ("export", "contact_details", "client_work")
    assert entry.item == "data access request (Art. 15)"
    assert entry.user_email == world.coordinator.email


def test_it_makes_a_pdf_where_static_files_were_never_collected(
    world: World, settings: pytest.FixtureRequest, tmp_path: Path
) -> None:
    # Production's manifest storage with nothing collected: {% static %} would raise here.
    settings.STORAGES = {  # type: ignore[attr-defined]
        **settings.STORAGES,  # type: ignore[attr-defined]
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    settings.STATIC_ROOT = tmp_path / "static-not-collected"  # type: ignore[attr-defined]
    participant = full_participant(world.org)
    client = reauthenticated(world.coordinator)
    for name in ("export_pdf", "log_pdf"):
        response = client.post(url(name, participant))
        assert response.status_code == 200, name
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


def test_it_asks_for_the_password_again(world: World) -> None:
    participant = full_participant(world.org)
    response = signed_in(world.coordinator).post(url("export_json", participant))
    assert response.status_code == 302
    assert "/accounts/reauthenticate/" in response["Location"]


@pytest.mark.parametrize("who", ["owner", "evaluator", "facilitator", "outsider"])
def test_it_shows_others_nothing(world: World, who: str) -> None:
    participant = full_participant(world.org)
    client = reauthenticated(getattr(world, who))
    for name in ("export_json", "export_pdf", "log", "log_pdf", "log_json", "erase"):
        assert client.get(url(name, participant)).status_code == 404, name
        assert client.post(url(name, participant)).status_code == 404, name


def test_it_reads_everything_in_a_constant_number_of_queries(world: World) -> None:
    participant = full_participant(world.org)
    day = participant.created_at.date()
    # One answer of every kind first, so that every prefetch has something to fetch.
    answer("pilotti-final-survey", participant, {"benefit": 2, "drew_in": [1, 2]}, day)
    with CaptureQueriesContext(connection) as few:
        selectors.person_data(participant)
    for _n in range(3):
        answer("pilotti-final-survey", participant, {"benefit": 3, "drew_in": [1]}, day)
    full_participant(world.org)  # and someone else's data, which must not count
    with CaptureQueriesContext(connection) as many:
        selectors.person_data(participant)
    assert len(many) == len(few)


@pytest.mark.parametrize("name", ["export_pdf", "export_json", "log_pdf", "log_json"])
def test_another_sites_link_or_image_makes_no_file_and_no_log_row(world: World, name: str) -> None:
    """Issue 19: with SameSite=Lax a link or an <img> on another site sends the coordinator's
    session with a GET; the person's files were made by GET, writing an access-log row (an export
    or a print of the person's data) under the coordinator's name. Now only a POST from Pilotti's
    own form, with its CSRF token, makes them."""
    participant = full_participant(world.org)
    client = reauthenticated(world.coordinator)  # recently re-authenticated: no prompt stands in the way
    before = AccessLog.objects.count()
    response = client.get(url(name, participant), HTTP_SEC_FETCH_SITE="cross-site", HTTP_SEC_FETCH_DEST="image")
    assert response.status_code == 405
    assert not response.content.startswith(b"%PDF")
    assert AccessLog.objects.count() == before
    # Another site's form can POST, but without the CSRF token.
    client.handler.enforce_csrf_checks = True  # type: ignore[attr-defined]
    assert client.post(url(name, participant)).status_code == 403
    assert AccessLog.objects.count() == before
    # Pilotti's own button: the form carries the token.
    client.get(url("log", participant))  # a page with the form sets the CSRF cookie
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    logged = AccessLog.objects.count()
    response = client.post(url(name, participant), HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert AccessLog.objects.count() == logged + 1
