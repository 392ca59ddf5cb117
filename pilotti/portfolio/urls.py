from django.urls import path

from pilotti.portfolio import views

app_name = "portfolio"
urlpatterns = [
    path("programmes/<slug:slug>/model/", views.model_description, name="model_description"),
    path("programmes/<slug:slug>/model.md", views.model_description_markdown, name="model_description_markdown"),
    path("programmes/<slug:slug>/model.docx", views.model_description_docx, name="model_description_docx"),
    path("programmes/<slug:slug>/fidelity/", views.programme_fidelity, name="fidelity"),
    path("organisations/<uuid:organisation_uuid>/portfolio/", views.organisation_portfolio, name="portfolio"),
    path(
        "organisations/<uuid:organisation_uuid>/portfolio.pdf", views.organisation_portfolio_pdf, name="portfolio_pdf"
    ),
]
