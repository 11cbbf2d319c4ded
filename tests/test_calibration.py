"""Calibration from reviews: the pure functions, the command on a known data set, the panel."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from consensus.admin.calibration import Cell, Row, at_threshold, band_label, band_of, suggest, table
from consensus.admin.stats import calibration_cells
from consensus.models import ReviewState, RunStatus

from .test_admin import make_run, reviewer, reviewers_group  # noqa: F401 - fixtures

CONFIRMED = ReviewState.CORRECTION_CONFIRMED
WRONG = ReviewState.CORRECTION_WRONG
FINE = ReviewState.FAST_WAS_FINE


def cell(score: float, should: bool, *, outcome: str = "", n: int = 1) -> Cell:
    cent = int(score * 100 + 1e-6)
    return Cell(outcome, score < 0.6, should, cent, n)


# --- pure functions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cent", "band"),
    [
        *[(0, 0), (39, 0), (40, 1), (49, 1), (50, 2), (59, 2), (60, 3), (69, 3), (70, 4)],
        *[(84, 4), (85, 5), (100, 5), (104, 5), (-3, 0)],
    ],
)
def test_band_of_puts_each_hundredth_in_its_band(cent: int, band: int) -> None:
    assert band_of(cent) == band


@pytest.mark.parametrize(
    ("low", "high", "label"),
    [(0, 40, "[0.00, 0.40)"), (70, 85, "[0.70, 0.85)"), (85, 101, "[0.85, 1.00]")],
)
def test_band_labels_close_only_the_last_band(low: int, high: int, label: str) -> None:
    assert band_label(low, high) == label


@pytest.mark.parametrize(
    ("row", "precision", "recall", "accuracy", "balanced"),
    [
        (Row("r", tp=3, fp=1, fn=1, tn=5), 0.75, 0.75, 0.8, (0.75 + 5 / 6) / 2),
        (Row("r", tp=0, fp=0, fn=2, tn=0), None, 0.0, 0.0, None),
        (Row("r"), None, None, None, None),
        (Row("r", tn=4), None, None, 1.0, None),
    ],
)
def test_row_metrics(
    row: Row,
    precision: float | None,
    recall: float | None,
    accuracy: float | None,
    balanced: float | None,
) -> None:
    assert (row.precision, row.recall, row.accuracy) == (precision, recall, accuracy)
    assert row.balanced_accuracy == (pytest.approx(balanced) if balanced is not None else None)


def test_table_counts_the_decision_made_by_outcome_and_band() -> None:
    cells = [
        Cell("conflict", True, True, 30, 2),  # corrected, confirmed
        Cell("conflict", True, False, 55, 1),  # corrected, wrongly
        Cell("supplement", False, True, 62, 1),  # a missed correction
        Cell("agree", False, False, 100, 3),
        Cell("", True, True, 58, 1),  # before outcomes were recorded
        Cell("something else", False, False, 90, 1),
    ]
    t = table(cells)
    outcomes = {row.label: (row.tp, row.fp, row.fn, row.tn) for row in t.by_outcome}
    assert outcomes == {
        "agree": (0, 0, 0, 3),
        "supplement": (0, 0, 1, 0),
        "conflict": (2, 1, 0, 0),
        "unknown": (1, 0, 0, 1),
    }
    assert [(r.tp, r.fp, r.fn, r.tn) for r in t.by_band] == [
        (2, 0, 0, 0),
        (0, 0, 0, 0),
        (1, 1, 0, 0),
        (0, 0, 1, 0),
        (0, 0, 0, 0),
        (0, 0, 0, 4),
    ]
    assert (t.total.tp, t.total.fp, t.total.fn, t.total.tn) == (3, 1, 1, 4)


@pytest.mark.parametrize(
    ("threshold", "confusion"),
    [
        (29, (0, 0, 2, 2)),
        (30, (1, 0, 1, 2)),
        (51, (1, 1, 1, 1)),
        (100, (2, 1, 0, 1)),
        (101, (2, 2, 0, 0)),
    ],
)
def test_at_threshold_corrects_scores_below_it(threshold: int, confusion: tuple[int, ...]) -> None:
    cells = [Cell("", False, True, 29, 1), Cell("", False, True, 60, 1)]
    cells += [Cell("", False, False, 50, 1), Cell("", False, False, 100, 1)]
    row = at_threshold(cells, threshold)
    assert (row.tp, row.fp, row.fn, row.tn) == confusion


@pytest.mark.parametrize(
    ("cells", "current", "suggested", "changes"),
    [
        ([], 0.6, None, False),
        ([cell(0.4, True), cell(0.5, True)], 0.6, None, False),  # one kind only
        # Perfect separation anywhere in 0.41..0.70: the current 0.60 stays.
        ([cell(0.4, True), cell(0.7, False)], 0.6, 0.6, False),
        # ... in 0.41..0.55: the nearest to the current one.
        ([cell(0.4, True), cell(0.55, False)], 0.6, 0.55, True),
        # Two plateaus (0.51..0.58 and 0.62..0.70) as near: the lower.
        (
            [cell(0.5, True), cell(0.61, True), cell(0.58, False), cell(0.7, False)],
            0.6,
            0.58,
            True,
        ),
        # The best cut is 0.90..0.95: the range stops at 0.90.
        ([cell(0.89, True), cell(0.95, False)], 0.6, 0.9, True),
        # Counts weigh: 9 confirmed at 0.65 outweigh 1 "fine" at 0.62.
        ([cell(0.65, True, n=9), cell(0.62, False), cell(0.9, False, n=5)], 0.6, 0.66, True),
    ],
)
def test_suggest_maximises_balanced_accuracy(
    cells: list[Cell], current: float, suggested: float | None, changes: bool
) -> None:
    s = suggest(cells, current=current)
    assert s.threshold == suggested
    assert s.changes is changes
    assert s.few


def test_suggest_balances_the_two_kinds_rather_than_counting_runs() -> None:
    # 20 confirmed corrections at 0.30 and 0.58; 2 "fast was fine" at 0.55. Accuracy alone would
    # correct all (20 of 22 right); balanced accuracy keeps the two good answers at 0.55.
    cells = [cell(0.3, True, n=10), cell(0.58, True, n=10), cell(0.55, False, n=2)]
    s = suggest(cells, current=0.6)
    assert s.threshold == 0.55  # 0.31..0.55 keep them; 0.55 is nearest to 0.60
    assert s.at_suggested is not None
    assert (s.at_suggested.tp, s.at_suggested.fp, s.at_suggested.fn, s.at_suggested.tn) == (
        10,
        0,
        10,
        2,
    )
    assert s.at_current.accuracy == pytest.approx(20 / 22)
    assert s.at_suggested.balanced_accuracy == pytest.approx(0.75)
    assert s.at_current.balanced_accuracy == pytest.approx(0.5)


def test_enough_reviews_are_not_few() -> None:
    assert not suggest([cell(0.3, True, n=15), cell(0.9, False, n=15)], current=0.6).few


# --- the command on a known data set ---------------------------------------------------------


def seed_reviewed_runs() -> None:
    """Ten reviewed runs in the last 30 days, and four that do not count in them."""
    now = timezone.now()
    known: list[tuple[float, str, bool, str]] = [
        (0.29, "conflict", True, CONFIRMED),
        (0.30, "conflict", True, CONFIRMED),
        (0.45, "conflict", True, CONFIRMED),
        (0.52, "conflict", True, WRONG),
        (0.55, "conflict", True, FINE),
        (0.58, "", True, CONFIRMED),  # from before outcomes were recorded
        (0.62, "supplement", False, CONFIRMED),
        (0.75, "supplement", False, FINE),
        (0.90, "agree", False, FINE),
        (1.00, "agree", False, WRONG),
    ]
    for similarity, outcome, corrected, review in known:
        make_run(
            created_at=now - dt.timedelta(days=2),
            similarity=similarity,
            outcome=outcome,
            corrected=corrected,
            status=RunStatus.CORRECTED if corrected else RunStatus.COMPLETED,
            review_state=review,
        )
    make_run(similarity=0.2, outcome="conflict", corrected=True)  # not reviewed
    make_run(similarity=None, status=RunStatus.VALIDATOR_TIMEOUT, review_state=FINE)  # no score
    make_run(similarity=0.9, outcome="agree")  # not reviewed
    make_run(  # reviewed, but 40 days ago
        created_at=now - dt.timedelta(days=40),
        similarity=0.2,
        outcome="conflict",
        corrected=True,
        review_state=CONFIRMED,
    )


def run_command(*args: str) -> str:
    out = io.StringIO()
    call_command("calibrate_agreement", *args, stdout=out)
    return out.getvalue()


def confusion(row: dict[str, Any]) -> tuple[int, int, int, int]:
    return row["tp"], row["fp"], row["fn"], row["tn"]


@pytest.mark.django_db
@pytest.mark.postgres
@override_settings(CONSENSUS_MODERATE_SIMILARITY=0.6)
def test_command_reports_the_known_data_set() -> None:
    seed_reviewed_runs()
    data = json.loads(run_command("--days", "30", "--json"))

    assert {row["label"]: confusion(row) for row in data["by_outcome"]} == {
        "agree": (0, 0, 0, 2),
        "supplement": (0, 0, 1, 1),
        "conflict": (3, 2, 0, 0),
        "unknown": (1, 0, 0, 0),
    }
    assert [(row["label"], confusion(row)) for row in data["by_band"]] == [
        ("[0.00, 0.40)", (2, 0, 0, 0)),  # 0.29 and 0.30
        ("[0.40, 0.50)", (1, 0, 0, 0)),
        ("[0.50, 0.60)", (1, 2, 0, 0)),
        ("[0.60, 0.70)", (0, 0, 1, 0)),
        ("[0.70, 0.85)", (0, 0, 0, 1)),
        ("[0.85, 1.00]", (0, 0, 0, 2)),
    ]
    total = data["total"]
    assert confusion(total) == (4, 2, 1, 3)
    assert (total["reviewed"], total["should_correct"], total["should_not"]) == (10, 5, 5)
    assert total["precision"] == pytest.approx(4 / 6)
    assert total["recall"] == pytest.approx(4 / 5)

    # Best balanced accuracy (0.8) in 0.46..0.52 and 0.63..0.75; 0.63 is nearest to 0.60.
    s = data["suggestion"]
    assert (s["setting"], s["current"], s["suggested"]) == (
        "CONSENSUS_MODERATE_SIMILARITY",
        0.6,
        0.63,
    )
    assert (s["reviewed"], s["few_reviews"], s["criterion"]) == (10, True, "balanced_accuracy")
    assert confusion(s["at_suggested"]) == (5, 2, 0, 3)
    assert s["at_suggested"]["balanced_accuracy"] == pytest.approx(0.8)
    assert confusion(s["at_current"]) == (4, 2, 1, 3)
    assert s["at_current"]["balanced_accuracy"] == pytest.approx(0.7)

    # Without --days the run reviewed 40 days ago counts too.
    everything = json.loads(run_command("--json"))
    assert everything["total"]["reviewed"] == 11
    assert everything["days"] is None


@pytest.mark.django_db
@override_settings(CONSENSUS_MODERATE_SIMILARITY=0.6)
def test_command_prints_the_table_and_the_setting_to_change() -> None:
    seed_reviewed_runs()
    text = run_command("--days", "30")
    assert "Reviewed runs with a score (last 30 days): 10: 5 should have been corrected" in text
    assert "[0.85, 1.00]" in text
    assert "conflict" in text
    assert "unknown" in text
    assert "Suggested threshold: 0.63" in text
    assert "set CONSENSUS_MODERATE_SIMILARITY=0.63 (now 0.60)" in text
    assert "nothing was changed" in text
    assert "Warning: only 10 reviewed runs (fewer than 30)" in text


@pytest.mark.django_db
def test_command_without_reviews_suggests_nothing() -> None:
    make_run(similarity=0.3, corrected=True)
    text = run_command()
    assert "Reviewed runs with a score (all time): 0" in text
    assert "No suggestion" in text
    assert "CONSENSUS_MODERATE_SIMILARITY is 0.60" in text


@pytest.mark.django_db
def test_command_refuses_a_window_of_no_days() -> None:
    with pytest.raises(CommandError, match="--days"):
        run_command("--days", "0")


@pytest.mark.django_db
@pytest.mark.postgres
def test_selector_is_one_query_of_counts(django_assert_num_queries: Any) -> None:
    seed_reviewed_runs()
    with django_assert_num_queries(1):
        cells = calibration_cells()
    assert sum(c.n for c in cells) == 11
    assert sorted(c.cent for c in cells if c.should_correct) == [20, 29, 30, 45, 58, 62]


# --- the dashboard panel ---------------------------------------------------------------------


@pytest.mark.django_db
@override_settings(CONSENSUS_MODERATE_SIMILARITY=0.6)
def test_dashboard_panel_shows_the_table_and_the_suggestion(reviewer: Any) -> None:  # noqa: F811
    seed_reviewed_runs()
    client = Client(headers={"accept-language": "en"})  # the labels asserted below
    client.force_login(reviewer)
    response = client.get(reverse("admin:consensus_consensusrun_dashboard"), {"days": "30"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Calibration from reviews" in html
    assert "<caption>By outcome</caption>" in html
    assert "<caption>By score</caption>" in html
    assert '<th scope="row">[0.50, 0.60)</th><td>3</td><td>1</td><td>2</td>' in html
    assert '<th scope="row">unknown (older runs)</th><td>1</td>' in html
    assert "Suggested threshold: <strong>0.63</strong>" in html
    assert "<code>CONSENSUS_MODERATE_SIMILARITY=0.63</code> (now 0.60)" in html
    assert "fewer than 30" in html
    assert (
        "style=" not in html.split('id="cr-calibration-title"')[1]
    )  # the CSP forbids inline styles
    assert response.context["calibration"].suggestion.threshold == 0.63
