"""The plan declares one primary outcome (docs/evaluation.md, Before and after)."""

from django.urls import reverse

from conftest import World, signed_in
from pilotti.measurement.models import PlanEntry
from tests.factories import instrument, setup_unit


def test_it_keeps_one_primary_outcome_per_programme(world: World) -> None:
    programme, _unit, _people = setup_unit(world.org, people=0)
    client = signed_in(world.coordinator)
    url = reverse("measurement:plan_add", kwargs={"slug": programme.slug})
    for key in ("who-5", "phq-9"):
        data = {"instrument": instrument(key).pk, "when": "end", "audience": "participants", "window_days": 14}
        assert client.post(url, {**data, "primary_outcome": "on"}).status_code == 302
    primary = PlanEntry.objects.filter(programme=programme, primary_outcome=True)
    assert [e.instrument.key for e in primary] == ["phq-9"]  # marking the second unmarked the first
    who5 = PlanEntry.objects.get(programme=programme, instrument__key="who-5")
    assert who5.history.first().history_change_reason == "another entry became the primary outcome"
    page = client.get(reverse("measurement:plan", kwargs={"slug": programme.slug})).content.decode()
    assert page.count("primary outcome</span>") == 1


def test_it_refuses_an_anonymous_primary_outcome(world: World) -> None:
    programme, _unit, _people = setup_unit(world.org, people=0)
    client = signed_in(world.coordinator)
    url = reverse("measurement:plan_add", kwargs={"slug": programme.slug})
    data = {"instrument": instrument("who-5").pk, "when": "end", "audience": "participants", "window_days": 14}
    response = client.post(url, {**data, "anonymous": "on", "primary_outcome": "on"})
    assert response.status_code == 400  # the form again, with the error
    assert "A primary outcome is measured per person" in response.content.decode()
    assert not PlanEntry.objects.filter(programme=programme).exists()
