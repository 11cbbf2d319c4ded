"""A modal verb said last of its subject: "mediasi tidak wajib;", "Rehabilitasi wajib."

`modality.modalities` reads a modal with the action after it ("wajib mediasi"). An answer may
put the modal last instead, as the predicate of what it governs, with nothing after it in its
clause: then what it governs is the word before it, and the two answers state one duty.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace

from .facts import STOPWORDS, Fact, Prepared, fact, overlaps
from .modality import FILLERS, PHRASES

# A modal phrase that ends its clause: punctuation, a line break or the end of the answer next.
_LAST = re.compile(
    r"\b(?:" + "|".join(rf"(?P<p{i}>{p})" for i, (p, _) in enumerate(PHRASES)) + r")"
    r"(?=\s*(?:[.,;:!?)\n]|$))",
)
# Words that may stand between the governed word and the modal ("mediasi itu tidak wajib").
_PASSED = STOPWORDS - {"yang", "which", "that"}
# Words before such a modal that say how, not what ("hukumnya memang tidak wajib").
_NOT_GOVERNED = FILLERS | {"memang", "pun", "sifatnya", "hukumnya", "tentu", "yang"}


def predicates(prepared: Prepared, taken: list[Fact]) -> list[Fact]:
    """Each clause-final modal verb with the content word just before it in its clause as the
    action it governs; none when its clause has no word before it ("Boleh.")."""
    found = []
    for m in _LAST.finditer(prepared.lower):
        if overlaps(m.span(), taken):
            continue
        k = bisect_left(prepared.ends, m.start() + 1) - 1
        if k < 0:
            continue
        between = prepared.text[prepared.ends[k] : m.start()]
        word = prepared.lower[prepared.starts[k] : prepared.ends[k]]
        if any(w not in _PASSED for w in between.split()) or word in _NOT_GOVERNED:
            continue
        index = next(int(g[1:]) for g, v in m.groupdict().items() if v)
        key = prepared.stems[k]
        item = fact(prepared, "modality", (PHRASES[index][1],), m.span(), key=key)
        # What it governs stands before it as its subject: no party is named as bound.
        found.append(replace(item, about=frozenset({key}), holder=frozenset()))
    return found
