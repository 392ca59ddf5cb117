"""URL kwargs of the service-use pages, pointing at objects of ``world.org``, and the matrix's answers."""

from datetime import date
from typing import Any

from pilotti.serviceuse.services import ServiceFields, UseFields, service_add, service_use_add
from tests.factories import enrol, make_participant, make_programme, make_unit


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


# Cells per relation: admin coordinator facilitator evaluator (tests/authz.py). Whoever sees the
# programme opens its page; the counts on it are those of the people the viewer may see. The
# owner's admins and coordinators name the services; each organisation's coordinators (who manage
# its people) record, import and correct its own people's counts. An empty POST shows the form
# again (400); an empty reason to remove goes back to the counts with a message (302).
EXPECTED: dict[str, dict[str, str]] = {
    "serviceuse:programme": {
        "own": "200",
        "partner": "200 200 404 200",
        "adopter": "200 200 404 200",
        "other": "404",
        "anonymous": "login",
    },
    "serviceuse:import_template": {
        "own": "200",
        "partner": "200 200 404 200",
        "adopter": "200 200 404 200",
        "other": "404",
        "anonymous": "login",
    },
    "serviceuse:service_add": {
        "own": "405/400 405/400 405/403 405/403",
        "partner": "405/403 405/403 405/404 405/403",
        "adopter": "405/403 405/403 405/404 405/403",
        "other": "405/404",
        "anonymous": "login",
    },
    "serviceuse:service_edit": {
        "own": "200 200 403 403",
        "partner": "403 403 404 403",
        "adopter": "403 403 404 403",
        "other": "404",
        "anonymous": "login",
    },
    "serviceuse:use_add": {
        "own": "405/403 405/400 405/403 405/403",
        "partner": "405/403 405/400 405/404 405/403",
        "adopter": "405/403 405/400 405/404 405/403",
        "other": "405/404",
        "anonymous": "login",
    },
    "serviceuse:import": {
        "own": "405/403 405/400 405/403 405/403",
        "partner": "405/403 405/400 405/404 405/403",
        "adopter": "405/403 405/400 405/404 405/403",
        "other": "405/404",
        "anonymous": "login",
    },
    "serviceuse:use_edit": {
        "own": "403 200 403 403",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "serviceuse:use_remove": {
        "own": "405/403 405/302 405/403 405/403",
        "partner": "405/404",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
}
