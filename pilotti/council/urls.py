from django.urls import path

from pilotti.council import views

app_name = "council"
urlpatterns = [
    path("meetings/<uuid:meeting_uuid>/council/", views.meeting_council, name="meeting"),
    path("council/<uuid:item_uuid>/edit/", views.item_edit, name="item_edit"),
    path("council/<uuid:item_uuid>/remove/", views.item_remove, name="item_remove"),
]
