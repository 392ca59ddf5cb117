"""Response rate per measurement point: of those due and of those invited, hidden when small."""

import copy
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone, translation

from conftest import World
from pilotti.core.zone import HELSINKI
from pilotti.evaluation import charts, pdf, services
from pilotti.evaluation.report.response import SUPPRESSED, response_rates, withhold_shared
from pilotti.evaluation.report.scope import Filters, scope
from pilotti.measurement.invitations import send_due
from pilotti.people import services as people
from pilotti.people.models import ConsentPurpose
from pilotti.programmes.models import Programme
from tests.factories import answer, plan, setup_unit

WHO5 = {f"q{i}": 3 for i in range(1, 6)}
INTAKE = date(2019, 10, 23)


@pytest.fixture
def programme(world: World) -> Programme:
    """Eight people due at intake: six with consent are invited, four answer (three of them invited)."""
    programme, _unit, participants = setup_unit(world.org, people=8)
    plan(programme, "who-5", "intake")
    for participant in participants[:6]:
        people.consents_give(
            actor=None, participant=participant, purposes=[ConsentPurpose.EVALUATION],
            given_on=date(2019, 10, 1), method="written",
        )  # fmt: skip
    with time_machine.travel(datetime.combine(INTAKE, time(10), tzinfo=HELSINKI), tick=False):
        assert send_due(now=timezone.now())["sent"] == 6
    for participant in [*participants[:3], participants[7]]:  # the last one on paper, never invited
        answer("who-5", participant, WHO5, INTAKE + timedelta(days=2))
    return programme


@pytest.fixture
def rates(programme: Programme) -> list[dict[str, object]]:
    return response_rates(scope(None, programme, Filters()), date(2019, 12, 1), "en")  # type: ignore[return-value]


def test_it_counts_answers_of_those_due_and_of_those_invited(rates: list[dict[str, object]]) -> None:
    [row] = rates
    assert (row["answered"], row["due"], row["share_of_due"]) == (4, 8, 0.5)
    assert (row["answered_invited"], row["invited"], row["share_of_invited"]) == (3, 6, 0.5)


def test_the_shared_view_hides_a_small_count_and_its_complement(rates: list[dict[str, object]]) -> None:
    shared = copy.deepcopy({"response_rates": rates})
    withhold_shared(shared, 5)
    [row] = shared["response_rates"]
    # 4 of 8: both 4 and 8 − 4 are below 5, so the count and the share go; 8 stays.
    assert (row["answered"], row["due"], row["share_of_due"]) == (SUPPRESSED, 8, SUPPRESSED)
    assert (row["answered_invited"], row["invited"], row["share_of_invited"]) == (SUPPRESSED, 6, SUPPRESSED)
    withhold_shared(shared := copy.deepcopy({"response_rates": rates}), 3)
    [row] = shared["response_rates"]
    assert (row["answered"], row["due"], row["share_of_due"]) == (4, 8, 0.5)


def test_the_shared_report_and_its_pdf_show_the_rates_hidden_when_small(programme: Programme) -> None:
    report = services.report_build(viewer=None, programme=programme, filters=Filters(), shared=True)
    with translation.override("fi"):
        html = pdf.render_html(charts.with_charts(report))
    table = html[html.index('id="response-table"') : html.index("</table>", html.index('id="response-table"'))]
    assert "Vastausaste" in html
    assert "WHO-5 Well-Being Index · vastaanotossa" in table or "WHO-5 Well-Being Index" in table
    assert table.count('class="suppressed"') == 4, "4 of 8 and 3 of 6: each count and share hidden"
    assert "8" in table
