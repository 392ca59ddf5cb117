"""Walks every URL pattern of the project as a member of another organisation.

Each app lists, in ``pilotti/<app>/tests/isolation.py``, the arguments of its URLs that point
at objects of ``world.org``. A URL with arguments that no app registered fails the test, so a
new view cannot slip past it. Pages without arguments may answer, but must show nothing of
``world.org``.
"""

import importlib
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import World, reauthenticated, signed_in

# Third-party pages that take arguments but concern only the signed-in user's own account
# (allauth's e-mail confirmation and password-reset keys): no organisation data behind them.
OWN_ACCOUNT_ONLY = {"account_confirm_email", "account_reset_password_from_key", "account_reset_password_from_key_done"}


def has_groups(entry: URLPattern | URLResolver) -> bool:
    return entry.pattern.regex.groups > 0


def walk(
    resolvers: list[URLPattern | URLResolver], namespace: str = "", inherited: bool = False
) -> Iterator[tuple[str, bool]]:
    """Yields every named URL with whether it (or an include above it) takes arguments."""
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, inner, inherited or has_groups(entry))
        elif entry.name:
            yield f"{namespace}{entry.name}", inherited or has_groups(entry)


def all_patterns() -> list[tuple[str, bool]]:
    return sorted(set(walk(get_resolver().url_patterns)))


def registered_kwargs(world: World) -> dict[str, dict[str, object]]:
    registry: dict[str, dict[str, object]] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("pilotti."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.isolation")
        except ModuleNotFoundError:
            continue
        registry.update(module.url_kwargs(world))
    return registry


def test_it_has_registered_arguments_for_every_url_with_arguments(world: World) -> None:
    registry = registered_kwargs(world)
    missing = [
        name
        for name, takes_arguments in all_patterns()
        if takes_arguments and name not in registry and name not in OWN_ACCOUNT_ONLY
    ]
    assert not missing, f"Register these URLs in pilotti/<app>/tests/isolation.py: {missing}"


def test_it_shows_outsiders_nothing_of_another_organisation(world: World) -> None:
    registry = registered_kwargs(world)
    # Freshly re-authenticated, so that no re-authentication prompt stands in for the check.
    client = reauthenticated(world.outsider)
    leaks: list[str] = []
    checked = 0
    for name, takes_arguments in all_patterns():
        if name in OWN_ACCOUNT_ONLY:
            continue
        if takes_arguments:
            url = reverse(name, kwargs=registry[name])
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                allowed = {403, 404} | ({405} if method == "get" else set())
                if name.startswith("api-v1:"):
                    # The API takes only tokens, so a session gets 401 before any lookup; an
                    # outsider's token is walked through every operation in pilotti/api/tests/test_scoping.py.
                    allowed = {401, 404, 405}
                if response.status_code not in allowed:
                    leaks.append(f"{method.upper()} {url} ({name}) answered {response.status_code}")
        else:
            url = reverse(name)
            response = client.get(url)
            if world.org.name in response.content.decode(errors="replace"):
                leaks.append(f"GET {url} ({name}) shows {world.org.name!r}")
        checked += 1
    assert checked >= 10
    assert not leaks, "\n".join(leaks)


@pytest.mark.parametrize("role", ["coordinator", "facilitator", "evaluator"])
def test_it_keeps_the_admin_pages_from_other_roles(world: World, role: str) -> None:
    client = signed_in(getattr(world, role))
    membership = world.membership(world.facilitator)
    assert client.get(reverse("organisations:members")).status_code == 404
    assert client.post(reverse("organisations:member_reactivate", args=[membership.uuid])).status_code == 404


@pytest.mark.parametrize("role", ["owner", "coordinator", "facilitator", "evaluator"])
def test_it_answers_every_url_for_every_role_without_a_server_error(world: World, role: str) -> None:
    """The URL × role matrix: whatever a member may or may not do, no page breaks for them."""
    registry = registered_kwargs(world)
    client = signed_in(getattr(world, role))
    broken = []
    for name, takes_arguments in all_patterns():
        if name in OWN_ACCOUNT_ONLY or (takes_arguments and name not in registry):
            continue
        url = reverse(name, kwargs=registry[name]) if takes_arguments else reverse(name)
        # Signing out would turn every later page into a redirect to the sign-in page.
        for method in ("get",) if name == "account_logout" else ("get", "post"):
            status = getattr(client, method)(url).status_code
            if status >= 500:
                broken.append(f"{method.upper()} {url} ({name}) answered {status}")
    assert not broken, "\n".join(broken)
    assert client.get(reverse("core:home")).status_code == 200, "the walk signed the member out"
