"""Who sees which programmes and units: roles, partners, adopters, assigned facilitators."""

from django.urls import reverse

from conftest import World, make_user, signed_in
from pilotti.organisations.models import Role
from pilotti.organisations.services import membership_add, organisation_create
from pilotti.organisations.viewer import Viewer
from pilotti.programmes import services
from pilotti.programmes.selectors import programmes_visible_to, units_visible_to
from tests.factories import make_programme, make_unit


def test_it_shows_a_facilitator_only_their_own_units(world: World) -> None:
    programme = make_programme(world.org)
    mine = make_unit(programme, name="Minun ryhmäni", facilitator=world.facilitator)
    other = make_unit(programme, name="Toisen ryhmä")
    client = signed_in(world.facilitator)
    assert client.get(reverse("programmes:unit_detail", args=[mine.uuid])).status_code == 200
    assert client.get(reverse("programmes:unit_detail", args=[other.uuid])).status_code == 404
    page = client.get(reverse("programmes:detail", args=[programme.slug])).content.decode()
    assert "Minun ryhmäni" in page
    assert "Toisen ryhmä" not in page
    listing = client.get(reverse("programmes:list")).content.decode()
    assert "My units" in listing or "Omat" in listing or "Minun ryhmäni" in listing


def test_it_hides_a_programme_from_a_facilitator_with_no_units_in_it(world: World) -> None:
    programme = make_programme(world.org)
    make_unit(programme)
    response = signed_in(world.facilitator).get(reverse("programmes:detail", args=[programme.slug]))
    assert response.status_code == 404


def test_it_stops_showing_units_when_the_membership_ends(world: World) -> None:
    programme = make_programme(world.org)
    unit = make_unit(programme, facilitator=world.facilitator)
    membership = world.membership(world.facilitator)
    membership.is_active = False
    membership.save()
    assert not units_visible_to(Viewer.everywhere(world.facilitator)).filter(pk=unit.pk).exists()
    assert not programmes_visible_to(Viewer.everywhere(world.facilitator)).exists()


def test_it_lets_partners_see_the_programme_and_the_partners_units(world: World) -> None:
    programme = make_programme(world.org)
    services.partner_add(actor=None, programme=programme, organisation=world.other_org)
    owner_unit = make_unit(programme, name="Omistajan ryhmä")
    partner_unit = make_unit(programme, world.other_org, name="Kumppanin ryhmä")
    assert set(units_visible_to(Viewer.everywhere(world.outsider))) == {owner_unit, partner_unit}
    assert set(units_visible_to(Viewer.everywhere(world.coordinator))) == {owner_unit, partner_unit}
    page = signed_in(world.outsider).get(reverse("programmes:detail", args=[programme.slug])).content.decode()
    assert "Omistajan ryhmä" in page
    assert "Kumppanin ryhmä" in page


def test_it_keeps_adopters_units_to_themselves(world: World) -> None:
    programme = make_programme(world.org)
    third = organisation_create(name="Gamma kunta", slug="gamma", kind="municipality", business_id="0201256-6")
    gamma_admin = make_user("admin@gamma.example")
    membership_add(organisation=third, user=gamma_admin, role=Role.ADMIN)
    services.adoption_add(actor=None, programme=programme, organisation=world.other_org)
    services.adoption_add(actor=None, programme=programme, organisation=third)
    owner_unit = make_unit(programme, name="Alfan ryhmä")
    beeta_unit = make_unit(programme, world.other_org, name="Beetan ryhmä")
    gamma_unit = make_unit(programme, third, name="Gamman ryhmä")
    make_unit(programme, third, name="Gamman toinen ryhmä")

    assert set(units_visible_to(Viewer.everywhere(world.outsider))) == {beeta_unit}
    assert set(units_visible_to(Viewer.everywhere(gamma_admin)).filter(name="Gamman ryhmä")) == {gamma_unit}
    assert set(units_visible_to(Viewer.everywhere(world.owner))) == {owner_unit}

    beeta_page = signed_in(world.outsider).get(reverse("programmes:detail", args=[programme.slug])).content.decode()
    assert "Beetan ryhmä" in beeta_page
    assert "Gamma" not in beeta_page
    assert "Alfan ryhmä" not in beeta_page
    assert signed_in(world.outsider).get(reverse("programmes:unit_detail", args=[gamma_unit.uuid])).status_code == 404

    owner_page = signed_in(world.owner).get(reverse("programmes:detail", args=[programme.slug]))
    adoptions = {a.organisation.name: a.unit_count for a in owner_page.context["adoptions"]}
    assert adoptions == {"Beeta ry": 1, "Gamma kunta": 2}
    assert "Gamman ryhmä" not in owner_page.content.decode()


def test_it_lets_an_adopter_add_its_own_units(world: World) -> None:
    programme = make_programme(world.org)
    services.adoption_add(actor=None, programme=programme, organisation=world.other_org)
    client = signed_in(world.outsider)
    assert client.get(reverse("meetings:unit_create", args=[programme.slug])).status_code == 200
    assert client.get(reverse("programmes:edit", args=[programme.slug])).status_code == 403
