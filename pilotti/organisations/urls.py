from django.urls import path

from pilotti.organisations import views

app_name = "organisations"
urlpatterns = [
    path("organisation/members/", views.members, name="members"),
    path("organisation/members/invite/", views.member_invite, name="member_invite"),
    path("organisation/members/<uuid:membership_uuid>/", views.member_update, name="member_update"),
    path("organisation/members/<uuid:membership_uuid>/deactivate/", views.member_deactivate, name="member_deactivate"),
    path("organisation/members/<uuid:membership_uuid>/reactivate/", views.member_reactivate, name="member_reactivate"),
    path("organisation/invitations/<uuid:invitation_uuid>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("organisation/switch/", views.switch, name="switch"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
