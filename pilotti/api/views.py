"""Staff pages for API tokens: one's own (make, list, revoke) and, for admins, the organisation's."""

from uuid import UUID

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilotti.api import selectors, services
from pilotti.api.forms import TokenForm
from pilotti.core.forms import add_service_errors
from pilotti.organisations.http import AuthenticatedHttpRequest
from pilotti.organisations.selectors import organisations_visible_to


def _form(request: AuthenticatedHttpRequest, data: QueryDict | None = None) -> TokenForm:
    current = request.organisation
    return TokenForm(
        data,
        organisations=organisations_visible_to(request.viewer).order_by("name"),
        initial={"organisation": current.uuid if current else None},
    )


def _list_page(request: AuthenticatedHttpRequest, form: TokenForm, status: int = 200) -> HttpResponse:
    context = {
        "tokens": selectors.tokens_of(request.user),
        "form": form,
        "is_admin": selectors.is_admin(request.user, request.organisation),
    }
    return render(request, "api/token_list.html", context, status=status)


@login_required
def token_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _list_page(request, _form(request))


@login_required
@require_POST
@reauthentication_required
def token_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = _form(request, request.POST)
    if form.is_valid():
        try:
            token, secret = services.token_create(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                name=form.cleaned_data["name"],
                access=form.cleaned_data["access"],
                expires_at=form.expires_at(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # Shown in the POST's own response, never stored or redirected: only the hash is kept.
            api_url = request.build_absolute_uri(reverse("api-v1:openapi-view"))
            return render(request, "api/token_created.html", {"token": token, "secret": secret, "docs_url": api_url})
    return _list_page(request, form, status=400)


@login_required
def organisation_tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every token scoped to the current organisation, for its admins (404 for everyone else)."""
    organisation = request.organisation
    if not selectors.is_admin(request.user, organisation):
        raise Http404
    tokens = selectors.organisation_tokens(request.user, organisation)
    return render(request, "api/organisation_tokens.html", {"organisation": organisation, "tokens": tokens})


@login_required
@require_POST
def token_revoke(request: AuthenticatedHttpRequest, token_uuid: UUID) -> HttpResponse:
    token = get_object_or_404(selectors.revocable_by(request.user).select_related("organisation"), uuid=token_uuid)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token %(prefix)s… was revoked: it no longer works.") % {"prefix": token.prefix})
    if token.user_id == request.user.pk:
        return redirect("api:tokens")
    return redirect("api:organisation_tokens")
