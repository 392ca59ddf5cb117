"""A person's scores over time: the section of the person's page (loaded by htmx, as people sits
below measurement and cannot ask for it) or a page of its own without JavaScript."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from pilotti.audit.models import Action, Category, Purpose
from pilotti.audit.services import log_access
from pilotti.measurement.trajectory import trajectories_of
from pilotti.organisations.http import AuthenticatedHttpRequest
from pilotti.people.selectors import participants_visible_to


@login_required
def person_scores(request: AuthenticatedHttpRequest, participant_uuid: UUID) -> HttpResponse:
    """404 for whoever may not see the person (any method); a GET-only page otherwise."""
    participant = get_object_or_404(participants_visible_to(request.viewer), uuid=participant_uuid)
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)
    trajectories = trajectories_of(participant, get_language() or "fi")
    if trajectories:
        log_access(
            request, participant=participant, action=Action.VIEW, category=Category.ANSWERS,
            purpose=Purpose.QUESTIONNAIRE, item="scores over time",
        )  # fmt: skip
    context = {"participant": participant, "trajectories": trajectories}
    template = "measurement/_trajectory.html" if request.htmx else "measurement/person_scores.html"
    return render(request, template, context)
