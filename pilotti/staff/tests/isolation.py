"""URL kwargs of the staff pages, pointing at objects of ``world.org``, and the matrix's answers."""

from datetime import date
from typing import Any

from pilotti.staff.services import MemberFields, RecordFields, staff_member_add, training_add, training_record_add
from tests.factories import make_programme, make_unit


def url_kwargs(world: Any) -> dict[str, dict[str, object]]:
    programme = make_programme(world.org, name="Alfan ohjaajat")
    unit = make_unit(programme, name="Alfan ohjaajaryhmä")
    member = staff_member_add(
        actor=world.owner,
        programme=programme,
        organisation=world.org,
        fields=MemberFields(name="Hanna Terveydenhoitaja", role="public_health_nurse", phone="040 1", units=[unit]),
    )
    training = training_add(actor=world.owner, programme=programme, name="Kasvokkain", provider="Pakolaisapu")
    record = training_record_add(
        actor=world.owner, member=member, fields=RecordFields(training=training, trained_on=date(2019, 9, 10))
    )
    by_slug = {"slug": programme.slug}
    return {
        "staff:roster": by_slug,
        "staff:member_add": by_slug,
        "staff:training_add": by_slug,
        "staff:targets": by_slug,
        "staff:unit": {"unit_uuid": unit.uuid},
        "staff:member": {"member_uuid": member.uuid},
        "staff:member_archive": {"member_uuid": member.uuid},
        "staff:member_restore": {"member_uuid": member.uuid},
        "staff:member_export": {"member_uuid": member.uuid},
        "staff:member_erase": {"member_uuid": member.uuid},
        "staff:record_add": {"member_uuid": member.uuid},
        "staff:record_edit": {"record_uuid": record.uuid},
    }


# Cells per relation: admin coordinator facilitator evaluator (tests/authz.py). Each organisation
# running the programme (owner, partner, adopter) keeps its own roster on the programme's staff
# page; the owner's admins and coordinators add trainings and set staff targets; facilitators see
# no roster; evaluators read it without contact details; a person's page, export and erasure are
# their organisation's (world.org's) only.
_RUNNING = {"other": "404", "anonymous": "login"}
EXPECTED: dict[str, dict[str, str]] = {
    "staff:roster": {
        "own": "200 200 404 200",
        "partner": "200 200 404 200",
        "adopter": "200 200 404 200",
        **_RUNNING,
    },
    "staff:member_add": {
        "own": "405/400 405/400 404 405/403",
        "partner": "405/400 405/400 404 405/403",
        "adopter": "405/400 405/400 404 405/403",
        **_RUNNING,
    },
    "staff:training_add": {
        "own": "405/400 405/400 404 405/403",
        "partner": "405/403 405/403 404 405/403",
        "adopter": "405/403 405/403 404 405/403",
        **_RUNNING,
    },
    "staff:targets": {
        "own": "405/302 405/302 404 405/403",
        "partner": "405/403 405/403 404 405/403",
        "adopter": "405/403 405/403 404 405/403",
        **_RUNNING,
    },
    # A partner sees the owner's units: their counts and warning, none of the owner's people.
    "staff:unit": {"own": "200 200 404 200", "partner": "200 200 404 200", "adopter": "404", **_RUNNING},
    "staff:member": {"own": "200/400 200/400 404 200/403", "partner": "404", "adopter": "404", **_RUNNING},
    "staff:member_archive": {"own": "405/302 405/302 404 405/403", "partner": "404", "adopter": "404", **_RUNNING},
    "staff:member_restore": {"own": "405/302 405/302 404 405/403", "partner": "404", "adopter": "404", **_RUNNING},
    "staff:member_export": {"own": "405/200 405/200 404 403", "partner": "404", "adopter": "404", **_RUNNING},
    "staff:member_erase": {"own": "405/302 405/302 404 403", "partner": "404", "adopter": "404", **_RUNNING},
    "staff:record_add": {"own": "405/400 405/400 404 405/403", "partner": "404", "adopter": "404", **_RUNNING},
    "staff:record_edit": {"own": "200/400 200/400 404 403", "partner": "404", "adopter": "404", **_RUNNING},
}
