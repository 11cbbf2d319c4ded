"""Admin registration of runs: a read-only audit trail reviewers work in.

The list defers the big text columns; the review workflow lives in `admin_review.py`, the detail
page's context in `admin_detail.py`, the dashboard in `admin_dashboard.py`, the CSV export in
`admin_export.py`."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.db.models.functions import Substr
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..agreement.confidence import band
from ..models import ConsensusRun
from .dashboard import dashboard_view
from .detail import run_detail_context
from .explain import BAND_LABELS, OUTCOME_TITLES, current_policy
from .export import csv_response
from .filters import ConfidenceBandFilter, FeedbackFilter, OutcomeFilter, SimilarityBandFilter
from .review_form import ReviewMixin, review_context
from .reviews import runs_evict

# The only columns the list reads; the prompt comes as a short excerpt computed by the database.
LIST_FIELDS = (
    "id",
    "created_at",
    "status",
    "corrected",
    "similarity",
    "confidence",
    "time_to_first_token",
    "total_duration",
    "review_state",
    "outcome",
)
EXCERPT = 90
# Short pill texts for the list (the full wording is the pill's title): the longest status,
# "answered by the validator (fast model failed)", alone took a fifth of a 1280 px screen.
SHORT_STATUS: dict[str, Any] = {
    "running": _("running"),
    "completed": _("completed"),
    "corrected": _("corrected"),
    "fallback": _("fallback"),
    "validator_timeout": _("timeout"),
    "validator_error": _("val. error"),
    "failed": _("failed"),
    "aborted": _("aborted"),
}
SHORT_REVIEW: dict[str, Any] = {
    "unreviewed": _("open"),
    "correction_confirmed": _("confirmed"),
    "correction_wrong": _("wrong"),
    "fast_was_fine": _("fast fine"),
}


class RunChangeList(ChangeList):
    def get_queryset(
        self, request: HttpRequest, exclude_parameters: Any = None
    ) -> QuerySet[ConsensusRun]:
        queryset: QuerySet[ConsensusRun] = super().get_queryset(request, exclude_parameters)
        return queryset.only(*LIST_FIELDS).annotate(excerpt=Substr("prompt", 1, EXCERPT + 1))


@admin.register(ConsensusRun)
class ConsensusRunAdmin(ReviewMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "created_cell",
        "short_prompt",
        "status_badge",
        "outcome_badge",
        "corrected",
        "similarity_cell",
        "confidence_cell",
        "ttft_cell",
        "total_cell",
        "review_badge",
    )
    list_display_links = ("created_cell", "short_prompt")
    list_filter = (
        "status",
        OutcomeFilter,
        "corrected",
        "review_state",
        FeedbackFilter,
        SimilarityBandFilter,
        ConfidenceBandFilter,
        "fast_model",
        "validator_model",
        "source",
        "cache_hit",
        "created_at",
    )
    search_fields = ("prompt", "fast_answer", "validator_answer", "final_answer")
    search_help_text = _("Searches the prompt and all three answers.")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    list_per_page = 50
    show_full_result_count = False  # one COUNT per page, not two
    readonly_fields = [f.name for f in ConsensusRun._meta.fields]
    actions = (
        "mark_correction_confirmed",
        "mark_correction_wrong",
        "mark_fast_was_fine",
        "evict_from_cache",
    )
    change_list_template = "admin/consensus/consensusrun/change_list.html"
    change_form_template = "admin/consensus/consensusrun/change_form.html"

    class Media:
        css = {"all": ("consensus/admin/admin.css",)}

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return RunChangeList

    # --- columns -------------------------------------------------------------------------------

    def action_checkbox(self, obj: ConsensusRun) -> SafeString:
        # Django labels the box with str(obj), which would load every row's whole prompt.
        label = _RowLabel(obj.pk, _excerpt(obj))
        return super().action_checkbox(label)  # type: ignore[arg-type]

    @admin.display(description=_("asked"), ordering="created_at")
    def created_cell(self, run: ConsensusRun) -> SafeString:
        when = timezone.localtime(run.created_at)
        return format_html(
            '<time datetime="{}" title="{}">{}</time>',
            when.isoformat(),
            date_format(when, "DATETIME_FORMAT"),
            date_format(when, "SHORT_DATETIME_FORMAT"),
        )

    @admin.display(description=_("prompt"))
    def short_prompt(self, run: ConsensusRun) -> SafeString:
        shown = _excerpt(run)
        return format_html('<span class="cr-prompt" title="{}">{}</span>', shown, shown)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, run: ConsensusRun) -> SafeString:
        return format_html(
            '<span class="cr-badge cr-{}" title="{}">{}</span>',
            run.status,
            run.get_status_display(),
            SHORT_STATUS.get(run.status, run.get_status_display()),
        )

    @admin.display(description=_("outcome"), ordering="outcome")
    def outcome_badge(self, run: ConsensusRun) -> SafeString | str:
        if not run.outcome:
            return "\u2013"
        return format_html(
            '<span class="cr-outcome cr-outcome-{}" title="{}">{}</span>',
            run.outcome,
            OUTCOME_TITLES.get(run.outcome, ""),
            run.get_outcome_display(),
        )

    @admin.display(description=_("sim."), ordering="similarity")
    def similarity_cell(self, run: ConsensusRun) -> SafeString | str:
        if run.similarity is None:
            return "\u2013"
        b = band(run.similarity, current_policy())
        # Truncated, not rounded: 0.849 shows as 0.84, in the band it belongs to.
        shown = math.floor(round(run.similarity * 100, 6)) / 100
        return format_html(
            '<span class="cr-band cr-band-{}" title="{}">{}</span>',
            b,
            BAND_LABELS[b],
            f"{shown:.2f}",
        )

    @admin.display(description=_("conf."), ordering="confidence")
    def confidence_cell(self, run: ConsensusRun) -> str:
        return "\u2013" if run.confidence is None else f"{run.confidence:.2f}"

    @admin.display(description=_("1st token"), ordering="time_to_first_token")
    def ttft_cell(self, run: ConsensusRun) -> str:
        return _seconds(run.time_to_first_token)

    @admin.display(description=_("total"), ordering="total_duration")
    def total_cell(self, run: ConsensusRun) -> str:
        return _seconds(run.total_duration)

    @admin.display(description=_("review"), ordering="review_state")
    def review_badge(self, run: ConsensusRun) -> SafeString:
        return format_html(
            '<span class="cr-review cr-review-{}" title="{}">{}</span>',
            run.review_state,
            run.get_review_state_display(),
            SHORT_REVIEW.get(run.review_state, run.get_review_state_display()),
        )

    # --- the answer cache ----------------------------------------------------------------------

    def has_evict_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and self.has_review_permission(request))

    @admin.action(permissions=["evict"], description=_("Evict from the answer cache"))
    def evict_from_cache(self, request: HttpRequest, queryset: QuerySet[ConsensusRun]) -> None:
        count = runs_evict(runs=queryset)
        self.message_user(
            request,
            ngettext(
                "The cached answer to %(count)d run's question was evicted.",
                "The cached answers to %(count)d runs' questions were evicted.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    # --- read-only, superusers delete ----------------------------------------------------------

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    # --- extra pages ---------------------------------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("dashboard/", wrap(self.dashboard), name="consensus_consensusrun_dashboard"),
            path("export.csv", wrap(self.export_csv), name="consensus_consensusrun_export"),
            path(
                "<path:object_id>/review/",
                wrap(self.review_view),
                name="consensus_consensusrun_review",
            ),
            *super().get_urls(),  # last: its catch-all would swallow the paths above
        ]

    def dashboard(self, request: HttpRequest) -> HttpResponse:
        return dashboard_view(self, request)  # type: ignore[no-any-return]

    def export_csv(self, request: HttpRequest) -> HttpResponseBase:
        """The list as filtered and searched on screen, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect("../")
        return csv_response(request, changelist.queryset)

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: ConsensusRun | None = None,
    ) -> HttpResponse:
        if obj is not None:
            context.update(run_detail_context(obj))
            context.update(review_context(self, request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)


@dataclass(frozen=True, slots=True)
class _RowLabel:
    pk: Any
    label: str

    def __str__(self) -> str:
        return self.label


def _excerpt(run: ConsensusRun) -> str:
    """The prompt's first EXCERPT characters (plain text), "…" when there is more."""
    text = getattr(run, "excerpt", None)
    text = run.prompt[: EXCERPT + 1] if text is None else text
    return text[:EXCERPT] + ("…" if len(text) > EXCERPT else "")


def _seconds(value: float | None) -> str:
    """Compact: "0.42 s" under ten seconds, "12.3 s" above."""
    if value is None:
        return "\u2013"
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"
