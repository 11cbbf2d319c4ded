"""The facts a legal answer turns on: articles, laws, quantities, modality, courts.

Pure functions, no Django. `extract` returns every fact it finds, each with the words around it
(its context), so that `conflicts.compare` can tell which facts of two answers speak of the same
thing. Indonesian and English are read alike; number words are read as digits first.
"""

from __future__ import annotations

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
    return tuple(sorted(found, key=lambda f: f.start))
