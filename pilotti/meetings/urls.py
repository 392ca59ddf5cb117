from django.urls import path, re_path

from pilotti.meetings import planning_views, views

app_name = "meetings"
urlpatterns = [
    path("meetings/mine/", views.my_meetings, name="mine"),
    path("meetings/<uuid:meeting_uuid>/", views.meeting_detail, name="detail"),
    path("meetings/<uuid:meeting_uuid>/edit/", views.meeting_edit, name="edit"),
    path("meetings/<uuid:meeting_uuid>/held/", views.meeting_mark_held, name="mark_held"),
    path("meetings/<uuid:meeting_uuid>/not-held/", views.meeting_unmark_held, name="unmark_held"),
    path("meetings/<uuid:meeting_uuid>/attendance/", views.roll_call_save, name="roll_call"),
    path(
        "meetings/<uuid:meeting_uuid>/attendance/<uuid:person_uuid>/",
        views.attendance_record,
        name="attendance",
    ),
    path("meetings/<uuid:meeting_uuid>/visitors/", views.unregistered_visitors_record, name="visitors"),
    path("meetings/<uuid:meeting_uuid>/move/", planning_views.meeting_move, name="move"),
    path("meetings/<uuid:meeting_uuid>/cancel/", planning_views.meeting_cancel, name="cancel"),
    path("meetings/<uuid:meeting_uuid>/restore/", planning_views.meeting_restore, name="restore"),
    # A unit's pages that change its meetings (the unit's own page is programmes').
    path("programmes/<slug:slug>/units/new/", planning_views.unit_create, name="unit_create"),
    path("units/<uuid:unit_uuid>/edit/", planning_views.unit_edit, name="unit_edit"),
    path("units/<uuid:unit_uuid>/schedule/", planning_views.unit_schedule, name="unit_schedule"),
    path("units/<uuid:unit_uuid>/status/", planning_views.unit_status, name="unit_status"),
    path("units/<uuid:unit_uuid>/meetings/new/", planning_views.meeting_add, name="add"),
    path("participants/<uuid:participant_uuid>/reminders/", views.reminder_choice_edit, name="reminder_choice"),
    path("units/<uuid:unit_uuid>/people/", views.unit_roster, name="unit_roster"),
    path("calendar/", views.feed_list, name="feed_list"),
    path("calendar/new/", views.feed_create, name="feed_create"),
    path("calendar/units/<uuid:unit_uuid>/new/", views.feed_create_unit, name="feed_create_unit"),
    path("calendar/<uuid:feed_uuid>/revoke/", views.feed_revoke, name="feed_revoke"),
    # token_urlsafe(32): 43 characters of A–Z, a–z, 0–9, - and _.
    re_path(r"^calendar/(?P<token>[A-Za-z0-9_-]{20,100})\.ics$", views.feed, name="feed"),
]
