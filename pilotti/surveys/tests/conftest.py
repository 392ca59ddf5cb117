from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import World
from pilotti.meetings.models import Meeting
from pilotti.people.models import Participant
from pilotti.programmes.models import DeliveryUnit
from tests.factories import enrol, make_participant, unit_with_meetings


@pytest.fixture
def group(world: World) -> tuple[DeliveryUnit, Meeting]:
    unit, [meeting] = unit_with_meetings(
        world.org, facilitator=world.facilitator, at=[timezone.now() - timedelta(hours=1)]
    )
    return unit, meeting


@pytest.fixture
def person(world: World, group: tuple[DeliveryUnit, Meeting]) -> Participant:
    participant = make_participant(world.org)
    enrol(participant, group[0])
    return participant
