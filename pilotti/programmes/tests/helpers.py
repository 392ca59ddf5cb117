"""Small builders for programme tests, on top of the root conftest's ``world``."""

from datetime import date, time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pilotti.accounts.models import User
from pilotti.meetings import services as meeting_services
from pilotti.meetings.schedule import ScheduleRule
from pilotti.organisations.models import Organisation
from pilotti.programmes import services
from pilotti.programmes.models import DeliveryUnit, Programme, Site
from pilotti.programmes.services import ProgrammeFields


def make_programme(organisation: Organisation, name: str = "Vertaistukiryhmät", **fields: object) -> Programme:
    return services.programme_create(
        actor=None,
        organisation=organisation,
        fields=ProgrammeFields(name=name, segments=[("Suomalaiset perheet", 20)], topics=["Raskausaika"], **fields),  # type: ignore[arg-type]
    )


def make_site(programme: Programme, organisation: Organisation | None = None, name: str = "Naistari") -> Site:
    return services.site_create(
        actor=None,
        programme=programme,
        organisation=organisation or programme.organisation,
        name=name,
        municipality="Tampere",
    )


def make_unit(
    programme: Programme,
    organisation: Organisation | None = None,
    *,
    name: str = "Hervanta",
    count: int = 7,
    first: date = date(2019, 10, 30),
    facilitator: User | None = None,
    site: Site | None = None,
) -> DeliveryUnit:
    unit = meeting_services.unit_create(
        actor=None,
        programme=programme,
        organisation=organisation or programme.organisation,
        name=name,
        schedule=ScheduleRule(first=first, count=count),
        start_time=time(15, 30),
        site=site,
    )
    if facilitator is not None:
        services.facilitator_assign(actor=None, unit=unit, user=facilitator, role="public_health_nurse")
    return unit


def queries_for(client: Client, url: str) -> int:
    """Queries of a GET after a first, warming one (sign-in bookkeeping happens once per session)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def sqlite_work(client: Client, url: str) -> int:
    """SQLite virtual-machine steps (to the nearest 100) of a GET after a warming one: the work the
    database did, whatever the machine's load. A page whose queries look things up by key does the
    same work however much else the database holds; a scan grows with the table. SQLite only."""
    assert client.get(url).status_code == 200
    connection.ensure_connection()
    steps = [0]

    def step() -> int:
        steps[0] += 1
        return 0  # carry on

    connection.connection.set_progress_handler(step, 100)
    try:
        assert client.get(url).status_code == 200
    finally:
        connection.connection.set_progress_handler(None, 100)
    return steps[0] * 100
