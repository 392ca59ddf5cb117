from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from pilotti.measurement.selectors import open_alerts_for
from pilotti.measurement.services import alerts_shown
from pilotti.meetings.selectors import my_week
from pilotti.organisations.http import AuthenticatedHttpRequest


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    # Open safety alerts come first after sign-in, then a facilitator's meetings today and this week.
    alerts = open_alerts_for(request.viewer)
    alerts_shown(request=request, alerts=alerts)
    context = {"safety_alerts": alerts, "week": my_week(request.viewer, timezone.now())}
    return render(request, "shell/home.html", context)
