"""The home page's list of the user's organisations and roles."""

from django.urls import reverse
from django.utils import translation

from conftest import World, signed_in
from pilotti.organisations.models import Membership


def test_it_says_the_role_once_when_the_job_title_is_the_role(world: World) -> None:
    Membership.objects.filter(user=world.coordinator).update(title="Koordinaattori")
    client = signed_in(world.coordinator)
    with translation.override("fi"):
        page = client.get(reverse("core:home"), headers={"Accept-Language": "fi"}).content.decode()
    assert "koordinaattori (Koordinaattori)" not in page
    assert "koordinaattori" in page


def test_it_shows_a_job_title_that_says_more_than_the_role(world: World) -> None:
    Membership.objects.filter(user=world.coordinator).update(title="sosiaaliohjaaja")
    page = signed_in(world.coordinator).get(reverse("core:home")).content.decode()
    assert "(sosiaaliohjaaja)" in page
