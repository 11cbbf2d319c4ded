"""Admin for API tokens: create (the secret is shown once, in a message), list, revoke.
The secret is never stored; after creation only its prefix identifies a token."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from ..access.tokens import assign_secret, new_secret
from ..models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "prefix", "user", "created_at", "last_used_at", "revoked")
    list_filter = ("revoked", "created_at", "last_used_at")
    search_fields = ("name", "prefix", "user__username")
    readonly_fields = ("prefix", "created_at", "last_used_at")
    actions = ("revoke",)

    def get_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> tuple[str, ...]:
        if obj is None:  # adding: the secret is generated, not typed in
            return ("name", "user")
        return ("name", "user", "prefix", "created_at", "last_used_at", "revoked")

    def save_model(
        self, request: HttpRequest, obj: ApiToken, form: ModelForm[ApiToken], change: bool
    ) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        secret = new_secret()
        assign_secret(obj, secret)
        super().save_model(request, obj, form, change)
        messages.warning(
            request,
            f"The secret of API token “{obj.name}” is {secret} — copy it now: it is not stored "
            "and will not be shown again. Clients send it as 'Authorization: Bearer <secret>'.",
        )

    @admin.action(description="Revoke selected API tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = queryset.filter(revoked=False).update(revoked=True)
        self.message_user(request, f"Revoked {count} API token(s).", messages.SUCCESS)
