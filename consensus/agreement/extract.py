"""The facts a legal answer turns on: articles, laws, quantities, modality, courts.

Pure functions, no Django. `extract` returns every fact it finds, each with the words around it
(its context), so that `conflicts.compare` can tell which facts of two answers speak of the same
thing. Indonesian and English are read alike; number words are read as digits first.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .facts import Fact, FactKind, Prepared
from .legal_refs import articles, institutions, laws
from .modality import modalities
from .predicates import predicates
from .quantities import quantities

__all__ = ["Fact", "FactKind", "extract"]

# Laws first: the quantity extractors skip what they cover ("1 Tahun" in "UU No. 1 Tahun 1974").
EXTRACTORS = (laws, articles, institutions, quantities, modalities, predicates)


def extract(answer: str | Prepared) -> tuple[Fact, ...]:
    """Every fact stated in an answer, in order of appearance."""
    prepared = answer if isinstance(answer, Prepared) else Prepared.of(answer)
    found: list[Fact] = []
    for extractor in EXTRACTORS:
        found.extend(extractor(prepared, found))
    return tuple(sorted(_for_others(prepared.text, found), key=lambda f: f.start))


# Said to hold only for another kind of party or case: "Denda Rp1.000.000 hanya berlaku untuk
# SPT Tahunan Wajib Pajak Badan".
_ONLY_FOR = re.compile(
    r"[\s*_]*(?:(?:itu|ini|tersebut)\s+)?(?:hanya|cuma|khusus)\s+(?:berlaku\s+|dikenakan\s+)?"
    r"(?:untuk|bagi|buat|pada|kepada)\b",
    re.IGNORECASE,
)
# The kinds of value a rule may give one party and another party another.
_PER_PARTY = frozenset({"money", "percentage", "duration"})


def _for_others(text: str, found: list[Fact]) -> list[Fact]:
    """The facts, with an amount said to hold only for another party marked as an aside, when
    the answer states another amount of that kind for the case it answers."""
    marked = [
        i
        for i, f in enumerate(found)
        if f.kind in _PER_PARTY and not f.aside and _ONLY_FOR.match(text, f.end)
    ]
    for i in marked:
        f = found[i]
        if any(
            g.kind == f.kind and g.value != f.value and not g.aside and j not in marked
            for j, g in enumerate(found)
        ):
            found[i] = replace(f, aside=True)
    return found
