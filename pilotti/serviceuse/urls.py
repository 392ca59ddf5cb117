from django.urls import path

from pilotti.serviceuse import views

app_name = "serviceuse"
urlpatterns = [
    path("programmes/<slug:slug>/service-use/", views.programme_service_use, name="programme"),
    path("programmes/<slug:slug>/service-use/services/new/", views.service_add, name="service_add"),
    path("programmes/<slug:slug>/service-use/new/", views.use_add, name="use_add"),
    path("programmes/<slug:slug>/service-use/import/", views.use_import, name="import"),
    path("programmes/<slug:slug>/service-use/import/template.csv", views.import_template, name="import_template"),
    path("service-use/services/<uuid:service_uuid>/edit/", views.service_edit, name="service_edit"),
    path("service-use/<uuid:use_uuid>/edit/", views.use_edit, name="use_edit"),
    path("service-use/<uuid:use_uuid>/remove/", views.use_remove, name="use_remove"),
]
