"""Admin registration of runs (read-only; the review workflow builds on this)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import ConsensusRun


@admin.register(ConsensusRun)
class ConsensusRunAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "created_at", "short_prompt", "status", "corrected", "similarity", "confidence",
        "time_to_first_token", "total_duration",
    )
    list_filter = ("status", "corrected", "fast_model", "validator_model", "created_at")
    search_fields = ("prompt", "fast_answer", "validator_answer", "final_answer")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in ConsensusRun._meta.fields]

    @admin.display(description="prompt")
    def short_prompt(self, run: ConsensusRun) -> str:
        return run.prompt[:80] + ("…" if len(run.prompt) > 80 else "")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return bool(request.user.is_superuser)


from . import admin_tokens  # noqa: E402,F401
