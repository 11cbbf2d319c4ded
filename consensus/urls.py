from __future__ import annotations

from django.urls import path

from . import views
from .openai_api import views as openai

app_name = "consensus"

urlpatterns = [
    path("", views.index, name="index"),
    path("api/consensus/stream", views.consensus_stream, name="stream"),
    path("api/consensus/runs/<uuid:run_id>", views.run_detail, name="run-detail"),
    path("api/consensus/runs/<uuid:run_id>/events", views.run_events, name="run-events"),
    path("api/consensus/runs/<uuid:run_id>/stop", views.run_stop, name="run-stop"),
    path(
        "api/consensus/runs/<uuid:run_id>/feedback",
        views.run_feedback_view,
        name="run-feedback",
    ),
    path("healthz", views.healthz, name="healthz"),
    # The OpenAI-compatible API (docs/openai.md).
    path("v1/models", openai.models, name="openai-models"),
    path("v1/models/<str:model>", openai.models, name="openai-model"),
    path("v1/chat/completions", openai.chat_completions, name="openai-chat-completions"),
]
