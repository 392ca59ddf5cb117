from django.urls import path

from pilotti.handbook import views

app_name = "handbook"
urlpatterns = [
    path("programmes/<slug:slug>/handbook/", views.programme_handbook, name="programme"),
    path("programmes/<slug:slug>/handbook/new/", views.file_add, name="file_add"),
    path("handbook/<uuid:file_uuid>/", views.file_change, name="file_change"),
    path("handbook/<uuid:file_uuid>/versions/new/", views.version_add, name="version_add"),
    path("handbook/versions/<uuid:version_uuid>/download/", views.download, name="download"),
]
