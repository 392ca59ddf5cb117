"""The demo's Perhe yhtenäiseksi (issue 25's "done when"): its fidelity table has Oulu and its three
adopters, the adopters' one family each withheld from an Oulu evaluator; its model description names
the adopters and the handbook; Oulu's portfolio lists it. Only the adopters' rows are asserted in
full: their meetings are in 2021, whatever the day the demo is loaded."""

import io
from datetime import UTC, datetime

import docx
import pytest
from django.core.management import call_command
from django.urls import reverse

from conftest import make_user, signed_in
from pilotti.accounts.models import User
from pilotti.organisations.models import Organisation, Role
from pilotti.organisations.services import membership_add
from pilotti.organisations.viewer import Viewer
from pilotti.portfolio import selectors
from pilotti.programmes.models import Programme

ADOPTERS = ["Kajaanin kaupunki", "Kokkolan kaupunki", "Pudasjärven kaupunki"]


@pytest.fixture
def oulu_evaluator(db: None) -> User:
    call_command("load_demo", stdout=None)
    user = make_user("arvioija@oulu.example", full_name="Oulun arvioija")
    membership_add(organisation=Organisation.objects.get(slug="oulun-kaupunki"), user=user, role=Role.EVALUATOR)
    return user


def test_the_demo_model_shows_fidelity_for_its_three_adopters(oulu_evaluator: User) -> None:
    programme = Programme.objects.get(slug="perhe-yhtenaiseksi")
    table = selectors.fidelity(Viewer.everywhere(oulu_evaluator), programme, datetime(2026, 12, 6, tzinfo=UTC))
    assert [row.organisation for row in table.rows] == ["Oulun kaupunki", *ADOPTERS]
    for row in table.rows[1:]:
        values = row.values
        assert (row.relation, values["units"], values["planned"], values["held"]) == ("adopter", 1, 5, 5)
        assert values["topics_covered"] == 3  # every curriculum topic was a meeting's theme
        assert values["started"] == "suppressed"  # one family each: never shown to Oulu


def test_the_demo_model_description_names_the_adopters_and_the_handbook(oulu_evaluator: User) -> None:
    client = signed_in(oulu_evaluator)
    response = client.get(reverse("portfolio:model_description_docx", args=["perhe-yhtenaiseksi"]))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    for adopter in ADOPTERS:
        assert f"{adopter} (adopted the model" in text
    assert "worker's guide" in text
    portfolio = client.get(reverse("portfolio:portfolio", args=[Organisation.objects.get(slug="oulun-kaupunki").uuid]))
    assert "Perhe yhtenäiseksi" in portfolio.content.decode()
