"""Removing a partner or an adopter: it reduces what an organisation sees, so it asks for more."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import World, reauthenticated, signed_in
from pilotti.programmes import services
from pilotti.programmes.models import Partnership
from tests.factories import make_programme, make_unit


def test_it_removes_a_partner_after_reauthentication_saying_what_it_stops_seeing(world: World) -> None:
    programme = make_programme(world.org)
    services.partner_add(actor=None, programme=programme, organisation=world.other_org)
    url = reverse("programmes:organisation_unlink", args=[programme.slug, world.other_org.slug])
    assert signed_in(world.coordinator).get(url)["Location"].startswith(reverse("account_reauthenticate"))
    client = reauthenticated(world.coordinator)
    assert "stop seeing" in client.get(url).text
    assert client.post(url, {"why": ""}).status_code == 400
    assert client.post(url, {"why": "Sopimus päättyi"}).status_code == 302
    assert not programme.partnerships.exists()
    removal = Partnership.history.get(history_type="-")  # type: ignore[attr-defined]
    assert (removal.history_user, removal.history_change_reason) == (world.coordinator, "Sopimus päättyi")
    outsider_page = signed_in(world.outsider).get(reverse("programmes:detail", args=[programme.slug]))
    assert outsider_page.status_code == 404


def test_it_keeps_an_adopter_that_runs_units(world: World) -> None:
    programme = make_programme(world.org)
    services.adoption_add(actor=None, programme=programme, organisation=world.other_org)
    make_unit(programme, world.other_org)
    with pytest.raises(ValidationError, match="runs units"):
        services.organisation_unlink(actor=None, programme=programme, organisation=world.other_org, why="x")
    assert programme.adoptions.exists()
