from django.urls import path

from pilotti.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("programmes/<slug:slug>/report/", views.programme_report, name="programme_report"),
    path("programmes/<slug:slug>/report.pdf", views.programme_report_pdf, name="programme_report_pdf"),
    path("units/<uuid:unit_uuid>/report/", views.unit_report, name="unit_report"),
    path("units/<uuid:unit_uuid>/report.pdf", views.unit_report_pdf, name="unit_report_pdf"),
]
