"""List filters for runs: similarity band (the engine's thresholds), confidence band, the
agreement's outcome and the asker's feedback."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ..models import ConsensusRun, Outcome
from .explain import current_policy

# Confidence bands for reviewers. With the default policy a high-agreement run scores 0.89,
# moderate 0.84, an unvalidated one 0.70 and a corrected (low agreement) one 0.69.
CONFIDENCE_HIGH = 0.85
CONFIDENCE_LOW = 0.70


def similarity_band_q(value: str) -> Q | None:
    """The condition for a similarity band, using the configured thresholds."""
    p = current_policy()
    return {
        "high": Q(similarity__gte=p.high_similarity),
        "moderate": Q(similarity__gte=p.moderate_similarity, similarity__lt=p.high_similarity),
        "low": Q(similarity__lt=p.moderate_similarity),
        "none": Q(similarity__isnull=True),
    }.get(value)


def confidence_band_q(value: str) -> Q | None:
    """The condition for a confidence band."""
    return {
        "high": Q(confidence__gte=CONFIDENCE_HIGH),
        "medium": Q(confidence__gte=CONFIDENCE_LOW, confidence__lt=CONFIDENCE_HIGH),
        "low": Q(confidence__lt=CONFIDENCE_LOW),
        "none": Q(confidence__isnull=True),
    }.get(value)


class SimilarityBandFilter(admin.SimpleListFilter):
    title = _("similarity band")
    parameter_name = "similarity_band"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        p = current_policy()
        return [
            ("high", f"high (≥ {p.high_similarity:.2f})"),
            ("moderate", f"moderate ({p.moderate_similarity:.2f}\u2013{p.high_similarity:.2f})"),
            ("low", f"low (< {p.moderate_similarity:.2f})"),
            ("none", str(_("not compared"))),
        ]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[ConsensusRun]
    ) -> QuerySet[ConsensusRun]:
        q = similarity_band_q(self.value() or "")
        return queryset.filter(q) if q is not None else queryset


class ConfidenceBandFilter(admin.SimpleListFilter):
    title = _("confidence band")
    parameter_name = "confidence_band"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("high", f"high (≥ {CONFIDENCE_HIGH:.2f})"),
            ("medium", f"medium ({CONFIDENCE_LOW:.2f}\u2013{CONFIDENCE_HIGH:.2f})"),
            ("low", f"low (< {CONFIDENCE_LOW:.2f})"),
            ("none", str(_("none"))),
        ]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[ConsensusRun]
    ) -> QuerySet[ConsensusRun]:
        q = confidence_band_q(self.value() or "")
        return queryset.filter(q) if q is not None else queryset


class OutcomeFilter(admin.SimpleListFilter):
    title = _("outcome")
    parameter_name = "outcome"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [*Outcome.choices, ("none", _("not validated"))]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[ConsensusRun]
    ) -> QuerySet[ConsensusRun]:
        value = self.value()
        if value == "none":
            return queryset.filter(outcome="")
        if value in Outcome.values:
            return queryset.filter(outcome=value)
        return queryset


class FeedbackFilter(admin.SimpleListFilter):
    title = _("feedback")
    parameter_name = "feedback"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("helpful", _("helpful")),
            ("not_helpful", _("not helpful")),
            ("commented", _("with a comment")),
            ("none", _("no feedback")),
        ]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[ConsensusRun]
    ) -> QuerySet[ConsensusRun]:
        q = {
            "helpful": Q(feedback__helpful=True),
            "not_helpful": Q(feedback__helpful=False),
            "commented": Q(feedback__isnull=False) & ~Q(feedback__comment=""),
            "none": Q(feedback__isnull=True),
        }.get(self.value() or "")
        return queryset.filter(q) if q is not None else queryset
