"""Conclusions an answer reaches, with their polarity: "sah" / "batal demi hukum", "boleh" /
"dilarang", "wajib" / "tidak wajib", "dapat dipidana" / "bukan tindak pidana", "Ya," / "Tidak,".

Pure functions, no Django. A claim is a sentence that states a conclusion on one topic (validity,
criminal liability, permission, obligation or entitlement) with a polarity. Two answers reach
opposite conclusions when a claim of one and a claim of the other are on the same topic, with
opposite polarity, about the same thing (`about`: the sentences' meaning is close, see
`semantic.py`), and neither answer also states the other's side on that thing itself (a
detailed answer that weighs both sides, "sah secara agama, tetapi tidak sah menurut negara",
contradicts neither). A leading "Ya," against "Tidak," needs no such check: both answer the
question asked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from .leads import qualified
from .polarity import DENIED_THING

# An entitlement of one party is another's obligation ("berhak atas pesangon" against "tidak wajib
# membayar pesangon"), so both are the topic "obligation".
Topic = Literal["validity", "criminal", "actionable", "permission", "obligation", "answer"]
Polarity = Literal[1, -1]

_NOT = (
    rf"(?:{DENIED_THING}"
    r"|\b(?:tidak|tak|bukan|belum|not|no|never|cannot|can't|isn't|aren't|doesn't|don't|won't))"
)
_ADV = r"(?:\s+(?:akan|lagi|pernah|dapat|bisa|secara\s+hukum|otomatis|sama\s+sekali|serta[- ]?merta"
_ADV += r"|be|have|a|an|any|legally|automatically|memiliki|mempunyai|ada))*"

# (topic, polarity, pattern), tried in order on the lowercased sentence; a negated phrase comes
# before its positive form so that "tidak sah" is never also read as "sah".
RULES: tuple[tuple[Topic, Polarity, str], ...] = (
    # "Not void", "tidak batal": valid, read before "void" alone.
    (
        "validity",
        1,
        rf"{_NOT}{_ADV}\s+(?:batal(?:\s+demi\s+hukum)?|null\s+and\s+void|void|invalid|voidable"
        r"|cacat\s+hukum)\b",
    ),
    ("validity", -1, rf"{_NOT}{_ADV}\s+(?:sah|berlaku|valid|mengikat|binding|enforceable)\b"),
    (
        "validity",
        -1,
        r"\b(?:batal\s+demi\s+hukum|null\s+and\s+void|void|invalid|unenforceable|cacat\s+hukum"
        r"|batal|dibatalkan|pembatalan|gugur|voidable|annulled"
        r"|(?:tidak|tanpa)\s+(?:memiliki\s+|mempunyai\s+)?kekuatan\s+hukum"
        r"|tidak\s+(?:diakui|dianggap\s+sah)|not\s+(?:legally\s+)?recogni[sz]ed"
        r"|no\s+legal\s+(?:force|effect))\b",
    ),
    (
        "validity",
        1,
        # Not "agar sah" / "syarat sah" / "sah tidaknya": a purpose or a name, no conclusion.
        r"(?<!agar\s)(?<!supaya\s)(?<!syarat\s)(?<!to\sbe\s)"
        r"\b(?:sah(?!nya|\s+tidaknya|\s+atau\s+tidak)|berlaku|valid|legally\s+binding|binding"
        r"|enforceable|mengikat|tetap\s+berlaku"
        r"|(?:memiliki|mempunyai)\s+kekuatan\s+hukum)\b",
    ),
    (
        "criminal",
        -1,
        rf"{_NOT}{_ADV}\s+(?:dapat\s+|bisa\s+)?(?:dipidana|dipenjara|dijerat|dituntut|dihukum"
        r"|termasuk\s+(?:tindak\s+)?pidana|merupakan\s+(?:tindak\s+)?pidana|tindak\s+pidana|delik"
        r"|a\s+crime|a\s+criminal\s+offen[cs]e|criminal|criminally\s+liable|punishable|prosecuted)",
    ),
    (
        "criminal",
        -1,
        r"\b(?:ranah\s+perdata|masalah\s+perdata|urusan\s+perdata|perkara\s+perdata\s+murni"
        r"|lepas\s+dari\s+segala\s+tuntutan|not\s+a\s+crime|civil\s+matter)\b",
    ),
    (
        "criminal",
        1,
        r"\b(?:dapat|bisa|akan|terancam)\s+(?:dipidana|dipenjara|dijerat|dituntut|dihukum)"
        r"|\bdiancam\s+(?:dengan\s+)?(?:pidana|hukuman)"
        r"|\b(?:termasuk|merupakan|tergolong|adalah)\s+(?:tindak\s+)?pidana"
        r"|\b(?:is\s+a\s+crime|criminal\s+offen[cs]e|criminally\s+liable|punishable"
        r"|can\s+be\s+prosecuted)\b",
    ),
    (
        "actionable",
        -1,
        rf"{_NOT}{_ADV}\s+(?:dapat\s+|bisa\s+)?(?:ditagih|digugat|menggugat|dituntut\s+secara"
        r"\s+perdata|sue[ds]?|be\s+(?:collected|enforced|sued))\b"
        r"|\btidak\s+memberikan\s+(?:hak\s+)?(?:tuntutan|gugatan)|\bno\s+legal\s+claim\b",
    ),
    (
        "actionable",
        1,
        r"\b(?:dapat|bisa|berhak)\s+(?:ditagih|digugat|menggugat|menagih)\b"
        r"|\bcan\s+(?:be\s+(?:collected|enforced|sued)|sue)\b",
    ),
    (
        "permission",
        1,
        rf"{_NOT}{_ADV}\s+(?:dilarang|ada\s+(?:larangan|ketentuan\s+yang\s+melarang)|prohibited"
        r"|forbidden|illegal|melanggar\s+hukum)\b",
    ),
    (
        "permission",
        -1,
        rf"{_NOT}{_ADV}\s+(?:boleh|diperbolehkan|dibolehkan|diizinkan|dibenarkan|diperkenankan"
        r"|allowed|permitted|legal)\b",
    ),
    (
        "permission",
        -1,
        r"\b(?:dilarang|terlarang|haram|prohibited|forbidden|illegal|melanggar\s+hukum)\b",
    ),
    (
        "permission",
        1,
        r"\b(?:boleh|diperbolehkan|dibolehkan|diizinkan|dibenarkan|diperkenankan|sah-sah\s+saja"
        r"|allowed|permitted)\b",
    ),
    (
        "obligation",
        -1,
        rf"{_NOT}{_ADV}\s+(?:wajib|diwajibkan|harus|perlu|mesti|memerlukan|membutuhkan|keharusan"
        r"|kewajiban|required|obliged|obligated|mandatory|compulsory|need(?:ed)?\s+to|have\s+to)\b"
        r"|\bneed\s+not\b|\bno\s+(?:obligation|need)\b|\btidak\s+ada\s+kewajiban\b"
        r"|\bbersifat\s+(?:sukarela|opsional|pilihan)\b|\b(?:is|are)\s+(?:voluntary|optional)\b"
        r"|\bhanya\s+(?:pilihan|opsional)\b",
    ),
    (
        "obligation",
        1,
        r"\b(?:wajib|diwajibkan|harus|mesti|memerlukan|membutuhkan|perlu\s+(?:izin|persetujuan"
        # ("Perlu diketahui, ...": a note to the reader, no duty.)
        r"|di(?!ketahui|ingat|catat|perhatikan|cermati|pahami|garisbawahi|tegaskan|jelaskan)\w+)"
        r"|required|obliged|obligated|mandatory|compulsory|must|requires?)\b",
    ),
    (
        "obligation",
        -1,
        rf"{_NOT}{_ADV}\s+(?:berhak|mendapat(?:kan)?|menerima|memperoleh|entitled|eligible"
        r"|receive|get)\b",
    ),
    ("obligation", -1, r"\b(?:kehilangan\s+hak|gugur\s+haknya|hak(?:nya)?\s+gugur)\b"),
    ("obligation", 1, r"\b(?:berhak|entitled|eligible)\b"),
)
_COMPILED = tuple((topic, pol, re.compile(p)) for topic, pol, p in RULES)
_YES_NO = re.compile(
    r"^\W*(?:(?P<yes>ya|iya|yes|benar|betul|bisa|boleh)|(?P<no>tidak|tidak\s+bisa|tidak\s+boleh"
    r"|no|bukan))\b\s*[,.!:\u2014-]"
)
_SENTENCES = re.compile(r"[^.!?\n]+(?:[.!?]+(?=\s|$)|$)")
# A claim keeps at most this much of its sentence: enough to say what it is about, and the
# encoder's cost grows with the length (a list item run on without a full stop can be long).
CLAIM_CHARS = 200
_QUESTION = re.compile(r"\?\s*$")


@dataclass(frozen=True, slots=True)
class Claim:
    """One conclusion as an answer states it: its topic, polarity and sentence."""

    topic: Topic
    polarity: Polarity
    text: str


def _claims_in(sentence: str) -> Iterator[tuple[Topic, Polarity]]:
    taken: list[tuple[int, int]] = []
    for topic, polarity, pattern in _COMPILED:
        for m in pattern.finditer(sentence):
            if not any(s < m.end() and m.start() < e for s, e in taken):
                taken.append(m.span())
                yield topic, polarity


def sentences(answer: str) -> list[str]:
    """The answer's sentences (list items and lines count as sentences), each cut to
    `CLAIM_CHARS`."""
    found = (m.group().strip(" \t-*#>")[:CLAIM_CHARS] for m in _SENTENCES.finditer(answer))
    return [s for s in found if s and not _QUESTION.search(s)]


def claims(answer: str) -> list[Claim]:
    """Every conclusion an answer states, in order (one per topic and polarity a sentence)."""
    found: list[Claim] = []
    for index, m in enumerate(_SENTENCES.finditer(answer)):
        text = m.group().strip(" \t-*#>")[:CLAIM_CHARS]
        sentence = text.lower()
        if not sentence or _QUESTION.search(sentence):
            continue
        if index == 0 and (yes_no := _YES_NO.match(sentence)):
            found.append(Claim("answer", 1 if yes_no["yes"] else -1, text))
        seen: set[tuple[Topic, Polarity]] = set()
        for topic, polarity in _claims_in(sentence):
            if (topic, polarity) in seen:
                continue
            seen.add((topic, polarity))
            found.append(Claim(topic, polarity, text))
    return found


# Which of these sentence pairs speak of the same point (`semantic.same_points`).
About = Callable[[Sequence[tuple[str, str]]], list[bool]]


def opposed(
    fast: str, validator: str, about: About, weigh: About | None = None
) -> list[tuple[Claim, Claim]]:
    """Claim pairs on which the answers take opposite sides (fast's claim first). `about`
    says which candidate pairs speak of the same point; `weigh` (default: `about`) whether an
    answer states the other's side of that point itself."""
    mine, theirs = claims(fast), claims(validator)
    # Two claims that each carry a condition, an exception or a limit state one rule from both
    # sides ("tidak berlaku, kecuali disetujui" / "hanya sah apabila disetujui").
    candidates = [
        (a, b)
        for a in mine
        for b in theirs
        if a.topic == b.topic
        and a.polarity != b.polarity
        and not (a.topic != "answer" and qualified(a.text) and qualified(b.text))
    ]
    if not candidates:
        return []
    # "Ya," against "Tidak," answers the same question both ways; other claims must be about
    # the same point.
    same = about([(a.text, b.text) for a, b in candidates if a.topic != "answer"])
    verdicts = iter(same)
    found = [(a, b) for a, b in candidates if a.topic == "answer" or next(verdicts)]
    # An answer that states both sides of this very point weighs them ("sah secara agama, tetapi
    # tidak sah menurut negara"); it contradicts neither.
    checks = [
        [(c.text, b.text) for c in mine if (c.topic, c.polarity) == (a.topic, b.polarity)]
        + [(c.text, a.text) for c in theirs if (c.topic, c.polarity) == (b.topic, a.polarity)]
        for a, b in found
    ]
    answers = iter((weigh or about)([pair for check in checks for pair in check]))
    pairs, used = [], set()
    for (a, b), check in zip(found, checks, strict=True):
        weighed = any([next(answers) for _ in check])
        if not weighed and id(a) not in used:
            used.add(id(a))
            pairs.append((a, b))
    return pairs


def contested(fast: str, validator: str) -> bool:
    """Do the answers take opposite sides on any topic, in whatever sentences?"""
    opposite = {(c.topic, -c.polarity) for c in claims(validator)}
    return any((c.topic, c.polarity) in opposite for c in claims(fast))
