"""`manage.py calibrate_agreement [--days N] [--json]`: how the verdict agrees with the reviews,
and the moderate threshold they support. Prints; never changes a setting."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from consensus.admin.calibration import MIN_REVIEWS, SETTING, Report, Row, Suggestion, report
from consensus.admin.stats import calibration_cells
from consensus.conf import get_config

COLUMNS = (
    ("reviewed", "reviewed"),
    ("should_correct", "should corr."),
    ("should_not", "should not"),
    ("tp", "corr. right"),
    ("fp", "corr. wrong"),
    ("fn", "missed"),
    ("tn", "kept right"),
    ("precision", "precision"),
    ("recall", "recall"),
)


def _cell(value: int | float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def _rows(title: str, rows: list[Row]) -> list[str]:
    lines = [f"{title:14}" + "".join(f"{head:>13}" for _, head in COLUMNS)]
    for row in rows:
        lines.append(
            f"{row.label:14}" + "".join(f"{_cell(getattr(row, k)):>13}" for k, _ in COLUMNS)
        )
    return lines


def _score(row: Row | None) -> str:
    if row is None:
        return "-"
    return f"balanced accuracy {_cell(row.balanced_accuracy)}, accuracy {_cell(row.accuracy)}"


def _suggestion(s: Suggestion) -> list[str]:
    now = f"{s.current:.2f}"
    if s.threshold is None:
        return [
            "No suggestion: the reviews must hold both kinds (some 'correction confirmed', "
            "some 'correction wrong' or 'fast answer was fine').",
            f"{SETTING} is {now}.",
        ]
    lines = [
        f"Suggested threshold: {s.threshold:.2f} ({_score(s.at_suggested)}), "
        f"the best balanced accuracy in [0.30, 0.90] on {s.reviewed} reviewed runs; "
        f"the current {now} gives {_score(s.at_current)}.",
        f"To apply it set {SETTING}={s.threshold:.2f} (now {now}) and restart; nothing was changed."
        if s.changes
        else f"{SETTING} ({now}) is already the best the reviews support; nothing to change.",
    ]
    if s.few:
        lines.append(
            f"Warning: only {s.reviewed} reviewed runs (fewer than {MIN_REVIEWS}): "
            "read the suggestion as a hint, not as evidence."
        )
    return lines


def render(data: Report, *, scope: str) -> str:
    """The report as plain text."""
    total = data.table.total
    lines = [
        f"Reviewed runs with a score ({scope}): {total.reviewed}: {total.should_correct} should "
        f"have been corrected ('correction confirmed'), {total.should_not} should not "
        "('correction wrong', 'fast answer was fine').",
        "Columns: corrected and confirmed, corrected but should not have been, not corrected "
        "but should have been, not corrected and rightly so.",
        "",
        *_rows("by outcome", [*data.table.by_outcome, total]),
        "",
        *_rows("by score", [*data.table.by_band, total]),
        "",
        *_suggestion(data.suggestion),
    ]
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Compare the agreement verdict with the reviews (a confusion table by outcome and score "
        "band) and suggest a CONSENSUS_MODERATE_SIMILARITY. Changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, help="only runs asked in the last N days")
        parser.add_argument("--json", action="store_true", help="print JSON instead")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days is not None and days < 1:
            raise CommandError("--days must be a positive number of days.")
        since = timezone.now() - dt.timedelta(days=days) if days else None
        data = report(calibration_cells(since=since), current=get_config().moderate_similarity)
        if options["json"]:
            self.stdout.write(json.dumps({"days": days, **data.as_dict()}, indent=2))
        else:
            self.stdout.write(render(data, scope=f"last {days} days" if days else "all time"))
