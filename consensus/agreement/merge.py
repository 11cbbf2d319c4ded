"""A merged answer for a supplement: the fast answer, then the validator's sentences that carry
the facts it adds, each piece with where it came from (the design document's "sentence-level
merging for moderate agreement").

Pure functions, no Django. Only sentences that state a legal fact the fast answer (and the
sentences already taken) do not state are taken, so nothing is said twice; a sentence is taken
whole, never cut, and the fast answer is never changed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from .conflicts import subject
from .extract import Fact, extract
from .facts import Prepared
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


def merged(
    fast: str,
    validator: str,
    *,
    fast_facts: Sequence[Fact] | None = None,
    prepared: Prepared | None = None,
    validator_facts: Sequence[Fact] | None = None,
) -> tuple[Piece, ...]:
    """The fast answer, then each validator sentence that adds a legal fact.

    `assess` passes the facts it has already read (and the validator's prepared text), so the
    answers are not read a second time: each validator fact goes to the sentence it starts in.
    """
    stated = {subject(f) for f in (extract(fast) if fast_facts is None else fast_facts)}
    pieces = [Piece(fast.strip(), "fast")]
    for sentence, facts in _by_sentence(validator, prepared, validator_facts):
        adding = [f for f in facts if supplements(f)]
        if any(subject(f) not in stated for f in adding):
            pieces.append(Piece(sentence, "validator"))
            stated.update(subject(f) for f in adding)
    return tuple(pieces)


def _by_sentence(
    validator: str, prepared: Prepared | None, facts: Sequence[Fact] | None
) -> Iterable[tuple[str, Sequence[Fact]]]:
    """Each sentence of the validator's answer with the facts it states. From the facts of the
    whole answer when the prepared text splits into as many sentences as the answer (number
    words read as digits can move a sentence break: "... rupiah. Lima tahun" is no break once
    it reads "5 tahun"); otherwise each sentence is read on its own."""
    originals = sentences(validator)
    if prepared is not None and facts is not None:
        starts = _sentence_starts(prepared.text)
        if len(starts) == len(originals):
            buckets: list[list[Fact]] = [[] for _ in originals]
            for fact in facts:
                buckets[max(bisect_right(starts, fact.start) - 1, 0)].append(fact)
            return zip(originals, buckets, strict=True)
    return ((sentence, extract(sentence)) for sentence in originals)


def _sentence_starts(text: str) -> list[int]:
    """Where each sentence that `sentences` keeps begins in `text`."""
    starts, begin = [], 0
    for brk in [*_BREAK.finditer(text), None]:
        end = brk.start() if brk else len(text)
        if text[begin:end].strip():
            starts.append(begin)
        if brk:
            begin = brk.end()
    return starts
