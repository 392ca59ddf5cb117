from uuid import UUID

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilotti.accounts.models import User
from pilotti.organisations import services
from pilotti.organisations.forms import AcceptInvitationForm, InviteForm, MembershipForm, SwitchOrganisationForm
from pilotti.organisations.http import AuthenticatedHttpRequest
from pilotti.organisations.middleware import SESSION_KEY
from pilotti.organisations.models import Invitation, Membership, Organisation
from pilotti.organisations.selectors import invitations_visible_to, memberships_visible_to


def _admin_organisation(request: AuthenticatedHttpRequest) -> Organisation:
    """The current organisation if the user administers it; 404 otherwise, as for outsiders."""
    organisation: Organisation | None = request.organisation
    membership = request.membership
    if organisation is None or membership is None or membership.role != "admin":
        raise Http404
    return organisation


def _members_page(
    request: AuthenticatedHttpRequest, organisation: Organisation, invite_form: InviteForm, status: int = 200
) -> HttpResponse:
    context = {
        "memberships": memberships_visible_to(request.viewer),
        "invitations": invitations_visible_to(request.viewer).filter(accepted_at=None, revoked_at=None),
        "invite_form": invite_form,
        "role_form": MembershipForm(),
    }
    return render(request, "organisations/members.html", context, status=status)


@login_required
def members(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = _admin_organisation(request)
    return _members_page(request, organisation, InviteForm())


@login_required
@require_POST
def member_invite(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = _admin_organisation(request)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            services.member_invite(
                actor=request.user,
                organisation=organisation,
                link_for=lambda token: request.build_absolute_uri(
                    reverse("organisations:invitation_accept", args=[token])
                ),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % form.cleaned_data)
            return redirect("organisations:members")
    return _members_page(request, organisation, form, status=400)


def _membership(request: AuthenticatedHttpRequest, membership_uuid: UUID) -> Membership:
    # Nothing for anyone but the current organisation's admins: 404, as for outsiders.
    return get_object_or_404(memberships_visible_to(request.viewer), uuid=membership_uuid)


@login_required
@require_POST
def member_update(request: AuthenticatedHttpRequest, membership_uuid: UUID) -> HttpResponse:
    # Ownership first, so that outsiders get a 404 rather than a re-authentication prompt.
    response: HttpResponse = _change_role(request, _membership(request, membership_uuid))
    return response


@reauthentication_required
def _change_role(request: AuthenticatedHttpRequest, membership: Membership) -> HttpResponse:
    form = MembershipForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles listed."))
        return redirect("organisations:members")
    try:
        services.membership_change_role(actor=request.user, membership=membership, **form.cleaned_data)
        messages.success(
            request, _("%(user)s is now %(role)s.") % {"user": membership.user, "role": membership.get_role_display()}
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("organisations:members")


@login_required
@require_POST
def member_deactivate(request: AuthenticatedHttpRequest, membership_uuid: UUID) -> HttpResponse:
    response: HttpResponse = _deactivate(request, _membership(request, membership_uuid))
    return response


@reauthentication_required
def _deactivate(request: AuthenticatedHttpRequest, membership: Membership) -> HttpResponse:
    try:
        services.membership_set_active(actor=request.user, membership=membership, active=False)
        messages.success(request, _("%(user)s can no longer sign in to this organisation.") % {"user": membership.user})
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("organisations:members")


@login_required
@require_POST
def member_reactivate(request: AuthenticatedHttpRequest, membership_uuid: UUID) -> HttpResponse:
    membership = _membership(request, membership_uuid)
    services.membership_set_active(actor=request.user, membership=membership, active=True)
    messages.success(request, _("%(user)s is active again.") % {"user": membership.user})
    return redirect("organisations:members")


@login_required
@require_POST
def invitation_revoke(request: AuthenticatedHttpRequest, invitation_uuid: UUID) -> HttpResponse:
    invitation = get_object_or_404(invitations_visible_to(request.viewer), uuid=invitation_uuid)
    services.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email})
    return redirect("organisations:members")


@login_required
@require_POST
def switch(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SwitchOrganisationForm(request.POST)
    memberships = request.memberships
    if not form.is_valid() or not any(m.organisation.uuid == form.cleaned_data["organisation"] for m in memberships):
        raise Http404
    request.session[SESSION_KEY] = str(form.cleaned_data["organisation"])
    target = form.cleaned_data["next"]
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("core:home")
    return redirect(target)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_by_token(token)
    if invitation is None or not invitation.is_open:
        return render(request, "organisations/invitation_invalid.html", status=404)
    existing = User.objects.filter(email__iexact=invitation.email).first()
    if request.user.is_authenticated or existing is not None:
        return _accept_as_existing_user(request, invitation)
    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        user = services.user_create_from_invitation(
            invitation=invitation, full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password1"]
        )
        login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
        messages.success(request, _("Welcome to %(organisation)s.") % {"organisation": invitation.organisation.name})
        return redirect("core:home")
    return render(request, "organisations/invitation_accept.html", {"invitation": invitation, "form": form})


def _accept_as_existing_user(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={request.path}")
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            request.session[SESSION_KEY] = str(invitation.organisation.uuid)
            messages.success(
                request, _("You are now a member of %(organisation)s.") % {"organisation": invitation.organisation.name}
            )
            return redirect("core:home")
    return render(request, "organisations/invitation_existing.html", {"invitation": invitation})
