"""Opposite polarity in aligned sentences: the same point stated once affirmed, once negated.

Pure functions, no Django. Where `conclusions.py` reads conclusions through fixed phrases per
topic, this reads any polar word: each sentence's polar words are normalised to a concept and a
sign ("dilarang" is "boleh" negated, "batal" is "sah" negated, "ditolak" is "diterima" negated),
a negator just before a word ("tidak", "bukan", "belum", "not", "n't", "no") flips its sign, and
two sentences that speak of the same point (`about`) state opposite sides when a concept has
one sign in one and the other sign in the other, and neither sentence holds both signs itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Each concept with its positive and negative polar words. Antonyms share a concept with
# opposite signs: "dilarang" is "boleh" negated.
CONCEPTS: dict[str, tuple[str, str]] = {
    "sah": (
        "sah valid berlaku mengikat legal lawful binding enforceable diakui recognised recognized",
        "batal void invalid illegal unlawful kedaluwarsa dicabut gugur cacat",
    ),
    "boleh": (
        "boleh diperbolehkan dibolehkan diizinkan dibenarkan diperkenankan allowed permitted "
        "silakan may",
        "dilarang terlarang haram larangan prohibited forbidden banned",
    ),
    "wajib": (
        "wajib harus diwajibkan diharuskan mesti perlu memerlukan membutuhkan required mandatory "
        "dipersyaratkan disyaratkan "
        "must obliged obligated kewajiban keharusan berkewajiban diwajibkan",
        "opsional sukarela optional voluntary",
    ),
    "pidana": (
        "dipidana dipenjara dijerat dituntut dihukum pidana punishable prosecuted criminal crime",
        "",
    ),
    "hak": ("berhak entitled eligible mendapat mendapatkan memperoleh menerima receive", ""),
    "gugat": ("digugat menggugat ditagih menagih sue sued enforce enforced collected", ""),
    "diterima": ("diterima dikabulkan cair dicairkan accepted granted", "ditolak rejected denied"),
}
LEXICON: dict[str, tuple[str, int]] = {
    word: (concept, sign)
    for concept, (positive, negative) in CONCEPTS.items()
    for sign, words in ((1, positive), (-1, negative))
    for word in words.split()
}
NEGATORS = _words(
    "tidak tak bukan belum tanpa jangan not no never cannot cant isnt arent doesnt dont wont "
    "without"
)
# Words that may stand between a negator and its polar word ("tidak dapat dipidana", "tidak
# secara otomatis sah", "tidak langsung dipenjara", "cannot be prosecuted"): they pass the
# negation on.
BETWEEN = _words(
    "akan lagi pernah secara otomatis langsung hukum serta merta sertamerta sama sekali dapat bisa "
    # "tidak terdapat kewajiban": there is none.
    "terdapat "
    "boleh be tegas eksplisit "
    "have has a an any legally automatically immediately ada to is are can could may made "
    "considered deemed dianggap menjadi become becomes rendered tindak merupakan termasuk suatu "
    "sebuah punya memiliki mempunyai persoalan masalah ranah urusan dijatuhi dijatuhkan dikenai "
    "dikenakan kena divonis sepenuhnya seluruhnya selalu entirely always necessarily fully "
    "dilakukan dilaksanakan dijalankan kekuatan berarti dengan sendirinya memberi memberikan anda "
    "kamu "
    # "tidak bikin kamu langsung dipenjara", "tidak menimbulkan kewajiban": the negation is
    # of what it would cause.
    "membuat bikin menjadikan menimbulkan melahirkan "
    # "gk sampe pidana", "tidak sampai dipenjara": not as far as that.
    "sampai sampe"
)
_TOKEN = re.compile(r"[a-z]+(?:'t)?")
_MEANS_REACH = 6


# "bukan alasan yang dibenarkan", "bukan perbuatan yang dilarang": a thing denied its quality,
# said as "tidak dapat dibenarkan", "tidak dilarang". Not "bukan cuma dia yang salah" (not only
# he) nor "bukan kamu yang nanggung" (someone else does): those deny the subject.
DENIED_THING = (
    r"\bbukan(?:lah)?\s+(?!(?:hanya|cuma|sekadar|saja|kamu|anda|dia|ia|saya|aku|kami|kita|mereka"
    r"|beliau|lo|lu|elo)\b)(?:[\w-]+\s+){1,2}?(?:yang|yg)(?=\s)"
)


# What "tergantung" leaves a matter to when it names no case: the other side's goodwill
# ("tergantung kebaikan hati majikan"); `leads.CONDITION` does not cut a clause there.
GOODWILL = r"\s+(?:pada\s+|sama\s+|dari\s+)?(?:kebaikan|kemurahan|kerelaan|belas\s+kasihan)\b"


# Multi-word phrases read as one polar word (the first matching phrase wins, longest first).
PHRASES: tuple[tuple[str, str], ...] = (
    (r"batal\s+demi\s+hukum|batal\s+karena\s+hukum|null\s+and\s+void", "batal"),
    # "aturan baru gak berlaku mundur", "asas tidak berlaku surut": a rule that does not reach
    # back, not one that is void.
    (
        r"(?:tidak|tak|gak|gk|nggak|ngga|ga|enggak)\s+(?:(?:bisa|dapat)\s+)?(?:di)?berlaku(?:kan)?"
        r"\s+(?:surut|mundur)|non[\s-]?retroaktif|not\s+retroactive",
        "tidakberlakusurut",
    ),
    (
        r"melanggar\s+hukum|melawan\s+hukum|bertentangan\s+dengan\s+hukum|against\s+the\s+law"
        r"|breaks?\s+the\s+law|breach(?:es)?\s+the\s+law"
        r"|tidak\s+sesuai\s+(?:dengan\s+)?(?:aturan|ketentuan|peraturan|hukum|undang-undang)",
        "melanggarhukum",
    ),
    (
        r"(?:ranah|masalah|persoalan|urusan|perkara|sengketa|hubungan)\s+perdata|civil\s+(?:matter|debt"
        r"|dispute|case|claim\s+only)|purely\s+civil|wanprestasi\s+biasa"
        r"|(?:cukup|hanya|sekadar|hanyalah)\s+(?:diselesaikan\s+)?secara\s+administratif"
        r"|(?:purely|only|merely)\s+administrative",
        "ranahperdata",
    ),
    (
        r"dilaporkan\s+ke\s+polisi|melapor(?:kan)?\s+ke\s+polisi"
        r"|lapor(?:kan)?(?:\s+(?:saja|segera|langsung|dia|ia|mereka|pelaku))?\s+ke\s+polisi"
        r"|reported\s+to\s+the\s+police|report\s+(?:it\s+|them\s+|him\s+|her\s+)?to\s+the\s+police",
        "dipidana",
    ),
    # "Melindungi anak Anda dari tuntutan pidana": kept out of a prosecution; "tidak
    # membebaskan Anda dari pertanggungjawaban pidana": not kept out of it.
    (
        r"(?:tidak|tak|bukan)\s+(?:serta[- ]?merta\s+|(?:secara\s+)?otomatis\s+|langsung\s+)?"
        r"(?:melindungi|membebaskan|menyelamatkan)"
        r"\s+(?:[\w-]+\s+){0,3}?dari\s+(?:tuntutan\s+|ancaman\s+|jerat(?:an)?\s+"
        r"|pertanggungjawaban\s+)?(?:pidana|penjara|hukuman)",
        "dipidana",
    ),
    (
        r"(?:melindungi|membebaskan|menyelamatkan|protects?|shields?)\s+(?:[\w-]+\s+){0,3}?"
        r"(?:dari|from)\s+(?:tuntutan\s+|ancaman\s+|jerat(?:an)?\s+|pertanggungjawaban\s+)?"
        r"(?:pidana|penjara|hukuman"
        r"|prosecution|criminal\s+liability)",
        "not dipidana",
    ),
    (r"tindak\s+pidana|criminal\s+offen[cs]e", "pidana"),
    # "bukan alasan yang dibenarkan": a thing denied its quality, as "tidak dapat dibenarkan".
    (DENIED_THING + r"\s+", "bukan "),
    # "tidak serta-merta membuat pemutusan listrik unit Anda sah": the negation reaches the
    # concept past what is made so.
    (
        r"(?:tidak|tak|bukan)\s+(?:serta[- ]?merta\s+|otomatis\s+|langsung\s+)?"
        r"(?:membuat|menjadikan|bikin)(?:nya)?\s+(?:[\w-]+\s+){0,5}?"
        r"(?=(?:sah|berlaku|legal|boleh)\b)",
        "tidak ",
    ),
    # "Kepemilikan perangkat oleh perusahaan tidak otomatis memberi atasan hak untuk membaca
    # komunikasi pribadi Anda": no right given, so none held.
    (
        r"(?:tidak|tak|bukan)\s+(?:serta[- ]?merta\s+|(?:secara\s+)?otomatis\s+|langsung\s+)?"
        r"(?:memberi|memberikan)\s+(?:[\w-]+\s+){0,4}?hak\b",
        "tidak berhak",
    ),
    # "alasan buat lepas dari kewajiban ganti rugi": freed of a duty.
    (
        r"(?:lepas|bebas|terbebas|terlepas|dibebaskan)\s+dari\s+(?:segala\s+)?(?:kewajiban"
        r"|tanggung\s*jawab)",
        "tidakwajib",
    ),
    # "hal yang perlu Anda perhatikan", "perlu diingat": a note, no duty.
    (
        r"(?:perlu|harus)\s+(?:anda\s+|kamu\s+|di)?(?:perhatikan|catat|dicatat|ingat|diingat"
        r"|ketahui|diketahui|pahami|dipahami|cermati|dicermati|digarisbawahi)\b",
        "catatan",
    ),
    # The name of a defence, no duty: "force majeure (keadaan memaksa)".
    (r"force\s+majeure|keadaan\s+memaksa|keadaan\s+kahar|overmacht", "keadaankahar"),
    # "jadi bukan kamu yg nanggung": a cleft that denies the asker does it denies the verb.
    (
        r"bukan\s+(?:kamu|anda|lu|lo|kalian)\s+(?:yang|yg)\s+(?:nanggung|menanggung|tanggung"
        r"|bayar|membayar|wajib\s+\w+|harus\s+\w+)\b",
        "tidakwajib",
    ),
    (r"\b(?:tidak|tak|bukan)\s+(?:serta[- ]?merta\s+)?berarti\b", "tidakberarti"),
    # "tidak perlu takut lapor": no fear, not no duty.
    (
        r"(?:tidak|tak|gak|nggak|ga)\s+perlu\s+(?:takut|khawatir|cemas|ragu|panik|bingung|worry)",
        "tenang",
    ),
    (
        r"(?:ber)?kekuatan\s+hukum(?:\s+tetap)?|legal\s+force|legally\s+binding|holds\s+up\s+in"
        r"\s+court",
        "berlaku",
    ),
    (
        r"kehilangan\s+hak(?:nya)?|hak(?:nya)?\s+gugur|gugur\s+haknya|loses?\s+the\s+right"
        r"|forfeits?",
        "kehilanganhak",
    ),
    (r"sah-sah\s+saja", "boleh"),
    # "bukan alasan yang dibenarkan untuk pemutusan hubungan kerja": what it would be the reason
    # for may not be done on it.
    (
        r"(?:tidak|tak|bukan)\s+(?:merupakan\s+|menjadi\s+)?(?:alasan|dasar)\s+(?:yang\s+)?"
        r"(?:sah|dibenarkan|diperbolehkan|dibolehkan)",
        "dilarang",
    ),
    # "tidak memenuhi syarat untuk dianggap sah": not valid (the "sah" it names is the test);
    # "tidak memenuhi ketentuan yang berlaku": not valid either (not "berlaku" said of it).
    (
        r"(?:tidak|tak|belum)\s+memenuhi\s+(?:syarat(?:\s+(?:untuk|agar|supaya)\s+(?:dianggap\s+"
        r"|dinyatakan\s+|menjadi\s+)?sah)?|(?:ketentuan|prosedur)(?:\s+hukum)?"
        r"(?:\s+yang\s+berlaku)?)",
        "ilegal",
    ),
    # "Anggapan tersebut sudah tidak sesuai dengan hukum": the claim put is wrong.
    (
        r"(?:anggapan|pendapat|klaim|informasi|pernyataan|kabar|omongan)\s+(?:[\w-]+\s+){0,2}?"
        r"(?:sudah\s+|sama\s+sekali\s+)?(?:tidak|tak|kurang)\s+(?:tepat|benar|sesuai|akurat)"
        # "anggapan bahwa konsumen ... harus didahulukan tidak tepat": the claim, then its verdict.
        r"|(?:anggapan|pendapat|klaim|pernyataan|kabar|omongan)\s+(?:tersebut\s+|itu\s+)?bahwa"
        r"\s[^,.;:]{0,160}?\s(?:tidak|tak|kurang)\s+(?:tepat|benar|akurat)\b",
        "salah",
    ),
    # "melampaui batas yang diperbolehkan": beyond what is allowed is not allowed.
    (
        r"(?:melampaui|melebihi|di\s+atas)\s+(?:batas|ambang)\s+(?:maksimal\s+)?(?:yang\s+)?"
        r"(?:diperbolehkan|dibolehkan|diizinkan|diperkenankan)",
        "dilarang",
    ),
    # "Tetap jalan.": a case or a procedure goes on.
    (r"(?:tetap|masih)\s+(?:akan\s+)?(?:jalan|berjalan|lanjut|diproses)", "dilanjutkan"),
    # "It is fine" (not "a fine of Rp ...").
    (r"\b(?:is|are|it's|that's)\s+(?:perfectly\s+|completely\s+)?(?:fine|okay|ok)\b", "allowed"),
    # A rule that does not exist: "tidak ada aturan yang melarang", "no law against it".
    (
        r"tidak\s+ada\s+(?:aturan|ketentuan|peraturan|hukum|undang-undang|pasal|larangan)"
        r"(?:\s+[\w-]+){0,3}?\s+yang\s+melarang"
        r"|no\s+(?:law|rule|regulation|provision)\s+(?:against|prohibit(?:s|ing)|forbid(?:s|ding)"
        r"|that\s+(?:prohibits|forbids))",
        "tidakdilarang",
    ),
    (
        r"tidak\s+ada\s+(?:aturan|ketentuan|peraturan|hukum|undang-undang|pasal)"
        r"(?:\s+[\w-]+){0,3}?\s+yang\s+(?:mewajibkan|mengharuskan)"
        r"|no\s+(?:law|rule|regulation|provision)\s+(?:requires|requiring|that\s+requires)"
        r"|(?:dikecualikan|dibebaskan|(?:ter)?bebas|(?:memperoleh|mendapat(?:kan)?|diberi|ada)\s+"
        r"(?:pengecualian|pembebasan))\s+dari\s+(?:kewajiban|keharusan|tunggakan|tagihan"
        r"|pembayaran)"
        # "Tidak ada pajak yang harus dibayar", "no separate permission is needed".
        r"|tidak\s+ada\s+(?:[\w-]+\s+){1,3}?yang\s+(?:harus|wajib|perlu|mesti)\b"
        r"|exempt(?:ed)?\s+from|\bno\s+(?:[\w-]+\s+){1,2}?(?:is|are)\s+(?:due|payable|owed"
        r"|required|needed)"
        r"|owes?\s+nothing",
        "tidakwajib",
    ),
    (
        r"(?:hanya(?:lah)?|sekadar|cuma|only|merely|just)\s+(?:sebuah\s+|an?\s+)?"
        r"(?:pelanggaran|sanksi|masalah|urusan)\s+administra(?:tif|si)"
        r"|(?:only|merely|just)\s+an?\s+administrative\s+(?:offen[cs]e|violation|matter|breach)",
        "ranahperdata",
    ),
    # Names of a field or a procedure, not a conclusion that something is a crime.
    (
        r"(?:pertanggungjawaban|hukum|perkara|laporan|proses|jalur|acara|peradilan)\s+pidana"
        r"|criminal\s+(?:law|case|complaint|procedure|justice|code)|secara\s+pidana\s*(?=,)",
        "_",
    ),
    # "... adalah / tetap / bukan ahli waris": a conclusion on who inherits (not a mention).
    (
        r"(?:(?<=adalah\s)|(?<=termasuk\s)|(?<=merupakan\s)|(?<=tetap\s)|(?<=sebagai\s)"
        r"|(?<=bukan\s)|(?<=menjadi\s))ahli\s+waris",
        "ahliwaris",
    ),
    (
        r"\brights?\s+(?:to|of|as|under)\b|\bhak\s+(?:atas|untuk)\b"
        # Not the name of a title to land or a work: "hak tanggungan", "hak milik", "hak cipta".
        r"|\b(?:adalah|merupakan)\s+hak\b(?!\s+(?:tanggungan|milik|guna|pakai|cipta|merek|paten"
        r"|pengelolaan|ulayat|sewa))|\bis\s+(?:a|your|their|his|her)\s+right\b",
        "berhak",
    ),
    # "Kewajiban Anda untuk membayar ganti rugi tidak serta-merta ada": no duty (yet).
    (
        r"kewajiban\s+(?:[\w-]+\s+){0,6}?(?:tidak|tak|belum)\s+(?:serta[- ]?merta\s+|otomatis\s+"
        r"|selalu\s+|langsung\s+)?(?:ada|muncul|timbul|lahir)\b",
        "tidakwajib",
    ),
    # "tidak memiliki dasar hukum yang sah": not valid.
    (
        r"(?:tidak|tak|belum)\s+(?:memiliki|mempunyai|punya|ada)\s+(?:dasar|landasan|alas)"
        r"(?:\s+hukum)?(?:\s+yang)?\s+sah\b",
        "ilegal",
    ),
    (r"syarat\s+mutlak|syarat\s+wajib|mandatory\s+requirement", "wajib"),
    # "tergantung kebaikan hati majikan": left to the other side's goodwill, as "sukarela" is,
    # so no right to it.
    (rf"(?:tergantung|bergantung){GOODWILL}(?:\s+hati)?", "sukarela"),
    # "Tidak memberi cuti / ganti rugi": no entitlement ("memberikan kesaksian" alone is none).
    (r"\b(?:tidak|tak)\s+(?:akan\s+)?(?:memberi|memberikan)\b", "tidakmemberi"),
    # "Pernyataan itu kurang tepat": not right.
    (r"\bkurang\s+(?:tepat|benar|akurat)\b", "keliru"),
    # "may be claimed" is a possibility, not a permission; "may not evict" is a prohibition.
    (r"\bmay\s+(?:also\s+|not\s+)?be\b", "_"),
    (r"\bmay\s+not\b", "not may"),
    (r"\bneed\s+not\b", "not need"),
    (r"\bmust\s+not\b", "prohibited"),
    (
        r"legal\s+(?:entity|entities|personality|person|advice|aid|counsel|action|steps?|basis"
        r"|grounds?|consequences?|adviser|system|status)|badan\s+hukum|bantuan\s+hukum"
        r"|alat\s+bukti\s+yang\s+sah|bukti\s+(?:yang\s+)?sah"
        # The name of a test, not its result: "syarat sah perjanjian", "sah tidaknya".
        r"|syarat(?:-syarat)?\s+sah\w*|sah\s+(?:atau\s+)?tidak\w*"
        # "Salah satu anak": one of them, not "wrong".
        r"|salah\s+(?:satu|seorang)\w*",
        "_",
    ),
)
# Every phrase starts a word: the leading \b lets the scan skip the other positions quickly.
_PHRASE = re.compile(
    r"\b(?:" + "|".join(f"(?P<p{i}>{p})" for i, (p, _) in enumerate(PHRASES)) + ")"
)


@lru_cache(maxsize=4096)
def phrased_words(sentence: str) -> str:
    """A lowercased sentence with its multi-word polar phrases as one word each."""

    def word(m: re.Match[str]) -> str:
        return next(PHRASES[int(k[1:])][1] for k, v in m.groupdict().items() if v)

    return _PHRASE.sub(word, sentence.lower())


@dataclass(frozen=True, slots=True)
class Stance:
    """The signs a sentence gives each concept."""

    text: str
    signs: dict[str, set[int]]


# Feelings and haste "jangan" advises against, no act: "jangan khawatir", "jangan buru-buru".
_UNFELT = _words(
    "khawatir takut panik lupa ragu sedih kaget marah emosi cemas buru-buru gegabah asal "
    "sampai sampe dulu terlalu langsung"
)


def stance(sentence: str, extra: Mapping[str, tuple[tuple[str, int], ...]] | None = None) -> Stance:
    """The concepts a sentence states and with which sign (`extra`: more polar words, each
    with the concepts and signs it gives)."""
    words = [w.replace("'t", "t") for w in _TOKEN.findall(phrased_words(sentence))]
    signs: dict[str, set[int]] = {}
    negated = False
    carried: set[str] = set()  # concepts of a negated polar word just before
    without = False  # the negation is "tanpa": it does not reach past its word
    reach = 0  # words a "does not mean" negation still reaches over
    advised_against = False  # "jangan" just before
    for word in words:
        if word in NEGATORS:
            # "bukan berarti kamu tidak bisa menagih": two negations, none.
            negated, reach = not (negated and reach), 0
            without = word in ("tanpa", "without")
            advised_against = word == "jangan"
            continue
        if advised_against and word not in LEXICON and word not in _UNFELT and word not in BETWEEN:
            # "jangan blokade": not to be done, as "hindari blokade" (not "jangan khawatir").
            signs.setdefault("boleh", set()).add(-1)
        advised_against = False
        if word == "tidakberarti":
            # "tidak berarti penggunaan sepeda listrik bebas dari batas usia": what it does
            # not mean is its clause's next polar word.
            negated, without, reach = True, False, _MEANS_REACH
            continue
        entries = ((LEXICON[word],) if word in LEXICON else ()) + (
            extra.get(word, ()) if extra else ()
        )
        if entries:
            # "tidak berkewajiban menanggung utang": the verb the negated duty governs is no
            # duty either.
            negate = negated or any(concept in carried for concept, _ in entries)
            for concept, sign in entries:
                signs.setdefault(concept, set()).add(-sign if negate else sign)
            carried = {concept for concept, _ in entries} if negate and not without else set()
            negated = False
        else:
            # Only the word right after it: "tidak melapor ke polisi dapat dipidana" is a crime.
            carried = set()
            if reach:
                reach -= 1
            elif word not in BETWEEN:
                negated = False
    return Stance(sentence, signs)


About = Callable[[Sequence[tuple[str, str]]], list[bool]]


# A twin shares more than this share of its words with the sentence (Jaccard): a near copy.
TWIN_WORDS = 0.3


@lru_cache(maxsize=512)
def _tokens(text: str) -> frozenset[str]:
    return frozenset(_TOKEN.findall(text.lower()))


def _shared_words(first: str, second: str) -> float:
    one, two = _tokens(first), _tokens(second)
    return len(one & two) / (len(one | two) or 1)


def _crossed(
    concept: str, a: Stance, b: Stance, mine: Sequence[Stance], theirs: Sequence[Stance]
) -> bool:
    """Is a sentence paired across with the other answer's sentence on another point, when
    either has a twin there that says the same, in more of the same words ("Pungutan: ...
    wajib dan mengikat" against "Sumbangan: ... tidak mengikat", while each answer states
    both lines)?"""
    near = max(_shared_words(a.text, b.text), TWIN_WORDS)
    return any(
        t.signs.get(concept) == a.signs[concept] and _shared_words(a.text, t.text) > near
        for t in theirs
    ) or any(
        m.signs.get(concept) == b.signs[concept] and _shared_words(m.text, b.text) > near
        for m in mine
    )


def flips(
    fast: Sequence[str], validator: Sequence[str], about: About
) -> list[tuple[str, str, str]]:
    """(concept, fast sentence, validator sentence) where aligned sentences take opposite sides."""
    mine = [s for s in map(stance, fast) if s.signs]
    theirs = [s for s in map(stance, validator) if s.signs]
    candidates = []
    for a in mine:
        for b in theirs:
            for concept, signs in a.signs.items():
                other = b.signs.get(concept)
                if (
                    other
                    and len(signs) == 1 == len(other)
                    and signs != other
                    and not _crossed(concept, a, b, mine, theirs)
                ):
                    candidates.append((concept, a, b))
                    break
    if not candidates:
        return []
    same = about([(a.text, b.text) for _, a, b in candidates])
    found, used = [], set()
    for (concept, a, b), aligned in zip(candidates, same, strict=True):
        if aligned and a.text not in used:
            used.add(a.text)
            found.append((concept, a.text, b.text))
    return found


# Sentences that give an answer's conclusion: the first one (models answer first) and those
# that conclude ("Jadi, ...", "In short, ...").
_CONCLUDES = re.compile(
    r"^\W*(?:jadi|kesimpulannya|singkatnya|intinya|dengan\s+demikian|oleh\s+karena\s+itu"
    r"|artinya|in\s+short|so|therefore|in\s+summary|bottom\s+line)\b",
    re.IGNORECASE,
)


# A conclusion under a condition or with an exception is a rule for one case, not the answer.
_CONDITIONAL = re.compile(
    r"\b(?:jika|jikalau|kalau|apabila|bila|kecuali|asalkan|selama|sepanjang|if|unless|except"
    r"|provided|as\s+long\s+as)\b",
    re.IGNORECASE,
)


def leads(sentences: Sequence[str]) -> list[str]:
    """The unconditional sentences that state an answer's conclusion."""
    return [
        s
        for i, s in enumerate(sentences)
        if (i == 0 or _CONCLUDES.match(s)) and not _CONDITIONAL.search(s)
    ]


def lead_flips(fast: Sequence[str], validator: Sequence[str]) -> list[tuple[str, str, str]]:
    """Opposite signs of one concept in the two answers' conclusions. Both answer the same
    question, so their conclusions need no alignment: "Tidak mendapat pesangon." against "Ya,
    Anda tetap mendapat pesangon." is one point."""
    return flips(leads(fast), leads(validator), lambda pairs: [True] * len(pairs))
