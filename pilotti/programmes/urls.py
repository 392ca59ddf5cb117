from django.urls import path

from pilotti.programmes import partner_views, views

app_name = "programmes"
urlpatterns = [
    path("programmes/", views.programme_list, name="list"),
    path("programmes/new/", views.programme_create, name="create"),
    path("programmes/<slug:slug>/", views.programme_detail, name="detail"),
    path("programmes/<slug:slug>/edit/", views.programme_edit, name="edit"),
    path("programmes/<slug:slug>/delete/", views.programme_delete, name="delete"),
    path("programmes/<slug:slug>/archive/", views.programme_archive, name="archive"),
    path("programmes/<slug:slug>/unarchive/", views.programme_unarchive, name="unarchive"),
    path("programmes/<slug:slug>/partners/", views.partner_add, name="partner_add"),
    path("partner-invitations/", partner_views.partner_invitations, name="partner_invitations"),
    path(
        "partner-invitations/<uuid:invitation_uuid>/accept/",
        partner_views.partner_invitation_accept,
        name="partner_invitation_accept",
    ),
    path(
        "partner-invitations/<uuid:invitation_uuid>/decline/",
        partner_views.partner_invitation_decline,
        name="partner_invitation_decline",
    ),
    path("programmes/<slug:slug>/adoptions/", views.adoption_add, name="adoption_add"),
    path(
        "programmes/<slug:slug>/organisations/<slug:organisation_slug>/remove/",
        views.organisation_unlink,
        name="organisation_unlink",
    ),
    path("programmes/<slug:slug>/sites/new/", views.site_create, name="site_create"),
    path("sites/<uuid:site_uuid>/archive/", views.site_archive, name="site_archive"),
    path("sites/<uuid:site_uuid>/unarchive/", views.site_unarchive, name="site_unarchive"),
    path("sites/<uuid:site_uuid>/delete/", views.site_delete, name="site_delete"),
    path("units/<uuid:unit_uuid>/", views.unit_detail, name="unit_detail"),
    path("units/<uuid:unit_uuid>/delete/", views.unit_delete, name="unit_delete"),
    path("units/<uuid:unit_uuid>/archive/", views.unit_archive, name="unit_archive"),
    path("units/<uuid:unit_uuid>/unarchive/", views.unit_unarchive, name="unit_unarchive"),
    path("units/<uuid:unit_uuid>/facilitators/", views.facilitator_add, name="facilitator_add"),
    path(
        "units/<uuid:unit_uuid>/facilitators/<uuid:assignment_uuid>/remove/",
        views.facilitator_remove,
        name="facilitator_remove",
    ),
]
