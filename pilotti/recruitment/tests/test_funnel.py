from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import World, signed_in
from pilotti.organisations.viewer import Viewer
from pilotti.programmes.models import DeliveryUnit
from pilotti.recruitment import services
from pilotti.recruitment.selectors import programme_funnel, unit_funnel
from tests.factories import enrol, make_participant, make_programme, make_unit, queries_for


def populate(unit: DeliveryUnit, n: int, offset: int = 0) -> None:
    """n people in each of five stages, alternating two segments."""
    org = unit.organisation
    for i in range(offset, offset + n):
        for stage in ("contacted", "interested", "enrolled", "completed", "declined"):
            segment = "Suomalaiset perheet" if i % 2 == 0 else "Maahanmuuttajaperheet"
            enrolment = enrol(
                make_participant(org, name=f"Testi {stage} {i}"), unit, stage="contacted", segment=segment
            )
            if stage == "completed":
                services.enrolment_transition(actor=None, enrolment=enrolment, to="started", on=date(2019, 10, 2))
            if stage != "contacted":
                enrolment.refresh_from_db()
                services.enrolment_transition(
                    actor=None, enrolment=enrolment, to=stage, on=date(2019, 10, 3), reason="Ei aikaa"
                )


def test_it_counts_stages_and_segments_and_conversion(world: World) -> None:
    programme = make_programme(world.org)
    programme.segments.all().delete()
    programme.segments.create(name="Suomalaiset perheet", target=4, position=0)
    programme.segments.create(name="Maahanmuuttajaperheet", target=20, position=1)
    unit = make_unit(programme)
    populate(unit, 2)
    funnel = programme_funnel(Viewer.everywhere(world.coordinator), programme)
    finnish = funnel.rows[0]
    assert finnish.segment == "Suomalaiset perheet"
    assert finnish.stage_counts() == [5, 3, 2, 1, 1]  # contacted, interested, enrolled, started, completed
    assert finnish.now_counts() == [0, 1, 0, 0]  # waiting, declined, not reached, dropped out
    assert finnish.progress == 50
    assert funnel.total.stage_counts() == [10, 6, 4, 2, 2]
    assert funnel.conversions()[0][2] == 60
    assert funnel.total.target == 24


def test_it_shows_the_funnel_in_a_constant_number_of_queries(
    world: World, django_assert_max_num_queries: object
) -> None:
    programme = make_programme(world.org)
    programme.segments.create(name="Maahanmuuttajaperheet", target=20, position=1)
    unit = make_unit(programme)
    client = signed_in(world.evaluator)
    urls = [
        reverse("recruitment:programme_funnel", args=[programme.slug]),
        reverse("recruitment:unit_funnel", args=[unit.uuid]),
    ]
    populate(unit, 1)
    small = [queries_for(client, url) for url in urls]
    populate(unit, 8, offset=1)
    assert [queries_for(client, url) for url in urls] == small
    for url, most in zip(urls, small, strict=True):
        with django_assert_max_num_queries(most):  # type: ignore[operator]
            page = client.get(url).content.decode()
        assert "Suomalaiset perheet" in page
    with CaptureQueriesContext(connection) as queries:
        programme_funnel(Viewer.everywhere(world.evaluator), programme)
    assert len(queries) == 2  # the grouped counts and the targets
    print(f"funnel pages: {small} queries")


def test_it_shows_a_facilitator_only_their_units_numbers(world: World) -> None:
    programme = make_programme(world.org)
    mine = make_unit(programme, name="Minun", facilitator=world.facilitator)
    other = make_unit(programme, name="Muu")
    enrol(make_participant(world.org, name="Testi A"), mine)
    enrol(make_participant(world.org, name="Testi B"), other)
    funnel = programme_funnel(Viewer.everywhere(world.facilitator), programme)
    assert funnel.total.counts["contacted"] == 1
    client = signed_in(world.facilitator)
    assert client.get(reverse("recruitment:unit_funnel", args=[other.uuid])).status_code == 404


def test_it_lists_the_waiting_list_on_the_unit_funnel(world: World) -> None:
    unit = make_unit(make_programme(world.org))
    unit.capacity = 1
    unit.save()
    enrol(make_participant(world.org, name="Testi A"), unit)
    waiting = enrol(make_participant(world.org, name="Testi B"), unit, stage="waiting")
    page = signed_in(world.coordinator).get(reverse("recruitment:unit_funnel", args=[unit.uuid])).content.decode()
    assert "1 of 1 places taken" in page
    assert waiting.participant.code in page  # type: ignore[union-attr]


def test_it_lets_keyboard_users_scroll_the_wide_funnel_tables(world: World) -> None:
    # A wide table scrolls inside its wrapper: a scrolling region must be reachable by keyboard
    # (axe: scrollable-region-focusable), as the Tampere acceptance test found at 1280 px.
    programme = make_programme(world.org)
    page = signed_in(world.coordinator).get(reverse("recruitment:programme_funnel", args=[programme.slug]))
    html = page.content.decode()
    assert '<div class="table-wrap" tabindex="0" role="region" aria-labelledby="stages-heading">' in html
    assert '<div class="table-wrap" tabindex="0" role="region" aria-labelledby="targets-heading">' in html


def test_it_counts_where_people_are_now_and_how_far_they_got(world: World) -> None:
    programme = make_programme(world.org)
    unit = make_unit(programme)
    enrol(make_participant(world.org, name="Testi Jonossa"), unit, stage="waiting", segment="Suomalaiset perheet")
    left = enrol(make_participant(world.org, name="Testi Lähti"), unit, segment="Suomalaiset perheet")
    services.enrolment_transition(actor=None, enrolment=left, to="dropped_out", on=date(2019, 11, 1), reason="Muutto")
    enrol(make_participant(world.org, name="Testi Muu"), unit, stage="interested")  # no segment
    funnel = programme_funnel(Viewer.everywhere(world.coordinator), programme)
    finnish, other = funnel.rows  # the programme's segment first, then those counted against none
    assert finnish.stage_counts() == [2, 2, 1, 0, 0]  # the drop-out had enrolled
    assert finnish.now_counts() == [1, 0, 0, 1]  # one waiting, one dropped out
    assert (other.segment, other.target, other.stage_counts()) == ("", None, [1, 1, 0, 0, 0])
    assert funnel.total.stage_counts() == [3, 3, 1, 0, 0]


def test_the_funnel_pages_read_the_kept_counts_not_the_enrolments(world: World) -> None:
    # A national programme has 30 000 enrolments: counted from them, even from a covering index,
    # the funnel page took 1.65–1.76 times as long as for a programme of 1 000 (issue 24).
    programme = make_programme(world.org)
    unit = make_unit(programme)
    populate(unit, 1)
    with CaptureQueriesContext(connection) as queries:
        programme_funnel(Viewer.everywhere(world.coordinator), programme)
        unit_funnel(Viewer.everywhere(world.coordinator), unit)
    assert [query["sql"] for query in queries if "recruitment_enrolment" in query["sql"]] == []
