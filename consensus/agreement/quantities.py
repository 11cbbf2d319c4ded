"""Quantities with their units: durations, ages, money, percentages and counted things."""

from __future__ import annotations

import re

from .facts import Fact, FactKind, Prepared, fact, overlaps
from .leads import EMOJI
from .numerals import SCALES, parse_number, words_to_digits

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
    # Minutes in hours, so "30 menit" meets "tiga jam" ("paling lambat ... sebelum keberangkatan").
    "menit": ("hours", 1 / 60),
    "minute": ("hours", 1 / 60),
    "minutes": ("hours", 1 / 60),
}
_UNIT = r"(?:tahun|bulan|minggu|pekan|hari|jam|menit|years?|months?|weeks?|days?|hours?|minutes?)"
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
_SINGLE = re.compile(rf"\b({NUM})\+?[\s-]*{_QUALIFIER}({_UNIT})\b", re.I)
# "3 x 24 jam", "tiga kali dua puluh empat jam": a multiple of a unit, as Indonesian law writes
# short deadlines.
_MULTIPLE = re.compile(
    rf"\b({NUM})\s*(?:[x\u00d7]|kali)\s*({NUM})[\s-]*{_QUALIFIER}({_UNIT})\b", re.I
)
# "14 hari kerja": shown whole. The same number of days with and without "kerja" agrees (the
# labelled pairs read an answer that leaves out "kerja" as less precise, not as contradicting).
_WORKING = re.compile(r"\s+kerja\b", re.I)
# "Nomor 5 Tahun 2021": the number of a regulation, not a period of five years.
_REGULATION_YEAR = re.compile(r"\s+(?:18|19|20)\d\d\b")
# The first end of a range of years, just before a number ("berusia 20 tahun sampai dengan 45
# tahun"): the second end is what the first is.
_RANGE_OPENED = re.compile(rf"\b{NUM}[\s-]*(?:tahun|years?){_RANGE}$", re.I)
# A list item ("- SIM B1: 21 tahun") reads its lead-in line ("Batas usia pembuatan SIM:").
_ITEM = re.compile(r"\s*(?:[-*\u2022]|\d{1,2}[.)])\s")
_ANY_TIME = re.compile(rf"\d\s*{_UNIT}\b", re.I)
MONTHS = {
    "januari": 1, "january": 1, "februari": 2, "february": 2, "maret": 3, "march": 3,
    "april": 4, "mei": 5, "may": 5, "juni": 6, "june": 6, "juli": 7, "july": 7,
    "agustus": 8, "august": 8, "september": 9, "oktober": 10, "october": 10,
    "november": 11, "desember": 12, "december": 12,
}  # fmt: skip
_MONTH = "|".join(MONTHS)
# A calendar date, a deadline's other form ("paling lambat 31 Maret", "by March 31"), with its
# year when one is given.
_DATE = re.compile(
    rf"\b(?:(\d{{1,2}})\s+({_MONTH})|({_MONTH})\s+(\d{{1,2}})(?!\d))\b(?:,?\s+((?:19|20)\d\d)\b)?",
    re.I,
)
_AGE_CUE = re.compile(
    r"\b(?:usia|umur|berusia|berumur|umurnya|usianya|aged?|dewasa|dewasanya"
    # "mumayyiz, yaitu 12 tahun": the age of discernment (KHI), as "baligh" is of maturity.
    r"|mumayyiz|mumayiz|baligh|balig"
    # "batas minimal nikah ... yaitu 18 tahun": the least age to marry.
    r"|batas\s+(?:minimal|minimum|terendah)\s+(?:nikah|menikah|kawin|perkawinan))\b",
    re.I,
)
_AGE_AFTER = re.compile(r"\s*(?:old|of age)\b", re.I)
# A child bounded by a number of years is an age ("tiket bayi untuk anak di bawah 2 tahun"),
# and so is the number of years right after a child ("anak sy udh 22 thn", "ponakan sy 14 thn").
_CHILD_UNDER = re.compile(
    # "anaknya masih di bawah 17 tahun".
    r"\b(?:anak|adik|bayi|balita|child|children|infants?)(?:nya|mu|ku)?\W+"
    # "yang namanya anak itu yang **belum 21 tahun**", "anak adalah yang belum 18 tahun".
    r"(?:(?:yang|yg|masih|msh|itu|adalah|ialah|yaitu)\W+)*"
    r"(?:di\s*bawah|di\s*atas"
    r"|kurang\s+dari|lebih\s+dari|belum|under|over|below)\W*$"
    r"|\b(?:anak|adik|ponakan|keponakan|cucu|putri|putra)(?:\s+(?:sy|saya|aku|ku|kami|kamu|anda"
    # "anak perempuan sy 17 th", "anak sulung saya".
    r"|perempuan|laki-laki|cewek|cewe|cowok|sulung|bungsu|pertama|kedua|ketiga|tiri|angkat"
    r"|kandung|udh|udah|sudah|baru|masih|msh))*\s+$",
    re.I,
)
_AGE_BARE = re.compile(
    rf"\b(?:aged|berusia|berumur|usia|umur|usianya|umurnya)\s+"
    rf"(?:at least\s+|minimal\s+|genap\s+|paling rendah\s+)?"
    rf"({NUM})(?:{_RANGE}({NUM}))?",
    re.I,
)
# "the minimum age of criminal responsibility is 12", "batas usia menikah adalah 19".
_AGE_IS = re.compile(
    rf"\b(?:usia|umur|age)\b[^.;:\d\n]{{0,60}}?\b(?:adalah|ialah|yaitu|yakni|is|of)\s+({NUM})\b"
    r"(?!\s*(?:%|persen|/|tahun\s+\d))",
    re.I,
)
_SCALE = "|".join(SCALES)
# "Rp200m", "Rp1bn", "Rp 1 M" (miliar), "Rp50rb", "Rp5jt": abbreviated scales.
_ABBREVIATED = r"rb|jt|bn|mn|mln|mio|m|M"
_MONEY = re.compile(
    rf"(?:\b(?:Rp|IDR)\.?\s*({NUM})(?:\s*({_SCALE}|{_ABBREVIATED})\b)?"
    rf"|\b({NUM})\s*({_SCALE})?\s*rupiah\b)",
    re.I,
)
# An amount with its scale but no "Rp": "klaim 22 juta", "utang 150 jt" (not "2 juta orang").
_BARE_MONEY = re.compile(
    rf"\b({NUM})\s*(juta|miliar|milyar|triliun|jt|rb)\b(?!\s*(?:orang|jiwa|penduduk|unit|kali|"
    r"pengguna|anggota|pelanggan|peserta|ton|liter|hektar|ha|meter|km|kg|tahun|bulan|hari|kwh|"
    r"views?|followers?|pengikut|penonton|eksemplar|butir|ekor|batang|lembar)\b)",
    re.I,
)
# "taruhan 50-100rb", "gaji 4-5 jt": a chat range with its scale once and no "Rp".
_BARE_MONEY_RANGE = re.compile(rf"\b({NUM})\s*(?:-|\u2013|sampai)\s*({NUM})\s*(rb|jt)\b", re.I)
# A fine in miliar without "Rp": "denda maks 2 M", "denda minimal 4 M" (M in capitals only).
_FINE_IN_M = re.compile(
    rf"\b(?i:denda)\s+(?:(?i:maks|max|maksimal|paling\s+banyak|minimal|sampai|hingga)\.?\s+)?"
    rf"((?i:({NUM}))\s*M)\b"
    # "... sampai maksimal 8 M": the range's other end.
    rf"(?:\s+(?i:sampai|hingga|s\.d\.|-)\s+(?i:maks|max|maksimal)?\.?\s*((?i:({NUM}))\s*M)\b)?"
)
# A foreign currency: "USD 500", "USD250", "US$ 1,000", "500 dolar", "EUR 200", "SGD 50".
_FOREIGN = re.compile(
    rf"(?:\b(USD|US\$|EUR|SGD|MYR|SAR|JPY|AUD)\s*({NUM})(?:\s*({_SCALE})\b)?"
    rf"|\b({NUM})\s*({_SCALE})?\s*(dolar|dollars?|euro)\b)",
    re.I,
)
_CURRENCY = {"us$": "USD", "dolar": "USD", "dollar": "USD", "dollars": "USD", "euro": "EUR"}
# A range whose scale is written once: "Rp100-500 juta", "Rp3 sampai 10 miliar", and after number
# words became digits "3 sampai 10000000000 rupiah": the scale applies to both ends.
_MONEY_TO = r"(?:-|\u2013|sampai(?:\s+dengan)?|hingga|s\.d\.|to)"
_MONEY_RANGE = re.compile(
    rf"\b(?:(?:Rp|IDR)\.?\s*)?({NUM})\s*{_MONEY_TO}\s*"
    rf"(?:(?:Rp|IDR)\.?\s*)?({NUM})\s*(?:({_SCALE})\s*(?:rupiah\b)?|rupiah\b)",
    re.I,
)
# "Rp3-10 M", "Rp5-10jt": an abbreviated scale written once, after "Rp" (not "3-10 m").
_MONEY_RANGE_ABBREVIATED = re.compile(
    rf"\b(?:Rp|IDR)\.?\s*({NUM})\s*{_MONEY_TO}\s*"
    rf"(?:(?:Rp|IDR)\.?\s*)?({NUM})\s*({_ABBREVIATED})\b",
)
# "1 bulan upah", "2 months' wages", "48 x upah": an amount in wages, as labour law states
# compensation and severance, not a period of time; "1,5 kali upah sejam" (overtime) a multiple of
# the hourly wage.
_WAGES = re.compile(
    rf"\b({NUM})\s*(?:bulan|months?'?|x|kali|times)\s+(?:upah|gaji|wages?|salary|salaries|pay)\b"
    r"(?P<hourly>\s*(?:sejam|per\s+jam|/\s*jam|an\s+hour|per\s+hour))?",
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
    rf"\b({NUM})\s+(?:(?:atau lebih|or more)\s+)?(?:orang\s+(?=saksi|hakim))?(?:{_NOUN})\b"
    # "tinggal 2 syarat lainnya": the ones left, not how many there are.
    r"(?!\s+(?:lainnya|lain|lagi|sisanya|tersisa|remaining|left|more)\b)",
    re.I,
)
_SCALE_WORDS = {"rb": 1_000, "jt": 1_000_000, "bn": 10**9, "mn": 10**6, "mln": 10**6}
_SCALE_WORDS |= {"mio": 10**6}
# Shares of an estate or a debt: "1/2", "sepertiga", "2 pertiga" ("dua pertiga" after number
# words became digits), "setengah" (read as 0.5), "two thirds", and ratios "2:1", "2 berbanding 1".
DENOMINATORS = {"dua": 2, "tiga": 3, "empat": 4, "enam": 6, "delapan": 8}
ENGLISH_PARTS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4}
ENGLISH_PARTS |= {"fourth": 4, "fourths": 4, "sixth": 6, "sixths": 6, "eighth": 8, "eighths": 8}
_SHARE_SLASH = re.compile(r"(?<![\d/.])(\d{1,2})\s*/\s*(\d{1,2})(?![\d/])")
# The hourly wage as a fraction of the monthly one: "1/173 kali upah sebulan", "1/160 dari gaji".
_SHARE_OF_WAGES = re.compile(
    r"(?<![\d/.])(1\s*/\s*(\d{2,3}))(?![\d/])\s*(?:(?:dari\s+|[\u00d7x*]\s*|kali\s+)?(?:upah|gaji)\b"
    r"|\s*(?:[\u00d7x*]|kali)\s*rp\s*\d)",
    re.I,
)
_SHARE_SE = re.compile(
    r"\b(?:se|satu\s+)per(dua|tiga|empat|enam|delapan)\b|\b(separuh|seperdua)\b", re.I
)
_SHARE_PER = re.compile(r"\b(\d{1,2})\s+per\s*(dua|tiga|empat|enam|delapan|\d{1,2})\b", re.I)
# "setengah bagian", and "kamu dapet setengah." with nothing after it in its clause (not
# "setengah jam").
_SHARE_HALF = re.compile(
    r"\b0[.,]5(?:\s+(?=(?:bagian|harta|dari|warisan)\b)|(?=\s*(?:[.,;!?)\n]|$|"
    rf"[{EMOJI}])))",
    re.I,
)
_SHARE_EN = re.compile(
    r"\b(a|an|one|\d{1,2})[\s-]+(half|halves|thirds?|quarters?|fourths?|sixths?|eighths?)\b"
    r"|\b(half)\s+(?=(?:of|the|share|a\s+share)\b)",
    re.I,
)
_RATIO = re.compile(
    r"(?<!ke-)\b(\d{1,2})\s*(?::|berbanding|banding|to)\s*(\d{1,2})\b(?!\s*[:.]\d)", re.I
)


# "H-7", "H-3", "H minus 7": days before a holiday or an event (H is its day).
_DAYS_BEFORE = re.compile(
    # (Not a number plate's letters: "B 1234 H-3".)
    r"(?<![\w-])(?<!\d\s)H\s?(?:-|\u2013|minus\s)\s?(\d{1,2})(?![\d.,]|\s*(?:jam|hours?)\b)"
)


# A number alone after a person in a question: "anak cewek sy umur 17, pacarnya 20 mau ...".
_BARE_YEARS = re.compile(
    # "aku kan udh 17": the asker's years, a particle and "already" between.
    r"\b(?:[a-z]+nya|sy|saya|aku|dia|anak\s+\w+)\s+(?:(?:kan|kn|udh|udah|sudah|baru|masih|msh)\s+)*"
    r"(?:umur\s+|usia\s+)?(\d{1,2})\b(?!\s*[%.,/:]?\d)"
    r"(?!\s*(?:th|thn|tahun|bln|bulan|hari|jt|juta|rb|ribu|x|kali|%|persen|orang|jam|km|m)\b)"
)


def bare_years(question: str) -> list[float]:
    """The years of the people a question names with a bare number ("pacarnya 20"): their ages,
    though no unit says so."""
    return [float(n) for n in _BARE_YEARS.findall(question)]


def _is_age(text: str, start: int, end: int) -> bool:
    if opened := _RANGE_OPENED.search(text, max(0, start - 40), start):
        return _is_age(text, opened.start(), opened.start())
    # The last stated number of years or days ends what is read, but not a law's number
    # ("Permenaker No. 6 Tahun 2020").
    before = re.split(
        r"\d[.,\d]*\s*" + _UNIT + r"(?!\s+\d{4})", text[max(0, start - 160) : start], flags=re.I
    )[-1]
    sentence = re.split(r"(?<!\b[Nn]o)[.;!?]\s", before)[-1]  # "No. 6" ends no sentence
    return bool(
        _AGE_CUE.search(sentence)
        or _CHILD_UNDER.search(sentence)
        or _AGE_AFTER.match(text, end)
        or _listed_under_age(text, start)
    )


def _listed_under_age(text: str, start: int) -> bool:
    """Is the value the first of a list item whose lead-in line speaks of an age ("Batas usia
    ...:" over "- SIM B1: 21 tahun", not over the "1 tahun" that follows in the item)?"""
    line_start = text.rfind("\n", 0, start) + 1
    if not _ITEM.match(text, line_start) or _ANY_TIME.search(text, line_start, start):
        return False
    while line_start > 0:
        line_start = text.rfind("\n", 0, line_start - 1) + 1
        line = text[line_start : text.find("\n", line_start)]
        if line.strip() and not _ITEM.match(line):
            return line.rstrip().endswith(":") and bool(_AGE_CUE.search(line))
    return False


def _duration(number: float, unit: str) -> tuple[object, ...]:
    measure, size = UNITS[unit.lower()]
    amount = round(number * size, 3)
    if measure == "hours" and amount >= 24 and amount % 24 == 0:
        # "3 x 24 jam", "72 jam": whole days, the measure a deadline in days is stated in.
        return ("days", round(amount / 24, 3))
    return (measure, amount)


def _end(text: str, match: re.Match[str]) -> int:
    """Where a duration's words end: after "kerja" in "14 hari kerja"."""
    working = _WORKING.match(text, match.end())
    return match.end() if working is None else working.end()


def _dates(prepared: Prepared, taken: list[Fact]) -> list[Fact]:
    """Calendar dates, as durations measured in dates: a deadline either way."""
    found = []
    for m in _DATE.finditer(prepared.text):
        day, month = (m[1], m[2]) if m[1] else (m[4], m[3])
        if 1 <= int(day) <= 31 and not overlaps(m.span(), taken):
            value = ("date", MONTHS[month.lower()] * 100 + int(day), int(m[5] or 0))
            found.append(fact(prepared, "duration", value, m.span()))
    return found


def _times(prepared: Prepared, taken: list[Fact]) -> list[Fact]:
    found: list[Fact] = []
    text = prepared.text
    for m in _MULTIPLE.finditer(text):
        if not overlaps(m.span(), taken):
            times = parse_number(m[1]) * parse_number(m[2])
            span = (m.start(), _end(text, m))
            found.append(fact(prepared, "duration", _duration(times, m[3]), span))
    for m in _COMPOUND.finditer(text):
        if overlaps(m.span(), taken):
            continue
        if _is_age(text, m.start(), m.end()):
            # "anak sy umur 4 thn 2 bln": an age in whole years.
            found.append(fact(prepared, "age", (parse_number(m[1]),), m.span()))
            continue
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
            found.append(fact(prepared, kind, value, (m.start(), _end(text, m))))
    for m in _SINGLE.finditer(text):
        if overlaps(m.span(), taken + found):
            continue
        number = parse_number(m[1])
        years = m[2].lower() in ("tahun", "year", "years")
        if years and _REGULATION_YEAR.match(text, m.end()):
            continue
        if years and _is_age(text, m.start(), m.end()):
            found.append(fact(prepared, "age", (number,), m.span()))
        else:
            span = (m.start(), _end(text, m))
            found.append(fact(prepared, "duration", _duration(number, m[2]), span))
    for m in _DAYS_BEFORE.finditer(text):
        # "paling lambat H-3 sebelum Lebaran": three days before the holiday, as "3 hari
        # sebelum hari raya" is.
        if not overlaps(m.span(), taken + found):
            found.append(fact(prepared, "duration", _duration(float(m[1]), "hari"), m.span()))
    for m in _AGE_IS.finditer(text):
        if not overlaps(m.span(1), taken + found):
            found.append(fact(prepared, "age", (parse_number(m[1]),), m.span(1)))
    for m in _AGE_BARE.finditer(text):
        if not overlaps(m.span(), taken + found):
            found.extend(
                fact(prepared, "age", (parse_number(n),), m.span()) for n in (m[1], m[2]) if n
            )
    return found


def _scale(word: str | None) -> int:
    if not word:
        return 1
    if word == "M":  # "Rp 1 M": miliar, as Indonesian writes it; "Rp200m": million.
        return 10**9
    lowered = word.lower()
    return SCALES.get(lowered) or _SCALE_WORDS.get(lowered) or (10**6 if lowered == "m" else 1)


def _round_scale(amount: float) -> int:
    """The scale a written-out amount carries: 10000000000 -> 10**9 (ten miliar)."""
    for size in (10**12, 10**9, 10**6, 10**3):
        if amount >= size and amount % size == 0:
            return size
    return 1


def _money(prepared: Prepared, taken: list[Fact]) -> list[Fact]:
    found: list[Fact] = []
    ranges = [*_MONEY_RANGE.finditer(prepared.text)]
    ranges += _MONEY_RANGE_ABBREVIATED.finditer(prepared.text)
    ranges += _BARE_MONEY_RANGE.finditer(prepared.text)
    for m in ranges:
        if overlaps(m.span(), taken + found):
            continue
        low, high = parse_number(m[1]), parse_number(m[2])
        scale = _scale(m[3]) if m[3] else _round_scale(high)
        if m[3]:
            high *= scale
        if low >= 1000:  # a full amount: "100000000 sampai 500000000 rupiah"
            pass
        elif scale > 1 and low * scale < high:  # "Rp100-500 juta": the scale is shared
            low *= scale
        else:
            continue
        found.append(fact(prepared, "money", (round(low),), (m.start(), m.end(1))))
        found.append(fact(prepared, "money", (round(high),), (m.start(2), m.end())))
    for m in _MONEY.finditer(prepared.text):
        if overlaps(m.span(), taken + found):
            continue
        number, written = (m[1], m[2]) if m[1] else (m[3], m[4])
        scale = _scale(written)
        if scale > 1 and re.fullmatch(r"\d{1,3},\d{3}", number):
            # "Rp1,075 jt": before a scale word the comma is the decimal one (Rp1.075.000).
            value = float(number.replace(",", "."))
        else:
            value = parse_number(number)
        amount = round(value * scale)
        found.append(fact(prepared, "money", (amount,), m.span()))
    for m in _FOREIGN.finditer(prepared.text):
        if overlaps(m.span(), taken + found):
            continue
        currency, number, written = (m[1], m[2], m[3]) if m[1] else (m[6], m[4], m[5])
        code = _CURRENCY.get(currency.lower(), currency.upper())
        amount = round(parse_number(number) * _scale(written))
        found.append(fact(prepared, "money", (amount, code), m.span()))
    for m in _FINE_IN_M.finditer(prepared.text):
        # "denda maks 2 M": a fine in miliar, written as chat answers write it.
        if not overlaps(m.span(1), taken + found):
            amount = round(parse_number(m[2]) * 10**9)
            found.append(fact(prepared, "money", (amount,), m.span(1)))
            if m[3]:
                amount = round(parse_number(m[4]) * 10**9)
                found.append(fact(prepared, "money", (amount,), m.span(3)))
    # Last, so that a foreign amount ("5 juta dolar", "USD 5 juta") keeps its currency.
    for m in _BARE_MONEY.finditer(prepared.text):
        if not overlaps(m.span(), taken + found):
            amount = round(parse_number(m[1]) * _scale(m[2]))
            found.append(fact(prepared, "money", (amount,), m.span()))
    return found


def _wages(prepared: Prepared, taken: list[Fact]) -> list[Fact]:
    """Amounts stated in months of wages (or in hourly wages): money, so "1 bulan upah" meets "2
    bulan upah"."""
    found = []
    for m in _WAGES.finditer(prepared.text):
        if not overlaps(m.span(), taken):
            unit = "hourly wages" if m["hourly"] else "wages"
            found.append(fact(prepared, "money", (unit, parse_number(m[1])), m.span()))
    return found


# Distances, areas and volumes: "jarak minimal 2 meter", "1,5 km", "luas 200 m2", "100 m³ per
# bulan" (in metres, square and cubic metres; "2 meter" meets "dua meter" and "200 cm").
_DISTANCE = re.compile(
    rf"\b({NUM})\s*(?:(?P<volume>m3|m³|meter\s+kubik|cubic\s+met(?:er|re)s?)"
    r"|(?P<area>m2|m²|meter\s+persegi|square\s+met(?:er|re)s?)"
    r"|(?P<km>km|kilometer|kilometre)|(?P<cm>cm|centimeter|sentimeter)|(?P<m>meter|metre|m))\b",
    re.I,
)
_PER_METRE = {"km": 1000.0, "cm": 0.01, "m": 1.0}


def _distances(prepared: Prepared, taken: list[Fact]) -> list[Fact]:
    found = []
    for m in _DISTANCE.finditer(prepared.text):
        if overlaps(m.span(), taken):
            continue
        number = parse_number(m[1])
        if m["area"] or m["volume"]:
            key = "m2" if m["area"] else "m3"
            found.append(fact(prepared, "count", (number,), m.span(), key=key))
            continue
        unit = next(u for u in _PER_METRE if m[u])
        found.append(fact(prepared, "count", (number * _PER_METRE[unit],), m.span(), key="meter"))
    return found


# The day a rule starts counting from: "mulai hari ke-4", "hari keempat", "hari ketiga".
_NTH_WORD = r"satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas"
_NTH_DAY = re.compile(
    rf"\bhari\s+ke(?:-\s*(\d{{1,3}})\b|((?:{_NTH_WORD})(?:\s+(?:belas|puluh)"
    rf"(?:\s+(?:{_NTH_WORD}))?)?)\b)",
    re.I,
)


def _nth_days(prepared: Prepared, taken: list[Fact]) -> list[Fact]:
    found = []
    for m in _NTH_DAY.finditer(prepared.text):
        if not overlaps(m.span(), taken):
            nth = int(m[1]) if m[1] else int(float(words_to_digits(m[2].lower())))
            found.append(fact(prepared, "duration", ("nth day", nth), m.span()))
    return found


# The tax a rate is of, named before it in its clause: "PPh final 2,5%", "BPHTB sebesar 5%",
# "tarif pajak penghasilan ... 0,5%". Two rates of two taxes are two facts ("PPh 2,5%" beside
# "BPHTB 5%"), not one rate stated two ways.
_TAX = re.compile(
    r"\b(?:(?P<pph>PPh|pajak\s+penghasilan)|(?P<bphtb>BPHTB|bea\s+perolehan\s+hak)"
    r"|(?P<ppn>PPN|pajak\s+pertambahan\s+nilai)|(?P<pbb>PBB(?:-P2)?|pajak\s+bumi)"
    r"|(?P<pb1>PB1|pajak\s+(?:restoran|hotel|hiburan|parkir|barang\s+dan\s+jasa\s+tertentu)))\b",
    re.IGNORECASE,
)
# ("tanah dan/atau bangunan" joins two objects, not two clauses.)
_CLAUSE_BREAK = re.compile(
    r"[.;:!?\n]|\b(?:dan(?!/)|sedangkan|serta|whereas|while)\b", re.IGNORECASE
)
# At most this many characters between a tax's name and its rate.
TAX_TO_RATE = 120


def _tax_of(text: str, start: int) -> str:
    """The tax named before a rate, in its clause, if any."""
    before = text[max(0, start - TAX_TO_RATE) : start]
    named = list(_TAX.finditer(before))
    if not named or _CLAUSE_BREAK.search(before, named[-1].end()):
        return ""
    return named[-1].lastgroup or ""


def _others(prepared: Prepared, taken: list[Fact]) -> list[Fact]:
    found = _distances(prepared, taken) + _nth_days(prepared, taken)
    for m in _PERCENT.finditer(prepared.text):
        if not overlaps(m.span(), taken):
            tax = _tax_of(prepared.text, m.start())
            found.append(fact(prepared, "percentage", (parse_number(m[1]),), m.span(), key=tax))
    nouns = list(NOUNS)
    for m in _COUNT.finditer(prepared.text):
        if not overlaps(m.span(), taken):
            noun = next(nouns[int(k[1:])] for k, v in m.groupdict().items() if v and k[0] == "n")
            found.append(fact(prepared, "count", (parse_number(m[1]),), m.span(), key=noun))
    return found


def _share(numerator: float, denominator: float) -> tuple[object, ...]:
    return (round(numerator / denominator, 4),)


def _shares(prepared: Prepared, taken: list[Fact]) -> list[Fact]:
    found: list[Fact] = []
    text = prepared.text

    def add(span: tuple[int, int], value: tuple[object, ...]) -> None:
        if not overlaps(span, taken + found):
            found.append(fact(prepared, "share", value, span))

    for m in _SHARE_SLASH.finditer(text):
        numerator, denominator = int(m[1]), int(m[2])
        if 0 < numerator < denominator <= 12:
            add(m.span(), _share(numerator, denominator))
    for m in _SHARE_OF_WAGES.finditer(text):
        add(m.span(1), _share(1, int(m[2])))
    for m in _SHARE_SE.finditer(text):
        add(m.span(), _share(1, DENOMINATORS[m[1].lower()] if m[1] else 2))
    for m in _SHARE_PER.finditer(text):
        part = m[2].lower()
        denominator = int(part) if part.isdigit() else DENOMINATORS[part]
        if 0 < int(m[1]) < denominator:
            add(m.span(), _share(int(m[1]), denominator))
    for m in _SHARE_HALF.finditer(text):
        add(m.span(), _share(1, 2))
    for m in _SHARE_EN.finditer(text):
        if m[3]:
            add(m.span(3), _share(1, 2))
            continue
        count = 1 if m[1].lower() in ("a", "an", "one") else int(m[1])
        denominator = ENGLISH_PARTS[m[2].lower()]
        if 0 < count < denominator:
            add(m.span(), _share(count, denominator))
    for m in _RATIO.finditer(text):
        first, second = int(m[1]), int(m[2])
        if 0 < second < first <= 4:
            add(m.span(), ("ratio", round(first / second, 4)))
    return found


def quantities(prepared: Prepared, taken: list[Fact]) -> list[Fact]:
    """Every quantity with a unit, skipping numbers that belong to a law or article reference."""
    found = _shares(prepared, taken)
    found += _dates(prepared, taken + found)
    found += _money(prepared, taken + found)
    found += _wages(prepared, taken + found)
    found += _times(prepared, taken + found)
    found += _others(prepared, taken + found)
    return found
