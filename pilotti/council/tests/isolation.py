"""URL kwargs of the client council's pages, pointing at objects of ``world.org``, and the matrix's answers."""

from typing import Any

from pilotti.council.services import ItemFields, council_item_add
from pilotti.programmes.tests.helpers import make_programme, make_site, make_unit


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


EXPECTED: dict[str, dict[str, str]] = {}
