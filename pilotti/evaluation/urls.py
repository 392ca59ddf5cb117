from django.urls import path, register_converter

from pilotti.evaluation import views


class ExportFormat:
    """One of exports.FORMATS, so that any other name is a plain 404."""

    regex = "csv-fi|csv|xlsx|sav|dta|codebook"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ExportFormat, "export_format")

app_name = "evaluation"
urlpatterns = [
    path("programmes/<slug:slug>/report/", views.programme_report, name="programme_report"),
    path("programmes/<slug:slug>/report.pdf", views.programme_report_pdf, name="programme_report_pdf"),
    path("programmes/<slug:slug>/export/<export_format:format>/", views.programme_export, name="programme_export"),
    path("units/<uuid:unit_uuid>/report/", views.unit_report, name="unit_report"),
    path("units/<uuid:unit_uuid>/report.pdf", views.unit_report_pdf, name="unit_report_pdf"),
    path("units/<uuid:unit_uuid>/export/<export_format:format>/", views.unit_export, name="unit_export"),
    path("reports/files/<uuid:file_uuid>/", views.file_status, name="file_status"),
    path("reports/files/<uuid:file_uuid>/download/", views.file_download, name="file_download"),
]
