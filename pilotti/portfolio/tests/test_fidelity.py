"""Fidelity across adopters: each organisation's delivery beside the model's plan, the adopters'
small counts of people withheld from the owner, an adopter's own row in full."""

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from django.urls import reverse

from conftest import World, signed_in
from pilotti.organisations.viewer import Viewer
from pilotti.portfolio import selectors
from pilotti.portfolio.tests.conftest import Model

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def _rows(viewer: Any, model: Model) -> dict[str, dict[str, Any]]:
    table = selectors.fidelity(Viewer.everywhere(viewer), model.programme, NOW)
    return {row.organisation: row.values for row in table.rows}


def test_it_compares_each_organisations_delivery_with_the_plan(world: World, model: Model) -> None:
    rows = _rows(world.owner, model)
    assert list(rows) == [world.org.name, "Delta ry"]  # the owner first
    own = rows[world.org.name]
    assert (own["units"], own["planned"], own["held"], own["held_share"], own["held_per_unit"]) == (1, 4, 4, 1.0, 4.0)
    assert own["minutes"] == pytest.approx(82.5)  # 60 + 3 × 90 minutes
    # The nurse at two meetings; at the third only someone without the planned role.
    assert own["roles_present"] == pytest.approx(2 / 3)
    assert own["topics_covered"] == 1
    assert own["trained_per_unit"] == 1.0  # the nurse on the roster, trained
    assert (own["started"], own["group_size"]) == (6, 6.0)
    assert own["attendance_rate"] == pytest.approx(17 / 22)
    delta = rows["Delta ry"]
    assert (delta["planned"], delta["held"], delta["held_share"], delta["held_per_unit"]) == (4, 3, 0.75, 3.0)
    assert delta["roles_present"] is None  # no facilitators recorded: "not recorded", not 0 %
    assert delta["topics_covered"] == 0
    assert delta["trained_per_unit"] == 0.0  # nobody on Delta's roster


def test_it_withholds_an_adopters_small_counts_of_people_from_the_owner(world: World, model: Model) -> None:
    delta = _rows(world.owner, model)["Delta ry"]
    assert (delta["started"], delta["group_size"], delta["attendance_rate"]) == ("suppressed",) * 3
    page = signed_in(world.owner).get(reverse("portfolio:fidelity", args=[model.programme.slug])).content.decode()
    row = re.search(r'<tr data-organisation="Delta ry">(.*?)</tr>', page, re.DOTALL)
    assert row is not None
    assert 'data-key="started"><abbr class="suppressed"' in row.group(1)
    assert 'data-key="held">3<' in row.group(1)
    assert "not recorded" in row.group(1)


def test_an_adopter_sees_its_own_row_in_full_and_no_other(model: Model) -> None:
    rows = _rows(model.adopter_admin, model)
    assert list(rows) == ["Delta ry"]
    assert (rows["Delta ry"]["started"], rows["Delta ry"]["group_size"]) == (3, 3.0)
    assert rows["Delta ry"]["attendance_rate"] == pytest.approx(6 / 9)


def test_the_page_shows_the_plan_and_runs_a_constant_number_of_queries(
    world: World, model: Model, django_assert_max_num_queries: Any
) -> None:
    client = signed_in(world.owner)
    url = reverse("portfolio:fidelity", args=[model.programme.slug])
    client.get(url)
    with django_assert_max_num_queries(30):
        response = client.get(url)
    page = response.content.decode()
    assert "4–6" in page  # the plan's meetings per unit
    assert "Public health nurse" in page or "public health nurse" in page


def test_facilitators_and_outsiders_get_404(world: World, model: Model) -> None:
    url = reverse("portfolio:fidelity", args=[model.programme.slug])
    for user in (world.facilitator, world.outsider):
        assert signed_in(user).get(url).status_code == 404
        assert signed_in(user).post(url).status_code == 404
