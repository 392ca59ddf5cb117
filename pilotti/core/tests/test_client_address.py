"""The client's address behind reverse proxies (issue 19, finding 2); the whole stack is tried
through a real gunicorn in tests/test_proxy.py."""

import pytest
from django.core.checks import run_checks
from django.test import RequestFactory, override_settings

from pilotti.core import client_address as module
from pilotti.core.client_address import client_address

NGINX = "127.0.0.1"


def request(forwarded: str | None = None, remote: str = NGINX) -> object:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@override_settings(PROXY_COUNT=1)
def test_it_takes_the_address_nginx_saw_not_the_proxys() -> None:
    assert client_address(request("198.51.100.7")) == "198.51.100.7"


@override_settings(PROXY_COUNT=1)
def test_it_ignores_addresses_the_client_wrote_itself() -> None:
    # The client sent "X-Forwarded-For: 203.0.113.9"; nginx appended the address it saw.
    assert client_address(request("203.0.113.9, 198.51.100.7")) == "198.51.100.7"


@override_settings(PROXY_COUNT=2)
def test_it_counts_a_load_balancer_in_front_of_nginx() -> None:
    # Forged entry, the client (appended by the load balancer), the load balancer (by nginx).
    assert client_address(request("203.0.113.9, 198.51.100.7, 10.0.0.2")) == "198.51.100.7"


@override_settings(PROXY_COUNT=0)
def test_it_believes_no_header_without_proxies() -> None:
    assert client_address(request("203.0.113.9", remote="198.51.100.7")) == "198.51.100.7"


@override_settings(PROXY_COUNT=1)
def test_it_takes_the_connection_when_a_request_bypassed_the_proxy() -> None:
    assert client_address(request(None, remote="198.51.100.7")) == "198.51.100.7"


def check_ids() -> set[str]:
    return {message.id for message in run_checks(tags=["security"]) if message.id and message.id.startswith("pilotti")}


@override_settings(PROXY_COUNT=1)
def test_the_system_check_fails_when_proxy_count_is_set_without_ipware(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "pilotti.E102" not in check_ids()
    monkeypatch.setattr(module, "IPWARE", None)
    assert "pilotti.E102" in check_ids()


@override_settings(AXES_CLIENT_IP_CALLABLE=None)
def test_the_system_check_fails_when_axes_resolves_addresses_itself() -> None:
    assert "pilotti.E103" in check_ids()


@override_settings(PROXY_COUNT=-1)
def test_the_system_check_refuses_a_negative_proxy_count() -> None:
    assert "pilotti.E101" in check_ids()
