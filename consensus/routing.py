"""WebSocket routes (wired in `consensus_project/asgi.py`)."""

from __future__ import annotations

from django.urls import path

from . import consumers

websocket_urlpatterns = [
    path("ws/consensus/", consumers.ConsensusConsumer.as_asgi(), name="ws-consensus"),
    path("ws/runs/", consumers.RunFeedConsumer.as_asgi(), name="ws-runs"),
]
