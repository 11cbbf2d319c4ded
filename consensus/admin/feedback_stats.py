"""The askers' feedback (helpful / not helpful) per outcome, for the dashboard: one query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from ..models import ConsensusRun, Outcome
from .stats import Window

# Agreed: the validator checked the answer and it stood (agree or supplement); corrected: the
# validator's answer replaced it; unvalidated: no second model checked it.
GROUPS: dict[str, Q] = {
    "agreed": Q(corrected=False, outcome__in=(Outcome.AGREE, Outcome.SUPPLEMENT)),
    "corrected": Q(corrected=True),
    "unvalidated": Q(corrected=False) & ~Q(outcome__in=(Outcome.AGREE, Outcome.SUPPLEMENT)),
}
GROUP_LABELS: dict[str, Any] = {
    "agreed": _("agreed"),
    "corrected": _("corrected"),
    "unvalidated": _("unvalidated"),
}


@dataclass(frozen=True, slots=True)
class FeedbackRow:
    group: str
    helpful: int
    not_helpful: int

    @property
    def label(self) -> str:
        return str(GROUP_LABELS[self.group])

    @property
    def rated(self) -> int:
        return self.helpful + self.not_helpful

    @property
    def helpful_rate(self) -> float | None:
        return self.helpful / self.rated if self.rated else None


def feedback_by_outcome(*, window: Window) -> list[FeedbackRow]:
    """Helpful and not-helpful counts per group, for runs asked in `window`."""
    counts: dict[str, Count] = {}
    for group, condition in GROUPS.items():
        counts[f"{group}_yes"] = Count("pk", filter=condition & Q(feedback__helpful=True))
        counts[f"{group}_no"] = Count("pk", filter=condition & Q(feedback__helpful=False))
    found = ConsensusRun.objects.filter(
        created_at__gte=window.start, created_at__lt=window.end, feedback__isnull=False
    ).aggregate(**counts)
    return [
        FeedbackRow(group, found[f"{group}_yes"] or 0, found[f"{group}_no"] or 0)
        for group in GROUPS
    ]
