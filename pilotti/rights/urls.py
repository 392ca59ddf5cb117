from django.urls import path

from pilotti.rights import views

app_name = "rights"
urlpatterns = [
    path("participants/<uuid:participant_uuid>/data.json", views.export_json, name="export_json"),
    path("participants/<uuid:participant_uuid>/data.pdf", views.export_pdf, name="export_pdf"),
    path("participants/<uuid:participant_uuid>/log/", views.person_log, name="log"),
    path("participants/<uuid:participant_uuid>/log.pdf", views.person_log_pdf, name="log_pdf"),
    path("participants/<uuid:participant_uuid>/log.json", views.person_log_json, name="log_json"),
    path("participants/<uuid:participant_uuid>/disclosures/new/", views.disclosure_add, name="disclosure_add"),
    path("participants/<uuid:participant_uuid>/erase/", views.erase, name="erase"),
    path("households/<uuid:household_uuid>/erase/", views.household_erase, name="household_erase"),
    path("organisation/data-protection/", views.policy, name="policy"),
]
