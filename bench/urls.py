"""The benchmark's URLs: all of Pilotti's, and the minimal insert (only with bench_settings)."""

from django.urls import include, path

from pilotti.scale import bench_views

urlpatterns = [
    path("bench/insert-one/", bench_views.insert_one, name="bench_insert_one"),
    path("", include("pilotti.urls")),
]
