from django.urls import path

from pilotti.surveys import paper_import_views as views

app_name = "paper_import"
urlpatterns = [
    path("units/<uuid:unit_uuid>/paper-answers/", views.paper_import_page, name="page"),
    path("units/<uuid:unit_uuid>/paper-answers/template.xlsx", views.paper_template, name="template"),
    path("instruments/import/example.json", views.instrument_import_example, name="instrument_example"),
]
