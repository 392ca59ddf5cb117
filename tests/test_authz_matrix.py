"""The authorisation matrix: every URL × every role × own / partner / adopter / other
organisation, and anonymous visitors, against the answers each app declares.

The URLs come from the URL configuration (tests/test_isolation.py's walk), so a new page
cannot be left out: a URL without a declared row fails with the file to declare it in and
what it answers now. The declaration format is in tests/authz.py and docs/architecture.md.
Every request runs in a rolled-back transaction, so one set of data serves every request.
"""

from dataclasses import dataclass

import pytest
import weasyprint
from django.core.management import call_command
from django.urls import reverse
from pytest_django import DjangoDbBlocker

from conftest import make_world
from tests.authz import (
    ANONYMOUS,
    RELATIONS,
    ROLES,
    SUBJECTS,
    Subject,
    add_relations,
    declared_tables,
    expected_cell,
    row_text,
    walk_matrix,
    where_to_declare,
)
from tests.test_isolation import all_patterns, registered_kwargs

# The marker makes pytest-django create the test database for the module-wide fixture below.
pytestmark = pytest.mark.django_db


@dataclass
class Matrix:
    urls: dict[str, str]  # URL name → the path asked for
    observed: dict[str, dict[Subject, str]]  # URL name → subject → cell


@pytest.fixture(scope="module")
def matrix(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Matrix:
    # Rendering a PDF takes a second and decides nothing about access: the views check access
    # before they render, so a stand-in PDF keeps the matrix fast without hiding an answer.
    #
    # The world is committed, and the module empties the database when the walk is done: each
    # request is then a transaction of its own, rolled back (tests/authz.py::rolled_back). Held
    # in one module-wide transaction instead, each request's rollback was a savepoint's, and once
    # a report had made its temporary table SQLite threw its parsed schema away at every later
    # one: the statements of a walk of 747 requests took 12.0 s instead of 1.7 s.
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(weasyprint.HTML, "write_pdf", lambda *args, **kwargs: b"%PDF-1.7\n")
        try:
            world = make_world()
            registry = registered_kwargs(world)
            people = add_relations(world)
            urls = {
                name: reverse(name, kwargs=registry[name]) if takes_arguments else reverse(name)
                for name, takes_arguments in all_patterns()
                # URLs with unregistered arguments fail tests/test_isolation.py already.
                if not takes_arguments or name in registry
            }
            names = list(urls)
            observed: dict[str, dict[Subject, str]] = {name: {} for name in names}
            for subject, index, answer in walk_matrix(people, list(urls.values())):
                observed[names[index]][subject] = answer
        finally:
            call_command("flush", interactive=False, verbosity=0)
    return Matrix(urls=urls, observed=observed)


def test_it_declares_the_expected_answers_of_every_url(matrix: Matrix) -> None:
    tables = declared_tables()
    missing = [
        f"{name}: add to EXPECTED in {where_to_declare(url)} — today it answers\n"
        f"    {name!r}: {row_text(matrix.observed[name])},\n"
        "  check every cell is what the product should do before copying it"
        for name, url in matrix.urls.items()
        if name not in tables
    ]
    assert not missing, "URLs without declared answers (format: tests/authz.py):\n" + "\n".join(missing)


def test_it_declares_only_urls_that_exist(matrix: Matrix) -> None:
    stale = [f"{name} in {path}" for name, (path, _row) in declared_tables().items() if name not in matrix.urls]
    assert not stale, "Rows for URL names that no longer exist: " + ", ".join(stale)


def test_it_writes_every_row_in_the_declared_shape() -> None:
    wrong = []
    for name, (path, row) in declared_tables().items():
        if set(row) != {*RELATIONS, ANONYMOUS}:
            wrong.append(f"{name} in {path}: relations {sorted(row)}, expected {[*RELATIONS, ANONYMOUS]}")
        wrong += [
            f"{name} in {path}: {relation!r} needs 1 or {len(ROLES)} cells"
            for relation, cells in row.items()
            if len(cells.split()) not in ((1,) if relation == ANONYMOUS else (1, len(ROLES)))
        ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("subject", SUBJECTS, ids=str)
def test_it_answers_every_url_as_declared(matrix: Matrix, subject: Subject) -> None:
    tables = declared_tables()
    differences = [
        f"{name} ({url}): expected {expected_cell(tables[name][1], subject)}, "
        f"answered {matrix.observed[name][subject]}  [{tables[name][0]}]"
        for name, url in matrix.urls.items()
        if name in tables and expected_cell(tables[name][1], subject) != matrix.observed[name][subject]
    ]
    assert not differences, f"As {subject} (GET/POST):\n" + "\n".join(differences)
