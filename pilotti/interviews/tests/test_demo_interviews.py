"""The demo shows Valoa arkeen's and Perhe yhtenäiseksi's interviews coded into themes, with
publishable quotes in their shared reports (issue 26's 'done when')."""

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string

from pilotti.evaluation import selectors, suppression
from pilotti.programmes.models import Programme

FINDINGS = {
    "valoa-arkeen": {"Toivo", "Kevyempi arki", "Vähäisempi leima"},  # hope, a lighter load, less stigma
    "perhe-yhtenaiseksi": {"Perhetyön tarve väheni"},  # less need for family work
}


@pytest.fixture
def demo(db: None) -> None:
    call_command("load_demo", stdout=None)


def test_the_demo_pilots_report_their_themes_and_quotes_in_the_shared_view(demo: None) -> None:
    for slug, findings in FINDINGS.items():
        shared = suppression.shared(selectors.report(None, Programme.objects.get(slug=slug)))
        section = shared["qualitative"]
        published = {t["name"] for t in section["themes"] if t["people"] != suppression.SUPPRESSED}
        assert findings <= published, slug
        assert any(t["people"] == suppression.SUPPRESSED for t in section["themes"]), slug
        assert section["quotes"], slug
        html = render_to_string("evaluation/_qualitative.html", {"report": shared})
        assert section["quotes"][0]["text"] in html, slug
