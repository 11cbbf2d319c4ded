"""Persistence: one `ConsensusRun` row per question asked."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .status import RunStatus

__all__ = [
    "ApiToken",
    "ConsensusRun",
    "Outcome",
    "ReviewState",
    "RunFeedback",
    "RunSource",
    "RunStatus",
]


class Outcome(models.TextChoices):
    """The agreement verdict (`consensus.agreement`); blank when nothing was validated."""

    AGREE = "agree", _("agree")
    SUPPLEMENT = "supplement", _("supplement")
    CONFLICT = "conflict", _("conflict")


class RunSource(models.TextChoices):
    """The edge a run was asked through."""

    SSE = "sse", _("SSE stream")
    WEBSOCKET = "websocket", _("WebSocket")
    OPENAI = "openai", _("OpenAI-compatible API")


class ReviewState(models.TextChoices):
    UNREVIEWED = "unreviewed", _("not reviewed")
    CORRECTION_CONFIRMED = "correction_confirmed", _("correction confirmed")
    CORRECTION_WRONG = "correction_wrong", _("correction wrong")
    FAST_WAS_FINE = "fast_was_fine", _("fast answer was fine")


class ConsensusRun(models.Model):
    """A question, both models' answers, the decision and its timings."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # When the question was asked (set by the run, not at save time: the row is written at the end).
    created_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    prompt = models.TextField()
    system_prompt = models.TextField(blank=True, default="")
    history = models.JSONField(default=list, blank=True, help_text=_("earlier turns sent along"))
    parameters = models.JSONField(default=dict, blank=True, help_text=_("temperature, max_tokens"))

    fast_provider = models.CharField(max_length=100, blank=True, default="")
    fast_model = models.CharField(max_length=200, blank=True, default="")
    validator_provider = models.CharField(max_length=100, blank=True, default="")
    validator_model = models.CharField(max_length=200, blank=True, default="")

    fast_answer = models.TextField(blank=True, default="")
    validator_answer = models.TextField(blank=True, default="")
    final_answer = models.TextField(blank=True, default="")

    similarity = models.FloatField(null=True, blank=True)
    corrected = models.BooleanField(default=False)
    confidence = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.RUNNING)
    error = models.TextField(blank=True, default="")

    time_to_first_token = models.FloatField(null=True, blank=True, help_text=_("seconds"))
    fast_duration = models.FloatField(null=True, blank=True, help_text=_("seconds"))
    validator_duration = models.FloatField(null=True, blank=True, help_text=_("seconds"))
    total_duration = models.FloatField(null=True, blank=True, help_text=_("seconds"))

    fast_usage = models.JSONField(null=True, blank=True)
    validator_usage = models.JSONField(null=True, blank=True)

    conflicts = models.JSONField(
        default=list, blank=True, help_text=_("facts the two answers state differently")
    )
    correction_reason = models.CharField(max_length=40, blank=True, default="")
    outcome = models.CharField(
        max_length=12, choices=Outcome.choices, blank=True, default="", db_index=True
    )
    added_facts = models.JSONField(
        default=list, blank=True, help_text=_("legal facts only the validator states")
    )
    merged_answer = models.JSONField(
        default=list,
        blank=True,
        help_text=_("for a supplement: the fast answer and the validator's sentences it adds"),
    )
    decided_by = models.CharField(
        max_length=12, blank=True, default="", help_text=_("the layer that decided the verdict")
    )
    attempts = models.JSONField(
        default=list, blank=True, help_text=_("every upstream call: model, status, error, timing")
    )
    client_id = models.CharField(max_length=100, blank=True, default="", db_index=True)
    source = models.CharField(
        max_length=12,
        choices=RunSource.choices,
        default=RunSource.SSE,
        db_index=True,
        help_text=_("the edge the question came through"),
    )
    cache_hit = models.BooleanField(
        default=False, help_text=_("answered from the answer cache, without a model call")
    )
    validators = models.JSONField(
        default=list,
        blank=True,
        help_text=_(
            "with more than one validator: each one's answer, similarity, outcome, conflicts, "
            "timing and vote"
        ),
    )

    review_state = models.CharField(
        max_length=24, choices=ReviewState.choices, default=ReviewState.UNREVIEWED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_runs",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("consensus run")
        verbose_name_plural = _("consensus runs")
        indexes = [
            models.Index(fields=["status", "-created_at"], name="run_status_created"),
            models.Index(fields=["corrected", "-created_at"], name="run_corrected_created"),
            models.Index(fields=["review_state", "-created_at"], name="run_review_created"),
            models.Index(fields=["similarity"], name="run_similarity"),
            models.Index(fields=["confidence"], name="run_confidence"),
            # The admin's model filters list the distinct models: an index makes that a skip scan.
            models.Index(fields=["fast_model"], name="run_fast_model"),
            models.Index(fields=["validator_model"], name="run_validator_model"),
            # The reviewers' queue: corrected runs by review state, newest first. Partial, since
            # `corrected=True` compiles to a bare `WHERE "corrected"`, which SQLite matches to
            # an index condition but not to an index column.
            models.Index(
                fields=["review_state", "-created_at"],
                condition=models.Q(corrected=True),
                name="run_review_queue",
            ),
            # Covers the dashboard's aggregates and the list's counts, date ranges and band
            # filters: index-only scans instead of reading rows full of answer text.
            models.Index(
                fields=[
                    "created_at",
                    "status",
                    "corrected",
                    "review_state",
                    "similarity",
                    "confidence",
                    "time_to_first_token",
                ],
                name="run_list_cover",
            ),
        ]
        permissions = [("review_consensusrun", _("Can review consensus runs"))]

    def __str__(self) -> str:
        excerpt = self.prompt[:60] + ("…" if len(self.prompt) > 60 else "")
        return f"{excerpt} ({self.get_status_display()})"


class ApiToken(models.Model):
    """A bearer token for another frontend. Only a SHA-256 hash of the secret is stored."""

    name = models.CharField(max_length=100, help_text=_("who uses it, e.g. 'mobile app'"))
    prefix = models.CharField(max_length=12, db_index=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class RunFeedback(models.Model):
    """What the person who asked thought of the answer: helpful or not, with an optional
    comment. One per run; giving it again replaces it."""

    run = models.OneToOneField(
        ConsensusRun, on_delete=models.CASCADE, primary_key=True, related_name="feedback"
    )
    helpful = models.BooleanField()
    comment = models.TextField(blank=True, default="", max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("answer feedback")
        verbose_name_plural = _("answer feedback")

    def __str__(self) -> str:
        return f"{'helpful' if self.helpful else 'not helpful'} ({self.run_id})"
