"""The people's pages (``people:``); their views are in ``people_views.py``."""

from django.urls import path

from pilotti.recruitment import people_views as views

app_name = "people"
urlpatterns = [
    path("participants/", views.participant_list, name="list"),
    path("participants/new/", views.participant_create, name="create"),
    path("participants/<uuid:participant_uuid>/", views.participant_detail, name="detail"),
    path("participants/<uuid:participant_uuid>/edit/", views.participant_edit, name="edit"),
    path("participants/<uuid:participant_uuid>/contact/", views.contact_edit, name="contact_edit"),
    path("participants/<uuid:participant_uuid>/consents/new/", views.consent_add, name="consent_add"),
    path("consents/<uuid:consent_uuid>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("households/new/", views.household_create, name="household_create"),
    path("households/<uuid:household_uuid>/", views.household_detail, name="household_detail"),
    path("households/<uuid:household_uuid>/edit/", views.household_edit, name="household_edit"),
]
