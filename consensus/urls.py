from __future__ import annotations

from django.urls import path

from . import views

app_name = "consensus"

urlpatterns = [
    path("", views.index, name="index"),
    path("api/consensus/stream", views.consensus_stream, name="stream"),
    path("api/consensus/runs/<uuid:run_id>", views.run_detail, name="run-detail"),
    path("healthz", views.healthz, name="healthz"),
]
