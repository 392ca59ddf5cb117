from django.urls import path

from pilotti.instruments import views

app_name = "instruments"
urlpatterns = [
    path("instruments/", views.instrument_list, name="list"),
    path("instruments/new/", views.instrument_create, name="create"),
    path("instruments/import/", views.instrument_import, name="import"),
    path("instruments/<uuid:instrument_uuid>/", views.instrument_detail, name="detail"),
    path("instruments/<uuid:instrument_uuid>/edit/", views.instrument_edit, name="edit"),
    path("instruments/<uuid:instrument_uuid>/export/", views.instrument_export, name="export"),
    path("instruments/<uuid:instrument_uuid>/translations/", views.translation_packs, name="packs"),
    path(
        "instruments/<uuid:instrument_uuid>/translations/<slug:language>/",
        views.translation_pack_edit,
        name="pack_edit",
    ),
]
