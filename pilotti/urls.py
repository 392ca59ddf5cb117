from django.urls import include, path

from pilotti.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("", include("pilotti.organisations.urls")),
    path("", include("pilotti.programmes.urls")),
    path("", include("pilotti.meetings.urls")),
    path("", include("pilotti.people.urls")),
    path("", include("pilotti.recruitment.urls")),
    path("", include("pilotti.instruments.urls")),
    path("", include("pilotti.surveys.urls")),
    path("", include("pilotti.measurement.urls")),
    path("", include("pilotti.evaluation.urls")),
    path("", include("pilotti.rights.urls")),
    path("", include("pilotti.core.urls")),
]
