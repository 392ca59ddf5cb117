from django.urls import include, path

from pilotti.api.v1 import api as api_v1
from pilotti.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("", include("pilotti.organisations.urls")),
    path("", include("pilotti.programmes.urls")),
    path("", include("pilotti.meetings.urls")),
    path("", include("pilotti.recruitment.people_urls")),  # the people: pages (they show enrolments)
    path("", include("pilotti.recruitment.urls")),
    path("", include("pilotti.instruments.urls")),
    path("", include("pilotti.surveys.urls")),
    path("", include("pilotti.measurement.urls")),
    path("", include("pilotti.evaluation.urls")),
    path("", include("pilotti.costs.urls")),
    path("", include("pilotti.interviews.urls")),
    path("", include("pilotti.council.urls")),
    path("", include("pilotti.serviceuse.urls")),
    path("", include("pilotti.handbook.urls")),
    path("", include("pilotti.portfolio.urls")),
    path("", include("pilotti.staff.urls")),
    path("", include("pilotti.rights.urls")),
    path("", include("pilotti.audit.urls")),
    path("", include("pilotti.sso.urls")),
    path("", include("pilotti.surveys.paper_import_urls")),
    path("api/v1/", api_v1.urls),
    path("", include("pilotti.api.urls")),
    path("", include("pilotti.shell.urls")),
]
# allauth's rate limits answer with this page (it looks for ROOT_URLCONF.handler429).
handler429 = "pilotti.core.ratelimit.too_many_requests"
# Uncaught exceptions: 503 with Retry-After while the database is away, else a kind 500 (core/faults.py).
handler500 = "pilotti.core.faults.server_error"
# 403 and 404 in the person's language, with the way back (core/faults.py).
handler403 = "pilotti.core.faults.permission_denied"
handler404 = "pilotti.core.faults.page_not_found"
