from django.urls import path

from pilotti.sso import views

app_name = "sso"
urlpatterns = [
    path("organisation/sign-in/", views.settings_page, name="settings"),
    path("sign-in/organisation/", views.start, name="start"),
    path("sign-in/other-organisations/", views.other_organisations, name="other_organisations"),
]
