"""What a fact is, and the prepared text the extractors read it from. Pure, no Django."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from .numerals import lowered, words_to_digits
from .repeals import REPEALED_AFTER, REPEALS_BEFORE

FactKind = Literal[
    "article",
    "law",
    "duration",
    "money",
    "percentage",
    "share",
    "age",
    "count",
    "modality",
    "institution",
]
Value = tuple[object, ...]


@dataclass(frozen=True, slots=True)
class Fact:
    """One fact as an answer states it: `value` is compared, `text` is shown to people.

    `key` narrows what the value is about where the kind alone is too broad: the noun counted
    ("saksi"), or the action a modal verb governs ("daftar"); `about` holds the words a modal
    verb governs, `law` the law an article reference names. `aside` marks a value stated as a
    comparison or as the old rule ("Sebagai perbandingan, golongan II 2 tahun", "Sebelumnya 16
    tahun"): it plays another role than the answer's own values of that kind. `holder` holds
    the words that name whom a modal verb binds, from the start of its clause ("WNA" in "WNA
    tidak boleh punya Hak Milik"). `seat` is the city a court named as the forum sits in
    ("Pengadilan Negeri Bandung").
    """

    kind: FactKind
    value: Value
    text: str
    start: int
    end: int
    key: str = ""
    context: frozenset[str] = field(default=frozenset(), compare=False)
    about: frozenset[str] = field(default=frozenset(), compare=False)
    law: Value = ()
    aside: bool = False
    holder: frozenset[str] = field(default=frozenset(), compare=False)
    seat: str = field(default="", compare=False)
    # A modal's action, also as the root with its swallowed consonant put back ("mengirimkan"
    # is "kirim" as well as "irim").
    actions: frozenset[str] = field(default=frozenset(), compare=False)
    # What a passive modal's verb is done to, named before it ("somasi" in "somasi wajib
    # dikirimkan").
    done_to: str = field(default="", compare=False)
    # A count's bound, not its value: "lebih dari 1 orang" (`above`), "dua orang atau lebih"
    # (`at_least`).
    above: bool = field(default=False, compare=False)
    at_least: bool = field(default=False, compare=False)
    # The other bodies a body is named with as a choice ("adukan ke BPSK atau YLKI",
    # "petugas (Satpol PP/DLH)"), by value.
    alternatives: frozenset[object] = field(default=frozenset(), compare=False)


# Words too common to say what a fact is about.
STOPWORDS = frozenset(
    [
        "yang",
        "dan",
        "atau",
        "di",
        "ke",
        "dari",
        "untuk",
        "dengan",
        "dalam",
        "pada",
        "oleh",
        "itu",
        "ini",
        "adalah",
        "ialah",
        "sebagai",
        "juga",
        "tersebut",
        "serta",
        "bila",
        "jika",
        "apabila",
        "maka",
        "akan",
        "telah",
        "sudah",
        "karena",
        "the",
        "of",
        "a",
        "an",
        "and",
        "or",
        "to",
        "in",
        "on",
        "by",
        "for",
        "is",
        "are",
        "be",
        "with",
        "as",
        "at",
        "that",
        "this",
        "its",
        "it",
        "was",
        "were",
        "has",
        "have",
        "been",
        "from",
        "which",
        "oleh",
    ]
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_HEAD = re.compile(r"[^\W_][\w-]*", re.UNICODE)
# A colon ends a sentence only before a line break (a list's lead-in): "Biaya perawatan bagi
# korban luka-luka: paling banyak Rp20.000.000" is one label and its value.
_SENTENCE_END = re.compile(r"[.;!?\n](?:\s|$)|:(?=[ \t]*(?:\n|$))")
_PREFIX = re.compile(
    r"^(?:meng|meny|mem(?=[bpf])|men(?=[cdjtsz])|me|peng|peny|per|pem(?=[bpf])|pen(?=[cdjtsz])|pe"
    r"|di|ber|ter|ke|se)(?=\w{4})"
)
# A particle or possessive first ("mengabulkannya"), then a derivational suffix: "kabulkan".
_PARTICLE = re.compile(r"(?:nya|lah|kah)$")
_SUFFIX = re.compile(r"(?:kan|an|i|s|ed|ing)$")
CONTEXT_WORDS = 8
# Markdown emphasis and code marks, which models put around the very facts ("**14 years** of age").
_MARKUP = re.compile(r"\*\*|__|`|(?<![\w*])\*(?=\w)|(?<=\w)\*(?![\w*])")
# Colloquial Indonesian negators ("Gak boleh.", "nggak wajib", "tdk sah"), read as "tidak" so
# that every reader of negation sees them. Lower case or capitalised only: "GA" is an acronym.
_COLLOQUIAL_NOT = re.compile(
    r"\b(?:[Gg]ak|[Nn]ggak|[Nn]gga|[Ee]nggak|[Ee]ngga|[Gg]a|[Gg]k|[Kk]agak|[Nn]dak|[Tt]dk)\b"
)

# What puts a value aside from the answer's own statement of a rule. A comparison: a sentence
# adverb anywhere before the value in its sentence ("Sebagai perbandingan, golongan II 2 tahun"),
# or a compared thing named before it ("..., berbeda dengan buku yang dilindungi ... 70 tahun"),
# which, opening its sentence ("Berbeda dengan pasal peredaran, pasal ini ..."), holds only up to
# its first comma: the main clause follows. Or the old rule, named where the sentence or the
# clause of the value starts ("Sebelumnya batas usia 16 tahun", "Pasal 591 KUHP baru, dahulu
# Pasal 480 KUHP").
_COMPARING = re.compile(
    r"\b(?:sebagai\s+(?:perbandingan|pembanding|pembeda)|by\s+comparison|in\s+comparison"
    r"|in\s+contrast)\b",
    re.IGNORECASE,
)
# Said in the value's clause after it: the old rule.
_OLD_AFTER = re.compile(
    r"[^.;:\n]{0,40}?\b(?:(?:ketentuan|aturan|angka|tarif|besaran|regulasi)\s+(?:yang\s+)?lama"
    r"|(?:sudah|telah|udah|udh)\s+tidak\s+berlaku|tidak\s+(?:berlaku\s+lagi|lagi\s+berlaku))\b",
    re.IGNORECASE,
)
# Said right before the value: what it was ("batas bagi perempuan yang sebelumnya 16 tahun",
# "dinaikkan dari sebelumnya Rp200 juta").
_FORMERLY_BEFORE = re.compile(
    r"\b(?:sebelumnya|semula|dahulu)\s+(?:(?:adalah|hanya|yaitu|ialah|cuma)\s+)?$", re.IGNORECASE
)
# A value given as an example, right after "misalnya" ("cicilannya disesuaikan, misalnya 1 juta
# atau 1,5 juta per bulan"): a suggestion, not the rule.
_EXAMPLE = re.compile(
    r"\b(?:misalnya|misal|contohnya|for\s+example|e\.g\.)\W*(?:[\w-]+\s+){0,2}$", re.IGNORECASE
)
# Bounds said before a number or after it.
_ABOVE = re.compile(r"\b(?:lebih\s+dari|di\s+atas|more\s+than|over)\s*$", re.IGNORECASE)
_AT_LEAST = re.compile(
    r"\b(?:minimal|paling\s+sedikit|sekurang-kurangnya|at\s+least)\s*$", re.IGNORECASE
)
_OR_MORE = re.compile(r"\s*(?:atau|or)\s+(?:lebih|more)\b", re.IGNORECASE)
# A multiplication sign next to a value ("12 tahun x 12 bulan"), or the first term of a sum
# worked out ("3,6 jt - 2,85 jt = 750 rb": without the "=", " - " is a range or a list's dash;
# the result after the "=" is the answer's own value).
_TIMES_BEFORE = re.compile(r"[x\u00d7]\s?$")
_TIMES_AFTER = re.compile(
    r"\s?[x\u00d7]\s?\d|\s[-\u2212+]\s(?:Rp\s?)?\d[\d.,]*\s*(?:[a-z]{1,4}\.?\s*)?="
)
# A claim quoted inside the quotation marks after "klaim", "anggapan", "katanya" (Jadi klaim
# "wajib buat semua siswa" itu aturan lama): someone else's statement, not the answer's.
_QUOTED_CLAIM = re.compile(
    r"\b(?:klaim|anggapan|omongan|ucapan|alasan|bilang|katanya|kata\s+[\w-]+|claims?|says?|said)"
    r"\s*:?\s*[\"\u201c'][^\"\u201d']*$",
    re.IGNORECASE,
)
_COMPARED = re.compile(
    r"\b(?:berbeda\s+(?:dengan|dari)|(?:di)?bedakan\s+(?:dengan|dari)|lain\s+halnya\s+dengan"
    r"|bandingkan\s+dengan|unlike"
    r"|compared\s+(?:with|to))\b",
    re.IGNORECASE,
)
_FORMERLY = re.compile(
    r"(?:[-*\u2022]\s*|\d+[.)]\s*)?(?:sebelumnya|dulunya|dahulu|dulu|previously|formerly"
    r"|sebelum\s+(?:diubah|perubahan|revisi))\b",
    re.IGNORECASE,
)
# Where the clause of a modal verb starts: its sentence, a comma, or a joining word.
_CLAUSE_START = re.compile(
    r"[,(\u2014]|\b(?:dan|tetapi|tapi|namun|karena|sehingga|padahal|jika|kalau|bila|apabila"
    r"|maka|jadi|sedangkan|sementara|but|and|so|because|if|while|whereas)\b",
    re.IGNORECASE,
)
# Words before a modal verb that say how, not who ("Jadi praktis Anda ...", "hanya").
_NOT_HOLDERS = frozenset(
    ["hanya", "tetap", "masih", "belum", "praktis", "memang", "tentu", "pun", "umumnya",
     "biasanya", "sebenarnya", "dasarnya", "prinsipnya", "secara", "hukum", "tidak", "tak",
     "only", "still", "also", "generally", "legally", "not",
     # A pronoun stands for a party the other answer may name ("dia harus kirim teguran" /
     # "pemilik kos tidak wajib mengirimkan somasi"): it names none itself.
     "dia", "ia", "mereka", "beliau", "he", "she", "they", "it"]
)  # fmt: skip
# The asker, however an answer addresses them ("kamu harus ..." / "Anda tidak wajib ...").
_ASKER = dict.fromkeys(["kamu", "saudar", "kak", "kakak", "lo", "lu", "elo", "you"], "anda")
HOLDER_WORDS = 6
# A party's short name, as its full name's words: "RS wajib ..." / "rumah sakit wajib ...".
_HOLDER_NAMES = {"rs": ("rs", "rumah", "sakit")}
# Chat forms of the words around a fact, as the formal answer writes them.
_SAME_WORD = {**_ASKER, "dulu": "dahulu", "udah": "sudah", "udh": "sudah", "blm": "belum"}
# A passive verb after the modal ("dapat dibeli", "cannot be sued") makes what stands before it
# the thing acted on, not the party bound: such a modal names no holder.
_MODAL_WORDS = (
    r"(?:tidak|tak|akan|lagi|pernah|boleh|dapat|bisa|berhak|berwenang|diperbolehkan|dibolehkan"
    r"|diizinkan|wajib|diwajibkan|harus|perlu|mesti|dilarang|untuk|must|shall|may|can|cannot"
    r"|can't|not|is|are|allowed|permitted|required|obliged|obligated|prohibited|forbidden|from"
    r"|to|need|do|does|have|entitled)"
)
_PASSIVE = re.compile(rf"(?:{_MODAL_WORDS}\s+)+(?:di[a-z]{{3,}}|be)\b", re.IGNORECASE)
_CLAUSE = re.compile(r"[,(]\s*(?=[^,(]*$)")
# "Peraturan ... tidak mewajibkan permohonan tertulis": what stands before an active "requires"
# is the rule that imposes the duty, not the party it binds.
_IMPOSES = re.compile(r"\b(?:mewajibkan|mengharuskan)\b", re.IGNORECASE)


# Chat abbreviations, written out: units after a number ("4 thn", "6 bln"), bounds before one
# ("min 30 thn", "maks 4 thn"), and the function words and modals the readers look for ("hrs",
# "blm", "yg", "dgn"). Lower case or capitalised only, as the negators.
_ABBREVIATIONS = {
    "thn": "tahun",
    "th": "tahun",
    "taun": "tahun",
    "bln": "bulan",
    "hr": "hari",
    "mgg": "minggu",
    "jt": "juta",
    "min": "minimal",
    "maks": "maksimal",
    "max": "maksimal",
    "hrs": "harus",
    "blh": "boleh",
    "blm": "belum",
    "sdh": "sudah",
    "udh": "sudah",
    "yg": "yang",
    "dgn": "dengan",
    "utk": "untuk",
    "krn": "karena",
    "dlm": "dalam",
    "ttg": "tentang",
    "sbg": "sebagai",
    "tsb": "tersebut",
    "spt": "seperti",
    "ortu": "orang tua",
    "jgn": "jangan",
}
_UNIT_AFTER_NUMBER = frozenset({"thn", "th", "bln", "hr", "mgg", "jt"})
_BOUND_BEFORE_NUMBER = frozenset({"min", "maks", "max"})
_ABBREVIATED = re.compile(
    r"(?<![\w/.-])(?P<word>"
    + "|".join(sorted({w for k in _ABBREVIATIONS for w in (k, k.capitalize())}, key=len)[::-1])
    + r")(?P<dot>\.(?=\s*\d))?(?![\w/-])"
)


_NUMBER_BEFORE = re.compile(r"\d\s*$")
_NUMBER_AFTER = re.compile(r"\.?\s*(?:\*\*)?\s*(?:Rp\.?\s*)?\d")


def _written_out(m: re.Match[str]) -> str:
    word = m.group("word")
    key = word.lower()
    text = m.string
    if key in _UNIT_AFTER_NUMBER and not _NUMBER_BEFORE.search(text, 0, m.start()):
        return word  # "th" or "hr" not after a number is something else
    if key in _BOUND_BEFORE_NUMBER and not _NUMBER_AFTER.match(text, m.end()):
        return word  # "min" or "max" not before a number
    full = _ABBREVIATIONS[key]
    full = full.capitalize() if word[0].isupper() else full
    # "Min. 5 thn": the abbreviation's dot goes with it, a sentence's full stop stays.
    return full if key in _BOUND_BEFORE_NUMBER else full + (m.group("dot") or "")


def plain_negators(text: str) -> str:
    """Colloquial negators written as "tidak" ("Gak boleh" gives "Tidak boleh"), and chat
    abbreviations written out ("maks 4 thn" gives "maksimal 4 tahun")."""
    text = _ABBREVIATED.sub(_written_out, text)
    return _COLLOQUIAL_NOT.sub(lambda m: "Tidak" if m.group()[0].isupper() else "tidak", text)


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A crude stem, enough to match "diajukan" with "mengajukan", "creditor" with "creditors"."""
    word = word.lower()
    return _unsuffixed(_PREFIX.sub("", word)) if len(word) > 5 else word[:6]


def _unsuffixed(word: str) -> str:
    """The word's first six letters once a particle and a suffix are off."""
    bare = _PARTICLE.sub("", word) if len(word) > 6 else word
    # A word with "-nya" stems as the word alone: "nilainya" as "nilai", not "nila".
    if bare == word or len(bare) > 5:
        bare = _SUFFIX.sub("", bare) if len(bare) > 4 else bare
    return bare[:6]


def _root(word: str) -> str:
    """`stem` of a word whose prefix is already off: its own first syllable stays ("sediakan"
    from "menyediakan" is no "se-" word)."""
    return _unsuffixed(word) if len(word) > 5 else word[:6]


# The nasal prefix swallows the root's first consonant ("menunda" from "tunda", "memasang"
# from "pasang", "mengirim" from "kirim", "menyewa" from "sewa"); the crude stem keeps what is
# left ("nunda"). A predicate word is also tried with the consonant put back.
_NASAL = re.compile(r"^(?:me|pe)(?:ng(?=[aiueo])|ny|n(?=[aiueo])|m(?=[aiueo]))")
_SWALLOWED = {"ng": "k", "ny": "s", "n": "t", "m": "p"}


@lru_cache(maxsize=4096)
def unnasal(word: str) -> str:
    """The stem of a word with a nasal prefix, its swallowed consonant restored ("" if none)."""
    m = _NASAL.match(word)
    if not m or len(word) < 6:
        return ""
    return _root(_SWALLOWED[m.group()[2:]] + word[m.end() :])


# A chat verb's bare nasal, without "me-" ("nahan" for "menahan", "nyewa", "ngirim").
_BARE_NASAL = re.compile(r"^(?:ng(?=[aiueo])|ny|n(?=[aiueo])|m(?=[aiueo]))")


@lru_cache(maxsize=4096)
def unnasal_bare(word: str) -> str:
    """`unnasal` for a chat verb's bare nasal: "nahan" gives the stem of "tahan" ("" if none)."""
    m = _BARE_NASAL.match(word)
    if not m or len(word) < 5:
        return ""
    root = _SWALLOWED[m.group()] + word[m.end() :]
    # The chat suffix "-in" for "-kan" / "-i": "nyediain" is "sediakan".
    return _root(root[:-2] if root.endswith("in") and len(root) > 6 else root)


@dataclass(frozen=True, slots=True)
class Prepared:
    """An answer made ready for the extractors: number words as digits, words with positions."""

    text: str
    lower: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    stems: tuple[str, ...]
    sentence_ends: tuple[int, ...]

    @classmethod
    def of(cls, raw: str) -> Prepared:
        text = words_to_digits(plain_negators(_MARKUP.sub("", raw)))
        words = [m for m in _WORD.finditer(text) if m.group().lower() not in STOPWORDS]
        return cls(
            text=text,
            lower=lowered(text),
            starts=tuple(m.start() for m in words),
            ends=tuple(m.end() for m in words),
            stems=tuple(stem(m.group()) for m in words),
            sentence_ends=tuple(m.start() for m in _SENTENCE_END.finditer(text)),
        )

    def aside(self, start: int) -> bool:
        """Is a value at `start` stated as a comparison or as the old rule (see `_COMPARED`)?"""
        i = bisect_left(self.sentence_ends, start)
        low = self.sentence_ends[i - 1] + 1 if i else 0
        before = self.text[low:start]
        opening = len(before) - len(before.lstrip())
        clause = _CLAUSE.search(before)
        if _FORMERLY.match(before, opening) or (clause and _FORMERLY.match(before, clause.end())):
            return True
        if _COMPARING.search(before) or _QUOTED_CLAIM.search(before):
            return True
        return any(
            compared.start() > opening or "," not in before[compared.end() :]
            for compared in _COMPARED.finditer(before)
        )

    def holder(self, start: int, end: int) -> frozenset[str]:
        """The content words of the clause before a modal verb at `start`-`end`: whom it binds
        (none when its verb is passive)."""
        if _PASSIVE.match(self.text, start, end) or _IMPOSES.search(self.text, start, end):
            return frozenset()
        i = bisect_left(self.sentence_ends, start)
        low = self.sentence_ends[i - 1] + 1 if i else 0
        for boundary in _CLAUSE_START.finditer(self.text, low, start):
            low = boundary.end()
        first, last = bisect_left(self.starts, low), bisect_left(self.ends, start + 1)
        words = [
            _ASKER.get(self.stems[k], self.stems[k])
            for k in range(first, last)
            if self.text[self.starts[k] : self.ends[k]].lower() not in _NOT_HOLDERS
        ]
        return frozenset(
            name for word in words[-HOLDER_WORDS:] for name in _HOLDER_NAMES.get(word, (word,))
        )

    def context(self, start: int, end: int) -> frozenset[str]:
        """The content words of the same sentence within a few words either side of a span."""
        ends = self.sentence_ends
        low = ends[i - 1] if (i := bisect_left(ends, start)) else -1
        high = ends[j] if (j := bisect_left(ends, end)) < len(ends) else len(self.text)
        first = max(bisect_right(self.starts, low), bisect_right(self.ends, start) - CONTEXT_WORDS)
        last = min(bisect_left(self.ends, high + 1), bisect_left(self.starts, end) + CONTEXT_WORDS)
        before = self.stems[first : bisect_right(self.ends, start)]
        after = self.stems[bisect_left(self.starts, end) : last]
        # "kamu ... dulu" and "Anda ... terlebih dahulu" are the same words around a fact.
        return frozenset(_SAME_WORD.get(w, w) for w in before + after)


class Phrasebook:
    """Fixed names found by their first word: far faster than one regex of many alternatives.

    Names in capitals ("MA", "KUHP") match only in capitals; other names in any case.
    """

    def __init__(self, entries: Sequence[tuple[str, Sequence[str]]]) -> None:
        self.index: dict[str, list[tuple[str, str]]] = {}
        for canonical, names in entries:
            for name in names:
                head = _HEAD.match(name)
                assert head is not None, name
                self.index.setdefault(head.group().lower(), []).append((name, canonical))
        for candidates in self.index.values():
            candidates.sort(key=lambda c: -len(c[0]))
        heads = sorted(self.index, key=len, reverse=True)
        self.heads = re.compile(r"\b(?:" + "|".join(map(re.escape, heads)) + r")\b")

    def match_at(self, text: str, start: int) -> tuple[int, int, str] | None:
        """The longest name that starts exactly at `start`, as (start, end, canonical name)."""
        word = _HEAD.match(text, start)
        for name, canonical in self.index.get(word.group().lower(), ()) if word else ():
            end = start + len(name)
            piece = text[start:end]
            exact = piece == name if name.isupper() else piece.lower() == name.lower()
            if exact and (end == len(text) or not text[end].isalnum()):
                return start, end, canonical
        return None

    def find(self, prepared: Prepared) -> Iterator[tuple[int, int, str]]:
        """Each (start, end, canonical name) in a prepared answer."""
        position = 0
        for head in self.heads.finditer(prepared.lower):
            if head.start() >= position:
                found = self.match_at(prepared.text, head.start())
                if found is not None:
                    position = found[1]
                    yield found


Span = tuple[int, int]


def fact(prepared: Prepared, kind: FactKind, value: Value, span: Span, key: str = "") -> Fact:
    """Build a fact from a span of the prepared text, with its context."""
    start, end = span
    text = " ".join(prepared.text[start:end].split()).strip(" ,.;")
    context = prepared.context(start, end)
    holder = prepared.holder(start, end) if kind == "modality" else frozenset()
    # An amount or a share given as an example ("misalnya 1 juta", "misal naik 10% aja") is a
    # suggestion, not the rule.
    aside = (
        prepared.aside(start)
        or (
            kind in ("money", "percentage")
            and bool(_EXAMPLE.search(prepared.text, max(0, start - 30), start))
        )
        # "Permendikbud Nomor 82 Tahun 2015 sudah dicabut", "PP 16/2021, yang mencabut PP
        # 36/2005": the old rule, named as repealed.
        or (
            kind == "law"
            and bool(
                REPEALED_AFTER.match(prepared.text, end)
                or REPEALS_BEFORE.search(prepared.text, max(0, start - 40), start)
            )
        )
        # "Batas Rp200 juta merupakan ketentuan lama sebelum perubahan tahun 2019", "tarif 10%
        # itu sudah tidak berlaku": the old rule, named as such after the value.
        or (
            kind not in ("law", "article")
            and bool(
                _OLD_AFTER.match(prepared.text, end)
                or _FORMERLY_BEFORE.search(prepared.text, max(0, start - 30), start)
            )
        )
        # "12 tahun x 12 bulan x 800rb": a factor of a sum worked out, not a rule.
        or (
            kind not in ("law", "article")
            and bool(
                _TIMES_BEFORE.search(prepared.text, max(0, start - 3), start)
                or _TIMES_AFTER.match(prepared.text, end)
            )
        )
        # "seperdelapan bila pewaris meninggalkan anak, dan seperempat bila pewaris tidak
        # meninggalkan anak": a share for the case the other way round.
        or (kind == "share" and _for_the_contrary_case(prepared.text, start, end))
    )
    above = at_least = False
    if kind == "count":
        before = prepared.text[max(0, start - 16) : start]
        above = bool(_ABOVE.search(before))
        at_least = bool(_AT_LEAST.search(before) or _OR_MORE.match(prepared.text, end))
    return Fact(
        kind,
        value,
        text,
        start,
        end,
        key,
        context,
        aside=aside,
        holder=holder,
        above=above,
        at_least=at_least,
    )


# A rule's case, named as so ("bila pewaris meninggalkan anak", "jika ada anak") or as not so
# ("bila pewaris tidak meninggalkan anak", "jika tidak ada anak").
_IF = r"\b(?:bila|jika|apabila|kalau|kalo|klo|if)"
_HAS = r"(?:ada|meninggalkan|punya|mempunyai|memiliki|have|has|leave|leaves)\b"
_NOT = r"(?:tidak|tak|belum|no)\b"
_CONTRARY_CASE = re.compile(rf"{_IF}\s+(?:[\w-]+\s+){{0,3}}?{_NOT}\s+{_HAS}", re.IGNORECASE)
_CASE = re.compile(rf"{_IF}\s+(?:(?!{_NOT})[\w-]+\s+){{0,3}}?{_HAS}", re.IGNORECASE)
_ANOTHER_CASE = re.compile(rf"{_IF}\b|\bsedangkan\b", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[,;.\n]")
_SENTENCE_BREAK = re.compile(r"[.;\n]")
_AFTER_END = re.compile(r"[,;.\n(]")


def _for_the_contrary_case(text: str, start: int, end: int) -> bool:
    """Is the value stated, in its clause, for a case named as not so, beside the case that is
    ("seperdelapan bila pewaris meninggalkan anak, dan seperempat bila pewaris tidak
    meninggalkan anak")?"""
    low = max(text.rfind(".", 0, start), text.rfind("\n", 0, start)) + 1
    high = min(i for i in (text.find(".", end), text.find("\n", end), len(text)) if i >= 0)
    if not _CASE.search(text, low, high):
        # Not a rule with two cases, each with its share: the case named is the asker's own.
        return False
    # (Its clause after it ends where an aside in brackets opens: "1/8 kalau almarhum punya anak
    # (kalau tidak punya anak, baru 1/4)" names the other share's case there.)
    after = _AFTER_END.split(text[end : end + 80], maxsplit=1)[0]
    before = text[max(0, start - 80) : start]
    sentence = _SENTENCE_BREAK.split(before)[-1].lstrip(" -*\u2022")
    # (A condition fronted in the sentence holds up to the next one: "Jika tidak ada anak, 1/4;
    # jika ada, 1/8".)
    fronted = _CONTRARY_CASE.match(sentence)
    return bool(
        _CONTRARY_CASE.search(after)
        or _CONTRARY_CASE.search(_CLAUSE_END.split(before)[-1])
        or (fronted and not _ANOTHER_CASE.search(sentence, fronted.end()))
    )


def overlaps(span: Span, taken: list[Fact]) -> bool:
    """True when a span falls inside a fact already found ("1 Tahun" in "UU No. 1 Tahun 1974")."""
    start, end = span
    return any(f.start < end and start < f.end for f in taken)
