from django.urls import path

from pilotti.measurement import trajectory_views, views

app_name = "measurement"
urlpatterns = [
    path("programmes/<slug:slug>/measurement/", views.plan, name="plan"),
    path("programmes/<slug:slug>/measurement/add/", views.plan_add, name="plan_add"),
    path("programmes/<slug:slug>/measurement/<uuid:entry_uuid>/remove/", views.plan_remove, name="plan_remove"),
    path("programmes/<slug:slug>/due/", views.programme_due, name="programme_due"),
    path("programmes/<slug:slug>/due/send/", views.programme_due_send, name="programme_due_send"),
    path("units/<uuid:unit_uuid>/due/", views.unit_due, name="unit_due"),
    path("units/<uuid:unit_uuid>/due/send/", views.unit_due_send, name="unit_due_send"),
    path("people/<uuid:participant_uuid>/scores/", trajectory_views.person_scores, name="person_scores"),
    path("safety-alerts/", views.alerts, name="alerts"),
    path("safety-alerts/<uuid:alert_uuid>/", views.alert, name="alert"),
    path("safety-alerts/<uuid:alert_uuid>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
]
