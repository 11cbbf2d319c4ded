"""The conclusion each answer gives to the question, and whether two answers give opposite ones.

Pure functions, no Django. Two models answer the same question, so their conclusions need no
alignment: whatever the words, "Tidak bisa." and "Silakan saja." answer it both ways, and so do
"Kumpul kebo bukan tindak pidana." and "Ya. ... diancam pidana penjara paling lama 6 bulan".

An answer's conclusion (`Lead`) is read from the sentences that answer the question: the first
one (with the next when the first is only "Ya." or a short lead-in), and those that conclude
("Jadi, ...", "Kesimpulannya ...", "In short, ..."). From them come

- an explicit answer: an opening "Ya," / "Tidak." / "Bisa." / "Tidak bisa." / "Silakan." /
  "Sayangnya tidak." / "Not by itself." / "In practice, no." (`yes_no`);
- the signs the sentences give polar concepts (`polarity.stance`, read over multi-word phrases
  such as "melanggar hukum" and "ranah perdata", with "tidak/bukan/not" flipping the word it
  governs), and the sign of a modal verb ("dapat ditarik kembali" / "tidak dapat menariknya
  kembali": the same verb root, once affirmed, once negated).

Two conclusions are opposite when the explicit answers differ, when one concept (or one modal
verb) has one sign in one conclusion and the other sign in the other, or when one answer says
only "Ya"/"Tidak" and the other's conclusion takes the other side on a concept that the
first answer's own sentences state with the sign its "Ya"/"Tidak" implies.

A conclusion under a condition or an exception ("Boleh, asalkan ...", "Tidak, kecuali ...")
states a rule for one case: it is the same rule framed from the other side, not an opposite
answer, so it is read for neither its explicit answer nor its signs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .polarity import BETWEEN, GOODWILL, NEGATORS, phrased_words, stance


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# An opening that answers the question outright, after an optional lead-in ("Secara umum",
# "Sayangnya", "In practice"), followed by punctuation or the end of the sentence (an adverb or
# two may follow: "Tidak bisa langsung.", "Not by itself.").
# The hedges chat answers open with ("Kayaknya sih gk masalah", "Sepertinya bisa") or add after
# the answer word ("Bisa aja sih kayaknya", "Sah aja sih sebenernya").
HEDGES = (
    r"kayaknya|sepertinya|kelihatannya|sebenarnya|sebenernya|sebetulnya"
    # "Harusnya aman sih": it should be.
    r"|harusnya|seharusnya|semestinya"
)
LEAD_IN = (
    # An interjection first: "Hmm, kayaknya susah sih", "Wah, ...".
    # ("Tapi jujur agak susah sih", after a remark: a "but" first.)
    # ("Hehe kayaknya aman-aman aja sih": a laugh first.)
    r"(?:(?:hmm+|hm|wah|duh|aduh|he(?:he)+|ha(?:ha)+|wkwk\w*)\W+)?"
    r"(?:(?:tapi|tp|tetapi|namun)\s+)?"
    r"(?:(?:secara\s+umum|pada\s+dasarnya|pada\s+prinsipnya|dalam\s+praktik(?:nya)?|sayangnya"
    r"|singkatnya|jawabannya|jawaban\s+singkatnya|menurut\s+hukum|secara\s+hukum|in\s+practice"
    r"|generally|in\s+general|unfortunately|in\s+short|short\s+answer|legally|sadly"
    r"|menurut\s+saya|menurutku|menurut\s+aku|pada\s+umumnya|umumnya|biasanya"
    # "Hmm jujur ya, itu hak mereka sih": "jujur ya" is a lead-in, its "ya" no yes.
    rf"|jawaban\s+singkat|in\s+principle|jujur(?:nya)?(?:\s+(?:aja|saja))?\s+ya"
    rf"|jujur(?:nya)?(?!\s+(?:(?:aja|saja)\s+)?ya\b)|{HEDGES}|probably"
    # "Kalau yang kayak gitu sih boleh-boleh aja": as for that case, not a condition.
    r"|kalau\s+(?:yang\s+)?(?:kayak|seperti|kasus)\s+(?:gitu|begitu|itu|ini|gini|begini)"
    # "Kalau formatnya begitu, ...": as for the case the asker describes.
    r"|kalau\s+(?:[a-z]+nya)\s+(?:(?:kayak|seperti)\s+)?(?:gitu|begitu|itu|gini|begini)"
    # "Kalau ke polisi sih gak bisa": as for going to the police (a place or a matter, not a
    # case: "kalau udah lewat sih" is a condition).
    r"|(?:kalau|kalo|klo)\s+(?:ke|di|dari|buat|untuk|soal|masalah|urusan)\s+(?:[\w-]+\s+){0,2}?"
    r"[\w-]+(?=\s+sih\b)"
    # "Buat skala segitu mah aman kok": as for a case of that size.
    r"|(?:buat|untuk)\s+(?:[\w-]+\s+){0,2}?[\w-]+(?=\s+(?:sih|mah)\b)"
    # ("Hmm jujur kayaknya susah deh": two of them.)
    r"|the\s+short\s+answer\s+is|typically|usually|basically)(?:\s+(?:sih|mah))?\W+){0,2}"
)
# Answers that say all is well: "aman", "aman2", "gk papa", "gk masalah".
FINE = r"aman(?:-aman|2)?|tidak\s+(?:masalah|apa-apa|apa2|papa)"
# "Mending jangan deh": better not.
BETTER = r"(?:sebaiknya|mending|mendingan|lebih\s+baik)"
YES = (
    # "boleh-boleh aja", "sah-sah saja": the word doubled.
    r"boleh-boleh|sah-sah|bisa-bisa"
    r"|ya|iya|yes|yeah|yap|yup|yep|benar|betul|bisa|boleh|dapat|dapet|silakan|tentu|tentu\s+bisa|sah|berhak"
    r"|wajib|harus"
    # "Udah cukup kok 👍" asked "itu udh cukup kan?".
    r"|(?:udah\s+|sudah\s+)?cukup"
    rf"|{FINE}|legal|go\s+ahead|no\s+problem|tepat|benar\s+sekali"
    r"|tentu\s+saja|memang\s+(?:bisa|boleh|benar)|jelas\s+(?:bisa|boleh)|pasti\s+bisa"
    r"|definitely|indeed|that's\s+right|right"
    r"|of\s+course|sure|certainly|absolutely|correct|you\s+can|you\s+may|it\s+is|they\s+can"
)
NO = (
    r"tidak|tak|bukan|no|nope|not|tidak\s+(?:bisa|boleh|dapat|dapet|mungkin|otomatis|selalu|sah|wajib"
    r"|perlu|harus|berhak|benar|begitu|legal)|ilegal|belum\s+tentu|you\s+cannot|you\s+can't"
    # "Hmm, kayaknya belum bisa deh.": not yet.
    r"|belum\s+(?:bisa|boleh|dapat)|(?:belum|tidak|kurang)\s+cukup"
    r"|it\s+is\s+not"
    r"|it's\s+not|they\s+cannot|jangan|hindari|don't"
    rf"|{BETTER}\s+(?:jangan|tidak|hindari)"
    r"|avoid\s+it|better\s+not|sama\s+sekali\s+tidak|jelas\s+tidak|tentu(?:\s+saja)?\s+tidak"
    r"|tidak\s+juga|absolutely\s+not|definitely\s+not|certainly\s+not|of\s+course\s+not"
    # "Hmm, kayaknya susah sih 😕": hard to get is a no.
    r"|(?:agak\s+|cukup\s+|bakal\s+)?(?:susah|sulit)"
    r"|not\s+at\s+all|not\s+really|not\s+quite|not\s+necessarily"
)
# Chat particles and a vocative after the answer word: "Bisa kok.", "Boleh dong, Kak".
# ("Aman lah itu, namanya juga parodi": a demonstrative after the particle.)
PARTICLES = r"kok|dong|sih|deh|nih|lah|ya|yah|kak|kakak|pak|bu|gan|bro|sis|mas|mbak|bang|itu"
# The emoji and symbol blocks chat answers end a remark with ("Sah kok 🙂 ...").
EMOJI = "\U0001f300-\U0001faff\u2600-\u27bf"
# What ends an answer word: punctuation, a dash, an emoji.
ENDS = r",.!;:\u2014\u2013" + EMOJI
ADVERBS = (
    r"(?:\s+(?:saja|langsung|otomatis|begitu\s+saja|serta[- ]?merta|sepenuhnya|sama\s+sekali|lagi"
    # "Gk bisa seenaknya gitu dong": not as they please, that way.
    r"|seenaknya|semaunya|sembarangan|sepihak|gitu|begitu"
    # "Ya biasanya emang gitu sih": as things usually are.
    r"|emang|memang|biasanya|umumnya"
    # "agak susah sih jujur", "Masih bisa diupayakan, ...".
    r"|jujur|jujurnya|diupayakan|diusahakan|diperjuangkan|ditempuh"
    rf"|banget|sekali|aja|{HEDGES}"
    r"|really|necessarily|automatically|by\s+itself|on\s+its\s+own|always|quite|entirely"
    rf"|{PARTICLES}))*"
)
_OPENER = re.compile(
    rf"^\W*{LEAD_IN}(?:(?P<no>{NO})|(?P<yes>{YES})){ADVERBS}\s*(?:[{ENDS}]|\s-\s|$)"
)
# A short first clause that ends in the answer: "Untuk overstay 20 hari, tidak."
_CLOSER = re.compile(rf"^[^,.]{{3,60}},\s*(?:(?P<no>{NO})|(?P<yes>{YES})){ADVERBS}\W*$")
# Sentences that conclude.
CONCLUDES = re.compile(
    # "Namun kesimpulannya, ...": a conclusion that turns against what came before.
    r"^\W*(?:(?:namun|tetapi|tapi|but|however)\W+)?"
    r"(?:jadi|kesimpulannya|singkatnya|intinya|pada\s+intinya|dengan\s+demikian|akibatnya"
    r"|oleh\s+karena\s+itu|oleh\s+sebab\s+itu|karena\s+itu|maka|artinya|in\s+short|so"
    r"|therefore|thus|hence|in\s+summary|in\s+conclusion|bottom\s+line|the\s+upshot"
    r"|as\s+a\s+result|consequently"
    # "Dengan memperhatikan hal-hal tersebut, ...", "Berdasarkan uraian di atas, ...".
    r"|(?:dengan\s+memperhatikan|memperhatikan|berdasarkan|mengingat|dari|melihat)\s+"
    r"(?:hal-hal|uraian|penjelasan|semua\s+hal|keseluruhan\s+hal)\s+(?:tersebut|di\s+atas|itu))\b"
)
# A conclusion under a condition or with an exception.
CONDITION = re.compile(
    # "bahkan jika", "apalagi kalau" (all the more if): a reason more, not a condition.
    r"(?<!bahkan\s)(?<!even\s)(?<!apalagi\s)(?<!terlebih\s)"
    r"\b(?:jika|jikalau|kalau|apabila|bila|kecuali|asalkan|asal|selama|sepanjang|if"
    # "tergantung kebaikan hati majikan": left to goodwill, no case named.
    rf"|tergantung(?!{GOODWILL})"
    r"|dalam\s+hal"
    r"|unless|except|provided|as\s+long\s+as|depends|whether)\b"
    # "Tanpa dasar di perjanjian kerja, ...": a fronted "without" states a condition.
    r"|^\W*(?:tanpa|without)\b"
)
# A conclusion limited to some cases: "THR hanya untuk karyawan tetap".
ONLY = re.compile(
    # ("meskipun hanya pada sore hari": even if only, a concession, not a limit.)
    r"\b(?:(?<!yang\s)(?<!meskipun\s)(?<!walaupun\s)(?<!walau\s)(?<!sekalipun\s)hanya"
    r"|(?<!that\s)(?<!which\s)(?<!who\s)(?<!-)(?<!if\s)only"
    # "Ia baru bisa mewaris setelah ...": only once something has happened.
    r"|baru\s+(?:bisa|dapat|boleh|berhak|sah|wajib|akan)"
    # "Lunasi dulu tunggakannya, baru kartunya bisa dipakai": only once that is done.
    r"|,\s*baru(?:lah)?"
    # "Not a crime in itself": a limit, not the whole answer.
    r"|in\s+itself|per\s+se|by\s+itself|as\s+such|dengan\s+sendirinya)\b"
)
# A chat condition ends at its "gitu" without a comma: "kalau udah ngancam gitu posisi Ibu
# riskan".
# (A chat "sih" closes a clause too: "Kalau hasilnya akurat sih harusnya gak masalah".)
_CLAUSE_END = re.compile(r"[,;:\u2014\u2013]|\s-\s|\b(?:gitu|begitu|sih)\b(?=\s+\w)")


# A concession: "tetap tidak diperbolehkan, bahkan jika Anda sudah ...", "meskipun sudah
# didaftarkan, ...". It grants a case and keeps the conclusion: no condition, but no conclusion of
# its own either.
CONCESSION = re.compile(
    r"\b(?:bahkan\s+(?:jika|jikalau|kalau|apabila|bila)|meskipun|walaupun|walau|sekalipun"
    r"|biarpun|even\s+(?:if|though)|although)\b"
)


def _without(pattern: re.Pattern[str], sentence: str) -> str:
    """A sentence without the clauses `pattern` opens (each up to its clause's end)."""
    out = sentence
    while m := pattern.search(out):
        end = _CLAUSE_END.search(out, m.end())
        while end and end[0].isalpha() and len(out[m.end() : end.start()].split()) < 2:
            # "kalau udh gitu boleh kan?": "gitu" is the whole condition ("if so").
            end = _CLAUSE_END.search(out, end.end())
        stop = end.end() if end else len(out)
        out = (out[: m.start()] + " " + out[stop:]).strip()
    return out


# "Keinginan Anda ... dapat dipahami, tetapi mengajukan gugatan ...": what is granted before the
# "but" is not the answer.
_GRANTED = re.compile(
    r"^[^,;]*\b(?:dapat|bisa)\s+(?:dipahami|dimengerti)\s*,\s*(?:tetapi|namun|tapi)\s+"
)


def conceded(sentence: str) -> str:
    """A sentence without its concessions ("..., bahkan jika X" gives "...")."""
    return _without(CONCESSION, _GRANTED.sub("", sentence))


def main_clause(sentence: str) -> str:
    """A sentence without its concessions, conditions and exceptions: "kalau X, Y" and "Y,
    kecuali X" give "Y". The polar words of a condition ("selama Anda tidak melanggar
    kontrak") state no conclusion."""
    return _without(CONDITION, conceded(sentence))


# "tidak wajib bayar pekerjaan yang tidak kamu setujui": what a relative clause excludes limits
# the conclusion to the rest, as "hanya" does ("hanya berkewajiban membayar pekerjaan yang
# telah Anda sepakati" says the same); not one in a reason ("tidak sah karena dilakukan oleh
# pihak yang tidak berwenang").
_EXCLUDING = re.compile(
    r"^(?:(?!\b(?:karena|krn|sebab|sehingga|akibat|because)\b).)*"
    r"\byang\s+(?:tidak|tak|belum|bukan|gk|ga|gak|nggak|ngga|enggak|blm)\b"
)


def qualified(sentence: str) -> bool:
    """Does a sentence state a condition, an exception or a limit ("only", "yang tidak ...")?"""
    lowered = sentence.lower()
    return bool(CONDITION.search(lowered) or ONLY.search(lowered) or _EXCLUDING.search(lowered))


# A sentence that names a question rather than answering it: "apakah ... sah", "sah atau
# tidaknya", "whether it is valid".
# A lead-in to a list ("Berikut langkah yang dapat Anda tempuh:", "... adalah sebagai berikut.",
# "..., terdapat beberapa hak yang tetap dapat Anda perjuangkan:"), not one that answers under
# the conditions it lists ("tetap dapat diajukan, dengan syarat:").
LIST_INTRO = re.compile(
    # "Untuk menjawab pertanyaan ini, perlu dipahami ...": what the answer will go through (not
    # "Untuk menjawab pertanyaan Anda: ya, ...").
    r"^\W*untuk\s+menjawab\s+pertanyaan\b(?![^:]*:\s*(?:ya|tidak|bisa|boleh|benar)\b)|"
    r"^\W*berikut\b|\b(?:sebagai\s+berikut|berikut\s+ini|as\s+follows)\W*$"
    r"|\b(?:beberapa|sejumlah)\s+(?:(?!syarat)[^:])*:\s*$"
    # "Yang bisa kamu lakuin:", "Yang perlu Anda siapkan:": what follows is the list (also after
    # an emoji that ends a remark: "Itu jelas gk profesional 😤 Yg bisa kamu lakuin:").
    rf"|(?:^|[{EMOJI}])\W*(?:hal\s+|langkah\s+)?yang\s+"
    r"(?:bisa|dapat|perlu|harus|sebaiknya)\s+[^:.]{0,40}:\s*$"
)
# Clauses that state no answer: an indirect question, "sah atau tidaknya", a lead-in to a list.
_NEUTRAL = re.compile(
    r"\b(?:apakah|whether|sah\s+atau\s+tidak\w*|sah\s+tidaknya)\b|" + LIST_INTRO.pattern
)
# A first sentence this short (in words) after its explicit answer is a lead-in: the next
# sentence says what the answer is.
SHORT_LEAD = 3
# Sentence ends: a full stop, "!" or "?" and white space, not after an abbreviation ("No. 1",
# "Pasal 1 jo. Pasal 2") nor before a digit; and line breaks.
_ABBREVIATIONS = _words(
    "no nomor art jo dll dsb dst hlm st dr ir prof yth vs e.g i.e etc mr mrs ms sdr bpk"
)
_END = re.compile(r"(?<=[.!?])\s+(?=[^\d\s])|\n+")


# No sentence of a real answer is longer (the labelled pairs' longest: 574 characters); a run of
# text without a stop ("kata0 kata1 ... kata3999", a list run together) is read by its start, so
# that the readers' patterns do not scan it whole again and again.
SENTENCE_CHARS = 1000


def split(answer: str) -> list[str]:
    """An answer's sentences (list items and lines count as sentences), each cut to
    `SENTENCE_CHARS`."""
    out: list[str] = []
    carry = ""
    for piece in _END.split(answer):
        text = (carry + " " + piece).strip() if carry else piece.strip()
        last = text.rsplit(None, 1)[-1].lower().rstrip(".") if text else ""
        if text.endswith(".") and last in _ABBREVIATIONS:
            carry = text
            continue
        carry = ""
        text = text.strip(" \t-*#>")
        if text and not text.endswith("?"):
            out.append(text[:SENTENCE_CHARS])
    if carry:
        out.append(carry.strip(" \t-*#>")[:SENTENCE_CHARS])
    return out


@dataclass(frozen=True, slots=True)
class Part:
    """One concluding sentence as written, and the signs its main clause gives each concept
    (`qualified`: the sentence states a condition, an exception or "only")."""

    text: str
    signs: dict[str, set[int]]
    qualified: bool


@dataclass(frozen=True, slots=True)
class Lead:
    """An answer's conclusion: its explicit answer (1 yes, -1 no, 0 none), the signs its
    concluding sentences give each concept (`signs`; `qualified`: those under a condition or
    with an exception), and those sentences (`parts`)."""

    yes_no: int
    signs: dict[str, set[int]]
    qualified: dict[str, set[int]]
    parts: tuple[Part, ...] = ()
    # The explicit answer is advice ("Jangan.", "Mending jangan deh"): a no to "may I?", not to
    # whatever else the other answer affirms ("termasuk barang kena cukai").
    advice: bool = False

    def stating(self, concept: str) -> str:
        """The first concluding sentence that states a concept ("answer": the first one)."""
        for part in self.parts:
            if concept in part.signs:
                return part.text
        return self.parts[0].text if self.parts else ""


# Polar words read in conclusions only (beside `polarity.CONCEPTS`, which is read everywhere):
# broader, as a conclusion states the answer's point, where the same word elsewhere in an
# answer may describe a side issue. By topic, the positive words, then their antonyms.
LEAD_CONCEPTS: dict[str, tuple[str, str]] = {
    "sah": (
        "absah lawful",
        "ilegal dibatalkan pembatalan batalnya voidable annulled annul rescinded melanggarhukum "
        "unenforceable",
    ),
    "boleh": (
        "dimungkinkan bebas leluasa diizinkan permissible tidakdilarang",
        "jangan hindari melarang larangan melanggar pelanggaran ilegal violates violation "
        "breach breaches avoid melanggarhukum unlawful",
    ),
    "pidana": (
        "kejahatan delik tersangka dipidananya pidananya pemidanaan crime criminal criminally "
        "charged jailed arrested imprisonment imprisoned penjara prison jail",
        "ranahperdata",
    ),
    "wajib": (
        "mensyaratkan disyaratkan diperlukan dibutuhkan mewajibkan mengharuskan memaksa dipaksa "
        "dipaksakan usah necessary requires needs needed force forced compel compelled "
        "menanggung ditanggung bertanggung liable responsible dibebankan membebankan",
        "tidakwajib",
    ),
    "hak": (
        "dijamin covered ahliwaris mewarisi mewaris inherit inherits heir heirs grants granted",
        "kehilanganhak tidakmemberi",
    ),
    "diterima": ("dikabulkan diproses approved", "tertutup refused"),
    # Does a case, a duty or a right go on? "Perkara dihentikan" / "tidak menghapus pidananya".
    "lanjut": (
        "dilanjutkan diteruskan berlanjut continues proceeds",
        "dihentikan berhenti menghentikan dihapus terhapus menghapus menghapuskan hapus stops "
        "ends dropped dismissed extinguishes gugur lapses",
    ),
    # Is the view the question puts right? "No, management is not right."
    "benar": ("benar benarnya right correct tepat", "salah wrong keliru incorrect"),
}


def _lexicon(concepts: dict[str, tuple[str, str]]) -> dict[str, tuple[tuple[str, int], ...]]:
    out: dict[str, tuple[tuple[str, int], ...]] = {}
    for concept, (positive, negative) in concepts.items():
        for sign, words in ((1, positive), (-1, negative)):
            for word in words.split():
                out[word] = (*out.get(word, ()), (concept, sign))
    return out


_EXTRA = _lexicon(LEAD_CONCEPTS)


# A modal and the verb it governs: "dapat ditarik kembali", "tidak bisa menggugat", "cannot be
# revoked". The verb is read as its root, so that "menariknya" matches "ditarik".
_MODALS = _words("dapat bisa boleh can could may mampu")
_MODAL_PASS = _words(
    "be di lagi secara langsung otomatis serta merta saja juga pun tetap masih also still even "
    "then anda kamu kita kami mereka ia dia you they we he she it"
)
_TOKEN = re.compile(r"[a-z]+(?:'t)?")
_RELATIVE = _words("yang that which")
_VERB_PREFIX = re.compile(r"^(?:mem|meng|meny|men|me|di|ter|ber|per)")
_VERB_SUFFIX = re.compile(r"(?:kannya|nya|kan|lah|i|ed|d|s)$")


def verb_root(word: str) -> str:
    """A verb's root, crude but symmetric: "menariknya", "ditarik", "tarik" all give "tarik";
    "menggugat" and "digugat" give "gugat"; "revoked" and "revoke" give "revok"."""
    root = word
    if len(root) > 5:
        root = _VERB_SUFFIX.sub("", root)
        root = root[:-1] if root.endswith("e") and len(root) > 4 else root
    if len(root) > 5:
        stripped = _VERB_PREFIX.sub("", root)
        prefix = root[: len(root) - len(stripped)]
        # Nasal assimilation: me+narik <- tarik, me+mukul <- pukul, me+nyewa <- sewa.
        initial = {"men": "t", "mem": "p", "meny": "s"}.get(prefix, "")
        if initial and stripped[:1] in "aeiou":
            stripped = initial + stripped
        root = stripped
    return root[:6]


def modal_signs(sentence: str) -> dict[str, set[int]]:
    """The sign of each modal verb in a sentence: "tidak dapat menarik" gives {"modal:tarik":
    {-1}}, "dapat ditarik" {"modal:tarik": {1}}."""
    words = [w.replace("'t", "t") for w in _TOKEN.findall(sentence)]
    signs: dict[str, set[int]] = {}
    negated = False
    # A negated noun carries its negation into its relative clause: "bukan kewajiban yang bisa
    # dipaksakan" negates "bisa dipaksakan".
    relative = -1
    i = 0
    while i < len(words):
        word = words[i]
        if word in ("cannot", "cant", "couldnt"):
            negated, word = True, "can"
        elif word in NEGATORS:
            negated, relative = True, i
            i += 1
            continue
        elif word in _RELATIVE and 0 <= i - relative <= 3:
            negated = True
            i += 1
            continue
        if word in _MODALS:
            j = i + 1
            while j < len(words) and (words[j] in _MODAL_PASS or words[j] in _MODALS):
                j += 1
            if j < len(words) and len(words[j]) > 3 and words[j] not in NEGATORS:
                key = "modal:" + verb_root(words[j])
                signs.setdefault(key, set()).add(-1 if negated else 1)
            negated, relative = False, -1
            i = j
            continue
        if word not in BETWEEN:
            negated = False
        i += 1
    return signs


# "Ancaman pidana suap tidak berlaku", "the penalty does not apply": what comes before such a
# predicate is negated.
_LAPSES = re.compile(
    r"\b(?:tidak|tak)\s+(?:lagi\s+)?berlaku\b|\b(?:does|do)\s+not\s+apply\b"
    r"|\bno\s+longer\s+appl(?:y|ies)\b"
)
_CLAUSES = re.compile(r"[,;:]")


def concept_signs(sentence: str, *, one_duty: bool = True) -> dict[str, set[int]]:
    """The signs a concluding sentence gives each concept and each modal verb (`one_duty`:
    an entitlement read as the other party's obligation)."""
    phrased = phrased_words(sentence)
    signs: dict[str, set[int]] = {}
    for clause in _CLAUSES.split(phrased):
        lapse = _LAPSES.search(clause)
        if lapse:
            before = stance(clause[: lapse.start()], _EXTRA).signs
            for concept, values in before.items():
                signs.setdefault(concept, set()).update(-v for v in values)
            clause = clause[lapse.start() :]
        for concept, values in stance(clause, _EXTRA).signs.items():
            signs.setdefault(concept, set()).update(values)
    for key, value in modal_signs(phrased).items():
        signs.setdefault(key, set()).update(value)
    # One party's entitlement is the other's obligation ("berhak atas pesangon" / "tidak wajib
    # membayar pesangon"): one concept, as in `conclusions.py`.
    if one_duty and "hak" in signs:
        signs.setdefault("wajib", set()).update(signs.pop("hak"))
    return signs


_ADVICE = re.compile(rf"(?:{BETTER}\s+)?(?:jangan|hindari)")


def lead(sentences: Sequence[str]) -> Lead:
    """The conclusion of an answer, given its sentences in order."""
    lowered = [s.lower().replace("*", "").replace("_", "") for s in sentences]
    if not lowered:
        return Lead(0, {}, {})
    yes_no, advice = 0, False
    first = lowered[0]
    if opener := _OPENER.match(first) or _CLOSER.match(first):
        first = first[opener.end() :]
        if not CONDITION.search(first):
            yes_no = 1 if opener["yes"] else -1
            advice = bool(opener["no"] and _ADVICE.match(opener["no"]))
    read = {0: first}
    if len(first.split()) <= SHORT_LEAD and len(lowered) > 1:
        read[1] = lowered[1]
    read.update((i, s) for i, s in enumerate(lowered) if i and CONCLUDES.match(s))
    # The last sentence: models often close on their conclusion.
    read[len(lowered) - 1] = lowered[-1] if len(lowered) > 1 else first
    signs: dict[str, set[int]] = {}
    qualified: dict[str, set[int]] = {}
    parts = []
    for i in sorted(read):
        # Clauses joined by a semicolon are read as sentences of their own: "tidak ada aturan
        # yang melarangnya; yang dilarang hanya di sekolah" limits only its second clause.
        for clause in read[i].split(";"):
            if not clause.strip() or _NEUTRAL.search(clause):
                continue
            main = main_clause(clause)
            limited = (
                main != conceded(clause)
                or bool(ONLY.search(clause))
                or bool(_EXCLUDING.search(main))
            )
            found = concept_signs(main)
            into = qualified if limited else signs
            for concept, values in found.items():
                into.setdefault(concept, set()).update(values)
            parts.append(Part(sentences[i], found, limited))
    return Lead(yes_no, signs, qualified, tuple(parts), advice)


def _single(signs: dict[str, set[int]], concept: str) -> int:
    values = signs.get(concept, set())
    return next(iter(values)) if len(values) == 1 else 0


# A negated first sentence ("PLN tidak memberi ganti rugi", "No royalty is due") answers "no".
_NEGATION = re.compile(
    r"\b(?:tidak|tak|bukan|belum|no|not|never|nothing|cannot|can't|won't|isn't|aren't|doesn't"
    r"|don't)\b"
)


def implied(lead: Lead) -> int:
    """The answer a conclusion without an explicit one implies, reading the question as asked
    the positive way round ("is it valid / allowed / punishable?"): 1 when every concept it
    states is affirmed, -1 when every one is negated; with no concept at all, -1 when its
    first sentence is negated; 0 otherwise."""
    values = {v for signs in lead.signs.values() for v in signs}
    if len(values) == 1:
        return next(iter(values))
    if not values and lead.parts and not lead.parts[0].qualified:
        first = lead.parts[0].text.lower()
        return -1 if _NEGATION.search(first) else 0
    return 0


Rule = Literal["answer", "conclusion", "condition", "implied"]


@dataclass(frozen=True, slots=True)
class Opposition:
    """Why two conclusions are opposite: the `rule` that found it and the `concept` ("sah",
    "boleh", "modal:tarik", or "answer" for "Ya" against "Tidak")."""

    rule: Rule
    concept: str


def opposite(mine: Lead, theirs: Lead) -> Opposition | None:
    """Where two answers' conclusions take opposite sides, or None."""
    if mine.yes_no and theirs.yes_no and mine.yes_no != theirs.yes_no:
        return Opposition("answer", "answer")
    for concept in sorted(mine.signs.keys() | mine.qualified.keys()):
        a, b = _single(mine.signs, concept), _single(theirs.signs, concept)
        # Two answers that each state both sides of a concept in their conclusions (one flat,
        # one under a condition: "valid if ...; otherwise void") weigh the same rule.
        weighed = all(
            len(lead.signs.get(concept, set()) | lead.qualified.get(concept, set())) == 2
            for lead in (mine, theirs)
        )
        if a and b and a != b and not weighed:
            return Opposition("conclusion", concept)
        if concept.startswith("modal:"):
            continue
        qa, qb = _single(mine.qualified, concept), _single(theirs.qualified, concept)
        # A rule under a condition against a flat statement of the other side, where the
        # conditional answer states nothing flat on it: "boleh, selama disepakati" / "dilarang".
        # Both under conditions: the same rule framed both ways ("boleh, kecuali ..." /
        # "dilarang, kecuali ...").
        if (a and not b and qb and a != qb) or (b and not a and qa and b != qa):
            return Opposition("condition", concept)
    # A bare "Ya." / "Tidak." against a conclusion that only affirms (or only negates): read
    # the question the positive way round. Only when the bare answer states no sign itself.
    # Advice ("Jangan.") says no only to a conclusion that something may be done.
    for x, y in ((mine, theirs), (theirs, mine)):
        bare = x.yes_no and not y.yes_no and not x.signs and implied(y) == -x.yes_no
        if bare and (not x.advice or y.signs.get("boleh") == {1}):
            return Opposition("implied", "answer")
    return None
