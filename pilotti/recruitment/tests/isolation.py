"""URL kwargs of the recruitment pages, pointing at objects of ``world.org``."""

from typing import Any

from pilotti.people.tests.helpers import enrol, make_household, make_participant
from pilotti.programmes.tests.helpers import make_programme, make_unit


def url_kwargs(world: Any) -> dict[str, dict[str, object]]:
    programme = make_programme(world.org, name="Alfan rekrytointi")
    unit = make_unit(programme, name="Alfan ryhmä")
    participant = make_participant(world.org, name="Alfan Rekrytoitava")
    household = make_household(participant)
    enrolment = enrol(participant, unit)
    return {
        "recruitment:participant_enrol": {"participant_uuid": participant.uuid},
        "recruitment:household_enrol": {"household_uuid": household.uuid},
        "recruitment:enrolment_detail": {"enrolment_uuid": enrolment.uuid},
        "recruitment:enrolment_move": {"enrolment_uuid": enrolment.uuid},
        "recruitment:programme_funnel": {"slug": programme.slug},
        "recruitment:unit_funnel": {"unit_uuid": unit.uuid},
    }
