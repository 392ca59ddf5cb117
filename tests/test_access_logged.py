"""Every page that shows a person's data leaves a row in the access log (docs/security.md).

The walk takes every URL of the authorisation matrix's registry (tests/authz.py), asks it as
each member of the owning organisation whom EXPECTED lets in, and looks at what comes back: an
answer that holds a participant's or a household's code, or a participant's name, must have
written an access-log row in the same request. A new page that shows people cannot be added
without its entry, whoever writes it.
"""

import pytest
from django.urls import reverse

from conftest import make_world
from pilotti.audit.models import AccessLog
from pilotti.people.models import ContactDetails, Household, Participant
from tests.authz import ROLES, Subject, add_relations, client_for, declared_tables, expected_cell, rolled_back
from tests.test_isolation import all_patterns, registered_kwargs

pytestmark = pytest.mark.django_db

# Pages that show a person's data only to that person (the participants' own pages, which
# their link's owner opens: the log records staff use, docs/rights.md) or that show the log
# itself (reading one's own access log is not a use of the people in it).
NOT_A_STAFF_USE = {"rights:person_log", "rights:log_pdf", "audit:log"}


def test_every_page_that_shows_a_persons_data_writes_an_access_log_row() -> None:
    world = make_world()
    registry = registered_kwargs(world)
    people = add_relations(world)
    tables = declared_tables()
    codes = [*Participant.objects.values_list("code", flat=True), *Household.objects.values_list("code", flat=True)]
    names = [contact.name for contact in ContactDetails.objects.all() if contact.name]
    assert codes
    assert names
    unlogged: list[str] = []
    asked = 0
    clients = {role: client_for(people[Subject("own", role)]) for role in ROLES}
    for name, takes_arguments in all_patterns():
        if name not in tables or name in NOT_A_STAFF_USE:
            continue
        url = reverse(name, kwargs=registry[name]) if takes_arguments else reverse(name)
        for role in ROLES:
            subject = Subject("own", role)
            cell = expected_cell(tables[name][1], subject)
            # A download asked for by POST only (405 to a GET) is asked by POST.
            method = "get" if cell.split("/")[0] == "200" else "post" if cell == "405/200" else ""
            if not method:
                continue
            client = clients[role]
            with rolled_back(client):
                before = AccessLog.objects.count()
                response = getattr(client, method)(url)
                body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
                text = body.decode(errors="replace")
                shown = [value for value in (*codes, *names) if value in text]
                logged = AccessLog.objects.count() > before
            asked += 1
            if shown and not logged:
                unlogged.append(f"{name} as {role} shows {shown[0]!r}")
    assert asked > 50
    assert not unlogged, "Pages showing people's data without an access-log row:\n" + "\n".join(unlogged)
