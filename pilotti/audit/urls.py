from django.urls import path

from pilotti.audit import views

app_name = "audit"
urlpatterns = [
    path("security/events/", views.security_events, name="security_events"),
    path("organisation/access-log/", views.organisation_access_log, name="organisation_access_log"),
    path("organisation/access-log.csv", views.organisation_access_log_csv, name="organisation_access_log_csv"),
    path("organisation/security-events/", views.organisation_security_events, name="organisation_security_events"),
]
