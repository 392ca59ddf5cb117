"""The isolation contract of the measurement URLs (see tests/test_isolation.py)."""

from typing import Any

from pilotti.measurement.services import alert_raise
from pilotti.measurement.tests.helpers import answer, plan, setup_unit

PHQ9_ITEM9 = {f"q{i}": 0 for i in range(1, 9)} | {"q9": 1}


def url_kwargs(world: Any) -> dict[str, dict[str, object]]:
    programme, unit, [participant] = setup_unit(world.org, people=1, facilitator=world.facilitator, name="Mittaus")
    entry = plan(programme, "who-5", "intake")
    alert = alert_raise(response=answer("phq-9", participant, PHQ9_ITEM9, unit.meetings.first().starts_at.date()))  # type: ignore[union-attr]
    assert alert is not None
    return {
        "measurement:plan": {"slug": programme.slug},
        "measurement:plan_add": {"slug": programme.slug},
        "measurement:plan_remove": {"slug": programme.slug, "entry_uuid": entry.uuid},
        "measurement:programme_due": {"slug": programme.slug},
        "measurement:unit_due": {"unit_uuid": unit.uuid},
        "measurement:alert": {"alert_uuid": alert.uuid},
        "measurement:alert_acknowledge": {"alert_uuid": alert.uuid},
    }
