"""The client council: suggestions recorded per meeting, decided and done with their days,
corrected with history, and listed in the report as what participants changed."""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from conftest import World, signed_in
from pilotti.core.zone import HELSINKI
from pilotti.council.models import CouncilItem
from pilotti.council.services import ItemFields, council_item_add
from pilotti.evaluation import selectors, suppression
from pilotti.organisations.viewer import Viewer
from tests.factories import build, council_suggestions, make_programme, make_unit


def test_it_records_a_suggestion_then_its_decision_and_what_was_done_with_history(world: World) -> None:
    pilot = build(world, people=2, meetings=3, facilitator=world.facilitator)
    meeting = pilot.meetings[0]
    day = meeting.starts_at.astimezone(HELSINKI).date()
    client = signed_in(world.facilitator)
    url = reverse("council:meeting", kwargs={"meeting_uuid": meeting.uuid})
    response = client.post(url, {"suggestion": "Koira mukaan useammin", "decision": "open"})
    assert response.status_code == 302
    item = CouncilItem.objects.get()
    response = client.post(
        reverse("council:item_edit", kwargs={"item_uuid": item.uuid}),
        {
            "suggestion": "Koira mukaan useammin",
            "decision": "accepted",
            "decision_text": "Kerran viikossa",
            "decided_on": (day + timedelta(days=2)).isoformat(),
            "action": "Koira tiistaisin",
            "done_on": (day + timedelta(days=7)).isoformat(),
            "reason": "Päätetty seuraavalla kerralla",
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Koira tiistaisin" in page
    latest = item.history.order_by("-history_date").first()
    assert latest is not None
    assert latest.history_user == world.facilitator
    assert latest.history_change_reason == "Päätetty seuraavalla kerralla"


def test_it_refuses_a_deed_before_its_decision_and_says_so_on_the_field(world: World) -> None:
    pilot = build(world, people=2, meetings=2, facilitator=world.facilitator)
    meeting = pilot.meetings[0]
    day = meeting.starts_at.astimezone(HELSINKI).date()
    response = signed_in(world.facilitator).post(
        reverse("council:meeting", kwargs={"meeting_uuid": meeting.uuid}),
        {
            "suggestion": "Retki",
            "decision": "accepted",
            "decided_on": (day + timedelta(days=5)).isoformat(),
            "action": "Retki tehty",
            "done_on": (day + timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "It cannot have been done before it was decided." in response.content.decode()
    assert not CouncilItem.objects.exists()


def test_an_evaluator_reads_the_council_but_cannot_record(world: World) -> None:
    pilot = build(world, people=2, meetings=2)
    url = reverse("council:meeting", kwargs={"meeting_uuid": pilot.meetings[0].uuid})
    client = signed_in(world.evaluator)
    assert client.get(url).status_code == 200
    assert client.post(url, {"suggestion": "x", "decision": "open"}).status_code == 403


def test_council_items_show_in_the_report_as_what_participants_changed(world: World) -> None:
    pilot = build(world, people=6, meetings=3)
    council_suggestions(world, pilot)
    internal = selectors.report(Viewer.everywhere(world.evaluator), pilot.programme)
    assert internal["council"]["suggestions"] == 2
    assert internal["council"]["done"] == 1
    # The shared view lists them as written: suggestions, not people.
    assert suppression.shared(internal)["council"] == internal["council"]
    page = signed_in(world.evaluator).get(reverse("evaluation:programme_report", kwargs={"slug": pilot.programme.slug}))
    html = page.content.decode()
    assert "What participants changed" in html
    assert "Ruoanlaitto joka toinen kerta" in html
    assert "Myöhempi aloitus" in html


@pytest.mark.parametrize("size", [1, 10])
def test_the_council_page_runs_a_constant_number_of_queries(
    world: World, django_assert_max_num_queries: Any, size: int
) -> None:
    programme = make_programme(world.org, name="Raatikyselyt")
    unit = make_unit(programme, name="Raadin ryhmä", facilitator=world.facilitator)
    meeting = unit.meetings.first()
    assert meeting is not None
    for n in range(size):
        council_item_add(actor=world.facilitator, meeting=meeting, fields=ItemFields(suggestion=f"Ehdotus {n}"))
    client = signed_in(world.facilitator)
    url = reverse("council:meeting", kwargs={"meeting_uuid": meeting.uuid})
    client.get(url)  # the session's sign-in bookkeeping happens once
    with django_assert_max_num_queries(14):
        page = client.get(url)
    assert page.content.decode().count("data-council-item=") == size
