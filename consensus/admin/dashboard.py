"""The admin dashboard page: the numbers from `dashboard.py` drawn as SVG charts."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import formats
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ..conf import get_config
from ..models import ConsensusRun, Outcome, ReviewState
from . import calibration, charts
from .stats import Dashboard, cache_hit_rate, calibration_cells, dashboard, window_last

WINDOWS = (7, 30, 90, 365)
DEFAULT_DAYS = 30
BLUE, ORANGE, RED, GREEN, GREY = "#417690", "#e08a2c", "#ba2121", "#4a9a5b", "#9aa5ab"


def _days_param(request: HttpRequest) -> int:
    try:
        days = int(request.GET.get("days", DEFAULT_DAYS))
    except ValueError:
        return DEFAULT_DAYS
    return days if days in WINDOWS else DEFAULT_DAYS


def _charts(data: Dashboard) -> list[SafeString]:
    labels = [formats.date_format(d.date, "j M") for d in data.days]
    days = data.days
    bins = len(data.histogram)
    outcome_names = {s.value: str(s.label) for s in ReviewState}
    outcome_names["awaiting"] = _("corrected, awaiting review")
    outcome_colors = [GREEN, RED, BLUE, ORANGE]
    return [
        charts.bar_chart(
            title=_("Runs per day"),
            labels=labels,
            fmt=charts.count,
            series=[
                charts.Series(_("runs"), [d.runs for d in days], BLUE),
                charts.Series(_("corrected"), [d.corrected for d in days], ORANGE),
            ],
        ),
        charts.line_chart(
            title=_("Correction and validator timeout rate"),
            labels=labels,
            fmt=charts.percent,
            series=[
                charts.Series(_("correction rate"), [d.correction_rate for d in days], ORANGE),
                charts.Series(_("timeout rate"), [d.timeout_rate for d in days], RED),
            ],
        ),
        charts.line_chart(
            title=_("Time to first token"),
            labels=labels,
            fmt=charts.seconds,
            series=[
                charts.Series("p50", [d.ttft_p50 for d in days], BLUE),
                charts.Series("p95", [d.ttft_p95 for d in days], RED),
            ],
        ),
        charts.bar_chart(
            title=_("Similarity of the two answers"),
            fmt=charts.count,
            labels=[f"{i / bins:.2f}" for i in range(bins)],
            series=[charts.Series(_("runs"), data.histogram, BLUE)],
        ),
        charts.bar_chart(
            title=_("Review outcomes"),
            legend=False,
            fmt=charts.count,
            labels=[outcome_names[k] for k in data.outcomes],
            series=[
                charts.Series(
                    outcome_names[k], [v if k == key else None for key in data.outcomes], color
                )
                for (k, v), color in zip(data.outcomes.items(), outcome_colors, strict=True)
            ],
        ),
    ]


def _by_outcome(data: calibration.Report) -> list[tuple[str, calibration.Row]]:
    """The calibration table's rows by outcome, with translated labels."""
    names = {o.value: str(o.label) for o in Outcome}
    names["unknown"] = _("unknown (older runs)")
    return [(names[row.label], row) for row in data.table.by_outcome]


def dashboard_view(model_admin: admin.ModelAdmin[ConsensusRun], request: HttpRequest) -> Any:
    """Runs per day, correction and timeout rates, first-token percentiles, similarity
    histogram, review outcomes, calibration from reviews; anyone who may view runs may see it."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    days = _days_param(request)
    window = window_last(days=days)
    data = dashboard(window=window)
    current = get_config().moderate_similarity
    report = calibration.report(calibration_cells(since=window.start), current=current)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Consensus dashboard"),
        "opts": model_admin.model._meta,
        "data": data,
        "charts": _charts(data),
        "calibration": report,
        "calibration_tables": [
            (_("By outcome"), [*_by_outcome(report), (_("total"), report.table.total)]),
            (
                _("By score"),
                [
                    *((row.label, row) for row in report.table.by_band),
                    (_("total"), report.table.total),
                ],
            ),
        ],
        "calibration_setting": calibration.SETTING,
        "calibration_min_reviews": calibration.MIN_REVIEWS,
        "days": days,
        "windows": WINDOWS,
        "cache": cache_hit_rate(window=window),
    }
    return TemplateResponse(request, "admin/consensus/consensusrun/dashboard.html", context)
