"""URL kwargs of the cost pages, pointing at objects of ``world.org``, and the matrix's answers."""

from datetime import date
from decimal import Decimal
from typing import Any

from pilotti.costs.services import EntryFields, cost_entry_add
from tests.factories import make_programme, make_unit


def url_kwargs(world: Any) -> dict[str, dict[str, object]]:
    programme = make_programme(world.org, name="Alfan kustannukset")
    unit = make_unit(programme, name="Alfan kustannusryhmä")
    entry = cost_entry_add(
        actor=world.owner,
        programme=programme,
        organisation=world.org,
        fields=EntryFields(
            kind="venue", description="Tilavuokra", spent_on=date(2019, 11, 1), unit=unit, amount=Decimal(120)
        ),
    )
    by_slug = {"slug": programme.slug}
    return {
        "costs:programme": by_slug,
        "costs:rates": by_slug,
        "costs:entry_add": by_slug,
        "costs:entry_edit": {"entry_uuid": entry.uuid},
        "costs:entry_remove": {"entry_uuid": entry.uuid},
    }


# Cells per relation: admin coordinator facilitator evaluator (tests/authz.py). Each organisation
# running the programme (owner, partner, adopter) keeps its own costs on the programme's cost
# page; facilitators see no costs (an hourly rate is close to a person's pay); evaluators read.
EXPECTED: dict[str, dict[str, str]] = {
    "costs:programme": {
        "own": "200 200 404 200",
        "partner": "200 200 404 200",
        "adopter": "200 200 404 200",
        "other": "404",
        "anonymous": "login",
    },
    "costs:rates": {
        "own": "405/302 405/302 405/404 405/403",
        "partner": "405/302 405/302 405/404 405/403",
        "adopter": "405/302 405/302 405/404 405/403",
        "other": "405/404",
        "anonymous": "login",
    },
    "costs:entry_add": {
        "own": "405/400 405/400 405/404 405/403",
        "partner": "405/400 405/400 405/404 405/403",
        "adopter": "405/400 405/400 405/404 405/403",
        "other": "405/404",
        "anonymous": "login",
    },
    "costs:entry_edit": {
        "own": "200 200 404 403",  # an empty POST shows the form again, as a GET does
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "costs:entry_remove": {
        "own": "405/302 405/302 405/404 405/403",
        "partner": "405/404",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
}
