"""Numbers as legal answers write them: "lima", "dua puluh satu", "ninety", "Rp 9.000.000", "1,5".

Pure functions, no Django. `words_to_digits` rewrites number words as digits so that the fact
extractors only have to read digits; `parse_number` reads Indonesian and English separators.
"""

from __future__ import annotations

import re

UNITS: dict[str, int] = {
    "nol": 0,
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
    "sepuluh": 10,
    "sebelas": 11,
    "seratus": 100,
    "seribu": 1000,
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
# Words that multiply what precedes them within a number ("dua puluh", "tiga ratus").
MULTIPLIERS: dict[str, int] = {"puluh": 10, "ratus": 100, "hundred": 100}
# Words that close a group ("lima ribu", "sembilan juta", "two million").
SCALES: dict[str, int] = {
    "ribu": 1_000,
    "juta": 1_000_000,
    "miliar": 1_000_000_000,
    "milyar": 1_000_000_000,
    "triliun": 10**12,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 10**12,
}
_NUMBER_WORD = "|".join(
    sorted([*UNITS, *MULTIPLIERS, *SCALES, "belas", "setengah"], key=len, reverse=True)
)
# Matched against the lowercased text: much faster than IGNORECASE over many alternatives.
_RUN = re.compile(
    rf"(?<![\w-])(?:{_NUMBER_WORD})(?:(?:\s+|-)(?:and\s+)?(?:{_NUMBER_WORD}))*(?![\w])"
)
# "salah satu pihak" (one of the parties) is not a quantity.
_NOT_A_NUMBER = re.compile(r"salah\s+$|satu-\s*$", re.IGNORECASE)
# "5 (lima) tahun": the words in brackets repeat the digits.
_BRACKETED_WORDS = re.compile(
    rf"(\d)\s*\(\s*(?:{_NUMBER_WORD})(?:[\s-]+(?:{_NUMBER_WORD}))*\s*\)", re.I
)

# "empat (4) tahun" once the words are digits: "4 (4) tahun". The number said twice is one number
# (the digits in brackets only when they repeat it: "Pasal 27 (3)" is an article's paragraph).
_REPEATED_IN_BRACKETS = re.compile(r"\b(\d+)\s*\(\s*\1\s*\)")


def _value(words: list[str]) -> float | None:
    total, current, small, seen = 0.0, 0.0, 0.0, False
    for word in words:
        if word in UNITS or word == "setengah":
            current, small = current + small, UNITS.get(word, 0.5)
            seen = True
        elif word == "belas":
            current, small = current + small + 10, 0.0
        elif word in MULTIPLIERS:
            current, small = current + (small or 1) * MULTIPLIERS[word], 0.0
        elif not seen:
            return None  # a bare "juta" belongs to the digits before it
        else:
            total, current, small = total + ((current + small) or 1) * SCALES[word], 0.0, 0.0
    return total + current + small if seen else None


def _groups(run: str) -> list[list[str]]:
    """Split "twelve and eighteen" in two; keep "one hundred and twenty" whole."""
    groups: list[list[str]] = [[]]
    for word in re.split(r"[\s-]+", run.lower()):
        if word != "and":
            groups[-1].append(word)
        elif groups[-1] and groups[-1][-1] not in MULTIPLIERS and groups[-1][-1] not in SCALES:
            groups.append([])
    return groups


def _format(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def lowered(text: str) -> str:
    """The text in lower case, character for character (so that positions stay the same)."""
    lower = text.lower()
    if len(lower) == len(text):
        return lower
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


_DIGIT_WORDS = "nol|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan"
# "satu koma dua miliar": a decimal said in words, each digit after "koma" a word of its own.
# The whole part may be several words ("dua belas koma sembilan juta"), below a thousand.
_WHOLE = rf"(?:{_DIGIT_WORDS}|sepuluh|sebelas|seratus)(?:\s+(?:belas|puluh|ratus))?"
_DECIMAL_WORDS = re.compile(
    rf"\b((?:{_WHOLE}\s+)*?{_WHOLE})\s+koma((?:\s+(?:{_DIGIT_WORDS}))+)\b", re.IGNORECASE
)


def _decimal(match: re.Match[str]) -> str:
    digits = "".join(str(UNITS[w.lower()]) for w in match.group(2).split())
    whole = _value(re.split(r"\s+", match.group(1).lower()))
    return match.group(0) if whole is None else f"{_format(whole)},{digits}"


def words_to_digits(text: str) -> str:
    """Rewrite number words as digits: "lima tahun" -> "5 tahun", "dua puluh satu" -> "21"."""
    text = _BRACKETED_WORDS.sub(r"\1", text)
    if "koma" in text:
        text = _DECIMAL_WORDS.sub(_decimal, text)
    lower = lowered(text)
    pieces, last = [], 0
    for match in _RUN.finditer(lower):
        start, end = match.span()
        if _NOT_A_NUMBER.search(lower[max(0, start - 7) : start]):
            continue
        if lower.startswith(("puluh", "belas"), start):
            # The rest of an ordinal ("hari kedua puluh satu"): no number of its own.
            continue
        values = [_value(group) for group in _groups(match.group(0))]
        if any(v is None for v in values):
            continue
        pieces += [text[last:start], " and ".join(_format(v) for v in values if v is not None)]
        last = end
    return _REPEATED_IN_BRACKETS.sub(r"\1", "".join([*pieces, text[last:]]))


def parse_number(raw: str) -> float:
    """Read "9.000.000", "9,000,000", "1,5", "0.5", "1.500,00" (Indonesian or English style)."""
    dots, commas = raw.count("."), raw.count(",")
    if dots and commas:
        decimal = "." if raw.rfind(".") > raw.rfind(",") else ","
        thousands = "," if decimal == "." else "."
        return float(raw.replace(thousands, "").replace(decimal, "."))
    sep = "." if dots else "," if commas else ""
    if not sep:
        return float(raw)
    groups = raw.split(sep)
    if len(groups) > 2 or len(groups[1]) == 3:
        return float(raw.replace(sep, ""))
    return float(raw.replace(sep, "."))
