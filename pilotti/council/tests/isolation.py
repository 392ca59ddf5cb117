"""URL kwargs of the client council's pages, pointing at objects of ``world.org``, and the matrix's answers."""

from typing import Any

from pilotti.council.services import ItemFields, council_item_add
from tests.factories import make_programme, make_site, make_unit


def url_kwargs(world: Any) -> dict[str, dict[str, object]]:
    programme = make_programme(world.org, name="Alfan asiakasraati")
    unit = make_unit(programme, site=make_site(programme), facilitator=world.facilitator)
    meeting = unit.meetings.first()
    assert meeting is not None
    item = council_item_add(actor=world.owner, meeting=meeting, fields=ItemFields(suggestion="Lisää retkiä"))
    return {
        "council:meeting": {"meeting_uuid": meeting.uuid},
        "council:item_edit": {"item_uuid": item.uuid},
        "council:item_remove": {"item_uuid": item.uuid},
    }


# Cells per relation: admin coordinator facilitator evaluator (tests/authz.py). Items follow their
# meeting: whoever sees the meeting reads them (a partner's admins, coordinators and evaluators
# too); those who may change the meeting (its unit's facilitators, the unit's organisation's
# admins and coordinators) record and correct them. An empty POST shows the form again (400).
EXPECTED: dict[str, dict[str, str]] = {
    "council:meeting": {
        "own": "200/400 200/400 200/400 200/403",
        "partner": "200/403 200/403 404 200/403",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "council:item_edit": {
        "own": "200 200 200 403",
        "partner": "403 403 404 403",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "council:item_remove": {
        "own": "405/302 405/302 405/302 405/403",  # an empty reason: back to the item with a message
        "partner": "405/403 405/403 405/404 405/403",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
}
