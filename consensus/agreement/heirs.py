"""An heir's share: "2 anak perempuan: bersama-sama dapat 1/2" / "Dua anak perempuan: 2/3".

A share carries no noun of its own (`facts.Fact.key` is empty), so `conflicts.compare` pairs two
answers' shares by the words around them, and in an estate's table of heirs (a daughter, the
widow, the mother, each with a fraction) those words are alike for every line. This module reads
which heir the answer gives each share to, the heir named last before it in its clause, and
`heir_clashes` pairs one answer's share for an heir with the other's for the same heir when they
differ: each answer gives that heir one share, and not the same one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .facts import Fact

# Each heir under one name, the words an answer calls it by.
_HEIRS: tuple[tuple[str, str], ...] = (
    ("daughter", r"anak\s+(?:perempuan|cewek|cewe|pr)\b|putri"),
    ("son", r"anak\s+(?:laki-laki|laki|cowok|cowo|lk)\b|putra"),
    ("widow", r"istri|isteri|janda"),
    ("widower", r"suami|duda"),
    ("mother", r"ibu|mama|emak"),
    ("father", r"ayah|bapak|bapaknya"),
    ("sibling", r"saudara"),
    ("grandchild", r"cucu"),
)
_HEIR = re.compile(
    r"\b(?:" + "|".join(f"(?P<h{i}>{words})" for i, (_, words) in enumerate(_HEIRS)) + r")\b",
    re.IGNORECASE,
)
# How far back an heir may stand before its share ("Anda sebagai janda: 1/8 bagian").
BEFORE = 80
_CLAUSE_END = re.compile(r"[.;\n]")
# Half of the joint property is the surviving spouse's own, no share of the estate: "istri berhak
# separuh dari harta bersama".
_JOINT = re.compile(r"\bharta\s+bersama\b|\bgono[\s-]?gini\b|\bgana[\s-]?gini\b", re.IGNORECASE)


def heir_shares(text: str, facts: Iterable[Fact]) -> dict[str, dict[float, Fact]]:
    """The shares the answer gives each heir it names, each by its value (`text`: the prepared
    text the facts' offsets are in)."""
    found: dict[str, dict[float, Fact]] = {}
    for f in facts:
        if f.kind != "share" or f.aside or not isinstance(f.value[0], float):
            continue
        before = _CLAUSE_END.split(text[max(0, f.start - BEFORE) : f.start])[-1]
        start = text.rfind("\n", 0, f.start) + 1
        end = _CLAUSE_END.search(text, f.end)
        sentence = text[start : end.start() if end else len(text)]
        if _JOINT.search(sentence):
            continue
        if heirs := list(_HEIR.finditer(before)):
            last = heirs[-1]
            heir = next(_HEIRS[int(g[1:])][0] for g, v in last.groupdict().items() if v)
            found.setdefault(heir, {}).setdefault(f.value[0], f)
    return found


def heir_clashes(
    fast: str, validator: str, fast_facts: Iterable[Fact], validator_facts: Iterable[Fact]
) -> list[tuple[Fact, Fact]]:
    """The shares of the heirs each answer gives one share, not the same one (fast's first)."""
    mine, theirs = heir_shares(fast, fast_facts), heir_shares(validator, validator_facts)
    return [
        (next(iter(shares.values())), next(iter(theirs[heir].values())))
        for heir, shares in mine.items()
        if heir in theirs
        and len(shares) == 1 == len(theirs[heir])
        and shares.keys() != theirs[heir].keys()
    ]
