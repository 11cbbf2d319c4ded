"""Which facts two answers state differently, and which they share.

Pure functions, no Django. The facts of the two answers are paired greedily, kind by kind: first
equal facts, then the rest by how alike the words around them are (their contexts). A pair with
different values whose contexts are alike is a conflict. What is left unpaired is a fact only one
answer states, which is not a conflict, unless each answer is left with exactly one value of that
kind that the other never states ("7 tahun" against "9 tahun" after everything else matched).
The same article cited from two different laws ("Pasal 183 KUHAP" / "Pasal 183 KUHP") is a
conflict on the law.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from itertools import pairwise

from .facts import STOPWORDS, Fact
from .law_titles import TITLE, one_statute
from .legal_refs import IN_TITLE
from .modality import clash

# Overlap coefficient of two facts' context words at which they are about the same thing, and
# the one at which that holds even when both values also appear elsewhere in both answers.
SAME_CONTEXT = 0.5
SURELY_SAME_CONTEXT = 0.8
# Two values that each answer states alone (neither is in the other answer anywhere) need less
# shared context to be read as one fact stated two ways: independently written answers share few
# words around a fact, and a value the other answer never states is already suspect.
EXCLUSIVE_CONTEXT = 0.3
# A value the validator repeats more often than the fast answer states it, left over once paired,
# meets a leftover fast value only with this much shared context.
REPEAT_CONTEXT = 0.4
# Shared context for one leftover age against one leftover duration: one value of a kind
# against one needs none (the kind says what both are about), but an age and a duration are
# two kinds, so some words around them must say it ("berumur 12 tahun tapi belum 18 tahun" /
# "batas bawahnya adalah 8 tahun ... belum genap 18 tahun"; not "masa kerja 5 tahun" / "berusia
# 21 tahun").
LEFTOVER_CONTEXT = 0.25
# At most this many characters between two articles cited together ("Pasal 5 dan Pasal 7",
# "Pasal 27 ayat (3) jo. Pasal 45").
CITED_TOGETHER = 8


@dataclass(frozen=True, slots=True)
class Comparison:
    """The conflicting fact pairs (fast first) and the facts both answers state."""

    conflicts: tuple[tuple[Fact, Fact], ...]
    shared: frozenset[tuple[str, str, object]]


def same_subject(first: Fact, second: Fact) -> bool:
    """Same kind, and about the same thing (the counted noun, the action a modal governs); a
    value stated as a comparison or as the old rule is about something else than one that is not."""
    if first.kind != second.kind or first.aside != second.aside:
        return False
    if first.kind == "modality":
        if first.holder and second.holder and not first.holder & second.holder:
            # Said of different parties ("WNA tidak boleh punya Hak Milik" / "warga negara
            # Indonesia dapat mempunyai hak milik"): both can hold.
            return False
        polarities = {str(first.value[0]), str(second.value[0])}
        if first.key == second.key or first.actions & second.actions:
            rest_1, rest_2 = first.about - {first.key}, second.about - {second.key}
            # "wajib memproses permintaan itu" / "tidak boleh diproses untuk tujuan lain": the
            # same verb, a duty and a ban on different things.
            duty_and_ban = polarities == {"obliged", "forbidden"}
            return not (duty_and_ban and rest_1 and rest_2 and not rest_1 & rest_2)
        if polarities == {"obliged", "not_obliged"} and (
            first.key in second.about | {second.done_to}
            or second.key in first.about | {first.done_to}
        ):
            # "wajib dibuat secara tertulis" / "tidak wajib tertulis": one answer's action is
            # among what the other's duty governs.
            return True
        if polarities == {"obliged", "forbidden"}:
            # "wajib ngasih surat keterangan kerja" / "tidak boleh menahan surat keterangan
            # kerja": a duty to do one thing and a ban on another, on the same object, both hold.
            return False
        return len((first.about & second.about) - STOPWORDS) >= 2
    if first.kind == "money" and _currency(first) != _currency(second):
        # Months of wages, rupiah and dollars are amounts of different things.
        return False
    if first.kind == "percentage" and not (first.key and second.key):
        # A rate without its tax named may be either tax's ("kena 5%" / "BPHTB 5%").
        return True
    return first.key == second.key


def _currency(money: Fact) -> object:
    """ "wages" ("3 bulan upah"), a foreign currency's code ("USD"), or "" for rupiah."""
    if isinstance(money.value[0], str):
        return money.value[0]
    return money.value[1] if len(money.value) > 1 else ""


def agrees(first: Fact, second: Fact) -> bool:
    """Same subject, compatible value ("Pasal 27" agrees with "Pasal 27 ayat (3)")."""
    if not same_subject(first, second):
        return False
    if first.kind == "article":
        (num1, ayat1, huruf1), (num2, ayat2, huruf2) = first.value, second.value
        return (
            num1 == num2
            and (not ayat1 or not ayat2 or ayat1 == ayat2)
            and (not huruf1 or not huruf2 or huruf1 == huruf2)
        )
    if first.kind == "duration" and first.value[0] == second.value[0] == "date":
        # A date with its year agrees with the same day and month stated without one.
        (_, day1, year1), (_, day2, year2) = first.value, second.value
        return day1 == day2 and (not year1 or not year2 or year1 == year2)
    if first.kind == "money" and first.value != second.value:
        return rounded(first.value, second.value) or rounded(second.value, first.value)
    return first.value == second.value


# A round amount this close to a precise one, relative to the larger, is the precise one
# rounded ("sekitar Rp143 ribu" / "Rp143.064"), not a rival ("Rp500.000" / "Rp450.000").
ROUNDING = 0.01


def rounded(round_: tuple[object, ...], precise: tuple[object, ...]) -> bool:
    """Is one amount of money the other rounded to its own last non-zero digit?"""
    if len(round_) != 1 or len(precise) != 1:
        return False
    a, b = round_[0], precise[0]
    if not isinstance(a, int) or not isinstance(b, int) or a <= 0 or b <= 0:
        return False
    place = 1
    while a % (place * 10) == 0:
        place *= 10
    return b % place != 0 and abs(a - b) * 2 < place and abs(a - b) < ROUNDING * max(a, b)


def clashes(first: Fact, second: Fact) -> bool:
    """Same subject, values that cannot both be right."""
    if not same_subject(first, second):
        return False
    if first.kind == "modality":
        polarities = {str(first.value[0]), str(second.value[0])}
        if polarities == {"obliged", "permitted"} and first.holder & second.holder:
            # "wajib" against "dapat" said of one named party and one action: a duty against a
            # discretion ("pecandu wajib menjalani rehabilitasi" / "pecandu dapat menjalani
            # rehabilitasi"). Without a party both may hold ("dapat/wajib diperpanjang").
            return first.key == second.key
        if polarities == {"obliged", "permitted"} and first.key == second.key:
            # No party, but the same action on the same thing ("wajib diaudit akuntan publik"
            # / "dapat diaudit oleh akuntan publik"): a duty against a discretion.
            return len((first.about & second.about) - STOPWORDS) >= 3
        return clash(str(first.value[0]), str(second.value[0]))
    if first.key == TITLE:
        # Two laws named by title are two laws cited, not one law named two ways.
        return False
    if second.key == TITLE and one_statute(first.value, second.value):
        # "UU No. 35 Tahun 2014" / "UU Perlindungan Anak": the law as it stands, named by its
        # title, and its amendment, one statute. (Two numbers, "UU 1/1974" / "UU 16/2019",
        # may be the old rule against the new one.)
        return False
    if _inside(first, second) or _inside(second, first):
        return False
    if first.kind == "article" and first.law and second.law and first.law != second.law:
        # Articles of two laws ("Pasal 372 KUHP" / "Pasal 486 UU 1/2023", the old and the new
        # code) are two rules, not one numbered two ways; laws that differ conflict as laws.
        return False
    return not agrees(first, second)


def _inside(bound: Fact, other: Fact) -> bool:
    """Is the count `other` inside the strict lower bound `bound` ("lebih dari 1 orang" / "dua
    orang atau lebih", the same bound; / "tiga orang", one case of it)? Only counts: a duration
    past a bound may be another bound of the same rule ("macet: nunggak lebih dari 90 hari" /
    "180 hari")."""
    if not bound.above or other.above or bound.key != other.key:
        return False
    low, value = bound.value[-1], other.value[-1]
    if not isinstance(low, float) or not isinstance(value, float):
        return False
    return value == low + 1 if other.at_least else value > low


def same_measure(first: Fact, second: Fact) -> bool:
    """Durations in the same measure (months with years, days with weeks), or any other kind."""
    return first.kind != "duration" or first.value[0] == second.value[0]


def context_similarity(first: Fact, second: Fact) -> float:
    """Overlap coefficient of the words around two facts, 0 when either has none."""
    if not first.context or not second.context:
        return 0.0
    return len(first.context & second.context) / min(len(first.context), len(second.context))


def subject(fact: Fact) -> tuple[str, str, object]:
    """What a fact says, for counting: an article by its number, anything else by its value
    (a law named by its title as the law of that number)."""
    key = "" if fact.key == TITLE else fact.key
    if (whole := years(fact)) is not None and whole == int(whole):
        # "batas minimal nikah 19 tahun" read as a duration, "umur 19 tahun" as an age: the
        # same number of years is one fact however each answer's words let it be read.
        return ("years", key, (whole,))
    return (fact.kind, key, fact.value[0] if fact.kind == "article" else fact.value)


@dataclass(slots=True)
class _Candidates:
    """Every agreeing or clashing pair, best first, and which facts the other answer states."""

    ranked: list[tuple[bool, float, int, int]]
    stated_f: set[int]
    stated_v: set[int]

    @classmethod
    def of(cls, fast: tuple[Fact, ...], validator: tuple[Fact, ...]) -> _Candidates:
        by_kind: dict[str, list[int]] = {}
        for j, v in enumerate(validator):
            by_kind.setdefault(v.kind, []).append(j)
        ranked, stated_f, stated_v = [], set(), set()
        for i, f in enumerate(fast):
            for j in by_kind.get(f.kind, ()):
                v = validator[j]
                if agrees(f, v):
                    ranked.append((True, context_similarity(f, v), i, j))
                    stated_f.add(i)
                    stated_v.add(j)
                elif clashes(f, v):
                    ranked.append((False, context_similarity(f, v), i, j))
        # A number of years the other answer states as the other kind ("udah 17 thn ke atas"
        # read as a duration, "berusia tujuh belas tahun" as an age) is stated there too.
        years_f: set[tuple[str, bool, float]] = {
            (f.kind, f.aside, y) for f in fast if (y := years(f)) is not None
        }
        years_v: set[tuple[str, bool, float]] = {
            (v.kind, v.aside, y) for v in validator if (y := years(v)) is not None
        }
        stated_f |= {i for i, f in enumerate(fast) if _as_other_kind(f, years_v)}
        stated_v |= {j for j, v in enumerate(validator) if _as_other_kind(v, years_f)}
        return cls(sorted(ranked, reverse=True), stated_f, stated_v)


def _as_other_kind(fact: Fact, stated: set[tuple[str, bool, float]]) -> bool:
    """Is this age or duration's number of years among those the other answer states as the
    other of the two kinds (and as aside, or not, alike)?"""
    if (found := years(fact)) is None:
        return False
    other = "duration" if fact.kind == "age" else "age"
    return (other, fact.aside, found) in stated


# At most this many characters between a law and the next one cited with it ("UU 10/1995 jo UU
# 17/2006", "UU Nomor 11 Tahun 1995 tentang Cukai sebagaimana telah diubah dengan UU Nomor 39
# Tahun 2007"): one citation, a law and its amendment.
CITED_WITH = 70
# At most this many characters between two parts of one total ("Rp180.000 serta biaya
# penutupan Rp20.000").
PARTS_APART = 60


def _cited_after(facts: tuple[Fact, ...]) -> set[int]:
    """The laws cited right after another law, as part of its citation: the first law of each
    citation is the one that rivals another answer's."""
    laws = [(i, f) for i, f in enumerate(facts) if f.kind == "law"]
    return {
        j
        for (_, first), (j, second) in pairwise(laws)
        if 0 <= second.start - first.end <= CITED_WITH
        # Not next to a repealed law named as such ("bukan UU Nomor 36 Tahun 2009 yang telah
        # dicabut. 1. UU Nomor 17 Tahun 2023"): no citation of two.
        and not (first.aside or second.aside)
    }


def _residue(
    fast: tuple[Fact, ...],
    validator: tuple[Fact, ...],
    left_f: set[int],
    left_v: set[int],
    found: _Candidates,
    named: tuple[frozenset[object], frozenset[object]],
    asked: frozenset[tuple[str, str, object]] = frozenset(),
    amounts: frozenset[tuple[str, str, object]] = frozenset(),
    denied: tuple[frozenset[object], frozenset[object]] = (frozenset(), frozenset()),
) -> list[tuple[Fact, Fact]]:
    """One leftover value a side states alone against one the other states alone, per subject.
    A value the other answer names anywhere (`named`, each side's: "Putusan MK", a court named
    as the author of a decision, not as the forum) is not stated alone; a value the question
    states (`asked`: "anak sy 22 thn") is the asker's, no rival to the law's ("belum dewasa
    di bawah 18 tahun" / "belum mencapai umur 21 tahun")."""
    pairs = []
    later_f, later_v = _cited_after(fast), _cited_after(validator)
    # An article cited after another in one citation ("Pasal 307 jo. Pasal 169 ayat (1)": the
    # rule the penalty article refers to) is not the citation's rival, wherever it recurs.
    joined_f, joined_v = _joined_articles(fast), _joined_articles(validator)
    only_f = [
        fast[i]
        for i in sorted(left_f - found.stated_f)
        if fast[i].value not in named[1]
        and not _choice_shared(fast[i], named[1])
        and i not in later_f
        and fast[i].value not in joined_f
        and subject(fast[i]) not in asked
    ]
    # A value the validator states more often than the fast answer, once it has paired with
    # them all, is left alone too ("istirahat paling singkat 1 jam" after 4 hours and "termasuk
    # istirahat 1 jam" in a 12-hour day, against "setengah jam" and one "1 jam").
    counts_f = Counter(subject(f) for f in fast)
    counts_v = Counter(subject(v) for v in validator)
    outnumbered = {
        j
        for j in left_v & found.stated_v
        if counts_v[subject(validator[j])] > counts_f[subject(validator[j])]
    }
    # A law the other answer cites by title where this one gives its number, or the other way
    # round ("UU Perlindungan Konsumen" / "UU 8/1999"), is stated by both.
    laws_f = {subject(f) for f in fast if f.kind == "law"}
    only_v = [
        j
        for j in sorted((left_v - found.stated_v) | outnumbered)
        if validator[j].value not in named[0]
        and not _choice_shared(validator[j], named[0])
        and not (validator[j].kind == "law" and subject(validator[j]) in laws_f)
        and j not in later_v
        and validator[j].value not in joined_v
        and subject(validator[j]) not in asked
    ]
    for f in only_f:
        fellows = _bodies_over_heads([x for x in only_f if same_subject(x, f) and _one_role(x, f)])
        if all(x is not f for x in fellows):
            continue  # a regional head beside a body of its own answer (`_bodies_over_heads`)
        rivals_f = {_rival(x) for x in fellows}
        rivals_v = _bodies_over_heads(
            [
                validator[j]
                for j in only_v
                if same_subject(validator[j], f)
                and _one_role(f, validator[j], denied)
                and same_measure(f, validator[j])
                # A repeat is a rival only in the same words around it.
                and (j not in outnumbered or context_similarity(f, validator[j]) >= REPEAT_CONTEXT)
            ],
            of=f,
        )
        if f.kind == "money" and subject(f) not in amounts:
            # "Tuntutan Anda sebesar Rp150 juta berada di bawah batas tersebut": the amount of
            # the case the question states is no rival of the law's ceiling beside it.
            rivals_v = [v for v in rivals_v if subject(v) not in amounts] or rivals_v
        if f.kind == "institution" and _court(f):
            # "ke Pengadilan Negeri" / "PTUN ..., setelah rekomendasi Ombudsman": a court's
            # rival is the court the other names; a body named beside it is no forum.
            rivals_v = [v for v in rivals_v if _court(v)] or rivals_v
        if len(rivals_f) == 1 == len({_rival(v) for v in rivals_v}) and clashes(f, rivals_v[0]):
            if subject(f) in amounts and subject(rivals_v[0]) in amounts:
                continue  # two amounts of the case (`compare`)
            if _case_against_cap(f, rivals_v[0], amounts):
                continue
            pairs.append((f, rivals_v[0]))
    return pairs


# The regional heads, named beside the bodies under them ("Bupati/Wali Kota (Pemkot Bandung
# melalui DPMPTSP)", "Gubernur melalui Dinas ESDM Provinsi"): the body is the rival, the head
# only when no body is named.
_HEADS = frozenset({("Bupati/Wali Kota",), ("Gubernur",)})


def _bodies_over_heads(facts: list[Fact], of: Fact | None = None) -> list[Fact]:
    """The bodies among `facts`, leaving out a regional head when a body is named too; the
    heads among them when they are rivals `of` a head ("Bupati" / "Gubernur melalui Dinas ESDM
    Provinsi")."""
    heads = [f for f in facts if f.kind == "institution" and f.value in _HEADS]
    if of is not None and of.value in _HEADS and heads:
        return heads
    bodies = [f for f in facts if not (f.kind == "institution" and f.value in _HEADS)]
    return bodies if bodies and heads else facts


# A region's own offices, under its head.
_REGIONAL = frozenset({"Satpol PP", "Bapenda", "DPMPTSP", "Inspektorat", "BPBD", "Disdukcapil"})


def _regional(fact: Fact) -> bool:
    name = str(fact.value[0])
    return name in _REGIONAL or name.startswith("Dinas ")


def _rival(fact: Fact) -> object:
    """What one rival is: a value, an article by its number ("Pasal 18 ayat (1) huruf a" and
    "Pasal 18 ayat (3)" are one rival of "Pasal 4")."""
    return subject(fact) if fact.kind == "article" else fact.value


# Words that name an amount as the law's ceiling: "denda paling banyak Rp200.000.000", "nilainya
# di bawah Rp500 juta".
_CEILING = frozenset({"banyak", "maksimal", "maksimum", "max", "maks", "batas", "tinggi", "bawah"})


def _case_against_cap(f: Fact, v: Fact, amounts: frozenset[tuple[str, str, object]]) -> bool:
    """An amount the question states ("cuma mau balikin 150rb") against the law's ceiling the
    other answer names ("ganti rugi paling banyak Rp200.000.000"): two roles, no rivals."""
    if f.kind != "money" or v.kind != "money":
        return False
    return (subject(f) in amounts and bool(_CEILING & v.context)) or (
        subject(v) in amounts and bool(_CEILING & f.context)
    )


def _choice_shared(fact: Fact, named: frozenset[object]) -> bool:
    """Is this one of a choice of bodies the other answer names another of ("adukan ke BPSK
    atau YLKI" / "ke BPSK atau pengadilan negeri")? Then it is a further choice, no rival."""
    return bool(fact.alternatives & named)


def _court(fact: Fact) -> bool:
    return str(fact.value[0]).startswith(("Pengadilan", "Mahkamah"))


# Bodies outside the courts that decide a dispute, a court's rivals for a case.
_TRIBUNALS = frozenset({"BPSK", "BANI"})


# Bodies that oversee the others' service: a complaint to them is a path beside any office's.
# (The information commission hears a refused request for information, beside any office.)
_OVERSIGHT = frozenset({"Ombudsman", "Komisi Informasi"})


def _one_role(
    first: Fact,
    second: Fact,
    denied: tuple[frozenset[object], frozenset[object]] = (frozenset(), frozenset()),
) -> bool:
    """Can the two be named for one role? Not a court and a body that decides no dispute
    ("daftarkan ke DJKI" / "gugat ke Pengadilan Niaga", "catatkan di KUA" / "penetapan
    Pengadilan Negeri"): two steps of one path, not two answers. Nor the Ombudsman and the
    office it oversees ("laporkan ke Dinas Perdagangan" / "adukan maladministrasi ke
    Ombudsman"). Unless the other answer says the first has no power here (`denied`, each
    side's: "isbat nikah ke KUA" / "ke Pengadilan Agama ...; KUA tidak berwenang")."""
    if first.kind != "institution" or first.value in denied[1] or second.value in denied[0]:
        return True
    if (first.value[0] in _OVERSIGHT) != (second.value[0] in _OVERSIGHT):
        return False
    if (first.value in _HEADS and _regional(second)) or (
        second.value in _HEADS and _regional(first)
    ):
        # "Relokasi diputuskan Wali Kota" / "penertiban oleh Satpol PP": the head and the
        # region's own office, one government.
        return False
    if _court(first) == _court(second):
        return True
    return first.value[0] in _TRIBUNALS or second.value[0] in _TRIBUNALS


def _one_law_each(
    fast: tuple[Fact, ...],
    validator: tuple[Fact, ...],
    named: tuple[frozenset[object], frozenset[object]],
) -> list[tuple[Fact, Fact]]:
    """Each answer cites one law in all, by number or by title, and not the same one ("UU ITE"
    / "Undang-Undang Nomor 27 Tahun 2022 ... (UU PDP)"): the law the rule is in differs."""
    laws_f = {f.value: f for f in fast if f.kind == "law" and f.key != IN_TITLE}
    laws_v = {v.value: v for v in validator if v.kind == "law" and v.key != IN_TITLE}
    if min(len(laws_f), len(laws_v)) == 1 < max(len(laws_f), len(laws_v)) and not (
        laws_f.keys() & laws_v.keys()
    ):
        # One regulation in one answer, and the other's one regulation of that kind beside
        # codes and laws of other kinds ("PM 118 Tahun 2018" / "Peraturan Menteri Perhubungan
        # Nomor 12 Tahun 2019 ... KUHPerdata").
        (only,) = (laws_f if len(laws_f) == 1 else laws_v).values()
        laws_f, laws_v = (
            {k: v for k, v in laws.items() if _rank(v) == _rank(only) != "UU"}
            for laws in (laws_f, laws_v)
        )
    if len(laws_f) != 1 or len(laws_v) != 1 or laws_f.keys() == laws_v.keys():
        return []
    (f,), (v,) = laws_f.values(), laws_v.values()
    if f.value in named[1] or v.value in named[0] or f.aside != v.aside:
        return []
    if _rank(f) != _rank(v):
        # "PP 16/2021" / "UU Cipta Kerja": a regulation and the law it carries out.
        return []
    if TITLE in (f.key, v.key) and one_statute(f.value, v.value):
        # "UU Perlindungan Anak" / "UU No. 35 Tahun 2014": the law as it stands, named by its
        # title, and its amendment.
        return []
    return [(replace(f, kind="law"), replace(v, kind="law"))]


# Two amounts added ("Rp180.000 serta biaya penutupan Rp20.000"), not a range's two ends ("Rp100
# juta sampai Rp500 juta").
_ADDED = re.compile(r"\b(?:serta|dan|plus|ditambah|and)\b|\+", re.IGNORECASE)
_RANGE = re.compile(r"\b(?:sampai|hingga|s\.?d\.?|atau|to|or)\b|[-\u2013/]", re.IGNORECASE)


def total_of_parts(
    f: Fact,
    v: Fact,
    fast: tuple[Fact, ...],
    validator: tuple[Fact, ...],
    texts: tuple[str, str] = ("", ""),
) -> bool:
    """Is one of two rupiah amounts the other plus an amount its answer states right beside it
    ("Rp180.000 serta biaya penutupan Rp20.000" against "Rp 200 ribu")?"""
    if f.kind != "money" or v.kind != "money" or len(f.value) != 1 or len(v.value) != 1:
        return False
    a, b = f.value[0], v.value[0]
    if not isinstance(a, int) or not isinstance(b, int):
        return False
    # The smaller amount is the part; the other part, if any, is in its answer beside it (not the
    # part said again: "Rp5 juta (5000000 rupiah)" is no second part).
    part, others, text = (f, fast, texts[0]) if a < b else (v, validator, texts[1])
    rest = abs(a - b)
    if rest == part.value[0]:
        return False
    for o in others:
        if o.kind != "money" or o.value != (rest,) or abs(o.start - part.start) > PARTS_APART:
            continue
        between = text[min(part.end, o.end) : max(part.start, o.start)]
        if _ADDED.search(between) and not _RANGE.search(between):
            return True
    return False


# Between the two ends of a bracket: "1 tahun atau lebih tetapi kurang dari 2 tahun", "antara 1
# dan 3 tahun", "6 sampai 12 bulan".
_BRACKET = re.compile(
    r"^\s*(?:(?:atau|or)\s+(?:lebih|more)\s*,?\s*(?:(?:tetapi|tapi|namun|but|dan|and)\s+)?"
    r"(?:kurang\s+dari|less\s+than|di\s*bawah|below)|sampai(?:\s+dengan)?|hingga|s\.?/?d\.?|to"
    r"|dan|-|\u2013)\s*$",
    re.IGNORECASE,
)
# How far apart a bracket's ends may stand.
BRACKET_APART = 60


def within_bracket(
    f: Fact,
    v: Fact,
    fast: tuple[Fact, ...],
    validator: tuple[Fact, ...],
    texts: tuple[str, str] = ("", ""),
) -> bool:
    """Does one answer's duration fall inside a bracket the other states, one end of which is
    its rival ("masa kerja 1,5 tahun" against "masa kerja 1 tahun atau lebih tetapi kurang dari
    2 tahun")? Then it is a case the bracket's rule covers, not a rival to its end."""
    if f.kind != "duration" or v.kind != "duration" or f.value[0] != v.value[0]:
        return False
    sides = ((f, v, fast, validator, texts), (v, f, validator, fast, texts[::-1]))
    for case, end, own, facts, (own_text, text) in sides:
        if _bracket_of(case, own, own_text):
            # "mulai hari ke-4 sampai hari ke-8" against "hari ketiga sampai dengan hari
            # kedelapan": an end of its own bracket, a rival to the other's end.
            continue
        value = _length(case)
        bracket = _bracket_of(end, facts, text)
        if value is not None and bracket is not None and bracket[0] < value < bracket[1]:
            return True
    return False


def _bracket_of(end: Fact, facts: tuple[Fact, ...], text: str) -> tuple[float, float] | None:
    """The two ends of the bracket a duration is one end of, low first, or None."""
    for other in facts:
        if other is end or other.kind != "duration" or other.value[0] != end.value[0]:
            continue
        low, high = sorted((other, end), key=lambda x: x.start)
        apart = high.start - low.end
        ends = _length(low), _length(high)
        if (
            0 < apart <= BRACKET_APART
            and _BRACKET.match(text[low.end : high.start])
            and ends[0] is not None
            and ends[1] is not None
            and ends[0] < ends[1]
        ):
            return ends[0], ends[1]
    return None


def _length(duration: Fact) -> float | None:
    """A duration's length in its measure, None for a date."""
    length = duration.value[-1]
    return float(length) if isinstance(length, int | float) else None


def _rank(law: Fact) -> object:
    """A law's kind of instrument ("UU", "PP", "Perpres", ...); a code (KUHP, KHI) is a law."""
    return law.value[0] if len(law.value) == 3 else "UU"


def _joined_articles(facts: tuple[Fact, ...]) -> set[object]:
    """The values of articles cited right after another article ("jo.", "dan", ",")."""
    articles = [f for f in facts if f.kind == "article"]
    return {
        second.value
        for first, second in pairwise(articles)
        if 0 <= second.start - first.end <= CITED_TOGETHER
    }


def years(fact: Fact) -> float | None:
    """An age, or a duration in whole years, in years ("batasnya 16 tahun" may be either)."""
    if fact.kind == "age":
        return float(str(fact.value[0]))
    if fact.kind == "duration" and fact.value[0] == "months":
        months = float(str(fact.value[1]))
        return months / 12 if months and months % 12 == 0 else None
    return None


def _ages(
    fast: tuple[Fact, ...], validator: tuple[Fact, ...], left_f: set[int], left_v: set[int]
) -> list[tuple[Fact, Fact]]:
    """An age one answer states against a number of years the other reads as a duration ("usia
    minimal menikah adalah 19 tahun" / "batasnya 16 tahun"): a conflict when neither number of
    years appears in the other answer and the words around them are alike."""
    all_f = {y for f in fast if f.kind in ("age", "duration") and (y := years(f)) is not None}
    all_v = {y for v in validator if v.kind in ("age", "duration") and (y := years(v)) is not None}
    ranked = []
    for i in left_f:
        for j in left_v:
            f, v = fast[i], validator[j]
            if {f.kind, v.kind} != {"age", "duration"} or f.aside != v.aside:
                continue
            yf, yv = years(f), years(v)
            if yf is None or yv is None or yf in all_v or yv in all_f:
                continue
            if (similar := context_similarity(f, v)) >= SAME_CONTEXT:
                ranked.append((similar, i, j))
    pairs = []
    for _, i, j in sorted(ranked, reverse=True):
        if i in left_f and j in left_v:
            left_f.discard(i)
            left_v.discard(j)
            pairs.append((fast[i], validator[j]))
    return pairs


def _one_age_each(
    fast: tuple[Fact, ...],
    validator: tuple[Fact, ...],
    left_f: set[int],
    left_v: set[int],
    asked: frozenset[tuple[str, str, object]],
) -> list[tuple[Fact, Fact]]:
    """Each answer states one age beyond those the question gives (the asker's "anak sy umur
    17"), and not the same one ("batas minimal nikah 18 tahun" / "batas usia minimal 19 tahun"):
    the age the rule sets differs, however far apart their words."""
    f_ages, v_ages = (
        {
            years(f): i
            for i, f in enumerate(facts)
            if f.kind == "age" and not f.aside and subject(f) not in asked
        }
        for facts in (fast, validator)
    )
    if len(f_ages) != 1 or len(v_ages) != 1 or f_ages.keys() == v_ages.keys():
        return []
    ((_, i),), ((_, j),) = f_ages.items(), v_ages.items()
    if i not in left_f or j not in left_v:
        return []
    left_f.discard(i)
    left_v.discard(j)
    return [(fast[i], validator[j])]


# Shares rounded to four places ("1/3" as 0.3333) add up to the whole within this.
SPLIT_ROUNDING = 0.01


def _split(facts: tuple[Fact, ...]) -> tuple[Fact, ...]:
    """The shares an answer divides one whole into ("istri 1/3 dan suami 2/3": distinct shares
    that add up to the whole; "masing-masing 1/2": halves), none when they do not."""
    shares: dict[float, Fact] = {}
    for f in facts:
        if f.kind == "share" and not f.aside and isinstance(f.value[0], float):
            shares.setdefault(f.value[0], f)
    if list(shares) == [0.5] or (len(shares) > 1 and abs(sum(shares) - 1) < SPLIT_ROUNDING):
        return tuple(shares.values())
    return ()


def _one_split_each(fast: tuple[Fact, ...], validator: tuple[Fact, ...]) -> list[tuple[Fact, Fact]]:
    """Each answer divides one whole, and no share is in both divisions ("istri 1/3 dan suami
    2/3" / "masing-masing berhak atas 1/2 dari harta bersama"): the division differs, however
    the parties are named. One share each is left to the other rules."""
    split_f, split_v = _split(fast), _split(validator)
    if not split_f or not split_v or len(split_f) == 1 == len(split_v):
        return []
    if {f.value for f in split_f} & {v.value for v in split_v}:
        return []
    return [(split_f[0], split_v[0])]


def _rest_of_whole(f: Fact, v: Fact, fast: tuple[Fact, ...], validator: tuple[Fact, ...]) -> bool:
    """Is one of two shares the rest of the whole after the other, which the answer stating the
    rest states too ("wasiat maksimal 1/3 ... Sisanya, 2/3, tetap jadi hak ahli waris" against
    "sampai batas sepertiga")? Then both answers give the same part, and one names the rest."""
    if f.kind != "share" or v.kind != "share":
        return False
    a, b = f.value[0], v.value[0]
    if not isinstance(a, float) or not isinstance(b, float) or abs(a + b - 1) >= SPLIT_ROUNDING:
        return False
    return any(x.kind == "share" and x.value == v.value for x in fast) or any(
        y.kind == "share" and y.value == f.value for y in validator
    )


def _leftover_years(
    fast: tuple[Fact, ...],
    validator: tuple[Fact, ...],
    left_f: set[int],
    left_v: set[int],
    asked: frozenset[tuple[str, str, object]] = frozenset(),
) -> list[tuple[Fact, Fact]]:
    """What is left: one number of years each answer states alone, an age in one and a
    duration in the other ("sudah berumur 12 tahun" / "batas bawahnya adalah 8 tahun"), as
    `_residue` pairs one leftover value of a kind against one; not the asker's own age, which
    the question states ("anak sy 14 thn" - "Putra Anda berusia 14 tahun")."""
    all_f = {y for f in fast if (y := _lone_years(f, set())) is not None}
    all_v = {y for v in validator if (y := _lone_years(v, set())) is not None}
    lone_f = {
        yf: i
        for i in left_f
        if (yf := _lone_years(fast[i], all_v)) is not None and subject(fast[i]) not in asked
    }
    lone_v = {
        yv: j
        for j in left_v
        if (yv := _lone_years(validator[j], all_f)) is not None
        and subject(validator[j]) not in asked
    }
    if len(lone_f) != 1 or len(lone_v) != 1:
        return []
    (i,), (j,) = lone_f.values(), lone_v.values()
    f, v = fast[i], validator[j]
    if f.kind == v.kind or f.aside != v.aside or context_similarity(f, v) < LEFTOVER_CONTEXT:
        return []
    left_f.discard(i)
    left_v.discard(j)
    return [(f, v)]


def _lone_years(fact: Fact, other: set[float]) -> float | None:
    """The years an age or a duration states, when the other answer states no such number."""
    if fact.kind not in ("age", "duration") or (found := years(fact)) is None:
        return None
    return None if found in other else found


def _beside_stated(facts: tuple[Fact, ...], stated: set[int]) -> list[bool]:
    """For each fact, is it an article cited together with one the other answer states too
    ("Pasal 5 dan Pasal 7" where the other cites Pasal 7)? The shared citation places the
    point; the article beside it is the rival only of one the other answer cites beside it
    ("Pasal 27 ayat (1) jo. Pasal 45" / "Pasal 27 ayat (3) jo. Pasal 45"), not of an article
    the other answer cites for a point of its own."""
    beside = [False] * len(facts)
    cited = [(i, f) for i, f in enumerate(facts) if f.kind == "article"]
    for (i, first), (j, second) in pairwise(cited):
        # Facts come in order of appearance: articles cited together are next to each other.
        together = 0 <= second.start - first.end <= CITED_TOGETHER
        if together and (i in stated) != (j in stated):
            beside[j if i in stated else i] = True
    return beside


def _exclusive_rivals(
    fast: tuple[Fact, ...], validator: tuple[Fact, ...], found: _Candidates
) -> set[tuple[str, int]]:
    """The facts ("f", i) or ("v", j) that each answer states alone and that clash with a fact
    the other answer too states alone, on enough shared words."""
    rivals = set()
    for agreeing, similar, i, j in found.ranked:
        alone = i not in found.stated_f and j not in found.stated_v
        if (
            not agreeing
            and alone
            and similar >= EXCLUSIVE_CONTEXT
            and same_measure(fast[i], validator[j])
        ):
            rivals |= {("f", i), ("v", j)}
    return rivals


# Kinds whose values two answers may hand to the wrong roles ("yang dijamin Rp2 miliar, sisa
# Rp1 miliar" / "dijamin Rp1 miliar, sisanya Rp2 miliar").
SWAPPABLE = frozenset({"money", "duration", "percentage", "share", "age", "count"})
# How much better the words around a rival value must match than those around the same value
# stated elsewhere in the other answer.
SWAP_MARGIN = 0.25


def _best(fact: Fact, others: tuple[Fact, ...], same: bool | None) -> tuple[float, int]:
    """The best context match for a fact among the other answer's facts of its kind and
    measure: any (`same` None), those with its value (True), or those with another (False)."""
    best = (-1.0, -1)
    for k, other in enumerate(others):
        if other.kind != fact.kind or other.aside != fact.aside or not same_measure(fact, other):
            continue
        if same is not None and agrees(fact, other) != same:
            continue
        best = max(best, (context_similarity(fact, other), k))
    return best


def _swapped(fast: tuple[Fact, ...], validator: tuple[Fact, ...]) -> list[tuple[Fact, Fact]]:
    """Values stated by both answers in swapped roles: a fast fact whose words match a
    validator fact with another value best (each the other's best match), and much better than
    they match anywhere the other answer states the same value; read so at least twice (two
    mentions on each side), since one such match may be the words of a neighbouring value."""
    pairs: list[tuple[Fact, Fact]] = []
    for i, f in enumerate(fast):
        if f.kind not in SWAPPABLE:
            continue
        similar, j = _best(f, validator, None)
        if j < 0 or similar < SAME_CONTEXT or agrees(f, validator[j]):
            continue
        v = validator[j]
        if _best(v, fast, None)[1] != i:
            continue
        same_v, found_v = _best(f, validator, True)
        same_f, found_f = _best(v, fast, True)
        if found_v < 0 or found_f < 0:
            continue  # a value the other answer never states: left to `compare`'s pairing
        if max(same_v, same_f) <= similar - SWAP_MARGIN:
            pairs.append((f, v))
    seen: dict[tuple[object, object], list[tuple[Fact, Fact]]] = {}
    for f, v in pairs:
        seen.setdefault((f.value, v.value), []).append((f, v))
    return [found[0] for found in seen.values() if len(found) >= 2]


def _seats(fast: tuple[Fact, ...], validator: tuple[Fact, ...]) -> list[tuple[Fact, Fact]]:
    """The same court in different cities ("Pengadilan Negeri Bandung" / "Pengadilan Negeri
    Jakarta Selatan"): a conflict when each answer names that court in one city only and
    neither names it in the other's."""
    pairs = []
    for name in {f.value for f in fast if f.seat} & {v.value for v in validator if v.seat}:
        seated_f = {f.seat: f for f in fast if f.value == name and f.seat}
        seated_v = {v.seat: v for v in validator if v.value == name and v.seat}
        if len(seated_f) == 1 == len(seated_v) and seated_f.keys() != seated_v.keys():
            (f,), (v,) = seated_f.values(), seated_v.values()
            pairs.append((f, v))
    return pairs


def compare(
    fast: tuple[Fact, ...],
    validator: tuple[Fact, ...],
    named: tuple[frozenset[object], frozenset[object]] = (frozenset(), frozenset()),
    asked: frozenset[tuple[str, str, object]] = frozenset(),
    denied: tuple[frozenset[object], frozenset[object]] = (frozenset(), frozenset()),
) -> Comparison:
    """Conflicts between the two answers' facts, and the facts they share (`named`: the values
    each answer names beyond its facts, such as a court named only as a decision's author;
    `asked`: the `subject`s of the facts the question states; `denied`: the bodies each answer
    says have no power over the case)."""
    candidates = _Candidates.of(fast, validator)
    left_f, left_v = set(range(len(fast))), set(range(len(validator)))
    # An amount the question states may be the answer ("DP 40 jt" returned in full); only two
    # of them against each other are the case's, not rivals. Other values it states (an age)
    # are the asker's, never a rival to the law's.
    amounts = frozenset(a for a in asked if a[0] == "money")
    asked = asked - amounts
    stated_f, stated_v = candidates.stated_f, candidates.stated_v
    found: list[tuple[Fact, Fact]] = []
    rivals = _exclusive_rivals(fast, validator, candidates)
    laws_f = {f.value for f in fast if f.kind == "law" and f.key != IN_TITLE}
    laws_v = {v.value for v in validator if v.kind == "law" and v.key != IN_TITLE}
    anchored_f = _beside_stated(fast, stated_f)
    anchored_v = _beside_stated(validator, stated_v)
    for agreeing, similar, i, j in candidates.ranked:
        exclusive = (
            i not in candidates.stated_f
            and j not in candidates.stated_v
            and same_measure(fast[i], validator[j])
            and anchored_f[i] == anchored_v[j]
        )
        needed = EXCLUSIVE_CONTEXT if exclusive else SAME_CONTEXT
        if i not in left_f or j not in left_v or (not agreeing and similar < needed):
            continue
        if not agreeing and subject(fast[i]) in amounts and subject(validator[j]) in amounts:
            # Two values the question states ("biaya rs 14 jt", "minta ganti 18 jt") are two
            # facts of the case, not one rule stated two ways.
            continue
        if not agreeing and _case_against_cap(fast[i], validator[j], amounts):
            continue
        if not agreeing and (
            _choice_shared(fast[i], named[1])
            or _choice_shared(validator[j], named[0])
            or not _one_role(fast[i], validator[j], denied)
        ):
            continue
        conflict = not agreeing and (similar >= SURELY_SAME_CONTEXT or exclusive)
        # A value the other answer never states is not explained away by a value the other
        # answer repeats ("6 bulan" against the second "72 bulan" of "3-6 tahun"): it stays free
        # for its true rival, however alike their words when it has one that the other answer
        # too states alone ("6 bulan upah" against "5 bulan upah", not against the validator's
        # second "2 bulan upah").
        repeated = not agreeing and (i not in stated_f or j not in stated_v)
        if repeated and (not conflict or (not exclusive and rivals & {("f", i), ("v", j)})):
            continue
        f, v = fast[i], validator[j]
        left_f.discard(i)
        left_v.discard(j)
        if conflict:
            found.append((f, v))
        elif (
            agreeing
            and f.law
            and v.law
            and f.law != v.law
            and not (f.law in laws_v or v.law in laws_f)
        ):
            # Not when the other answer names that law too: a law and the one amending it
            # ("UU 23/2006 sebagaimana diubah dengan UU 24/2013") are cited for each other.
            found.append((replace(f, kind="law"), replace(v, kind="law")))
    found += _one_law_each(fast, validator, named)
    found += _swapped(fast, validator)
    found += _seats(fast, validator)
    found += _ages(fast, validator, left_f, left_v)
    found += _one_age_each(fast, validator, left_f, left_v, asked)
    found += _leftover_years(fast, validator, left_f, left_v, asked)
    found += _one_split_each(fast, validator)
    for beside in (False, True):
        # An article cited beside a shared one meets only another cited beside it.
        group_f = {i for i in left_f if anchored_f[i] == beside}
        group_v = {j for j in left_v if anchored_v[j] == beside}
        found += _residue(
            fast, validator, group_f, group_v, candidates, named, asked, amounts, denied
        )
    unique: dict[tuple[object, ...], tuple[Fact, Fact]] = {}
    for f, v in found:
        if _rest_of_whole(f, v, fast, validator):
            continue
        unique.setdefault((f.kind, f.value, v.value), (f, v))
    shared = frozenset(subject(fast[i]) for i in candidates.stated_f)
    return Comparison(conflicts=tuple(unique.values()), shared=shared)
