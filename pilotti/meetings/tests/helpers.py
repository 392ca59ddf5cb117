"""Builders for meetings tests: units with meetings at known times around a frozen "now"."""

from datetime import datetime, timedelta

from pilotti.accounts.models import User
from pilotti.organisations.models import Organisation
from pilotti.programmes import services
from pilotti.programmes.models import DeliveryUnit, Meeting
from pilotti.programmes.services import HELSINKI
from pilotti.programmes.tests.helpers import make_programme, make_site, make_unit

# A Wednesday noon in Helsinki: "today" is Wednesday, "this week" runs to Sunday 17.3.
NOW = datetime(2030, 3, 13, 12, 0, tzinfo=HELSINKI)


def unit_with_meetings(
    organisation: Organisation,
    *,
    facilitator: User | None,
    name: str = "Hervanta",
    at: list[datetime] | None = None,
    remote: bool = False,
) -> tuple[DeliveryUnit, list[Meeting]]:
    """A unit whose one generated meeting (in 2019) is joined by meetings at the given times.

    Its programme's curriculum has one topic, "Raskausaika".
    """
    programme = make_programme(organisation, name=f"Ohjelma {name}")
    site = make_site(programme, name=f"Paikka {name}")
    if remote:
        site.is_remote = True
        site.save()
    unit = make_unit(programme, name=name, count=1, site=site, facilitator=facilitator)
    meetings = [
        services.meeting_add(actor=None, unit=unit, starts_at=when)
        for when in (at if at is not None else [NOW + timedelta(hours=2)])
    ]
    return unit, meetings
