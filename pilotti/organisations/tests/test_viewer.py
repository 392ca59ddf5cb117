"""The door's key: one person, two organisations, and what pages and tokens show of each."""

from django.urls import reverse

from conftest import World, signed_in
from pilotti.api.models import ApiToken
from pilotti.evaluation import selectors as evaluation
from pilotti.organisations.models import Role
from pilotti.organisations.services import membership_add
from pilotti.organisations.viewer import Viewer
from pilotti.people.selectors import participants_visible_to
from pilotti.programmes.selectors import programmes_visible_to
from pilotti.programmes.services import adoption_add
from tests.factories import Pilot, api_as, build, make_participant, make_token, make_unit


def _two_organisations(world: World) -> tuple[Pilot, ApiToken]:
    """The outsider (admin of the other organisation) also coordinates the first one's pilot,
    which the other organisation has adopted and runs a unit of."""
    pilot = build(world, people=2, meetings=1)
    membership_add(organisation=world.org, user=world.outsider, role=Role.COORDINATOR)
    adoption_add(actor=None, programme=pilot.programme, organisation=world.other_org)
    make_unit(pilot.programme, world.other_org, name="Beetan ryhmä")
    make_token(world.outsider, world.other_org, "read")
    return pilot, ApiToken.objects.get(user=world.outsider)


def test_it_shows_a_page_everything_of_both_organisations_and_a_token_only_its_own(world: World) -> None:
    pilot, token = _two_organisations(world)
    beeta_person = make_participant(world.other_org, name="Beetan Henkilö")
    page, api = Viewer.everywhere(world.outsider), Viewer.from_token(token)
    assert set(participants_visible_to(page)) == {*pilot.people, beeta_person}
    assert set(participants_visible_to(api)) == {beeta_person}
    assert set(programmes_visible_to(api)) == {pilot.programme}  # adopted


def test_it_answers_a_token_the_report_of_its_organisation_where_it_used_to_refuse(world: World) -> None:
    pilot, _token = _two_organisations(world)
    slug = pilot.programme.slug
    response = api_as(world.outsider, world.other_org, "read").get(f"/programmes/{slug}/report")
    assert response.status_code == 200  # 403 before the report's selectors took the token's viewer
    assert response.json()["attendance"]["summary"]["starters"] == 0  # the other organisation has enrolled no one
    page = evaluation.report(Viewer.everywhere(world.outsider), pilot.programme)
    assert page["attendance"]["summary"]["starters"] > 0  # the page sees the first organisation's people too


def test_it_gives_the_page_the_switchers_organisation_along_with_all_memberships(world: World) -> None:
    membership_add(organisation=world.org, user=world.outsider, role=Role.COORDINATOR)
    client = signed_in(world.outsider)
    response = client.get(reverse("core:home"))
    viewer = response.wsgi_request.viewer  # type: ignore[attr-defined]
    assert viewer.all_organisations
    assert viewer.organisation == response.wsgi_request.organisation  # type: ignore[attr-defined]
    assert set(viewer.organisation_ids()) == {world.org.pk, world.other_org.pk}
