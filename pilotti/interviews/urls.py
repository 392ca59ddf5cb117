from django.urls import path

from pilotti.interviews import views

app_name = "interviews"
urlpatterns = [
    path("programmes/<slug:slug>/interviews/", views.programme_page, name="programme"),
    path("programmes/<slug:slug>/interviews/new/", views.interview_add, name="interview_add"),
    path("programmes/<slug:slug>/themes/new/", views.theme_add, name="theme_add"),
    path("programmes/<slug:slug>/excerpts/sources/", views.sources, name="sources"),
    path("programmes/<slug:slug>/excerpts/new/", views.excerpt_add, name="excerpt_add"),
    path("interviews/<uuid:interview_uuid>/", views.interview_detail, name="detail"),
    path("interviews/<uuid:interview_uuid>/notes/", views.notes_save, name="notes"),
    path("interviews/<uuid:interview_uuid>/interviewees/", views.interviewee_add, name="interviewee_add"),
    path("interviewees/<uuid:interviewee_uuid>/remove/", views.interviewee_remove, name="interviewee_remove"),
    path("themes/<uuid:theme_uuid>/", views.theme_edit, name="theme_edit"),
    path("excerpts/<uuid:excerpt_uuid>/", views.excerpt_edit, name="excerpt_edit"),
    path("excerpts/<uuid:excerpt_uuid>/check/", views.excerpt_check, name="excerpt_check"),
    path("excerpts/<uuid:excerpt_uuid>/remove/", views.excerpt_remove, name="excerpt_remove"),
]
