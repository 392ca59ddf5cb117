"""What the API's routers share: the documented error answers, the caller from the token,
pagination, service errors as 422s, and the access log for many people at once."""

from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta
from typing import Any, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError

from pilotti.api import schemas
from pilotti.api.selectors import Caller
from pilotti.audit.models import Action, Category, Purpose
from pilotti.audit.services import log_access_many
from pilotti.instruments.models import Instrument
from pilotti.people.models import Participant
from pilotti.surveys import selectors as surveys

ONE_DAY = timedelta(days=1)
READ: dict[int, Any] = {401: schemas.Error, 404: schemas.Error, 422: schemas.ValidationErrors, 429: schemas.Error}
WRITE: dict[int, Any] = {**READ, 400: schemas.Error, 403: schemas.Error}


def responses(ok: Any, extra: dict[int, Any], status: int = 200) -> dict[int, Any]:
    return {status: ok, **extra}


# --- Errors ------------------------------------------------------------------------------------


def _field_errors(error: DjangoValidationError, at: Sequence[str | int]) -> list[dict[str, Any]]:
    """A service's ValidationError as the API's error list, each naming its field under ``at``."""
    if hasattr(error, "error_dict"):
        return [
            {
                "loc": [*at] if field == "__all__" else [*at, field],
                "msg": " ".join(e.messages),
                "type": e.code or "invalid",
            }
            for field, errors in error.error_dict.items()
            for e in errors
        ]
    return [{"loc": list(at), "msg": message, "type": "invalid"} for message in error.messages]


class ServiceRefused(Exception):
    """A service refused the write: answered 422 with the fields it named."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors)
        self.errors = errors


def invalid(field: str, message: str, kind: str = "invalid") -> ServiceRefused:
    return ServiceRefused([{"loc": ["body", "payload", field], "msg": message, "type": kind}])


T = TypeVar("T")


def call_service(service: Callable[[], T], at: Sequence[str | int] = ("body", "payload")) -> T:
    try:
        return service()
    except DjangoValidationError as error:
        raise ServiceRefused(_field_errors(error, at)) from error


# --- The caller and pagination -----------------------------------------------------------------


def caller_of(request: HttpRequest) -> Caller:
    caller = getattr(request, "auth", None)  # set by TokenAuth before any operation runs
    if not isinstance(caller, Caller):
        raise AuthenticationError
    return caller


def writer_of(request: HttpRequest) -> Caller:
    caller = caller_of(request)
    if not caller.token.can_write:
        raise HttpError(403, _("This token is read-only. Make a read-and-write token for changes."))
    return caller


def instruments_of(caller: Caller) -> QuerySet[Instrument]:
    return surveys.instruments_for(caller.viewer, caller.organisation.pk)


def page_of(queryset: QuerySet[Any], page: schemas.PageIn) -> tuple[int, list[Any]]:
    return queryset.count(), list(queryset[page.offset : page.offset + page.limit])


def paged(count: int, page: schemas.PageIn, items: Iterable[dict[str, Any]]) -> dict[str, Any]:
    return {"count": count, "limit": page.limit, "offset": page.offset, "items": list(items)}


def log_item(request: HttpRequest) -> str:
    return f"API {request.method} {request.path}"[:200]


def log_many(request: HttpRequest, participants: Sequence[Participant], category: Category, purpose: Purpose) -> None:
    if participants:
        log_access_many(
            request,
            participants=participants,
            action=Action.VIEW,
            category=category,
            purpose=purpose,
            item=log_item(request),
        )
