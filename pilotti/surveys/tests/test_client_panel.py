"""The client panel: anonymous, one answer per device, kiosk mode, rate limit, threshold 5."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import World, signed_in
from pilotti.instruments.models import Mode, Response
from pilotti.instruments.selectors import current_version
from pilotti.meetings import services as meeting_services
from pilotti.meetings.models import Meeting
from pilotti.programmes.models import DeliveryUnit
from pilotti.surveys import services
from pilotti.surveys.models import ClientPanel, PanelDevice
from tests.factories import library_file, make_instrument, panel_for, safety_instrument, unit_with_meetings

Group = tuple[DeliveryUnit, Meeting]


def url(panel: ClientPanel) -> str:
    return reverse("surveys:panel_answer", kwargs={"code": panel.code})


def answer(panel: ClientPanel, rating: int, client: Client | None = None) -> Client:
    client = client or Client()
    client.get(url(panel))
    response = client.post(f"{url(panel)}?lang=fi", {"q-rating": str(rating)})
    assert response.status_code == 302, response.content
    return client


def test_it_stores_an_anonymous_answer_with_the_meeting(group: Group) -> None:
    panel = panel_for(group[1])
    answer(panel, 9)
    stored = Response.objects.get(meeting=group[1])
    assert stored.mode == Mode.CLIENT_PANEL
    assert stored.participant is None
    assert stored.total == 9
    assert stored.language == "fi"
    assert PanelDevice.objects.filter(panel=panel).count() == 1


def test_it_takes_one_answer_per_device(group: Group) -> None:
    panel = panel_for(group[1])
    client = answer(panel, 9)
    page = client.get(url(panel)).content.decode()
    assert 'name="q-rating"' not in page
    again = client.post(url(panel), {"q-rating": "1"})
    # Finnish, the participant pages' default when nothing else is known.
    assert "Kustakin puhelimesta voi vastata kerran kuhunkin tapaamiseen." in again.content.decode()
    assert Response.objects.filter(meeting=group[1]).count() == 1
    answer(panel, 7)  # another phone
    assert Response.objects.filter(meeting=group[1]).count() == 2


def test_kiosk_mode_resets_to_a_fresh_form_after_each_answer(group: Group) -> None:
    panel = panel_for(group[1], kiosk=True)
    client = Client()
    for rating in (10, 8, 9):
        response = client.post(f"{url(panel)}?lang=en", {"q-rating": str(rating)})
        assert response["Location"].endswith("?thanks=1")
        page = client.get(response["Location"]).content.decode()
        assert "Thank you! Your answer was saved." in page
        assert 'name="q-rating"' in page
        assert " checked" not in page
    assert Response.objects.filter(meeting=group[1]).count() == 3
    assert not PanelDevice.objects.exists()


def test_it_limits_answers_per_address(group: Group, settings: object) -> None:
    settings.SURVEY_PANEL_RATE_LIMIT = 3  # type: ignore[attr-defined]
    panel = panel_for(group[1], kiosk=True)
    client = Client()
    statuses = [client.post(f"{url(panel)}?lang=ar", {"q-rating": "5"}).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert Response.objects.filter(meeting=group[1]).count() == 3


def test_it_leaves_safety_items_out_of_anonymous_answers(world: World, group: Group) -> None:
    version = safety_instrument(world.org)
    panel = services.panel_set(actor=None, meeting=group[1], version=version, kiosk=False)
    page = Client().get(f"{url(panel)}?lang=en").content.decode()
    assert 'name="q-q1"' in page
    assert 'name="q-q9"' not in page
    answers = {f"q-q{n}": "1" for n in range(1, 9)}
    response = Client().post(f"{url(panel)}?lang=en", {**answers, "q-q9": "3"})
    assert response.status_code == 302
    stored = Response.objects.get(meeting=group[1])
    assert not stored.safety_flagged
    assert stored.submitted_at is not None
    assert not stored.answers.filter(item__key="q9").exists()
    assert stored.total is None  # PHQ-9 gives no total with an item missing


def test_it_says_what_is_missing_in_the_persons_language(group: Group) -> None:
    panel = panel_for(group[1])
    response = Client().post(f"{url(panel)}?lang=fa", {})
    assert response.status_code == 400
    assert "لطفاً به این پرسش پاسخ دهید." in response.content.decode()
    assert 'dir="rtl"' in response.content.decode()


def test_the_facilitator_sees_the_count_but_the_answers_only_from_five(world: World, group: Group) -> None:
    panel = panel_for(group[1])
    client = signed_in(world.facilitator)
    page_url = reverse("surveys:panel", args=[group[1].uuid])
    for rating in (10, 9, 8, 7):
        answer(panel, rating)
    partial = client.get(page_url, HTTP_HX_REQUEST="true").content.decode()
    assert "4 answers" in partial
    assert "Mean" not in partial
    answer(panel, 10)
    partial = client.get(page_url, HTTP_HX_REQUEST="true").content.decode()
    assert "5 answers" in partial
    assert "Mean: 8.80" in partial


def test_it_stops_the_meeting_page_polling_when_there_is_no_panel(world: World, group: Group) -> None:
    response = signed_in(world.facilitator).get(reverse("surveys:panel", args=[group[1].uuid]), HTTP_HX_REQUEST="true")
    assert response.status_code == 286


def test_the_facilitator_opens_a_panel_and_sees_its_qr_code(world: World, group: Group) -> None:
    client = signed_in(world.facilitator)
    meeting = group[1]
    page = client.get(reverse("surveys:panel", args=[meeting.uuid])).content.decode()
    assert "Open the client panel" in page
    rating = panel_for(meeting).version
    ClientPanel.objects.all().delete()
    response = client.post(
        reverse("surveys:panel_save", args=[meeting.uuid]), {"version": str(rating.uuid), "is_open": "on"}
    )
    assert response.status_code == 302
    panel = ClientPanel.objects.get(meeting=meeting)
    page = client.get(reverse("surveys:panel", args=[meeting.uuid])).content.decode()
    assert "data:image/svg+xml" in page
    assert f"/p/{panel.code}/" in page
    assert client.get(reverse("surveys:panel_print", args=[meeting.uuid])).status_code == 200
    assert "surveys-heading" in client.get(reverse("meetings:detail", args=[meeting.uuid])).content.decode()


def test_it_prints_the_poster_in_a_participant_language_with_the_qr_code_opening_in_it(
    world: World, group: Group
) -> None:
    panel_for(group[1])
    client = signed_in(world.facilitator)
    client.cookies["pilotti-language"] = "fi"
    url = reverse("surveys:panel_print", args=[group[1].uuid])
    page = client.get(url).content.decode()
    assert '<html lang="fi" dir="ltr">' in page
    assert "Millainen päivä oli?" in page
    assert 'hreflang="uk"' in page
    page = client.get(url, {"lang": "ar"}).content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "How was today" not in page
    assert "?lang=ar</p>" in page  # the address under the code, which the code holds too
    assert "← Nimetön palaute" in page  # the staff's own links stay Finnish
    assert "Julisteen kieli" in page


def test_evaluators_see_the_panel_but_cannot_change_it(world: World, group: Group) -> None:
    panel_for(group[1])
    client = signed_in(world.evaluator)
    assert client.get(reverse("surveys:panel", args=[group[1].uuid])).status_code == 200
    assert client.post(reverse("surveys:panel_save", args=[group[1].uuid])).status_code == 403


def test_evaluators_see_the_count_but_not_the_panels_code(world: World, group: Group) -> None:
    panel = panel_for(group[1])
    client = signed_in(world.evaluator)
    page = client.get(reverse("surveys:panel", args=[group[1].uuid])).content.decode()
    assert "Answers" in page
    assert panel.code not in page
    assert "data:image/svg+xml" not in page
    assert client.get(reverse("surveys:panel_print", args=[group[1].uuid])).status_code == 403


# The meeting of a unit made by the meetings helpers starts at this time on its day.
STARTS = datetime(2030, 3, 13, 13, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "open_"),
    [
        (STARTS - timedelta(hours=1, minutes=1), False),
        (STARTS - timedelta(hours=1), True),
        (STARTS + timedelta(days=7), True),
        (STARTS + timedelta(days=7, minutes=1), False),
    ],
)
def test_it_takes_answers_from_an_hour_before_the_meeting_to_a_week_after(
    world: World, now: datetime, open_: bool
) -> None:
    _unit, [meeting] = unit_with_meetings(world.org, facilitator=world.facilitator, at=[STARTS])
    panel = panel_for(meeting)
    with time_machine.travel(now, tick=False):
        page = Client().get(url(panel)).content.decode()
        response = Client().post(f"{url(panel)}?lang=fi", {"q-rating": "9"})
    assert ('name="q-rating"' in page) is open_
    assert response.status_code == (302 if open_ else 200)
    assert Response.objects.filter(meeting=meeting).exists() is open_


def test_a_cancelled_meetings_panel_takes_no_answers(world: World, group: Group) -> None:
    panel = panel_for(group[1])
    meeting_services.meeting_cancel(actor=world.facilitator, meeting=group[1], reason="Sairastuminen")
    assert 'name="q-rating"' not in Client().get(url(panel)).content.decode()
    Client().post(f"{url(panel)}?lang=fi", {"q-rating": "9"})
    assert not Response.objects.filter(meeting=group[1]).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_guessed_panel_code_is_404(db: None, method: str) -> None:
    assert getattr(Client(), method)("/p/Gu3ssedC0d/").status_code == 404


def test_an_answer_reads_the_questionnaire_once(group: Group, django_assert_max_num_queries: object) -> None:
    # Throughput of a panel in a full room (docs/benchmarks.md): the view, the service and the
    # scoring share one reading of the questionnaire's structure, kept in memory after the first.
    panel = panel_for(group[1], kiosk=True)
    client = Client()
    client.get(url(panel))
    # PostgreSQL: the counters with the panel, and the response with its answer (one statement
    # each, no transaction around them); SQLite: four statements and the test's savepoint pair.
    with django_assert_max_num_queries(2 if connection.vendor == "postgresql" else 6):  # type: ignore[operator]
        response = client.post(f"{url(panel)}?lang=fi", {"q-rating": "8"})
    assert response.status_code == 302
    assert services.panel_answer_count(panel) == 1


def test_an_answer_is_one_counter_statement_one_read_and_its_writes(group: Group) -> None:
    # Every query of a kiosk answer, rate limits included (they are counted in the database, so
    # this is what every app server does): nothing else may creep into the busiest path.
    panel = panel_for(group[1], kiosk=True)
    client = Client()
    client.get(url(panel))
    with CaptureQueriesContext(connection) as queries:
        assert client.post(f"{url(panel)}?lang=fi", {"q-rating": "8"}).status_code == 302
    # The test runs in a transaction, so the answer's own shows as savepoints: left out here.
    statements = [
        _statement(query["sql"]) for query in queries if not query["sql"].startswith(("SAVEPOINT", "RELEASE"))
    ]
    if connection.vendor == "postgresql":  # one round trip for each pair, the write without BEGIN and COMMIT
        assert statements == [
            "INSERT core_ratecounter, SELECT surveys_clientpanel",
            "INSERT instruments_response, INSERT instruments_answer",
        ]
    else:
        assert statements == [
            "INSERT core_ratecounter",  # address, panel, guessing, and answers per address and panel
            "SELECT surveys_clientpanel",  # the panel, its meeting's organisation, the version's key
            "INSERT instruments_response",
            "INSERT instruments_answer",
        ]


def _statement(sql: str) -> str:
    """What a statement does, e.g. "INSERT core_ratecounter, SELECT surveys_clientpanel" for the
    counters' upsert with the panel's read (the tables each part writes into or reads first)."""
    words = sql.replace('"', "").replace("(", " ").replace(")", " ").split()
    parts = []
    for at, word in enumerate(words[:-1]):
        if word == "INTO":
            parts.append(f"INSERT {words[at + 1]}")
        elif word == "FROM" and words[at + 1] not in {"counted", "new_response"} and "SELECT" not in parts[-1:]:
            parts.append(f"SELECT {words[at + 1]}")
    return ", ".join(dict.fromkeys(parts))


def test_a_questionnaire_changed_before_its_first_answer_is_shown_changed(world: World, group: Group) -> None:
    # The panel keeps the questionnaire's structure in memory; a change must still show at once.
    instrument = make_instrument(world.org, key="pilotti-meeting-rating")
    panel = services.panel_set(actor=None, meeting=group[1], version=current_version(instrument), kiosk=True)
    assert "Minkä arvosanan" in Client().get(f"{url(panel)}?lang=fi").content.decode()
    data = library_file("pilotti-meeting-rating")
    data["items"][0]["text"]["fi"] = "Millainen tapaaminen oli?"
    make_instrument(world.org, key="pilotti-meeting-rating", items=data["items"])
    assert current_version(instrument).pk == panel.version_id  # changed in place: no one had answered
    page = Client().get(f"{url(panel)}?lang=fi").content.decode()
    assert "Millainen tapaaminen oli?" in page
    assert "Minkä arvosanan" not in page
    answer(panel, 7)
    assert Response.objects.get(meeting=group[1]).total == 7


def test_a_renamed_questionnaire_shows_its_new_name(world: World, group: Group) -> None:
    # Without a title of its own a closed panel's page shows the instrument's name, which changes alone.
    instrument = make_instrument(world.org, key="pilotti-meeting-rating", title={})
    version = current_version(instrument)
    panel = services.panel_set(actor=None, meeting=group[1], version=version, kiosk=True, is_open=False)
    assert "Meeting rating 1–10" in Client().get(f"{url(panel)}?lang=fi").content.decode()
    make_instrument(world.org, key="pilotti-meeting-rating", title={}, name="Tapaamisen arvio")
    assert "Tapaamisen arvio" in Client().get(f"{url(panel)}?lang=fi").content.decode()
