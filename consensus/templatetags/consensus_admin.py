"""The run list's date hierarchy without a scan of the whole table.

Django's `{% date_hierarchy %}` lists the years (months, days) that have rows with
`SELECT DISTINCT <truncated date>`, which reads every matching row; with 100,000 runs that is the
slowest query of the page. This version offers every year (month, day) between the first and
the last matching run instead: one MIN/MAX query, answered from an index. A link may lead to an
empty period; the choices and links are otherwise Django's."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.contrib.admin.views.main import ChangeList
from django.db.models import Max, Min
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ..admin.charts import Series, bar_chart, count
from ..admin.feedback_stats import feedback_by_outcome as rows_for
from ..admin.stats import window_last

register = template.Library()


def _span(cl: ChangeList) -> tuple[dt.datetime, dt.datetime] | None:
    name = cl.date_hierarchy
    assert name is not None
    found = cl.queryset.order_by().aggregate(first=Min(name), last=Max(name))
    if found["first"] is None:
        return None
    return timezone.localtime(found["first"]), timezone.localtime(found["last"])


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


@register.inclusion_tag("admin/date_hierarchy.html")
def run_date_hierarchy(cl: ChangeList) -> dict[str, Any]:
    """Years, then months, then days, between the first and last run of the filtered list."""
    name = cl.date_hierarchy
    fields = {k: f"{name}__{k}" for k in ("year", "month", "day")}
    year, month, day = (cl.params.get(fields[k]) for k in ("year", "month", "day"))

    def link(filters: dict[str, Any]) -> str:
        return str(cl.get_query_string(filters, [f"{name}__"]))

    if year and month and day:
        date = dt.date(int(year), int(month), int(day))
        return {
            "show": True,
            "back": {
                "link": link({fields["year"]: year, fields["month"]: month}),
                "title": capfirst(formats.date_format(date, "YEAR_MONTH_FORMAT")),
            },
            "choices": [{"title": capfirst(formats.date_format(date, "MONTH_DAY_FORMAT"))}],
        }
    span = _span(cl)
    if span is None:
        return {"show": False}
    first, last = span[0].date(), span[1].date()
    if not year and first.year == last.year:
        year = str(first.year)
        if first.month == last.month:
            month = str(first.month)
    if year and month:
        days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
        return {
            "show": True,
            "back": {"link": link({fields["year"]: year}), "title": year},
            "choices": [
                {
                    "link": link(
                        {fields["year"]: year, fields["month"]: month, fields["day"]: d.day}
                    ),
                    "title": capfirst(formats.date_format(d, "MONTH_DAY_FORMAT")),
                }
                for d in days
            ],
        }
    if year:
        return {
            "show": True,
            "back": {"link": link({}), "title": _("All dates")},
            "choices": [
                {
                    "link": link({fields["year"]: year, fields["month"]: m.month}),
                    "title": capfirst(formats.date_format(m, "YEAR_MONTH_FORMAT")),
                }
                for m in _months(first, last)
            ],
        }
    return {
        "show": True,
        "back": None,
        "choices": [
            {"link": link({fields["year"]: str(y)}), "title": str(y)}
            for y in range(first.year, last.year + 1)
        ],
    }


@register.inclusion_tag("admin/consensus/consensusrun/includes/feedback.html")
def feedback_by_outcome(days: int) -> dict[str, Any]:
    """The dashboard's panel of askers' feedback per outcome (agreed, corrected, unvalidated)."""
    rows = rows_for(window=window_last(days=days))
    chart = bar_chart(
        title=str(_("Feedback by outcome")),
        labels=[row.label for row in rows],
        series=[
            Series(str(_("not helpful")), [row.rated for row in rows], "#ba2121"),
            Series(str(_("helpful")), [row.helpful for row in rows], "#2e7d4f"),
        ],
        fmt=count,
    )
    return {"rows": rows, "chart": chart, "rated": sum(row.rated for row in rows)}
