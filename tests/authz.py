"""The URL × role × organisation matrix: who asks, what they get, and the declared tables.

Each app declares, next to its ``url_kwargs(world)`` in ``pilotti/<app>/tests/isolation.py``,
a table ``EXPECTED`` of the answer every URL name gives to every kind of visitor::

    EXPECTED = {
        #                     admin coordinator facilitator evaluator
        "people:detail": {
            "own": "200 200 404 200",
            "partner": "404",
            "adopter": "404",
            "other": "404",
            "anonymous": "login",
        },
    }

A row has the five relations below. A relation's value is four cells, one per role in the
order of ``ROLES``, or one cell that holds for all four. A cell is the answer to a GET and to
an empty POST, written ``GET/POST`` (``200/400``) or once when both are the same. An answer is
a status code, or ``login`` for a redirect to the sign-in page, ``reauth`` for a redirect to
re-authentication, ``302`` for any other redirect.
"""

import importlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import resolve, reverse

from conftest import World, make_user, signed_in
from pilotti.accounts.models import User
from pilotti.organisations.models import Membership, Organisation, Role
from pilotti.organisations.services import membership_add, membership_change_role, organisation_create
from pilotti.programmes.models import Adoption, Partnership, Programme, UnitFacilitator
from pilotti.programmes.services import facilitator_assign

ROLES = ("admin", "coordinator", "facilitator", "evaluator")
# own: a member of world.org, which owns every programme url_kwargs() creates; partner: of an
# organisation that runs those programmes with the owner (programmes.Partnership); adopter: of
# one that runs the model on its own (programmes.Adoption); other: of an unrelated one.
RELATIONS = ("own", "partner", "adopter", "other")
ANONYMOUS = "anonymous"
ROLE_OF = {
    "admin": Role.ADMIN,
    "coordinator": Role.COORDINATOR,
    "facilitator": Role.FACILITATOR,
    "evaluator": Role.EVALUATOR,
}


@dataclass(frozen=True)
class Subject:
    relation: str
    role: str  # one of ROLES, or "" for the anonymous visitor

    def __str__(self) -> str:
        return f"{self.role} of {self.relation}" if self.role else ANONYMOUS


SUBJECTS = [Subject(relation, role) for relation in RELATIONS for role in ROLES] + [Subject(ANONYMOUS, "")]


def declared_tables() -> dict[str, tuple[str, dict[str, str]]]:
    """Every app's EXPECTED rows, by URL name, with the file that declares them."""
    tables: dict[str, tuple[str, dict[str, str]]] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("pilotti."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.isolation")
        except ModuleNotFoundError:
            continue
        for name, row in getattr(module, "EXPECTED", {}).items():
            tables[name] = (f"{config.name.replace('.', '/')}/tests/isolation.py", row)
    return tables


def where_to_declare(path: str) -> str:
    """The file in which a URL's row belongs: its view's app's, or accounts' for the pages of
    libraries (allauth) and of the project itself."""
    module = resolve(path).func.__module__.split(".")
    app = module[1] if module[0] == "pilotti" and len(module) > 2 else "accounts"
    return f"pilotti/{app}/tests/isolation.py"


def expected_cell(row: dict[str, str], subject: Subject) -> str:
    cells = row[subject.relation].split()
    if subject.relation == ANONYMOUS or len(cells) == 1:
        return cells[0]
    return cells[ROLES.index(subject.role)]


def answer(response: HttpResponse) -> str:
    if response.status_code in (301, 302, 303):
        location = response["Location"]
        if location.startswith(reverse(settings.LOGIN_URL)):
            return "login"
        if location.startswith(reverse("account_reauthenticate")):
            return "reauth"
        return "302"
    return str(response.status_code)


def cell(get: str, post: str) -> str:
    return get if get == post else f"{get}/{post}"


def row_text(observed: dict[Subject, str]) -> str:
    """The observed answers of one URL written as a row of EXPECTED, for the failure message."""
    parts = []
    for relation in RELATIONS:
        cells = [observed[Subject(relation, role)] for role in ROLES]
        parts.append(f'"{relation}": "{cells[0] if len(set(cells)) == 1 else " ".join(cells)}"')
    parts.append(f'"{ANONYMOUS}": "{observed[Subject(ANONYMOUS, "")]}"')
    return "{" + ", ".join(parts) + "}"


def add_relations(world: World) -> dict[Subject, User | None]:
    """Organisations in each relation to world.org's programmes, with a member in every role."""
    partner = organisation_create(name="Gamma kunta", slug="gamma", kind="municipality", business_id="0204819-8")
    adopter = organisation_create(name="Delta ry", slug="delta", kind="ngo", business_id="2331972-7")
    for programme in Programme.objects.filter(organisation=world.org):
        Partnership.objects.create(programme=programme, organisation=partner)
        Adoption.objects.create(programme=programme, organisation=adopter)
    people: dict[Subject, User | None] = {Subject(ANONYMOUS, ""): None}
    for role in ROLES:
        people[Subject("own", role)] = getattr(world, "owner" if role == "admin" else role)
    people[Subject("other", "admin")] = world.outsider
    _assign_beside_the_role(world)
    organisations: list[tuple[str, Organisation]] = [("partner", partner), ("adopter", adopter)]
    organisations.append(("other", world.other_org))
    for relation, organisation in organisations:
        for role in ROLES:
            if Subject(relation, role) in people:
                continue
            user = make_user(f"{role}@{organisation.slug}.example", full_name=f"{organisation.name} {role}")
            membership_add(organisation=organisation, user=user, role=ROLE_OF[role])
            people[Subject(relation, role)] = user
    return people


def _assign_beside_the_role(world: World) -> None:
    """The role-change cases: the own evaluator is a facilitator demoted to evaluator and the own
    admin one promoted to admin, both keeping the facilitator's unit assignments. Every cell of
    theirs in EXPECTED therefore also states that an assignment grants nothing beyond the role."""
    evaluator = Membership.objects.get(organisation=world.org, user=world.evaluator)
    membership_change_role(actor=world.owner, membership=evaluator, role=Role.FACILITATOR, title="")
    for assignment in UnitFacilitator.objects.filter(user=world.facilitator):
        facilitator_assign(actor=world.owner, unit=assignment.unit, user=world.evaluator, role=assignment.role)
        # The admin's assignments are made directly: an admin cannot be assigned, but one promoted
        # from facilitator keeps what they had.
        UnitFacilitator.objects.create(unit=assignment.unit, user=world.owner, role=assignment.role)
    membership_change_role(actor=world.owner, membership=evaluator, role=Role.EVALUATOR, title="")


def client_for(user: User | None) -> Client:
    """Signed in and freshly re-authenticated, so that the re-authentication prompt of sensitive
    pages does not stand in front of the access decision the matrix is about."""
    if user is None:
        return Client(raise_request_exception=False)
    client = signed_in(user)
    client.raise_request_exception = False
    session = client.session
    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email, "reauthenticated": True},
        {"method": "mfa", "at": now, "type": "totp", "reauthenticated": True},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
    # A first page, kept: it writes the session's row in the user's session list, which later
    # requests then leave alone (pilotti.accounts.middleware.SessionListMiddleware), as they
    # would for a person already using Pilotti; each of the walk's requests is rolled back.
    assert client.get(reverse("core:home")).status_code == 200
    return client


@contextmanager
def rolled_back(client: Client) -> Iterator[None]:
    """Requests whose effects are rolled back, so that every visitor meets the same data and a
    POST that signs out, deactivates or erases changes nothing for the next request."""
    cookies = {key: morsel.value for key, morsel in client.cookies.items()}
    cache.clear()  # throttles count per address: hundreds of requests must not trip them
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
    for key, value in cookies.items():
        client.cookies[key] = value


def ask(client: Client, method: str, url: str) -> str:
    """One request, rolled back."""
    with rolled_back(client):
        response = getattr(client, method)(url)
    if response.streaming:
        # A streamed download holds its file open until read to the end; reading it (not
        # response.close(), which would run Django's close_old_connections and, inside a test's
        # transaction, close the PostgreSQL connection) lets the test client close it.
        b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return answer(response)


def walk_matrix(people: dict[Subject, User | None], urls: list[str]) -> Iterator[tuple[Subject, int, str]]:
    """(subject, index of the URL, cell) for every subject and URL."""
    for subject, user in people.items():
        client = client_for(user)
        for index, url in enumerate(urls):
            yield subject, index, cell(ask(client, "get", url), ask(client, "post", url))
