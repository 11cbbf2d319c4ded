"""A merged answer for a supplement: the fast answer, then the validator's sentences that carry
the facts it adds, each piece with where it came from (the design document's "sentence-level
merging for moderate agreement").

Pure functions, no Django. Only sentences that state a legal fact the fast answer (and the
sentences already taken) do not state are taken, so nothing is said twice; a sentence is taken
whole, never cut, and the fast answer is never changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .conflicts import subject
from .extract import Fact, extract
from .law_titles import TITLE

Source = Literal["fast", "validator"]
# Facts that, stated by the validator alone, make its answer a supplement.
SUPPLEMENT_KINDS = frozenset(
    {"article", "law", "duration", "money", "percentage", "share", "age", "institution"}
)


def supplements(fact: Fact) -> bool:
    """Does this fact, stated by the validator alone, add to the fast answer? A calendar date
    does not: answers that agree give dates as examples or as when a law took effect, and a
    deadline date the fast answer contradicts is a conflict, found apart. Nor does a law named
    only by its title: it serves to recognise the law the fast answer cites by number."""
    return fact.kind in SUPPLEMENT_KINDS and fact.value[0] != "date" and fact.key != TITLE


# A sentence ends at . ! ? before a capital or an opening mark (not before a digit: "No. 1",
# "Rp900.000"), or at a line break.
_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'*\-])|\n+")


@dataclass(frozen=True, slots=True)
class Piece:
    """One piece of a merged answer and its source."""

    text: str
    source: Source

    def as_dict(self) -> dict[str, str]:
        return {"text": self.text, "source": self.source}


def sentences(text: str) -> list[str]:
    """Whole sentences and lines, stripped."""
    return [s.strip() for s in _BREAK.split(text) if s.strip()]


def merged(fast: str, validator: str) -> tuple[Piece, ...]:
    """The fast answer, then each validator sentence that adds a legal fact."""
    stated = {subject(f) for f in extract(fast)}
    pieces = [Piece(fast.strip(), "fast")]
    for sentence in sentences(validator):
        facts = [f for f in extract(sentence) if supplements(f)]
        if any(subject(f) not in stated for f in facts):
            pieces.append(Piece(sentence, "validator"))
            stated.update(subject(f) for f in facts)
    return tuple(pieces)
