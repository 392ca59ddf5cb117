from django.urls import path

from pilotti.recruitment import views

app_name = "recruitment"
urlpatterns = [
    path("participants/<uuid:participant_uuid>/enrol/", views.participant_enrol, name="participant_enrol"),
    path("households/<uuid:household_uuid>/enrol/", views.household_enrol, name="household_enrol"),
    path("enrolments/<uuid:enrolment_uuid>/", views.enrolment_detail, name="enrolment_detail"),
    path("enrolments/<uuid:enrolment_uuid>/move/", views.enrolment_move, name="enrolment_move"),
    path("enrolments/<uuid:enrolment_uuid>/correct/", views.enrolment_correct, name="enrolment_correct"),
    path("enrolments/<uuid:enrolment_uuid>/undo/", views.enrolment_undo, name="enrolment_undo"),
    path("programmes/<slug:slug>/funnel/", views.programme_funnel, name="programme_funnel"),
    path("units/<uuid:unit_uuid>/funnel/", views.unit_funnel, name="unit_funnel"),
    path("participants/import/", views.import_upload, name="import"),
    path("participants/import/confirm/", views.import_confirm, name="import_confirm"),
    path("participants/import/template.csv", views.import_template_csv, name="import_template_csv"),
    path("participants/import/template.xlsx", views.import_template_xlsx, name="import_template_xlsx"),
]
