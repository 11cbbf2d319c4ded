from __future__ import annotations

from django.apps import AppConfig


class ConsensusConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "consensus"
    verbose_name = "Streaming consensus"
