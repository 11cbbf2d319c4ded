"""A modal verb said last of its subject: "mediasi tidak wajib;", "Rehabilitasi wajib."

`modality.modalities` reads a modal with the action after it ("wajib mediasi"). An answer may
put the modal last instead, as the predicate of what it governs, with nothing after it in its
clause but a condition: then what it governs is the word before it (a duty, its whole subject:
"pendaftaran ke Ditjen Perhubungan Udara tidak diwajibkan sepanjang ..."; or the topic before a
colon: "Soal helm: tidak wajib"), and the two answers state one duty.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace

from .facts import STOPWORDS, Fact, Prepared, fact, overlaps, stem
from .modality import CONDITIONS, FILLERS, PHRASES

# A modal phrase that ends its clause: punctuation, a line break, the end of the answer or a
# condition ("tidak diwajibkan sepanjang ...") next.
_LAST = re.compile(
    r"\b(?:" + "|".join(rf"(?P<p{i}>{p})" for i, (p, _) in enumerate(PHRASES)) + r")"
    r"(?=\s*(?:[.,;:!?)\n]|$)|\s+(?:" + "|".join(CONDITIONS) + r")\b)",
)
# A topic the answer names before a colon ("Soal helm: tidak wajib"): the subject of what follows.
_TOPIC = re.compile(r"\s*:\s*$")
_CLAUSE = re.compile(r"[.;:,()\n]")
_TOPIC_WORDS = frozenset({"soal", "untuk", "kalau", "mengenai", "terkait", "tentang", "buat"})
_HOW = frozenset({"sifatnya", "hukumnya", "statusnya"})
_HEDGED = frozenset({"sebenernya", "sebenarnya", "sebetulnya", "emang", "emg", "sih", "kayaknya"})
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
        index = next(int(g[1:]) for g, v in m.groupdict().items() if v)
        duty = PHRASES[index][1] in ("obliged", "not_obliged")
        if duty:
            # "pendaftaran NIB sifatnya tidak wajib": what the duty is said of stands before the
            # word that says how.
            while k > 0 and prepared.lower[prepared.starts[k] : prepared.ends[k]] in _HOW:
                if prepared.lower[prepared.ends[k - 1] : prepared.starts[k]].strip():
                    break
                k -= 1
        # "Soal somasi: sebenernya gak wajib": a hedge before the modal says how sure, not what.
        while k > 0 and prepared.lower[prepared.starts[k] : prepared.ends[k]] in _HEDGED:
            k -= 1
        between = " ".join(
            w for w in prepared.lower[prepared.ends[k] : m.start()].split() if w not in _HEDGED
        )
        word = prepared.lower[prepared.starts[k] : prepared.ends[k]]
        topic = duty and bool(_TOPIC.match(between))
        passed = topic or all(w in _PASSED or w in _HOW for w in between.split())
        if not passed or word in _NOT_GOVERNED:
            continue
        key = prepared.stems[k]
        about = {key}
        if duty:
            # "pendaftaran ke Direktorat Jenderal Perhubungan Udara tidak diwajibkan": the duty
            # is said of its whole subject, the words of its clause before it.
            clause = _CLAUSE.split(prepared.lower[max(0, prepared.ends[k] - 80) : m.start()])
            subject = clause[-2] if topic and len(clause) > 1 else clause[-1]
            about |= {
                stem(w)
                for w in subject.split()
                if w not in _PASSED and w not in _TOPIC_WORDS and w not in _HOW
            }
        item = fact(prepared, "modality", (PHRASES[index][1],), m.span(), key=key)
        # What it governs stands before it as its subject: no party is named as bound.
        found.append(replace(item, about=frozenset(about), holder=frozenset()))
    return found
