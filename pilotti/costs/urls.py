from django.urls import path

from pilotti.costs import views

app_name = "costs"
urlpatterns = [
    path("programmes/<slug:slug>/costs/", views.programme_costs, name="programme"),
    path("programmes/<slug:slug>/costs/rates/", views.rates_save, name="rates"),
    path("programmes/<slug:slug>/costs/new/", views.entry_add, name="entry_add"),
    path("costs/<uuid:entry_uuid>/edit/", views.entry_edit, name="entry_edit"),
    path("costs/<uuid:entry_uuid>/remove/", views.entry_remove, name="entry_remove"),
]
