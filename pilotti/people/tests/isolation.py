"""URL kwargs of the people pages, pointing at objects of ``world.org``."""

from datetime import date
from typing import Any

from pilotti.people import services
from pilotti.people.tests.helpers import make_household, make_participant


def url_kwargs(world: Any) -> dict[str, dict[str, object]]:
    participant = make_participant(world.org, name="Alfan Osallistuja")
    household = make_household(participant)
    consent = services.consent_give(
        actor=None, participant=participant, purpose="evaluation", given_on=date(2024, 1, 1), method="written"
    )
    by_participant = {"participant_uuid": participant.uuid}
    return {
        "people:detail": by_participant,
        "people:edit": by_participant,
        "people:contact_edit": by_participant,
        "people:consent_add": by_participant,
        "people:consent_withdraw": {"consent_uuid": consent.uuid},
        "people:household_detail": {"household_uuid": household.uuid},
        "people:household_edit": {"household_uuid": household.uuid},
    }
