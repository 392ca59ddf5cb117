from urllib.parse import urlencode

from allauth.account.decorators import reauthentication_required
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from pilotti.core.forms import add_service_errors
from pilotti.organisations.forms import SwitchOrganisationForm
from pilotti.organisations.http import AuthenticatedHttpRequest
from pilotti.organisations.middleware import SESSION_KEY as ORGANISATION_SESSION_KEY
from pilotti.organisations.models import Organisation
from pilotti.sso import services
from pilotti.sso.forms import OrganisationSignInForm, SingleSignOnForm
from pilotti.sso.middleware import REQUEST_ATTRIBUTE, is_limited
from pilotti.sso.models import PROVIDER_ID_PREFIX
from pilotti.sso.selectors import (
    email_domains_of,
    has_pilottis_second_factor,
    memberships_beyond,
    single_sign_on_for_admin,
    single_sign_on_for_email,
)


def _admin_organisation(request: AuthenticatedHttpRequest) -> Organisation:
    """The current organisation if the user administers it; 404 otherwise, as for outsiders."""
    organisation: Organisation | None = request.organisation
    membership = request.membership
    if organisation is None or membership is None or membership.role != "admin":
        raise Http404
    return organisation


@login_required
def settings_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    # Ownership first, so that non-admins get a 404 rather than a re-authentication prompt.
    response: HttpResponse = _settings(request, _admin_organisation(request))
    return response


@reauthentication_required
def _settings(request: AuthenticatedHttpRequest, organisation: Organisation) -> HttpResponse:
    sso = single_sign_on_for_admin(request.user, organisation)
    form = SingleSignOnForm(request.POST or None, initial=SingleSignOnForm.initial_for(sso))
    if request.method == "POST" and form.is_valid():
        try:
            services.single_sign_on_save(actor=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Single sign-on settings saved."))
            return redirect("sso:settings")
    # What the admin registers at the provider as the redirect URI.
    callback = request.build_absolute_uri(
        reverse("openid_connect_callback", kwargs={"provider_id": f"{PROVIDER_ID_PREFIX}{organisation.slug}"})
    )
    context = {"form": form, "sso": sso, "callback_url": callback, "domains": email_domains_of(organisation)}
    return render(request, "sso/settings.html", context, status=400 if form.errors else 200)


def start(request: HttpRequest) -> HttpResponse:
    """Finds the organisation by the e-mail address's domain and sends the person to its provider."""
    if request.user.is_authenticated:
        return redirect("core:home")
    form = OrganisationSignInForm(request.POST or None, initial={"next": request.GET.get("next", "")})
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        sso = single_sign_on_for_email(email)
        if sso is None:
            form.add_error(
                "email",
                _(
                    "No organisation signs in addresses at %(domain)s through its own service. "
                    "Sign in with your password."
                )
                % {"domain": email.rpartition("@")[2]},
            )
        else:
            next_url = form.cleaned_data["next"]
            if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
                next_url = None
            provider = get_adapter().get_provider(request, sso.provider_id)
            try:
                response: HttpResponse = provider.redirect(
                    request, process="login", next_url=next_url, auth_params={"login_hint": email}
                )
            except ImmediateHttpResponse as error:
                response = error.response
            return response
    return render(request, "sso/start.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def other_organisations(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A provider-made session's way into the person's other organisations: choosing one asks for
    Pilotti's own second factor, which ends the limit (pilotti.sso.middleware)."""
    if not is_limited(request):
        return redirect("core:home")
    organisation: Organisation | None = getattr(request, REQUEST_ATTRIBUTE)
    memberships = memberships_beyond(request.user, organisation)
    can_prove = has_pilottis_second_factor(request.user)
    if request.method == "POST" and can_prove:
        form = SwitchOrganisationForm(request.POST)
        if not form.is_valid() or not memberships.filter(organisation__uuid=form.cleaned_data["organisation"]).exists():
            raise Http404
        request.session[ORGANISATION_SESSION_KEY] = str(form.cleaned_data["organisation"])
        return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': reverse('core:home')})}")
    context = {
        "organisation": organisation,
        "memberships": memberships,
        "can_prove": can_prove,
    }
    return render(request, "sso/other_organisations.html", context)
