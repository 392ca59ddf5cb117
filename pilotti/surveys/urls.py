from django.urls import path, re_path

from pilotti.surveys import staff_views, views

app_name = "surveys"
urlpatterns = [
    # Participants' pages: no sign-in. A personal link's token is token_urlsafe(32), 43 characters;
    # a client panel's code is ten letters and digits (services.PANEL_CODE_ALPHABET).
    re_path(r"^q/(?P<token>[A-Za-z0-9_-]{20,100})/$", views.answer, name="answer"),
    re_path(r"^p/(?P<code>[A-Za-z0-9]{6,20})/$", views.panel_answer, name="panel_answer"),
    # Staff pages.
    path("surveys/links/new/", staff_views.link_new, name="link_new"),
    path("surveys/participants/<uuid:participant_uuid>/", staff_views.link_list, name="link_list"),
    path("surveys/participants/<uuid:participant_uuid>/paper/", staff_views.paper, name="paper"),
    path("surveys/meetings/<uuid:meeting_uuid>/", staff_views.meeting_people, name="meeting_people"),
    path("surveys/meetings/<uuid:meeting_uuid>/panel/", staff_views.panel, name="panel"),
    path("surveys/meetings/<uuid:meeting_uuid>/panel/save/", staff_views.panel_save, name="panel_save"),
    path("surveys/meetings/<uuid:meeting_uuid>/panel/print/", staff_views.panel_print, name="panel_print"),
]
