"""Do the two answers agree? A score in [0, 1] plus the facts they state differently.

This is the seam between the engine and the agreement logic: the engine only calls `assess`.
Pure functions, no Django. The score starts from the wording (`similarity.similarity`), then the
facts decide (`facts.extract`, `conflicts.compare`):

- a fact the two answers state differently is a conflict: the score is halved, which keeps it
  below 0.5 and so below any sensible moderate threshold, and the correction's reason is
  `fact_conflict`;
- otherwise facts both answers state lift the score towards 1 (answers worded differently that
  state the same articles, penalties and deadlines agree), but only when they share the legal
  basis one of them cites: an answer that drops the article the other relies on is not the same
  answer (the design document's "5 tahun penjara maksimal" against "Pasal 362 KUHP, ...").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .conflicts import Comparison, compare, subject
from .extract import Fact, extract
from .similarity import similarity

CorrectionReason = Literal["low_similarity", "fact_conflict"]

# A conflicting fact multiplies the wording score by this: at most 0.5, always a correction.
CONFLICT_FACTOR = 0.5
# How far shared facts may lift the wording score towards 1, and how many shared facts it takes
# to count as full evidence (one shared number alone proves little).
FACT_WEIGHT = 0.7
FULL_EVIDENCE = 3
LEGAL_BASIS = ("article", "law")


@dataclass(frozen=True, slots=True)
class Conflict:
    """One fact the answers state differently, e.g. kind="article", fast="Pasal 363 KUHP"."""

    kind: str
    fast: str
    validator: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "fast": self.fast, "validator": self.validator}


@dataclass(frozen=True, slots=True)
class Agreement:
    """The verdict on a pair of answers."""

    score: float
    conflicts: tuple[Conflict, ...] = field(default_factory=tuple)

    @property
    def reason(self) -> CorrectionReason:
        """Why a correction would be sent: a conflicting fact, or wording that differs."""
        return "fact_conflict" if self.conflicts else "low_similarity"


def fact_support(
    fast: tuple[Fact, ...], validator: tuple[Fact, ...], comparison: Comparison
) -> float:
    """How much the shared facts vouch for agreement, in [0, FACT_WEIGHT]."""
    shared = comparison.shared
    cites = [f for f in (*fast, *validator) if f.kind in LEGAL_BASIS]
    if not shared or (cites and not any(kind in LEGAL_BASIS for kind, _, _ in shared)):
        return 0.0
    stated = min(len({subject(f) for f in fast}), len({subject(f) for f in validator}))
    coverage = min(1.0, len(shared) / max(stated, 1))
    evidence = min(1.0, len(shared) / FULL_EVIDENCE)
    return FACT_WEIGHT * coverage * evidence


def combine(wording: float, comparison: Comparison, support: float) -> float:
    """The final score from the wording score, the conflicts and the shared-fact support."""
    if comparison.conflicts:
        return round(wording * CONFLICT_FACTOR, 4)
    return round(wording + (1.0 - wording) * support, 4)


def assess(fast: str, validator: str) -> Agreement:
    """Compare the fast answer with the validator's."""
    wording = similarity(fast, validator)
    fast_facts, validator_facts = extract(fast), extract(validator)
    comparison = compare(fast_facts, validator_facts)
    support = fact_support(fast_facts, validator_facts, comparison)
    conflicts = tuple(Conflict(f.kind, f.text, v.text) for f, v in comparison.conflicts)
    return Agreement(score=combine(wording, comparison, support), conflicts=conflicts)
