"""Is a stated penalty complete, and are its parts joined as the law joins them? A prison term
stated without the fine the law gives beside it; prison and a fine given together against the
same two given as alternatives.

Pure functions, no Django. The design document's second scenario is the rule's origin: "5 tahun
penjara maksimal" against "Pasal 362 KUHP, maksimal 5 tahun penjara, atau denda maksimal ...". The
fast answer states the prison term right, but the law threatens prison *or a fine*: an answer
that names only the prison term tells the asker the wrong range of consequences. That is a
material omission (a lawyer would correct it), unlike a missing article number, which leaves
what the answer states true and complete.

The omission is found when the validator states a fine close to (within a few lines of) a prison
or detention term that the fast answer also states, and the fast answer mentions no fine at all;
not when the validator also states that term without a fine (two penalties, one of them the
fast answer's: "Pasal 263 ... enam tahun" and the new code's "enam tahun atau denda").
Both texts are the prepared ones (number words as digits), which the facts' offsets point into.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .facts import Fact

_PRISON = re.compile(r"\b(?:penjara|kurungan|dipenjara|imprisonment|prison|jail|detention)\b", re.I)
_FINE = re.compile(r"\b(?:denda|didenda|fine[sd]?)\b", re.I)
# How far from the prison term a fine still belongs to the same penalty (characters).
BEFORE, AFTER = 150, 200


@dataclass(frozen=True, slots=True)
class Omission:
    """The prison term the fast answer states, and the validator's words that add the fine."""

    term: str
    passage: str


def missing_fine(
    fast: str, validator: str, fast_facts: tuple[Fact, ...], validator_facts: tuple[Fact, ...]
) -> Omission | None:
    """The prison term stated without the fine the validator gives beside it, if any."""
    if _FINE.search(fast) or not _PRISON.search(fast):
        return None
    terms = {f.value: f for f in fast_facts if f.kind == "duration"}
    with_fine: dict[object, Omission] = {}
    alone: set[object] = set()
    for v in validator_facts:
        if v.kind != "duration" or v.value not in terms:
            continue
        start = max(0, v.start - BEFORE)
        passage = validator[start : v.end + AFTER]
        if not _PRISON.search(passage):
            continue
        if fine := _FINE.search(passage):
            shown = validator[min(v.start, start + fine.start()) : max(v.end, start + fine.end())]
            omission = Omission(term=terms[v.value].text, passage=" ".join(shown.split())[:200])
            with_fine.setdefault(v.value, omission)
        else:
            # The validator too states this term alone somewhere ("Pasal 263 ... penjara paling
            # lama enam tahun" beside the new code's "enam tahun atau denda"): the fast answer's
            # term is that penalty, stated as completely.
            alone.add(v.value)
    return next((o for term, o in with_fine.items() if term not in alone), None)


# A prison term and a fine joined in one penalty: "penjara paling lama 1 tahun dan denda paling
# banyak 1 juta" (both), "... atau denda ..." (either), "... dan/atau denda ..." (either or both).
_JOINED = re.compile(
    r"\b(?:penjara|kurungan)\b[^.;\n]{0,80}?\b(?P<join>dan\s*/\s*atau|dan\s+atau|dan|atau|serta"
    r"|plus|sekaligus)\s+(?:pidana\s+|juga\s+|ditambah\s+)?(?:\w+\s+){0,2}?denda\b",
    re.I,
)
_TOGETHER = frozenset({"dan", "serta", "plus", "sekaligus"})


@dataclass(frozen=True, slots=True)
class Joined:
    """The fast answer's penalty and the validator's, joined the other way."""

    fast: str
    validator: str


def _joins(text: str) -> dict[str, str]:
    """How the text joins prison and a fine: "together", "either" or "both_or_either"
    ("dan/atau"), each with the words that say so."""
    found: dict[str, str] = {}
    for m in _JOINED.finditer(text):
        word = " ".join(m["join"].lower().split())
        how = "together" if word in _TOGETHER else "either" if word == "atau" else "both_or_either"
        found.setdefault(how, " ".join(m.group().split()))
    return found


def joined_differently(fast: str, validator: str) -> Joined | None:
    """Prison and a fine given together in one answer ("penjara ... dan denda", cumulative) and as
    alternatives in the other ("penjara ... atau denda"): the penalty differs, as a lawyer reads
    it. "dan/atau" (either or both) is compatible with both; an answer that joins them more than
    one way is not read."""
    mine, theirs = _joins(fast), _joins(validator)
    if len(mine) == 1 == len(theirs) and {*mine, *theirs} == {"together", "either"}:
        return Joined(next(iter(mine.values())), next(iter(theirs.values())))
    return None
