"""The programme list's search and filters (issue 21): any part of the name, the status, and the
organisation's part in the programme (owner, partner, adopter)."""

from django.conf import settings
from django.urls import reverse

from conftest import World, signed_in
from pilotti.programmes.models import Adoption, Partnership, Programme
from tests.factories import make_programme


def _listed(page: str) -> list[str]:
    table = page.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in page else ""
    names = ("Vauvaperheiden tuki", "Nuorten ryhmä", "Beetan perhetyö", "Beetan vertaistuki")
    return [name for name in names if name in table]


def test_it_finds_programmes_by_any_part_of_the_name_status_and_the_organisations_part(world: World) -> None:
    make_programme(world.org, name="Vauvaperheiden tuki")
    ended = make_programme(world.org, name="Nuorten ryhmä")
    Programme.objects.filter(pk=ended.pk).update(status=Programme.Status.ENDED)
    partnered = make_programme(world.other_org, name="Beetan perhetyö")
    Partnership.objects.create(programme=partnered, organisation=world.org)
    adopted = make_programme(world.other_org, name="Beetan vertaistuki")
    Adoption.objects.create(programme=adopted, organisation=world.org)
    client = signed_in(world.coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    url = reverse("programmes:list")
    assert len(_listed(client.get(url).content.decode())) == 4
    assert _listed(client.get(url, {"q": "PERHE"}).content.decode()) == ["Vauvaperheiden tuki", "Beetan perhetyö"]
    assert _listed(client.get(url, {"q": "tuki vauva"}).content.decode()) == ["Vauvaperheiden tuki"]
    assert _listed(client.get(url, {"status": "ended"}).content.decode()) == ["Nuorten ryhmä"]
    assert _listed(client.get(url, {"relation": "partner"}).content.decode()) == ["Beetan perhetyö"]
    assert _listed(client.get(url, {"relation": "adopter"}).content.decode()) == ["Beetan vertaistuki"]
    page = client.get(url, {"relation": "owner", "q": "beeta"}).content.decode()
    assert _listed(page) == []
    assert "Yksikään toimintamalli ei vastaa suodattimia." in page
