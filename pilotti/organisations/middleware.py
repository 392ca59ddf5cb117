from collections.abc import Callable
from typing import cast

from django.http import HttpRequest, HttpResponse

from pilotti.organisations.http import AuthenticatedHttpRequest
from pilotti.organisations.selectors import memberships_of
from pilotti.organisations.viewer import Viewer

SESSION_KEY = "pilotti_organisation"


class CurrentOrganisationMiddleware:
    """Sets ``request.organisation``, ``request.membership`` and ``request.viewer`` from the
    switcher's choice (their types: ``organisations.http.AuthenticatedHttpRequest``).

    Only the user's own active memberships are candidates, so a forged session value
    cannot reach another organisation.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        memberships = list(memberships_of(request.user))
        chosen = request.session.get(SESSION_KEY) if memberships else None
        current = next((m for m in memberships if str(m.organisation.uuid) == chosen), None)
        if current is None and memberships:
            current = memberships[0]
        # setattr: HttpRequest does not declare these; AuthenticatedHttpRequest types them for views.
        setattr(request, "memberships", memberships)  # noqa: B010
        setattr(request, "membership", current)  # noqa: B010
        setattr(request, "organisation", current.organisation if current else None)  # noqa: B010
        if request.user.is_authenticated:  # the views that read the viewer are for signed-in users only
            setattr(request, "viewer", Viewer.from_request(cast(AuthenticatedHttpRequest, request)))  # noqa: B010
        return self.get_response(request)
