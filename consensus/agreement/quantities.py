"""Quantities with their units: durations, ages, money, percentages and counted things."""

from __future__ import annotations

import re

from .facts import Fact, FactKind, Prepared, fact, overlaps
from .numerals import SCALES, parse_number

NUM = r"\d+(?:[.,]\d+)*"
# Each duration unit as (measure, size): years and months compare in months, weeks and days in days.
UNITS: dict[str, tuple[str, float]] = {
    "tahun": ("months", 12),
    "year": ("months", 12),
    "years": ("months", 12),
    "bulan": ("months", 1),
    "month": ("months", 1),
    "months": ("months", 1),
    "minggu": ("days", 7),
    "pekan": ("days", 7),
    "week": ("days", 7),
    "weeks": ("days", 7),
    "hari": ("days", 1),
    "day": ("days", 1),
    "days": ("days", 1),
    "jam": ("hours", 1),
    "hour": ("hours", 1),
    "hours": ("hours", 1),
}
_UNIT = r"(?:tahun|bulan|minggu|pekan|hari|jam|years?|months?|weeks?|days?|hours?)"
_RANGE = (
    r"\s*(?:sampai(?:\s+dengan)?|hingga|s\.d\.|to|and|-|\u2013)\s*"
    r"(?:belum\s+|under\s+|kurang dari\s+)?"
)
_COMPOUND = re.compile(
    rf"\b({NUM})[\s-]*(tahun|years?)\s*(?:dan\s+|and\s+)?({NUM})[\s-]*(bulan|months?)\b", re.I
)
# English puts a qualifier between number and unit ("12 working days", "12 consecutive months").
_QUALIFIER = r"(?:(?:or more|atau lebih|working|business|calendar|consecutive|full)\s+)?"
_RANGED = re.compile(rf"\b({NUM}){_RANGE}({NUM})[\s-]*{_QUALIFIER}({_UNIT})\b", re.I)
_SINGLE = re.compile(rf"\b({NUM})[\s-]*{_QUALIFIER}({_UNIT})\b", re.I)
_AGE_CUE = re.compile(r"\b(?:usia|umur|berusia|berumur|umurnya|usianya|aged?|dewasa)\b", re.I)
_AGE_AFTER = re.compile(r"\s*(?:old|of age)\b", re.I)
_AGE_BARE = re.compile(
    rf"\b(?:aged|berusia|berumur|usia|umur)\s+(?:at least\s+|minimal\s+|genap\s+|paling rendah\s+)?"
    rf"({NUM})(?:{_RANGE}({NUM}))?",
    re.I,
)
_SCALE = "|".join(SCALES)
_MONEY = re.compile(
    rf"(?:\b(?:Rp|IDR)\.?\s*({NUM})(?:\s*({_SCALE}|rb|jt)\b)?|\b({NUM})\s*({_SCALE})?\s*rupiah\b)",
    re.I,
)
_PERCENT = re.compile(rf"\b({NUM})\s*(?:%|persen\b|per\s?cent\b)", re.I)
# Counted things, each noun with its spellings in both languages.
NOUNS: dict[str, str] = {
    "syarat": r"syarat|persyaratan|conditions?|requirements?",
    "saksi": r"saksi|witness(?:es)?",
    "hakim": r"hakim|judges?",
    "alat bukti": r"alat bukti|(?:pieces of )?evidence",
    "kreditor": r"kreditor|kreditur|creditors?",
    "unsur": r"unsur|elements?",
    "ahli waris": r"ahli waris|heirs?",
    "kali": r"kali|times",
    "orang": r"orang|persons?|people",
}
_NOUN = "|".join(rf"(?P<n{i}>{p})" for i, p in enumerate(NOUNS.values()))
_COUNT = re.compile(
    rf"\b({NUM})\s+(?:(?:atau lebih|or more)\s+)?(?:orang\s+(?=saksi|hakim))?(?:{_NOUN})\b", re.I
)
_SCALE_WORDS = {"rb": 1_000, "jt": 1_000_000}


def _is_age(text: str, start: int, end: int) -> bool:
    before = re.split(r"\d[.,\d]*\s*" + _UNIT, text[max(0, start - 90) : start], flags=re.I)[-1]
    sentence = re.split(r"[.;!?]\s", before)[-1]
    return bool(_AGE_CUE.search(sentence) or _AGE_AFTER.match(text, end))


def _duration(number: float, unit: str) -> tuple[object, ...]:
    measure, size = UNITS[unit.lower()]
    return (measure, round(number * size, 3))


def _times(prepared: Prepared, taken: list[Fact]) -> list[Fact]:
    found: list[Fact] = []
    text = prepared.text
    for m in _COMPOUND.finditer(text):
        if not overlaps(m.span(), taken):
            months = parse_number(m[1]) * 12 + parse_number(m[3])
            found.append(fact(prepared, "duration", ("months", months), m.span()))
    for m in _RANGED.finditer(text):
        if overlaps(m.span(), taken + found):
            continue
        kind: FactKind = "age" if _is_age(text, m.start(), m.end()) else "duration"
        for number in (m[1], m[2]):
            value = (
                (parse_number(number),) if kind == "age" else _duration(parse_number(number), m[3])
            )
            found.append(fact(prepared, kind, value, m.span()))
    for m in _SINGLE.finditer(text):
        if overlaps(m.span(), taken + found):
            continue
        number = parse_number(m[1])
        if _is_age(text, m.start(), m.end()) and m[2].lower() in ("tahun", "year", "years"):
            found.append(fact(prepared, "age", (number,), m.span()))
        else:
            found.append(fact(prepared, "duration", _duration(number, m[2]), m.span()))
    for m in _AGE_BARE.finditer(text):
        if not overlaps(m.span(), taken + found):
            found.extend(
                fact(prepared, "age", (parse_number(n),), m.span()) for n in (m[1], m[2]) if n
            )
    return found


def _money(prepared: Prepared, taken: list[Fact]) -> list[Fact]:
    found = []
    for m in _MONEY.finditer(prepared.text):
        if overlaps(m.span(), taken):
            continue
        number, scale = (m[1], m[2]) if m[1] else (m[3], m[4])
        factor = SCALES.get((scale or "").lower()) or _SCALE_WORDS.get((scale or "").lower(), 1)
        found.append(fact(prepared, "money", (round(parse_number(number) * factor),), m.span()))
    return found


def _others(prepared: Prepared, taken: list[Fact]) -> list[Fact]:
    found = []
    for m in _PERCENT.finditer(prepared.text):
        if not overlaps(m.span(), taken):
            found.append(fact(prepared, "percentage", (parse_number(m[1]),), m.span()))
    nouns = list(NOUNS)
    for m in _COUNT.finditer(prepared.text):
        if not overlaps(m.span(), taken):
            noun = next(nouns[int(k[1:])] for k, v in m.groupdict().items() if v and k[0] == "n")
            found.append(fact(prepared, "count", (parse_number(m[1]),), m.span(), key=noun))
    return found


def quantities(prepared: Prepared, taken: list[Fact]) -> list[Fact]:
    """Every quantity with a unit, skipping numbers that belong to a law or article reference."""
    found = _money(prepared, taken)
    found += _times(prepared, taken + found)
    found += _others(prepared, taken + found)
    return found
