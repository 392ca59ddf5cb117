"""URL kwargs of the service-use pages, pointing at objects of ``world.org``, and the matrix's answers."""

from datetime import date
from typing import Any

from pilotti.people.tests.helpers import enrol, make_participant
from pilotti.programmes.tests.helpers import make_programme, make_unit
from pilotti.serviceuse.services import ServiceFields, UseFields, service_add, service_use_add


def url_kwargs(world: Any) -> dict[str, dict[str, object]]:
    programme = make_programme(world.org, name="Alfan palvelukäyttö")
    unit = make_unit(programme, name="Alfan perheryhmä", facilitator=world.facilitator)
    participant = make_participant(world.org)
    enrol(participant, unit)
    service = service_add(actor=world.owner, programme=programme, fields=ServiceFields(name="Perhetyö"))
    use = service_use_add(
        actor=world.owner,
        service=service,
        person=participant,
        fields=UseFields(support_started_on=date(2019, 10, 1), support_ended_on=date(2020, 3, 1), before_count=4),
    )
    by_slug = {"slug": programme.slug}
    return {
        "serviceuse:programme": by_slug,
        "serviceuse:service_add": by_slug,
        "serviceuse:use_add": by_slug,
        "serviceuse:import": by_slug,
        "serviceuse:import_template": by_slug,
        "serviceuse:service_edit": {"service_uuid": service.uuid},
        "serviceuse:use_edit": {"use_uuid": use.uuid},
        "serviceuse:use_remove": {"use_uuid": use.uuid},
    }


EXPECTED: dict[str, dict[str, str]] = {}
