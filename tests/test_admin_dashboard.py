"""Dashboard numbers on a known data set, the page itself, and the SVG charts."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consensus.admin import charts
from consensus.admin.stats import dashboard, percentile, window_last
from consensus.models import ReviewState, RunStatus

from .test_admin import (  # noqa: F401 - fixtures
    make_run,
    plain_staff,
    reviewer,
    reviewers_group,
)

DASHBOARD = reverse("admin:consensus_consensusrun_dashboard")
TODAY = dt.date(2026, 3, 10)


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    """Noon (local time) of `day`."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def seed_known_runs() -> None:
    """Three days. Day -2: nothing. Day -1: 4 runs. Today: 6 runs. One run outside the window.

    Day -1 (Mar 9): completed 0.92 ttft 0.2 | completed 0.70 ttft 0.4 | corrected 0.30 ttft 0.6
                    (reviewed "correction confirmed") | validator_timeout ttft 0.8
    Today (Mar 10): corrected 0.50 ttft 1.0 | corrected 0.55 ttft 2.0 (reviewed "correction
                    wrong") | completed 1.0 ttft 3.0 | validator_error ttft 4.0 |
                    failed (no ttft) | completed 0.86 ttft 5.0, reviewed "fast was fine".
    A run late at night (23:30 local) counts on its local day, not on the UTC one.
    """
    d1, d2 = TODAY - dt.timedelta(days=1), TODAY
    make_run(created_at=at(d1), similarity=0.92, time_to_first_token=0.2)
    make_run(created_at=at(d1), similarity=0.70, time_to_first_token=0.4)
    make_run(
        created_at=at(d1),
        similarity=0.30,
        time_to_first_token=0.6,
        corrected=True,
        status=RunStatus.CORRECTED,
        review_state=ReviewState.CORRECTION_CONFIRMED,
    )
    make_run(
        created_at=at(d1, 23),
        similarity=None,
        time_to_first_token=0.8,
        status=RunStatus.VALIDATOR_TIMEOUT,
    )
    make_run(
        created_at=at(d2, 1),
        similarity=0.50,
        time_to_first_token=1.0,
        corrected=True,
        status=RunStatus.CORRECTED,
    )
    make_run(
        created_at=at(d2),
        similarity=0.55,
        time_to_first_token=2.0,
        corrected=True,
        status=RunStatus.CORRECTED,
        review_state=ReviewState.CORRECTION_WRONG,
    )
    make_run(created_at=at(d2), similarity=1.0, time_to_first_token=3.0)
    make_run(
        created_at=at(d2),
        similarity=None,
        time_to_first_token=4.0,
        status=RunStatus.VALIDATOR_ERROR,
    )
    make_run(created_at=at(d2), similarity=None, time_to_first_token=None, status=RunStatus.FAILED)
    make_run(
        created_at=at(d2),
        similarity=0.86,
        time_to_first_token=5.0,
        review_state=ReviewState.FAST_WAS_FINE,
    )
    make_run(
        created_at=at(TODAY - dt.timedelta(days=3)),
        similarity=0.1,
        corrected=True,
        status=RunStatus.CORRECTED,
    )  # outside a 3-day window


@pytest.mark.django_db
@pytest.mark.postgres
def test_dashboard_numbers_on_a_known_data_set() -> None:
    seed_known_runs()
    data = dashboard(window=window_last(days=3, today=TODAY))

    assert [d.date for d in data.days] == [TODAY - dt.timedelta(days=n) for n in (2, 1, 0)]
    empty, d1, d2 = data.days
    assert (empty.runs, empty.correction_rate, empty.ttft_p50) == (0, None, None)
    assert (d1.runs, d1.validated, d1.corrected, d1.awaited, d1.timeouts) == (4, 3, 1, 4, 1)
    assert (d2.runs, d2.validated, d2.corrected, d2.awaited, d2.timeouts) == (6, 4, 2, 5, 0)
    assert d1.correction_rate == pytest.approx(1 / 3)
    assert d1.timeout_rate == pytest.approx(1 / 4)
    assert d2.correction_rate == pytest.approx(2 / 4)
    assert d2.timeout_rate == 0
    assert d1.ttft_p50 == pytest.approx(0.5)  # 0.2 0.4 0.6 0.8
    assert d1.ttft_p95 == pytest.approx(0.77)
    assert d2.ttft_p50 == pytest.approx(3.0)  # 1 2 3 4 5
    assert d2.ttft_p95 == pytest.approx(4.8)

    s = data.summary
    assert (s.runs, s.validated, s.corrected, s.awaited, s.timeouts) == (10, 7, 3, 9, 1)
    assert s.awaiting_review == 1
    assert s.correction_rate == pytest.approx(3 / 7)
    assert s.timeout_rate == pytest.approx(1 / 9)
    assert data.ttft_p50 == pytest.approx(1.0)  # 0.2 0.4 0.6 0.8 1 2 3 4 5
    assert data.ttft_p95 == pytest.approx(4.6)

    expected = [0] * 20
    for similarity in (0.92, 0.70, 0.30, 0.50, 0.55, 1.0, 0.86):
        expected[min(int(similarity * 20 + 1e-9), 19)] += 1
    assert data.histogram == expected
    assert data.outcomes == {
        "correction_confirmed": 1,
        "correction_wrong": 1,
        "fast_was_fine": 1,
        "awaiting": 1,
    }


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        ([], 0.5, None),
        ([7.0], 0.95, 7.0),
        ([1.0, 2.0, 3.0, 4.0], 0.5, 2.5),
        ([1.0, 2.0, 3.0, 4.0, 5.0], 0.95, 4.8),
        ([0.0, 10.0], 0.0, 0.0),
        ([0.0, 10.0], 1.0, 10.0),
    ],
)
def test_percentile_interpolates_like_percentile_cont(
    values: list[float], q: float, expected: float | None
) -> None:
    assert percentile(values, q) == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.django_db
@pytest.mark.postgres
def test_dashboard_page_draws_every_chart(reviewer: Any) -> None:  # noqa: F811
    make_run(corrected=True, status=RunStatus.CORRECTED, similarity=0.4)
    make_run(status=RunStatus.VALIDATOR_TIMEOUT, similarity=None)
    client = Client(headers={"accept-language": "en"})  # the labels asserted below
    client.force_login(reviewer)
    response = client.get(DASHBOARD, {"days": "7"})
    assert response.status_code == 200
    html = response.content.decode()
    for title in (
        "Runs per day",
        "Correction and validator timeout rate",
        "Time to first token",
        "Similarity of the two answers",
        "Review outcomes",
    ):
        assert f"<figcaption>{title}</figcaption>" in html
    assert html.count("<svg viewBox") == 5
    assert response.context["data"].summary.runs == 2
    assert response.context["days"] == 7
    assert "corrections awaiting review" in html
    # Every asset is served from here (no CDN); CSRF tokens are random text, so look at URLs.
    assert re.search(r'(?:src|href)="(?:https?:)?//', html) is None


@pytest.mark.django_db
def test_dashboard_ignores_an_unknown_window(reviewer: Any) -> None:  # noqa: F811
    client = Client(headers={"accept-language": "en"})  # the labels asserted below
    client.force_login(reviewer)
    assert client.get(DASHBOARD, {"days": "100000"}).context["days"] == 30
    assert client.get(DASHBOARD, {"days": "x"}).context["days"] == 30


@pytest.mark.django_db
def test_dashboard_is_for_people_who_may_view_runs(plain_staff: Any) -> None:  # noqa: F811
    client = Client(headers={"accept-language": "en"})  # the labels asserted below
    client.force_login(plain_staff)
    assert client.get(DASHBOARD).status_code == 403


def test_charts_escape_labels_and_scale_to_a_round_maximum() -> None:
    svg = charts.bar_chart(
        title="<b>t</b>", labels=["<x>", "b"], series=[charts.Series("runs", [3, 7], "#000")]
    )
    assert "<b>t</b>" not in svg
    assert "&lt;b&gt;t&lt;/b&gt;" in svg
    assert "&lt;x&gt;" in svg
    assert ">8<" in svg  # the axis tops out at the next round step above 7
    assert ">9<" not in svg
    line = charts.line_chart(
        title="t",
        labels=["a", "b", "c"],
        fmt=charts.percent,
        series=[charts.Series("rate", [0.5, None, 0.25], "#000")],
    )
    assert line.count("M") == 2  # the gap splits the line
    assert "50%" in line
