"""The five demo pilots' reports show cost per result (issue 22), in the internal and shared views."""

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse

from conftest import signed_in
from pilotti.accounts.models import User
from pilotti.evaluation import selectors, suppression
from pilotti.programmes.models import Programme

DEMO_PILOTS = (
    "valoa-arkeen",
    "perhe-yhtenaiseksi",
    "ohjatut-vertaistukiryhmat",
    "ikaalinen-paivatoiminta",
    "tampere-pikkulapsiperheet",
)


@pytest.fixture
def demo(db: None) -> None:
    call_command("load_demo", stdout=None)


def test_every_demo_report_has_its_costs_and_the_page_shows_them(demo: None) -> None:
    for slug in DEMO_PILOTS:
        report = selectors.report(None, Programme.objects.get(slug=slug))
        cost = report["cost"]
        assert cost["has_inputs"], slug
        assert cost["total"] > 0, slug
        assert cost["total"] == pytest.approx(cost["unit_level"] + cost["programme_level"], abs=0.01)
        assert sum(row["amount"] for row in cost["categories"]) == pytest.approx(cost["total"], abs=0.05)
        assert cost["per_started"]["amount"] == round(cost["total"] / cost["per_started"]["n"], 2), slug
        assert cost["marginal_unit"]["units"] >= 1, slug
        for view in (report, suppression.shared(report)):
            html = render_to_string("evaluation/_cost.html", {"report": view})
            assert 'id="cost-heading"' in html, slug
            assert "Per participant started" in html, slug

    # Ikaalinen (seed 003): 8 started, 7 completed. In the shared view the 1 who left is hidden,
    # and the cost per completer with it (the total divided by it would give 7).
    ikaalinen = selectors.report(None, Programme.objects.get(slug="ikaalinen-paivatoiminta"))
    assert (ikaalinen["cost"]["per_started"]["n"], ikaalinen["cost"]["per_completer"]["n"]) == (8, 7)
    shared = suppression.shared(ikaalinen)["cost"]
    assert shared["per_started"]["amount"] == ikaalinen["cost"]["per_started"]["amount"]
    assert shared["per_completer"]["withheld"] == "derivable"

    page = signed_in(User.objects.get(email="evaluator@example.org")).get(
        reverse("evaluation:programme_report", args=["ikaalinen-paivatoiminta"])
    )
    assert page.status_code == 200
    assert "Cost per result" in page.content.decode()
