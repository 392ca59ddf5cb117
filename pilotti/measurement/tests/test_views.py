"""The plan and due pages: who reads, who edits, and what each role sees."""

from datetime import date

from django.urls import reverse

from conftest import World, signed_in
from pilotti.instruments import fileformat, packs
from pilotti.instruments import services as instruments
from pilotti.instruments.selectors import current_version
from pilotti.measurement.models import PlanEntry
from pilotti.programmes.models import DeliveryUnit
from tests.factories import enrol, instrument, library_file, make_participant, make_unit, plan, setup_unit


def test_it_lets_a_coordinator_add_and_remove_plan_entries(world: World) -> None:
    programme, _unit, _people = setup_unit(world.org, people=0)
    client = signed_in(world.coordinator)
    url = reverse("measurement:plan_add", kwargs={"slug": programme.slug})
    data = {"instrument": instrument("who-5").pk, "when": "follow_up", "audience": "participants", "window_days": 14}
    response = client.post(url, {**data, "follow_up_weeks": 12})
    assert response.status_code == 302
    entry = PlanEntry.objects.get()
    assert (entry.instrument.key, entry.when, entry.follow_up_weeks) == ("who-5", "follow_up", 12)
    page = client.get(reverse("measurement:plan", kwargs={"slug": programme.slug})).content.decode()
    assert "WHO-5" in page
    assert "12 weeks after the end" in page
    remove = reverse("measurement:plan_remove", kwargs={"slug": programme.slug, "entry_uuid": entry.uuid})
    assert client.post(remove).status_code == 302
    assert not PlanEntry.objects.exists()


def test_it_keeps_what_was_typed_when_the_follow_up_has_no_weeks(world: World) -> None:
    programme, _unit, _people = setup_unit(world.org, people=0)
    url = reverse("measurement:plan_add", kwargs={"slug": programme.slug})
    data = {"instrument": instrument("gad-7").pk, "when": "follow_up", "audience": "parents", "window_days": 21}
    response = signed_in(world.coordinator).post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the number of weeks after the end." in page
    assert 'value="21"' in page
    assert 'value="parents" selected' in page
    assert not PlanEntry.objects.exists()


def test_it_lets_facilitators_and_evaluators_read_the_plan_but_not_change_it(world: World) -> None:
    programme, _unit, _people = setup_unit(world.org, people=0, facilitator=world.facilitator)
    plan(programme, "who-5", "intake")
    for user in (world.facilitator, world.evaluator):
        client = signed_in(user)
        page = client.get(reverse("measurement:plan", kwargs={"slug": programme.slug}))
        assert page.status_code == 200
        assert "WHO-5" in page.content.decode()
        assert "Add to the plan" not in page.content.decode()
        add = reverse("measurement:plan_add", kwargs={"slug": programme.slug})
        assert client.post(add, {"when": "intake"}).status_code == 403


def test_it_shows_a_facilitator_only_the_people_of_their_own_units(world: World) -> None:
    programme, _mine, [mine] = setup_unit(world.org, people=1, facilitator=world.facilitator)
    other_unit = make_unit(programme, name="Toinen ryhmä")
    theirs = make_participant(world.org, name="Toinen Henkilö", email="toinen@example.org")
    enrol(theirs, other_unit, on=date(2019, 10, 23))
    plan(programme, "who-5", "intake")
    url = reverse("measurement:programme_due", kwargs={"slug": programme.slug})
    page = signed_in(world.facilitator).get(url).content.decode()
    assert mine.code in page
    assert theirs.code not in page
    coordinator_page = signed_in(world.coordinator).get(url).content.decode()
    assert mine.code in coordinator_page
    assert theirs.code in coordinator_page
    other = reverse("measurement:unit_due", kwargs={"unit_uuid": other_unit.uuid})
    assert signed_in(world.facilitator).get(other).status_code == 404


def test_it_shows_evaluators_codes_only(world: World) -> None:
    programme, unit, [person] = setup_unit(world.org, people=1)
    plan(programme, "who-5", "intake")
    page = signed_in(world.evaluator).get(reverse("measurement:unit_due", kwargs={"unit_uuid": unit.uuid}))
    text = page.content.decode()
    assert page.status_code == 200
    assert person.code in text
    assert "Testi Henkilö" not in text
    assert "@example.org" not in text


def test_it_answers_outsiders_404(world: World) -> None:
    programme, unit, _people = setup_unit(world.org, people=1)
    client = signed_in(world.outsider)
    for url in (
        reverse("measurement:plan", kwargs={"slug": programme.slug}),
        reverse("measurement:programme_due", kwargs={"slug": programme.slug}),
        reverse("measurement:unit_due", kwargs={"unit_uuid": unit.uuid}),
    ):
        assert client.get(url).status_code == 404


def test_it_links_the_plan_from_the_programme_page(world: World) -> None:
    programme, _unit, _people = setup_unit(world.org, people=0)
    page = signed_in(world.coordinator).get(reverse("programmes:detail", kwargs={"slug": programme.slug}))
    assert reverse("measurement:plan", kwargs={"slug": programme.slug}) in page.content.decode()


def test_it_warns_before_planning_a_questionnaire_a_unit_cannot_read(world: World) -> None:
    """Issue 23: a plan entry for a unit whose languages the questionnaire lacks is added once confirmed."""
    programme, unit, _people = setup_unit(world.org, people=0)
    DeliveryUnit.objects.filter(pk=unit.pk).update(languages="somali, suomi")
    client = signed_in(world.coordinator)
    url = reverse("measurement:plan_add", kwargs={"slug": programme.slug})
    data = {"instrument": instrument("k10").pk, "when": "intake", "audience": "participants", "window_days": 14}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "has wording in English, not in the languages of these units (Hervanta: Somali, Finnish)." in (
        response.content.decode()
    )
    assert "(English)</option>" in response.content.decode()  # the picker says so before the choice
    assert not PlanEntry.objects.exists()
    assert client.post(url, {**data, "confirm": "on"}).status_code == 302
    assert PlanEntry.objects.get().instrument.key == "k10"
    staff = {**data, "instrument": instrument("who-5").pk, "audience": "staff"}
    assert client.post(url, staff).status_code == 302  # workers answer in the staff's language


def test_a_translation_pack_of_the_organisation_answers_the_language_warning(world: World) -> None:
    """An organisation's licensed Finnish wording of K10 covers its Finnish-speaking unit: no warning."""
    programme, unit, _people = setup_unit(world.org, people=0)
    DeliveryUnit.objects.filter(pk=unit.pk).update(languages="suomi")
    k10 = current_version(instrument("k10"))
    data = library_file("k10")
    data["title"]["fi"] = "K10 suomeksi"
    for item in data["items"]:
        item["text"]["fi"] = "FI " + item["text"]["en"]
        for option in item.get("options", []):
            option["label"]["fi"] = "FI " + option["label"]["en"]
    instruments.translation_pack_save(
        actor=None, organisation=world.org, version=k10, language="fi", source="Virallinen suomennos",
        licence="Käyttölupa 2026", wording=packs.wording_of(fileformat.parse(data).version, "fi"),
    )  # fmt: skip
    url = reverse("measurement:plan_add", kwargs={"slug": programme.slug})
    data = {"instrument": k10.instrument.pk, "when": "intake", "audience": "participants", "window_days": 14}
    assert signed_in(world.coordinator).post(url, data).status_code == 302
