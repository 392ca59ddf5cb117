"""Property-based calls generated from /api/v1/openapi.json against the app (WSGI, in process):
no answer is a server error, and every answer matches the schema (status code, content type, body).

The calls carry a read-and-write token of a coordinator of an organisation with a small pilot,
so that they reach real data and the services' own checks, not only the 401 of a missing token.
Examples per operation are limited to keep the run under a minute.
"""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from conftest import World
from tests.factories import build, make_token

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


@pytest.fixture
def _connection_kept() -> Iterator[None]:
    """Django closes the database connection when a WSGI request ends; the test's transaction
    lives on that connection (PostgreSQL), so keep it open, as Django's own test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(world: World, _connection_kept: None) -> str:
    build(world, people=1, meetings=1, facilitator=world.facilitator)
    return make_token(world.coordinator, world.org, "write")


@schema.parametrize()
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_api_keeps_its_schema(case: Any, token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
