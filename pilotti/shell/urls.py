from django.urls import path

from pilotti.shell import views

# The start page keeps its first name, core:home, which pages, mails and tests link to.
app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
]
