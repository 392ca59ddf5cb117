"""The JSON API, version 1 (``/api/v1/``): django-ninja operations over the same selectors and
services as the pages. docs/api.md describes it for its users; the schema is
``/api/v1/openapi.json``.

Each operation: the caller comes from the bearer token (``auth.TokenAuth``); objects are found
through the apps' scoping selectors with the token's viewer (``caller.viewer``, the holder's
membership in the token's organisation only), the same selectors the pages use, so an object
outside the caller's scope answers 404 exactly like a missing one; a visible object the
caller's role may not change answers 403, and so does
any write with a read-only token; writes go through the apps' services; every list is paginated;
every person-level row returned or written is in the access log.

One router per resource, each its own module (``programmes``, ``report``, ``units``,
``meetings`` with their roll call, ``participants``, ``enrolments``, ``instruments``,
``responses``); what they share is in ``common``. This module holds the API itself, its error
handlers and the order of the routers, which is the order of the OpenAPI document's paths.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.openapi.docs import Swagger
from ninja.operation import Operation

from pilotti.api.auth import RateLimited, TokenAuth
from pilotti.api.v1 import enrolments, instruments, meetings, participants, programmes, report, responses, units
from pilotti.api.v1.common import ServiceRefused

DESCRIPTION = """Pilotti's JSON API for programmes, units, meetings and attendance, pseudonymous
participants and enrolments, instruments, answers and the report figures.

Authenticate with a personal access token (made on the *API tokens* page):
`Authorization: Bearer pilotti_…`. A token acts for its holder in one organisation, with their
role there; read-only tokens get 403 on writes. Objects outside the token's scope answer 404.
Lists take `limit` (1–200, default 50) and `offset`, and answer `{count, limit, offset, items}`.
"""

LICENCE = {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"}  # pyproject.toml's licence


class PilottiAPI(NinjaAPI):
    """The API, its OpenAPI document holding only the components some operation uses: django-ninja
    also lists the query-parameter models (paging, filters), which no operation refers to
    (they are spelled out as parameters), and generated clients made classes of them.

    Operation ids are ``pilotti_api_v1_<function>`` whichever router module holds the function:
    django-ninja derives them from the module, and clients generated from the document name
    their methods after them, so moving an operation between modules must not rename it."""

    def get_openapi_operation_id(self, operation: Operation) -> str:
        return f"pilotti_api_v1_{operation.view_func.__name__}"

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.get("components", {}).get("schemas", {})
        used = _referenced({key: value for key, value in schema.items() if key != "components"}, components)
        schema["components"]["schemas"] = {name: components[name] for name in components if name in used}
        return schema


def _referenced(start: Any, components: dict[str, Any]) -> set[str]:
    """The schema components reachable from ``start`` through $ref, transitively."""
    prefix = "#/components/schemas/"
    found: set[str] = set()
    waiting = [start]
    while waiting:
        node = waiting.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(prefix) and ref[len(prefix) :] not in found:
                name = ref[len(prefix) :]
                found.add(name)
                waiting.append(components.get(name))
            waiting.extend(node.values())
        elif isinstance(node, list):
            waiting.extend(node)
    return found


api = PilottiAPI(
    title="Pilotti API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=TokenAuth(),
    docs=Swagger(settings={"persistAuthorization": False, "tryItOutEnabled": False}),
    # Paths start with /api/v1/, so the server is the site itself (SITE_URL, the address Pilotti's
    # links use).
    servers=[{"url": settings.SITE_URL, "description": "This Pilotti server"}],
    openapi_extra={"info": {"license": LICENCE}},
)


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request, {"detail": _("Give a valid API token: Authorization: Bearer <token>.")}, status=401
    )
    response["WWW-Authenticate"] = 'Bearer realm="pilotti"'
    return response


@api.exception_handler(RateLimited)
def _rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    minutes = -(-exc.wait // 60)
    detail = ngettext(
        "Too many calls. Try again in %(minutes)s minute.", "Too many calls. Try again in %(minutes)s minutes.", minutes
    ) % {"minutes": minutes}
    response = api.create_response(request, {"detail": detail}, status=429)
    response["Retry-After"] = str(exc.wait)
    return response


@api.exception_handler(ServiceRefused)
def _refused(request: HttpRequest, exc: ServiceRefused) -> HttpResponse:
    return api.create_response(request, {"detail": exc.errors}, status=422)


# The routers in the order of the document's paths.
for module in (programmes, report, units, meetings, participants, enrolments, instruments, responses):
    api.add_router("", module.router)
