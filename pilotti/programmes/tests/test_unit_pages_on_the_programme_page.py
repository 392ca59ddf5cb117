"""A national programme has thousands of units: its page shows them a page at a time."""

from django.urls import reverse

from conftest import World, signed_in
from pilotti.programmes.selectors import UNITS_PER_PAGE
from tests.factories import make_programme, make_unit, queries_for


def test_it_shows_the_units_a_page_at_a_time(world: World) -> None:
    programme = make_programme(world.org)
    for n in range(UNITS_PER_PAGE + 3):
        make_unit(programme, name=f"Ryhmä {n:03d}")
    client = signed_in(world.coordinator)
    url = reverse("programmes:detail", args=[programme.slug])
    first = client.get(url).content.decode()
    assert first.count("Ryhmä ") == UNITS_PER_PAGE
    assert "Ryhmä 000" in first
    assert "Page 1 of 2" in first
    assert "?page=2" in first
    second = client.get(url, {"page": "2"}).content.decode()
    assert second.count("Ryhmä ") == 3
    assert f"Ryhmä {UNITS_PER_PAGE + 2:03d}" in second
    # A page number that is not one shows the nearest page instead of an error.
    assert client.get(url, {"page": "x"}).status_code == 200


def test_a_page_of_units_costs_the_same_however_many_there_are(world: World) -> None:
    programme = make_programme(world.org)
    client = signed_in(world.coordinator)
    url = reverse("programmes:detail", args=[programme.slug])
    for n in range(3):
        make_unit(programme, name=f"Ryhmä {n}")
    few = queries_for(client, url)
    for n in range(3, 2 * UNITS_PER_PAGE):
        make_unit(programme, name=f"Ryhmä {n}")
    assert queries_for(client, url) == few
