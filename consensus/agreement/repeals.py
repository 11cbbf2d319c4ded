"""A law one answer relies on that the other says is no longer in force, or is not the law
that governs the matter.

"Dasar hukumnya UU No. 28 Tahun 2009" against "UU Nomor 28 Tahun 2009 tentang PDRD sudah dicabut
oleh UU HKPD": the second answer may cite the old law too, so the two share that fact and
`conflicts.compare` finds nothing; yet they disagree on the one thing a lawyer checks first,
whether the rule relied on is still the law. A model trained on older text cites repealed laws
(UU 36/2009 on health, replaced by UU 17/2023; UU 17/2012 on cooperatives, annulled by the
Constitutional Court), and a careful one says so.

Read narrowly: the law must be the subject of "dicabut", "dibatalkan", "diganti(kan)" or "tidak
lagi berlaku", with nothing between but its title, an abbreviation in brackets and words like
"telah" or "yang" ("UU 36/2009 tentang Kesehatan telah dicabut"), or the object of "mencabut",
"menggantikan" or "membatalkan" ("UU 17/2023 yang mencabut UU 44/2009"). An article repealed
("Pasal 27 ayat (3) UU ITE telah dicabut"), a law amended ("diubah") or repealed in part
("sebagian telah dicabut"), and "tidak berlaku buat mitra" (a rule's scope) are not a repealed law.

A law named right after "bukan" in its clause ("Jadi, dasarnya bukan UU ITE", "diatur dalam UU Hak
Cipta, bukan dalam undang-undang merek", "Pasal 1368 KUHPerdata, bukan KUHP") is disowned the
same way: the answer says the matter is not that law's, and an answer that relies on it
contradicts it (`disowned`). So is an article whose own sentence says it governs something else
("Pasal 1365 KUH Perdata mengatur perbuatan melawan hukum, bukan wanprestasi", "Pasal 359 KUHP
tidak tepat untuk kasus ini"): a conflict of kind article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .facts import Fact

# Said right after a law, loosely: it no longer holds, or not here ("... sudah dicabut dan
# diganti", "(tidak berlaku lagi)", "tidak berlaku buat mitra"). `facts.fact` marks such a law as
# aside: not a rule the answer itself applies.
REPEALED_AFTER = re.compile(
    r"\s*[(,]?\s*(?:yang\s+)?(?:sudah|telah|udah|udh)?\s*(?:dicabut|tidak\s+berlaku"
    r"|diganti(?:kan)?\s+(?:oleh|dengan)|has\s+been\s+(?:repealed|replaced)|was\s+repealed"
    r"|repealed)\b",
    re.IGNORECASE,
)
# Said right before a law: the one it repeals ("yang mencabut dan menggantikan PP 36/2005").
REPEALS_BEFORE = re.compile(
    r"\b(?:mencabut|menggantikan|mengganti|membatalkan|replaces|repeals|repealed)"
    r"(?:\s+(?:dan|serta|and)\s+(?:mencabut|menggantikan|mengganti|replaces|repeals))?\s*$",
    re.IGNORECASE,
)

# Said strictly, for a conflict: the law as the subject of a passive verb of repeal, with what may
# stand between: its title, an
# abbreviation in brackets, a comma, "yang", "telah", "sudah", "kini", "resmi", "juga", "itu",
# "tersebut", a short relative clause before "telah" or "sudah" ("yang sering dikutip sudah
# dibatalkan"); or said not to be a basis any more ("tidak dapat dijadikan dasar"). "tidak
# berlaku" alone is a rule's scope as often as its end ("UU Ketenagakerjaan tidak berlaku buat
# mitra"): only "tidak lagi berlaku", "tidak berlaku lagi", "sudah tidak berlaku", "dinyatakan
# tidak berlaku".
_REPEALED = re.compile(
    r"\s*(?:\([^()]{0,40}\)\s*)?(?:tentang\s+[^.,;:()\n]{0,80}?\s*)?(?:\([^()]{0,40}\)\s*)?,?\s*"
    r"(?:(?:yang|yg)\s+(?:(?!sebagian|beberapa|pasal|ayat|ketentuan)[^\W\d]+\s+){1,3}?"
    r"(?=(?:telah|sudah|udah|udh)\s))?"
    r"(?:(?:yang|yg|telah|sudah|udah|udh|kini|sekarang|resmi|juga|pun|itu|tersebut)\s+)*"
    r"(?:dicabut|dibatalkan|digantikan|diganti|(?:dinyatakan|sudah|udah|udh)\s+tidak\s+berlaku"
    r"|tidak\s+lagi\s+berlaku|tidak\s+berlaku\s+lagi"
    # Said not to be a basis any more: "tidak dapat dijadikan dasar, karena telah dibatalkan".
    r"|tidak\s+(?:lagi\s+)?(?:dapat|bisa|boleh)\s+(?:lagi\s+)?(?:dijadikan|dipakai|digunakan)"
    r"\s+(?:sebagai\s+)?(?:dasar|acuan|pegangan))\b",
    re.IGNORECASE,
)
_ARTICLE_BEFORE = re.compile(r"(?:pasal|ayat|huruf|angka)\s*[\w()]*\s*$", re.IGNORECASE)
_SENTENCE = re.compile(r"[.!?\n]")


@dataclass(frozen=True, slots=True)
class Repeal:
    """`law` is said to be repealed in `passage`."""

    law: Fact
    passage: str


def repealed(text: str, facts: Sequence[Fact]) -> tuple[Repeal, ...]:
    """Each law an answer says is repealed, with the words that say so."""
    laws = [f for f in facts if f.kind == "law" and len(f.value) > 1]
    found = []
    for law in laws:
        if _ARTICLE_BEFORE.search(text, max(0, law.start - 20), law.start):
            continue
        if said := _REPEALED.match(text, law.end):
            found.append(Repeal(law, _passage(text, law.start, said.end())))
            continue
        opening = _sentence_start(text, law.start)
        if REPEALS_BEFORE.search(text, max(opening, law.start - 40), law.start):
            found.append(Repeal(law, _passage(text, opening, law.end)))
    return tuple(found)


# Right before a law, in its clause: "bukan", then at most a preposition and a few words ("bukan
# pasal perusakan barang dalam KUHP"), but not a thing denied in the law's own terms ("bukan
# ahli waris menurut KHI": the law may be the answer's source); or the matter said not to be
# under it ("tidak tunduk sepenuhnya pada UU 13/2003", "belum diatur UU Ketenagakerjaan").
_DISOWNED_BEFORE = re.compile(
    r"\bbukan(?:lah)?\s+(?:(?:dalam|di|pada|berdasarkan|menurut|melalui|lewat|dari)\s+)?"
    r"(?:(?:[^\W\d]+\s+){0,3}?(?!(?:menurut|berdasarkan|sesuai|versi|kata)\s)[^\W\d]+\s+)?$"
    r"|\b(?:tidak|tak|belum)\s+(?:sepenuhnya\s+)?(?:tunduk|diatur|termasuk|masuk)\s+"
    r"(?:sepenuhnya\s+)?(?:(?:pada|dalam|di|ke\s+dalam|oleh)\s+)?$",
    re.IGNORECASE,
)
# Loosely: any "bukan" a few words before the law, in its clause. Such a law is not one the
# answer relies on, whichever way it is denied ("bukan hubungan kerja menurut UU 13/2003").
_DENIED_NEAR = re.compile(r"\bbukan(?:lah)?\s+(?:[^\W\d]+\s+){0,5}$", re.IGNORECASE)


# Right after an article, in its sentence: it governs something else ("Pasal 1365 KUH Perdata
# mengatur perbuatan melawan hukum, bukan wanprestasi", "Pasal 1367 ... mengatur hal yang berbeda
# ..., sehingga kurang tepat"), or it is not the basis ("kurang tepat dijadikan dasar").
_DISOWNED_AFTER = re.compile(
    r"[^.;!?\n]{0,160}?\b(?:mengatur\s+hal\s+(?:yang\s+)?(?:lain|berbeda)"
    r"|(?:kurang|tidak)\s+tepat(?:\s+(?:untuk|bagi|dipakai|digunakan|dijadikan)\b)?"
    r"|bukan(?:lah)?\s+(?:dasar|landasan|pasal\s+yang\s+tepat)"
    r"|tidak\s+(?:dapat|bisa)\s+(?:dijadikan|dipakai|digunakan)\s+(?:sebagai\s+)?dasar"
    r"|mengatur\s+[^.;!?\n,]{3,80},\s+bukan(?:lah)?\b)",
    re.IGNORECASE,
)


def disowned(text: str, facts: Sequence[Fact]) -> tuple[tuple[Repeal, ...], tuple[Repeal, ...]]:
    """The laws an answer says are not the ones that govern, with the words that say so; and,
    from the same scan, those it names in any clause that denies something ("bukan ... menurut
    UU X"), which it does not rely on either (these include the first). An article is disowned
    by what its own sentence says of it ("Pasal 1365 KUH Perdata mengatur perbuatan melawan
    hukum, bukan wanprestasi")."""
    strict, loose = [], []
    for law in facts:
        if law.kind == "article":
            if said := _DISOWNED_AFTER.match(text, law.end):
                strict.append(Repeal(law, _passage(text, law.start, said.end())))
                loose.append(strict[-1])
            continue
        if law.kind != "law":
            continue
        window = max(0, law.start - 50), law.start
        if said := _DISOWNED_BEFORE.search(text, *window):
            strict.append(Repeal(law, _passage(text, said.start(), law.end)))
            loose.append(strict[-1])
        elif near := _DENIED_NEAR.search(text, *window):
            loose.append(Repeal(law, _passage(text, near.start(), law.end)))
    return tuple(strict), tuple(loose)


def set_aside(text: str, facts: Sequence[Fact]) -> tuple[tuple[Repeal, ...], tuple[Repeal, ...]]:
    """The laws an answer says do not hold for the matter (repealed or disowned), and the laws
    it does not rely on (those, and the laws it names in any denying clause): the second and
    first arguments of `in_force_against_repealed`, for and against this answer."""
    gone = repealed(text, facts)
    out, denied = disowned(text, facts)
    return gone + out, gone + denied


def _sentence_start(text: str, at: int) -> int:
    ends = [m.end() for m in _SENTENCE.finditer(text, 0, at)]
    return ends[-1] if ends else 0


def _passage(text: str, start: int, end: int) -> str:
    return " ".join(text[start:end].split()).strip(" (,")[:200]


def in_force_against_repealed(
    facts: Sequence[Fact], own: Sequence[Repeal], others: Sequence[Repeal]
) -> list[tuple[Fact, str]]:
    """The laws among an answer's `facts` that the other answer says are repealed or disowned
    (`others`, `repealed` and `disowned` of the other answer) and this one does not (`own`, its
    own, with the laws it names in any denying clause): each with the other answer's words."""
    said = {(r.law.kind, r.law.value) for r in own}
    relied = [
        f
        for f in facts
        if f.kind in ("law", "article") and not f.aside and (f.kind, f.value) not in said
    ]
    found: list[tuple[Fact, str]] = []
    for repeal in others:
        for law in relied:
            if (law.kind, law.value) == (repeal.law.kind, repeal.law.value) and all(
                law is not f for f, _ in found
            ):
                found.append((law, repeal.passage))
                break
    return found
