"""Calibration from reviews: how the verdict agreed with the reviewers, and the moderate
threshold the reviews support. Pure functions, no Django: the selector
(`consensus.admin.stats.calibration_cells`) hands over counts per outcome, decision, review and
hundredth of the score.

The reviews are the ground truth: "correction confirmed" means the run should have been
corrected; "correction wrong" and "fast answer was fine" mean it should not have been.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

SHOULD_CORRECT = frozenset({"correction_confirmed"})
SHOULD_NOT = frozenset({"correction_wrong", "fast_was_fine"})
OUTCOMES = ("agree", "supplement", "conflict", "unknown")  # "unknown": runs from before 0006
# Score bands in hundredths, [low, high); the last one holds 1.0.
BANDS = ((0, 40), (40, 50), (50, 60), (60, 70), (70, 85), (85, 101))
THRESHOLDS = range(30, 91)  # the candidates 0.30 .. 0.90, in hundredths
MIN_REVIEWS = 30  # below this a suggestion is a hint, not evidence
SETTING = "CONSENSUS_MODERATE_SIMILARITY"


@dataclass(frozen=True, slots=True)
class Cell:
    """`n` reviewed runs sharing an outcome ("" before migration 0006), a decision
    (`corrected`), a truth (`should_correct`) and a score in [cent / 100, (cent + 1) / 100)."""

    outcome: str
    corrected: bool
    should_correct: bool
    cent: int
    n: int


@dataclass(frozen=True, slots=True)
class Row:
    """A confusion table's row: corrections made (or not) against what the reviews say."""

    label: str
    tp: int = 0  # corrected, and the review confirms it
    fp: int = 0  # corrected, but the review says it should not have been
    fn: int = 0  # not corrected, but the review says it should have been
    tn: int = 0  # not corrected, and rightly so

    @property
    def reviewed(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def should_correct(self) -> int:
        return self.tp + self.fn

    @property
    def should_not(self) -> int:
        return self.fp + self.tn

    @property
    def precision(self) -> float | None:
        """Of the corrections made, the share the reviews confirm."""
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        """Of the runs that should have been corrected, the share that were."""
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def accuracy(self) -> float | None:
        return _ratio(self.tp + self.tn, self.reviewed)

    @property
    def balanced_accuracy(self) -> float | None:
        """The mean of the recall of both kinds; None unless the reviews hold both."""
        if not self.should_correct or not self.should_not:
            return None
        return (self.tp / self.should_correct + self.tn / self.should_not) / 2

    def add(self, cell: Cell, corrected: bool) -> Row:
        key = (
            ("tp" if corrected else "fn") if cell.should_correct else ("fp" if corrected else "tn")
        )
        counts = {k: getattr(self, k) for k in ("tp", "fp", "fn", "tn")}
        counts[key] += cell.n
        return Row(self.label, **counts)

    def as_dict(self) -> dict[str, Any]:
        names = ("reviewed", "should_correct", "should_not", "precision", "recall", "accuracy")
        return {
            **asdict(self),
            **{name: getattr(self, name) for name in names},
            "balanced_accuracy": self.balanced_accuracy,
        }


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def band_label(low: int, high: int) -> str:
    """`[0.40, 0.50)`; the last band is closed: `[0.85, 1.00]`."""
    return f"[{low / 100:.2f}, {min(high, 100) / 100:.2f}{']' if high > 100 else ')'}"


def band_of(cent: int) -> int:
    """The index in `BANDS` of a score's hundredth (clamped to 0..100)."""
    cent = min(max(cent, 0), 100)
    return next(i for i, (low, high) in enumerate(BANDS) if low <= cent < high)


@dataclass(frozen=True, slots=True)
class Table:
    """The verdict as it was decided (`corrected`) against the reviews, by outcome and by band."""

    by_outcome: list[Row]
    by_band: list[Row]
    total: Row


def table(cells: Iterable[Cell]) -> Table:
    """The confusion table of the decisions the runs got."""
    outcomes = {name: Row(name) for name in OUTCOMES}
    bands = [Row(band_label(low, high)) for low, high in BANDS]
    total = Row("total")
    for cell in cells:
        outcome = cell.outcome if cell.outcome in outcomes else "unknown"
        outcomes[outcome] = outcomes[outcome].add(cell, cell.corrected)
        i = band_of(cell.cent)
        bands[i] = bands[i].add(cell, cell.corrected)
        total = total.add(cell, cell.corrected)
    return Table(by_outcome=list(outcomes.values()), by_band=bands, total=total)


def at_threshold(cells: Iterable[Cell], cent: int) -> Row:
    """The confusion a threshold of `cent / 100` gives: a run is corrected when its score is
    below it (a score in hundredth `c` is below `cent / 100` exactly when `c < cent`)."""
    return sweep(cells, [cent])[cent]


def sweep(cells: Iterable[Cell], cents: Iterable[int]) -> dict[int, Row]:
    """`at_threshold` for every candidate, from running sums over the 101 hundredths."""
    should, should_not = [0] * 102, [0] * 102
    for cell in cells:
        counts = should if cell.should_correct else should_not
        counts[min(max(cell.cent, 0), 100) + 1] += cell.n
    for c in range(1, 102):  # now [k] counts the scores below k hundredths
        should[c] += should[c - 1]
        should_not[c] += should_not[c - 1]
    rows = {}
    for cent in cents:
        below = min(max(cent, 0), 101)
        tp, fp = should[below], should_not[below]
        fn, tn = should[101] - tp, should_not[101] - fp
        rows[cent] = Row(f"{cent / 100:.2f}", tp=tp, fp=fp, fn=fn, tn=tn)
    return rows


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The threshold in [0.30, 0.90] with the best balanced accuracy on the reviewed runs
    (None unless the reviews hold both kinds), and how the current one compares."""

    threshold: float | None
    current: float
    at_suggested: Row | None
    at_current: Row
    reviewed: int

    @property
    def few(self) -> bool:
        return self.reviewed < MIN_REVIEWS

    @property
    def changes(self) -> bool:
        return self.threshold is not None and round(self.threshold * 100) != round(
            self.current * 100
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "setting": SETTING,
            "current": self.current,
            "suggested": self.threshold,
            "criterion": "balanced_accuracy",
            "reviewed": self.reviewed,
            "few_reviews": self.few,
            "min_reviews": MIN_REVIEWS,
            "at_current": self.at_current.as_dict(),
            "at_suggested": self.at_suggested.as_dict() if self.at_suggested else None,
        }


def suggest(cells: Iterable[Cell], *, current: float) -> Suggestion:
    """Balanced accuracy, not accuracy: reviewers mostly review corrected runs, so the reviews'
    mix of kinds says more about the review queue than about the traffic. Ties go to the
    candidate nearest the current threshold (then the lower): no change without a gain."""
    cells = list(cells)
    now = round(current * 100)
    rows = sweep(cells, [*THRESHOLDS, now])
    at_current = rows[now]
    scored = {cent: row.balanced_accuracy for cent, row in rows.items()}
    if at_current.balanced_accuracy is None:
        return Suggestion(None, current, None, at_current, at_current.reviewed)
    best = max(THRESHOLDS, key=lambda cent: (scored[cent] or 0.0, -abs(cent - now), -cent))
    return Suggestion(best / 100, current, rows[best], at_current, at_current.reviewed)


@dataclass(frozen=True, slots=True)
class Report:
    table: Table
    suggestion: Suggestion

    def as_dict(self) -> dict[str, Any]:
        return {
            "by_outcome": [row.as_dict() for row in self.table.by_outcome],
            "by_band": [row.as_dict() for row in self.table.by_band],
            "total": self.table.total.as_dict(),
            "suggestion": self.suggestion.as_dict(),
        }


def report(cells: Iterable[Cell], *, current: float) -> Report:
    """The confusion table and the suggested threshold."""
    cells = list(cells)
    return Report(table(cells), suggest(cells, current=current))
