"""Builders for the API tests: tokens and a client that sends them."""

import json
from typing import Any

from django.test import Client

from pilotti.accounts.models import User
from pilotti.api import services
from pilotti.organisations.models import Organisation


def make_token(user: User, organisation: Organisation, access: str = "write", **extra: Any) -> str:
    _token, secret = services.token_create(
        actor=user, organisation=organisation, name="Raportointi", access=access, **extra
    )
    return secret


class ApiClient:
    """A test client that sends ``Authorization: Bearer <token>`` with every request."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(
            f"/api/v1{path}", json.dumps(body, default=str), content_type="application/json", headers=self.headers
        )


def api_as(user: User, organisation: Organisation, access: str = "write") -> ApiClient:
    return ApiClient(make_token(user, organisation, access))
