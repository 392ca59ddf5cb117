"""The request a signed-in page sees, typed: what the middleware sets on it.

Django's ``HttpRequest`` knows nothing of the attributes our middleware adds, so views used to
cast ``request.user`` in a ``_user(request)`` helper per module and silence the type checker on
``request.organisation`` and ``request.htmx``. Views behind ``login_required`` take this class
instead (as healthchecks' ``AuthenticatedHttpRequest`` and django-htmx's ``HtmxHttpRequest``
do); it is never instantiated, the middleware's attributes are what it describes.
"""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from pilotti.accounts.models import User
from pilotti.organisations.models import Membership, Organisation
from pilotti.organisations.viewer import Viewer


class AuthenticatedHttpRequest(HttpRequest):
    user: User  # narrower than HttpRequest's: login_required has let only users in
    # Set by organisations.middleware.CurrentOrganisationMiddleware:
    memberships: list[Membership]  # the user's own active memberships
    membership: Membership | None  # the switcher's choice among them
    organisation: Organisation | None  # its organisation
    viewer: Viewer  # what the scoping selectors take: the user through all their organisations
    # Set by django_htmx.middleware.HtmxMiddleware:
    htmx: HtmxDetails
