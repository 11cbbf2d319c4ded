"""Selectors for the admin dashboard: per-day rates, time-to-first-token percentiles, the
similarity histogram and review outcomes over a window of days. Days are local (TIME_ZONE)."""

from __future__ import annotations

import datetime as dt
import heapq
import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Floor, TruncDate
from django.utils import timezone

from ..models import ConsensusRun, ReviewState, RunStatus
from .calibration import SHOULD_CORRECT, Cell

# Runs whose validator answered; runs for which the validator was awaited at all.
VALIDATED = (RunStatus.COMPLETED, RunStatus.CORRECTED)
AWAITED = (*VALIDATED, RunStatus.VALIDATOR_TIMEOUT, RunStatus.VALIDATOR_ERROR)


@dataclass(frozen=True, slots=True)
class Window:
    """Local days `first`..`last` inclusive, and the aware datetimes that bound them."""

    first: dt.date
    last: dt.date

    @property
    def start(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.first, dt.time.min))

    @property
    def end(self) -> dt.datetime:
        day_after = self.last + dt.timedelta(days=1)
        return timezone.make_aware(dt.datetime.combine(day_after, dt.time.min))

    def days(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=n) for n in range((self.last - self.first).days + 1)]


def window_last(*, days: int, today: dt.date | None = None) -> Window:
    """The last `days` local days, today included."""
    last = today or timezone.localdate()
    return Window(first=last - dt.timedelta(days=days - 1), last=last)


class _Rates:
    """The correction and validator-timeout rates, from the counts (a day's or the window's)."""

    __slots__ = ()
    validated: int
    corrected: int
    awaited: int
    timeouts: int

    @property
    def correction_rate(self) -> float | None:
        return self.corrected / self.validated if self.validated else None

    @property
    def timeout_rate(self) -> float | None:
        return self.timeouts / self.awaited if self.awaited else None


@dataclass(frozen=True, slots=True)
class Day(_Rates):
    """One day's counts and first-token percentiles (seconds; None without data)."""

    date: dt.date
    runs: int = 0
    validated: int = 0
    corrected: int = 0
    awaited: int = 0
    timeouts: int = 0
    awaiting_review: int = 0
    ttft_p50: float | None = None
    ttft_p95: float | None = None


def _runs(window: Window) -> QuerySet[ConsensusRun]:
    return ConsensusRun.objects.filter(created_at__gte=window.start, created_at__lt=window.end)


COUNTS = ("runs", "validated", "corrected", "awaited", "timeouts", "awaiting_review")


def _counts() -> dict[str, Count]:
    """The counting aggregates, named `n_<count>` (`corrected` is also a field name)."""
    return {
        "n_runs": Count("pk"),
        "n_validated": Count("pk", filter=Q(status__in=VALIDATED)),
        "n_corrected": Count("pk", filter=Q(corrected=True, status__in=VALIDATED)),
        "n_awaited": Count("pk", filter=Q(status__in=AWAITED)),
        "n_timeouts": Count("pk", filter=Q(status=RunStatus.VALIDATOR_TIMEOUT)),
        "n_awaiting_review": Count(
            "pk", filter=Q(corrected=True, review_state=ReviewState.UNREVIEWED)
        ),
    }


def _unprefix(row: Mapping[str, Any]) -> dict[str, Any]:
    return {name: row[f"n_{name}"] for name in COUNTS}


def percentile(values: list[float], q: float) -> float | None:
    """Linear interpolation between closest ranks, as PostgreSQL's percentile_cont.
    `values` must be sorted."""
    if not values:
        return None
    pos = (len(values) - 1) * q
    lo, hi = math.floor(pos), math.ceil(pos)
    return values[lo] + (values[hi] - values[lo]) * (pos - lo)


def _ttft_by_day(window: Window) -> dict[dt.date, list[float]]:
    rows = (
        _runs(window)
        .filter(time_to_first_token__isnull=False)
        .annotate(day=TruncDate("created_at"))
        .order_by("time_to_first_token")
        .values_list("day", "time_to_first_token")
    )
    by_day: dict[dt.date, list[float]] = defaultdict(list)
    for day, ttft in rows.iterator(chunk_size=5000):
        if ttft is not None:
            by_day[day].append(ttft)
    return by_day


def days_stats(*, window: Window, ttft: dict[dt.date, list[float]] | None = None) -> list[Day]:
    """One `Day` per day of the window, days without runs included."""
    rows = (
        _runs(window)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .order_by("day")
        .annotate(**_counts())
    )
    counts = {row["day"]: _unprefix(row) for row in rows}
    ttft = _ttft_by_day(window) if ttft is None else ttft
    return [
        Day(
            date=d,
            **counts.get(d, {}),
            ttft_p50=percentile(ttft.get(d, []), 0.5),
            ttft_p95=percentile(ttft.get(d, []), 0.95),
        )
        for d in window.days()
    ]


@dataclass(frozen=True, slots=True)
class Summary(_Rates):
    """The window's totals."""

    runs: int
    validated: int
    corrected: int
    awaited: int
    timeouts: int
    awaiting_review: int

    @classmethod
    def of(cls, days: list[Day]) -> Summary:
        return cls(*(sum(getattr(d, name) for d in days) for name in COUNTS))


VERDICTS = [s for s in ReviewState if s != ReviewState.UNREVIEWED]


def distribution(*, window: Window, bins: int = 20) -> tuple[list[int], dict[str, int]]:
    """In one query: how many runs fall in each of `bins` equal slices of similarity [0, 1]
    (1.0 in the last), and the review outcomes (verdicts given; corrected runs awaiting one)."""
    edges = [Q(similarity__gte=i / bins, similarity__lt=(i + 1) / bins) for i in range(bins)]
    edges[-1] = Q(similarity__gte=(bins - 1) / bins)
    row = _runs(window).aggregate(
        **{f"b{i}": Count("pk", filter=edge) for i, edge in enumerate(edges)},
        **{f"v_{s.value}": Count("pk", filter=Q(review_state=s)) for s in VERDICTS},
    )
    outcomes = {s.value: row[f"v_{s.value}"] for s in VERDICTS}
    return [row[f"b{i}"] for i in range(bins)], outcomes


@dataclass(frozen=True, slots=True)
class Dashboard:
    """Everything the dashboard page shows."""

    window: Window
    summary: Summary
    days: list[Day]
    ttft_p50: float | None
    ttft_p95: float | None
    histogram: list[int]
    outcomes: dict[str, int]


def dashboard(*, window: Window) -> Dashboard:
    """All the dashboard's numbers for the window, in three queries."""
    ttft = _ttft_by_day(window)
    every = list(heapq.merge(*ttft.values()))
    days = days_stats(window=window, ttft=ttft)
    totals = Summary.of(days)
    histogram, outcomes = distribution(window=window)
    return Dashboard(
        window=window,
        summary=totals,
        days=days,
        ttft_p50=percentile(every, 0.5),
        ttft_p95=percentile(every, 0.95),
        histogram=histogram,
        outcomes={**outcomes, "awaiting": totals.awaiting_review},
    )


@dataclass(frozen=True, slots=True)
class HitRate:
    """How many runs of a window the answer cache answered."""

    hits: int
    runs: int

    @property
    def rate(self) -> float | None:
        return self.hits / self.runs if self.runs else None


def cache_hit_rate(*, window: Window) -> HitRate:
    """The answer cache's hits among the window's runs, in one query."""
    row = _runs(window).aggregate(runs=Count("pk"), hits=Count("pk", filter=Q(cache_hit=True)))
    return HitRate(hits=row["hits"], runs=row["runs"])


# Lifts a score stored as 0.29 (0.28999... times 100) into its hundredth; far below any real
# difference between two scores.
_CENT_EPSILON = 1e-6


def calibration_cells(*, since: dt.datetime | None = None) -> list[Cell]:
    """The reviewed runs with a score (since `since`), counted per outcome, decision, review
    and hundredth of the score: one aggregate query, a few hundred rows at most."""
    # The verdicts by name, not "not unreviewed": an IN list lets the database walk the
    # review-state index and read only the reviewed rows.
    runs = ConsensusRun.objects.filter(review_state__in=VERDICTS, similarity__isnull=False)
    if since is not None:
        runs = runs.filter(created_at__gte=since)
    rows = (
        runs.annotate(cent=Floor(F("similarity") * 100 + _CENT_EPSILON))
        .values_list("outcome", "corrected", "review_state", "cent")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        Cell(outcome, corrected, state in SHOULD_CORRECT, int(cent), n)
        for outcome, corrected, state, cent, n in rows
    ]
