"""The benchmark's URLs: all of Pilotti's, and the minimal insert (only with bench.throughput_settings)."""

from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/insert-one/", views.insert_one, name="bench_insert_one"),
    path("", include("pilotti.urls")),
]
