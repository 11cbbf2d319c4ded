"""Do the two answers agree? A score in [0, 1] plus the facts they state differently.

This is the seam between the engine and the agreement logic: the engine only calls `assess`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .similarity import similarity

CorrectionReason = Literal["low_similarity", "fact_conflict"]


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


def assess(fast: str, validator: str) -> Agreement:
    """Compare the fast answer with the validator's."""
    return Agreement(score=similarity(fast, validator))
