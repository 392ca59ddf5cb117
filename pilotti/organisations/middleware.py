from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from pilotti.organisations.selectors import memberships_of

SESSION_KEY = "pilotti_organisation"


class CurrentOrganisationMiddleware:
    """Sets ``request.organisation`` and ``request.membership`` from the switcher's choice.

    Only the user's own active memberships are candidates, so a forged session value
    cannot reach another organisation.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        memberships = list(memberships_of(request.user))  # type: ignore[arg-type]
        chosen = request.session.get(SESSION_KEY) if memberships else None
        current = next((m for m in memberships if str(m.organisation.uuid) == chosen), None)
        if current is None and memberships:
            current = memberships[0]
        request.memberships = memberships  # type: ignore[attr-defined]
        request.membership = current  # type: ignore[attr-defined]
        request.organisation = current.organisation if current else None  # type: ignore[attr-defined]
        return self.get_response(request)
