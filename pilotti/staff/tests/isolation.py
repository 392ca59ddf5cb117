"""URL kwargs of the staff pages, pointing at objects of ``world.org``, and the matrix's answers."""

from datetime import date
from typing import Any

from pilotti.programmes.tests.helpers import make_programme, make_unit
from pilotti.staff.services import MemberFields, RecordFields, staff_member_add, training_add, training_record_add


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


EXPECTED: dict[str, dict[str, str]] = {}
