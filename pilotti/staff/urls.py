from django.urls import path

from pilotti.staff import views

app_name = "staff"
urlpatterns = [
    path("programmes/<slug:slug>/staff/", views.roster, name="roster"),
    path("programmes/<slug:slug>/staff/new/", views.member_add, name="member_add"),
    path("programmes/<slug:slug>/staff/trainings/new/", views.training_add, name="training_add"),
    path("programmes/<slug:slug>/staff/targets/", views.targets_save, name="targets"),
    path("units/<uuid:unit_uuid>/staff/", views.unit_roster, name="unit"),
    path("staff/<uuid:member_uuid>/", views.member_detail, name="member"),
    path("staff/<uuid:member_uuid>/archive/", views.member_archive, name="member_archive"),
    path("staff/<uuid:member_uuid>/restore/", views.member_restore, name="member_restore"),
    path("staff/<uuid:member_uuid>/data.json", views.member_export, name="member_export"),
    path("staff/<uuid:member_uuid>/erase/", views.member_erase, name="member_erase"),
    path("staff/<uuid:member_uuid>/trainings/new/", views.record_add, name="record_add"),
    path("staff/trainings/<uuid:record_uuid>/", views.record_edit, name="record_edit"),
]
