from django.urls import path

from pilotti.api import views

app_name = "api"
urlpatterns = [
    path("api-tokens/", views.token_list, name="tokens"),
    path("api-tokens/new/", views.token_create, name="token_create"),
    path("api-tokens/organisation/", views.organisation_tokens, name="organisation_tokens"),
    path("api-tokens/<uuid:token_uuid>/revoke/", views.token_revoke, name="token_revoke"),
]
