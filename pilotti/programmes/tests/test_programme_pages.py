from django.urls import reverse

from conftest import World, signed_in
from pilotti.programmes.models import Programme
from tests.factories import make_programme, make_site, make_unit, queries_for


def test_it_lists_the_programmes_of_my_organisation(world: World) -> None:
    make_programme(world.org, name="Valoa arkeen")
    make_programme(world.other_org, name="Beetan malli")
    page = signed_in(world.evaluator).get(reverse("programmes:list")).content.decode()
    assert "Valoa arkeen" in page
    assert "Beetan malli" not in page


def test_it_lists_in_a_constant_number_of_queries(world: World, django_assert_max_num_queries: object) -> None:
    client = signed_in(world.coordinator)
    url = reverse("programmes:list")
    programme = make_programme(world.org)
    for n in range(3):
        make_unit(programme, name=f"Ryhmä {n}", facilitator=world.coordinator)
    few = queries_for(client, url)
    for n in range(3, 30):
        make_programme(world.org, name=f"Ohjelma {n}")
        make_unit(programme, name=f"Ryhmä {n}", facilitator=world.coordinator)
    assert queries_for(client, url) == few
    with django_assert_max_num_queries(few):  # type: ignore[operator]
        response = client.get(url)
    assert response.content.decode().count("Ryhmä ") == 30


def test_it_shows_the_plan_targets_sites_and_units(world: World) -> None:
    programme = make_programme(world.org, name="Pikkulapsiperheet", meetings_min=7, meetings_max=7)
    site = make_site(programme, name="Annantupa")
    make_unit(programme, name="Kaukajärvi", site=site)
    page = signed_in(world.coordinator).get(reverse("programmes:detail", args=[programme.slug])).content.decode()
    for text in ("Pikkulapsiperheet", "Suomalaiset perheet", "20", "Raskausaika", "Annantupa", "Kaukajärvi"):
        assert text in page


def test_it_shows_a_programme_in_a_constant_number_of_queries(world: World) -> None:
    programme = make_programme(world.org)
    client = signed_in(world.coordinator)
    url = reverse("programmes:detail", args=[programme.slug])
    for n in range(3):
        make_unit(programme, name=f"Ryhmä {n}", site=make_site(programme, name=f"Tila {n}"))
    few = queries_for(client, url)
    for n in range(3, 30):
        make_unit(programme, name=f"Ryhmä {n}", site=make_site(programme, name=f"Tila {n}"))
    assert queries_for(client, url) == few
    print(f"programme detail: {few} queries")


def test_it_creates_a_programme_owned_by_my_organisation(world: World) -> None:
    response = signed_in(world.coordinator).post(
        reverse("programmes:create"),
        {
            "name": "Valoa arkeen",
            "status": "planned",
            "frequency": "weekly",
            "duration_minutes": "90",
            "mode": "remote",
            "meetings_min": "12",
            "meetings_max": "13",
            "segments": "Vanhemmat: 30\nNeuvolat: 5",
            "topics": "Voimavarat\nArki",
            "facilitator_roles": ["social_care", "health_care"],
        },
    )
    programme = Programme.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("programmes:detail", args=["valoa-arkeen"])
    assert programme.organisation == world.org
    assert [(s.name, s.target) for s in programme.segments.all()] == [("Vanhemmat", 30), ("Neuvolat", 5)]
    assert [t.title for t in programme.topics.all()] == ["Voimavarat", "Arki"]
    assert programme.facilitator_roles == ["social_care", "health_care"]


def test_it_keeps_what_was_typed_when_the_period_ends_before_it_starts(world: World) -> None:
    response = signed_in(world.coordinator).post(
        reverse("programmes:create"),
        {
            "name": "Päivätoiminta",
            "status": "planned",
            "frequency": "weekdays",
            "duration_minutes": "120",
            "mode": "in_person",
            "starts_on": "2022-11-15",
            "ends_on": "2022-07-15",
            "segments": "Asiakkaat kahdeksan\nPerheet: 20\nNeuvolat viisi",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert 'value="Päivätoiminta"' in page
    assert "Asiakkaat kahdeksan" in page
    assert "Line 1" in page
    assert "Line 3" in page  # every wrong line at once
    assert not Programme.objects.exists()


def test_it_says_the_plans_cross_field_mistakes_beside_a_missing_name(world: World) -> None:
    response = signed_in(world.coordinator).post(
        reverse("programmes:create"),
        {"status": "planned", "frequency": "weekly", "duration_minutes": "90", "mode": "in_person",
         "starts_on": "2022-11-15", "ends_on": "2022-07-15", "meetings_min": "10", "meetings_max": "8"},
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 400
    assert page.count('class="field-error"') == 3  # the name, the period and the meetings, at once
    assert "The period ends before it starts." in page
    assert "Swap the numbers." in page


def test_it_refuses_facilitators_a_new_programme(world: World) -> None:
    assert signed_in(world.facilitator).get(reverse("programmes:create")).status_code == 403


def test_it_edits_the_plan(world: World) -> None:
    programme = make_programme(world.org)
    client = signed_in(world.coordinator)
    form = client.get(reverse("programmes:edit", args=[programme.slug])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(name="Uusi nimi", segments="Perheet: 40")
    response = client.post(reverse("programmes:edit", args=[programme.slug]), data)
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.name == "Uusi nimi"
    assert [(s.name, s.target) for s in programme.segments.all()] == [("Perheet", 40)]


def test_it_adds_partners_and_adopters_by_business_id(world: World) -> None:
    programme = make_programme(world.org)
    client = signed_in(world.coordinator)
    client.post(reverse("programmes:adoption_add", args=[programme.slug]), {"adoption-business_id": "1572860-0"})
    assert list(programme.adoptions.values_list("organisation__slug", flat=True)) == ["beeta"]
    response = client.post(
        reverse("programmes:partner_add", args=[programme.slug]), {"partner-business_id": "1572860-0"}, follow=True
    )
    assert "has adopted this programme" in response.content.decode()
    response = client.post(
        reverse("programmes:partner_add", args=[programme.slug]), {"partner-business_id": "2085012-5"}, follow=True
    )
    assert "No organisation with this business ID" in response.content.decode()
    for typo, message in (("2085012", "seven digits, a hyphen"), ("2085012-6", "check digit")):
        response = client.post(
            reverse("programmes:partner_add", args=[programme.slug]), {"partner-business_id": typo}, follow=True
        )
        assert message in response.content.decode()


def test_it_adds_a_site(world: World) -> None:
    programme = make_programme(world.org)
    response = signed_in(world.coordinator).post(
        reverse("programmes:site_create", args=[programme.slug]),
        {"name": "Westeri", "municipality": "Tampere", "accessibility_notes": "Esteetön sisäänkäynti"},
    )
    assert response.status_code == 302
    assert programme.sites.get().organisation == world.org
