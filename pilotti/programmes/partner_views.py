"""The invited organisation's side of a partnership: its admins see what they were asked and
answer it. Everyone else, the inviting owner's staff included, gets 404 for an invitation."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilotti.organisations.http import AuthenticatedHttpRequest
from pilotti.organisations.models import Role
from pilotti.programmes import selectors, services
from pilotti.programmes.models import PartnershipInvitation


@login_required
def partner_invitations(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Open invitations to answer, and the answered ones with who answered and why."""
    if not request.viewer.memberships((Role.ADMIN,)).exists():
        raise PermissionDenied
    invitations = list(selectors.partner_invitations_to_answer(request.viewer).order_by("-invited_at"))
    context = {
        "pending": [i for i in invitations if i.status == PartnershipInvitation.Status.PENDING],
        "answered": [i for i in invitations if i.status != PartnershipInvitation.Status.PENDING],
    }
    return render(request, "programmes/partner_invitations.html", context)


def _pending(request: AuthenticatedHttpRequest, invitation_uuid: UUID) -> PartnershipInvitation:
    invitations = selectors.partner_invitations_to_answer(request.viewer)
    return get_object_or_404(invitations.filter(status=PartnershipInvitation.Status.PENDING), uuid=invitation_uuid)


@login_required
@require_POST
def partner_invitation_accept(request: AuthenticatedHttpRequest, invitation_uuid: UUID) -> HttpResponse:
    invitation = _pending(request, invitation_uuid)
    try:
        services.partner_invitation_accept(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        done = _("%(organisation)s is now a partner in %(programme)s.")
        messages.success(request, done % {"organisation": invitation.organisation, "programme": invitation.programme})
    return redirect("programmes:partner_invitations")


@login_required
@require_POST
def partner_invitation_decline(request: AuthenticatedHttpRequest, invitation_uuid: UUID) -> HttpResponse:
    invitation = _pending(request, invitation_uuid)
    services.partner_invitation_decline(actor=request.user, invitation=invitation, why=request.POST.get("why", ""))
    messages.success(
        request, _("You declined. %(owner)s sees your answer.") % {"owner": invitation.programme.organisation}
    )
    return redirect("programmes:partner_invitations")
