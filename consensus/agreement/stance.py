"""The answer each answer gives to the asker's yes/no question, read against that question.

Pure functions, no Django. Both answers answer the same question ("bisa kena pidana?", "boleh
ga?", "harus dilaporin?", "do I need permission?"), so the question says what their conclusions
are about and which way round it is asked. `asked` reads the question: is it a yes/no question,
which concepts and signs it states ("berhenti" asks whether a case ends), and its predicate
words (those after its modal verb: "bisa suruh **bongkar**"). `stance` reads an answer's answer
to it, from the first sentence and the concluding ones:

- an explicit yes or no at the start ("Bisa.", "Tetap dapat.", "Probably not.", "Tidak benar");
- a concept the question states, with the answer's sign times the question's ("Kasusnya
  otomatis berhenti kan?" / "perkara dapat dihentikan": yes);
- the question's predicate negated ("tidak punya dasar untuk membongkar", "bukan objek PPh",
  "pembongkaran tidak dapat dilakukan") or affirmed under a modal ("dapat dibongkar");
- the asker's chances stated ("peluangnya sudah tertutup", "masih ada peluang").

A stance read under a condition or an exception ("Boleh, asalkan ...", "Tidak, kecuali ...")
is `qualified`: the rule for one case, which `opposed` weighs apart (see there).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from .facts import STOPWORDS, plain_negators, stem, unnasal
from .leads import (
    ADVERBS,
    CONCLUDES,
    CONDITION,
    EMOJI,
    ENDS,
    FINE,
    HEDGES,
    LEAD_IN,
    LIST_INTRO,
    NO,
    ONLY,
    YES,
    conceded,
    concept_signs,
    main_clause,
    modal_signs,
    split,
)
from .polarity import LEXICON, NEGATORS

# A question that asks for a value, a place, a way or a reason, not for a yes or a no; "apa" is
# one only when it is not the question's first word ("Apa girik itu sah?" asks yes or no), or
# when a noun of "-nya" follows it ("Apa bedanya ...?", "apa konsekuensinya?": what is it). A
# clause may open with it too: "anak 15 thn nyuri hp, apa dia bakal dipenjara?".
# "apa syaratnya?" asks what; "apa sawahnya harus balik?" asks whether (a modal follows).
_WHAT_NYA = (
    r"[^\W\d_]+nya\b(?!\s+(?:harus|hrs|bisa|boleh|wajib|perlu|dapat|sah|masih|tetap|bakal"
    r"|akan|otomatis|langsung)\b)"
)
_APA = re.compile(
    r"(?:^|,)\W*(?:terus|lalu|jadi|emang|memang)?\s*apa\s+(?!yang\b|saja\b|aja\b|" + _WHAT_NYA + ")"
)
_WH = re.compile(
    r"\b(?:berapa|brp|seberapa|bagaimana|gimana|gmn|kapan|siapa|di\s?mana|ke\s?mana|kemana"
    rf"|mana|manakah|apa\s+(?:saja|aja|yang|{_WHAT_NYA})|how|what|when"
    # ("perlu ngurus izin apa gk sih?": "apa gk" is "or not", a tag.)
    r"|where|which|who|whom|why|kenapa|mengapa|knp|apa(?!\s+(?:tidak|enggak)\b)|ngapain|ngapa)\b"
)
# A purpose clause: "..., biar tau dia kemana aja".
_PURPOSE = re.compile(r"\s*\b(?:biar|supaya|agar)\b.*$")
# "PN atau PA?": a choice between two answers, not a yes or a no ("atau tidak" is a tag).
_CHOICE = re.compile(r"\b(?:atau|or)\s+(?!tidak\b|bukan\b|not\b|belum\b)")
# A tag after a modal or at the end ("boleh ga ...", "... ga sih?", "... kan?", "or not").
_TAG = re.compile(
    r"\b(?:atau\s+|apa\s+)?(?:tidak|bukan|belum)(?=\s+(?:sih|ya|yah|nih)\b|\W*$"
    # "sah gk kyk gt?": the tag before "like that".
    r"|\s+(?:(?:kayak|kyk|kek|seperti)\s+)?(?:gitu|gt|begitu|gini|begini)\W*$)"
    r"|\b(?:kan|sih|ya|yah|nih|dong|or\s+not)\W*$"
)
# The second alternative that is what the first's "no" would mean: "bisa sy langsung minta
# eksekusi skrg atau hrs nunggu?", "apa msh wajib lapor atau akta jepang aja cukup?".
_OTHERWISE = re.compile(
    r"(?:harus|hrs|mesti|musti|wajib|perlu)\s+(?:nunggu|menunggu|tunggu)\b|[^,?]*\b(?:aja|saja)\s+"
    r"cukup\b"
)
# The "no" that tags a first alternative ("bisa gk, atau ...").
_NO_TAG_END = re.compile(r"\b(?:tidak|bukan|belum)(?:\s+(?:sih|ya|yah|nih))?\W*$")
# "boleh gk kyk gitu?": "like that" names the act the story told, no predicate of its own; nor
# is "secara hukum" (legally) after a modal verb ("Boleh gk sih kayak gitu secara hukum?").
_LIKE_THAT = re.compile(r"\b(?:kayak|kyk|kek)\s+(?=(?:gitu|gt|begitu|gini|begini)\b)")
_LEGALLY = re.compile(r"\b(?:secara|scr|menurut|di\s+mata)\s+hukum\b")
# Asked of doing it just like that, at will: "dipotong gitu aja", "seenaknya", "sembarangan".
_OFFHAND = re.compile(
    r"\b(?:gitu|begitu|gt)\s+(?:aja|saja|doang)\b|\b(?:seenaknya|sembarangan|semena-mena)\b"
)
_MODAL_TAG = re.compile(r"\b(bisa|boleh|harus|wajib|perlu|dapat|benar|bener)\s+(?:tidak|bukan)\b")
_MODAL = re.compile(
    r"\b(?:bisa|boleh|dapat|dapet|harus|wajib|perlu|mesti|berhak|can|could|may|must|need|needs"
    r"|have\s+to|has\s+to|will|would|allowed|required|entitled)\b"
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Modals that ask whether something may or can be done ("dapet" is "get").
_MAY = _words("bisa boleh dapat berhak can could may allowed entitled")
_MUST = _words("harus wajib perlu mesti must need needs required") | {"have to", "has to"}
# Words after a modal that do not say what is asked ("bisa **kena** pidana", "bisa **suruh**
# bongkar", "do I **need** a ...").
_LIGHT = _words(
    "kena terkena jadi menjadi suruh disuruh minta dong sih juga jg lagi beneran sampai sampe "
    "ada punya dipake pake pakai apa saya sy aku kami kita anda kamu dia ia mereka i we you he "
    "she they it me us him them my our your his her their still also even tetap masih udah "
    "sudah langsung otomatis get be have do nanti malah gitu begitu bener benar emang memang kan"
)
_NOT_CONTENT = STOPWORDS | _LIGHT
_WORD = re.compile(r"[^\W\d_]+")
# Colloquial forms read as the standard ones: "bener" is "benar", "dibolehin" is "dibolehkan".
_COLLOQUIAL = (
    (re.compile(r"\bbener\b"), "benar"),
    (re.compile(r"\bemg\b"), "emang"),
    (re.compile(r"\btetep\b"), "tetap"),
    (re.compile(r"\bato\b"), "atau"),
    # "aman kan kalo gitu?", "klo gitu legal dong?": in that case ("jadi"), not a condition.
    (re.compile(r"\b(?:kalo|klo|kalau)\s+(?:gitu|gt|begitu)\b"), "jadi"),
    # "mau gk mau dilunasin dulu": like it or not, it must be.
    (re.compile(r"\bmau\s+tidak\s+mau\b"), "harus"),
    (re.compile(r"\b(?:msh|masi)\b"), "masih"),
    # "tidak serta-merta menjadi dasar pembongkaran": one word, so the negation reaches as far.
    (re.compile(r"\bserta[- ]?merta\b"), "sertamerta"),
    (re.compile(r"\bdi(\w{3,}?)in\b"), r"di\1kan"),
    # "bisa batal & minta duit balik?": to cancel, the asker's act, not "void" (a validity
    # question reads "perjanjiannya batal gk?", "bisa batal demi hukum").
    (
        re.compile(r"\b(bisa|boleh|dapat|mau|pengen|ingin)\s+batal\b(?!\s+(?:demi|karena)\b)"),
        r"\1 membatalkan",
    ),
    # Names with a negator in them negate nothing: "Pekerja Bukan Penerima Upah",
    # "Penghasilan Tidak Kena Pajak".
    (re.compile(r"\bbukan\s+penerima\s+upah\b"), "bukanpenerimaupah"),
    (re.compile(r"\bpenghasilan\s+tidak\s+kena\s+pajak\b"), "penghasilantidakkenapajak"),
)
# "Bener?", "is that right?": the question is whether the claim before it is right.
_RIGHT = re.compile(
    # "gitu ya?" after a claim: is it so? "HRD bener gk sih?": is its maker right?
    r"^\W*(?:gitu|begitu|gt)\s+(?:ya|yah|kah|kan)\W*$"
    r"|^\W*(?:[^\W\d_]+\s+){1,2}(?:benar|betul)(?:\s+(?:tidak|gitu|begitu|sih|ya|kah|itu))*\W*$"
    r"|^\W*(?:apa\s+|apakah\s+)?(?:(?:emang|memang)\s+(?=benar|betul))?"
    r"(?:benar|betul|beneran|iya|masa|emang|memang|is\s+(?:that|this|it)"
    r"\s+(?:right|true|correct))(?:\s+(?:gitu|begitu|gt|sih|ya|kah|itu|tidak))*"
    # "bener gk sih omongan sekdes?": the claim named by whose words it was.
    r"(?:\s+(?:omongan|omongannya|kata|katanya|ucapan|ucapannya|perkataan|klaim|pernyataan"
    # "emg gitu ya aturannya?": is that the rule?
    r"|aturannya|hukumnya|aturan)"
    r"(?:\s+[^\W\d_]+){0,2}(?:\s+(?:gitu|begitu|sih|ya|itu|tidak))*)?\W*$"
)
# "bener gk alasan dia?": is the reason they gave right? (Not "bener gk itu alasan yg sah?",
# which asks whether it is valid.)
_RIGHT_REASON = re.compile(
    r"^\W*(?:benar|betul)(?:\s+(?:tidak|sih|ya))*\s+alasan(?:nya|\s+(?:dia|mereka|beliau))\W*$"
)
# A reporter said last: "jd kami gk bisa nuntut apa2 katanya".
_TRAILING_REPORTER = re.compile(r"[,\s]+(?:katanya|kata\s+(?:dia|mereka|beliau))\s*$")
# "Gimana tuh?" after a claim reported.
_HOW_ABOUT = re.compile(
    r"^\W*(?:terus\s+|trus\s+|jadi\s+|jd\s+)?(?:gimana|gmn|bagaimana)\s+(?:tuh|itu|dong)"
    r"(?:\s+(?:ya|sih|kak|pak|bu))*\W*$"
)
# A sentence that carries a reported claim on ("... jadi gk bisa dibalikin. bener gitu?"): a
# conclusion or a modal verb.
_CLAIM_GOES_ON = re.compile(
    r"^\W*(?:jadi|jd|sehingga|makanya|terus|trus|dan|katanya)\b|\b(?:harus|hrs|wajib|bisa|boleh"
    r"|dapat|berhak|perlu|sah|tidak|gk|gak|nggak)\b"
)
# An aside of the asker's after what they ask about ("sy pengen gugat kliniknya. tp kerugian sy gk
# ada yg bentuknya uang. bisa gk?"), or between a reported claim and "Bener?" ("kata sekdes ...
# padahal gk ada papan batas muatan. bener gk?"; so is a plain fact of the asker's, "dosen sy
# bilang ... kontrak sy cuma 1 lembar. bener gk?").
_ASIDE = re.compile(r"^\W*(?:padahal|tapi|tp|tetapi|namun|sedangkan|walaupun|meskipun)\b")
# "X bilang ...", "katanya ...": the claim reported, without who made it.
_REPORTED = re.compile(
    r"^.*?\b(?:bilang|mengatakan|berkata|kata|katanya|menyatakan|says?|said|told\s+\w+)\b\W*"
)


def plain(text: str) -> str:
    """Lowercased, colloquial negators and forms read as the standard ones."""
    out = plain_negators(text).lower().replace("*", "").replace("_", "")
    for pattern, standard in _COLLOQUIAL:
        out = pattern.sub(standard, out)
    return out


def topics(signs: dict[str, set[int]]) -> dict[str, set[int]]:
    """Concept signs with permission, entitlement and lawfulness as one topic: a question
    "berhak?", "boleh?" or "legal?" is answered by "tidak dibenarkan" as by "melanggar hukum"."""
    out: dict[str, set[int]] = {}
    for concept, values in signs.items():
        out.setdefault("boleh" if concept in ("hak", "sah") else concept, set()).update(values)
    return out


# A question's sentences; an emoji after the story ends it ("... baru ditangani 😭 emg boleh
# gitu??").
_SENTENCE = re.compile(rf"(?<=[.?!])\s+|\n+|(?<=[{EMOJI}])\s+(?=[a-z])")


@dataclass(frozen=True, slots=True)
class Question:
    """A yes/no question: the signs it states (`concept_signs` of its main clause, "pidana": 1)
    and the stems of its predicate words."""

    signs: dict[str, int]
    predicate: frozenset[str]
    modal: bool = False
    # -1 when the question negates what it asks ("gk bisa banding lg?", "gk sah dong?").
    polarity: int = 1
    # A duty the asker asks of themselves ("sy harus bayar?") or a right someone else holds
    # over them ("mereka berhak gitu?"): feared, not hoped for.
    against: bool = False
    # A claim someone made, asked as right or not ("kades bilang udh milik umum. Bener gk?").
    claim: bool = False
    # The stems of the asked clause's words: whom it asks about ("konter servisnya bisa
    # dituntut?").
    about: frozenset[str] = frozenset()
    # Asked of a limit ("sy cuma bisa dapet 500rb ya?") or of giving in ("ya udh sy terima aja
    # ya?"): feared.
    limited: bool = False
    # A claim that ends in the asker's favour ("jd sy tetep bisa beli tiket"): hoped right.
    favours: bool = False
    # Asked of doing it just like that ("itu boleh gk sih dipotong gitu aja?"): a yes only
    # under conditions ("hanya sah bila ...") says not like that.
    offhand: bool = False
    # The roots (`_case_root`) of the question's content words, story included: the asker's case.
    story: frozenset[str] = frozenset()


def _content(words: Sequence[str]) -> list[str]:
    return [
        w
        for w in words
        if w not in STOPWORDS and w not in _LIGHT and w not in NEGATORS and len(w) > 2
    ]


# "bisa langsung lelang tanpa ke pengadilan?": what comes after "tanpa" is asked to be absent;
# an answer that negates it ("tidak memerlukan putusan pengadilan") agrees with the question.
_WITHOUT = re.compile(r"\b(?:tanpa|without)\b.*")


# A chat word in the question and the stems of the words a formal answer uses for it ("balik"
# in the question, "tidak dapat diminta kembali" in the answer).
_FORMAL: dict[str, frozenset[str]] = {
    chat: frozenset(stem(w) for w in formal.split())
    for chats, formal in (
        ("balik balikin", "kembali dikembalikan mengembalikan pengembalian"),
        ("ngasih kasih", "memberi memberikan diberikan pemberian"),
        ("dapet dpt", "mendapat mendapatkan memperoleh diperoleh"),
        ("nyewa", "sewa menyewa disewa menyewakan"),
        ("gaji gajinya", "upah upahnya"),
        ("nalangin nalangi", "menalangi ditalangi talangan"),
    )
    for chat in chats.split()
}


_DEMONSTRATIVE = _words("itu ini")
_QUOTED = re.compile(
    r"(?<!\w)'[^'?]{8,}'(?!\w)|\"[^\"?]{8,}\"|\u2018[^\u2019?]{8,}\u2019|\u201c[^\u201d?]{8,}\u201d"
)
# Someone the asker deals with, holding a right over them: "mereka berhak gitu?", "emg bank boleh
# ...?".
_RIGHTS = _words("berhak boleh")
_OTHERS = _words(
    "mereka dia ia pihak sekolah kampus perusahaan kantor bank leasing rs majikan bos atasan "
    "pemilik developer pengelola vendor penjual toko hrd polisi owner manajemen admin kades "
    "satpam tetangga dealer maskapai asuransi takmir kolektor dosen supervisor spv seller sponsor "
    # A debt collector: "jadi DC boleh dong nyebarin ke kontak sy?".
    "dc penagih debtcollector pinjol"
)
# The words of a question that are no party: "boleh gk sih sekolah nolak?".
_PARTICLES = _words("gk gak ga nggak enggak tidak tak sih ya kah dong kok")
# The asker as the subject, or no subject at all: "sy yg hrs bayar?", "hrs dilunasin dulu?".
_ASKER = _words(
    "sy saya aku gue gw gua kami kita aq yg yang jadi jd apa apakah emang emg memang masa terus "
    "trus beneran benar betul"
)
_IF_RUN_ON = re.compile(
    r"^(?P<cond>(?:kalau|kalo|klo|kl|jika|kalau\s+misalnya)\s+[^,?]*)\s+"
    r"(?P<asked>(?:masih\s+|msh\s+|tetep\s+|tetap\s+)?(?:bisa|bs|boleh|wajib|harus|hrs|dapat)\s+"
    r"(?!(?:gk|gak|ga|nggak|enggak|tidak|kan|ya|gitu|kok)\b)\w{3,}[^,]*\?\s*)$"
)
_TAGGED_LAST = re.compile(
    r",\s*(?:sy|saya|aku|gw|gue|kami)\s+(?:\w+\s+){0,2}\w+\s+(?:kan|ya|gk|gak|ga|nggak)\W*$"
)
# A claim that the other side owes nothing: "spbu gk tanggung jawab", "bengkel gk ada urusan".
_NOT_LIABLE = re.compile(
    r"\b(?:tidak|bukan)\s+(?:(?:ada\s+)?urusan|(?:ber)?tanggung\s*jawab|wajib\s+ganti)\b"
)
# The claim's last clause gives the asker a right: "jd sy tetep bisa beli tiket".
_FAVOURS = re.compile(
    r"\b(?:jadi|jd|berarti|sehingga)\s+(?:sy|saya|aku|gw|gue|kami)\s+(?:(?:tetep|tetap|masih|tetap)\s+)?"
    r"(?:bisa|boleh|berhak|dapat|dapet)\b[^,;]*$"
)
# Someone said to hold a right: "dia berhak nahan ijazah", "mereka boleh motong gaji".
_HOLDS_RIGHT = re.compile(r"\b[a-z]+\s+(?:\w+\s+)?(?:berhak|boleh)\b")
# The asker proposing to give in: "ya udh lah ya sy terima aja ...?", "ya udh sy turutin aja?".
_GIVING_IN = re.compile(
    r"^\W*(?:ya\s+)?(?:udh|udah|sudah)\s+(?:lah\s+)?(?:ya\s+)?(?:sy|saya|aku|gw|gue)\s+"
    r"(?:\w+\s+){0,2}?(?:aja|saja)\b"
)
# The question's tag and whom it is for, at its end: "emang ada perlindungan gk buat kita?" asks
# "emang ada perlindungan?".
_FOR_US = re.compile(
    r"\b(?:tidak|gk|gak|ga|nggak)\s+(?:buat|untuk|bagi|utk)\s+(?:kita|kami|sy|saya|aku|gue|gw)"
    r"(?=\W*$)"
)
_KALO = re.compile(r"\b(tidak|sih|kan|dong|ya)\s+(?:kalo|klo)\b")
_PERSONS = _words("sy saya aku gue gw gua kami aq")
# "emg bisa gitu??" after what someone did: can they do that.
_CAN = _words("bisa dapat")
_THAT_WAY = _words("gitu begitu gini begini kayak kyk gk ga gak nggak ngga tidak sih dong kah")
_RIGHT_OF_OTHER = re.compile(r"\bhak\s+(?:" + "|".join(sorted(_OTHERS)) + r")\b")
# "main ambil", "main pecat aja": done as someone pleased, without asking.
_ARBITRARY = re.compile(r"^\W*(?:(?:gitu|begitu|sih|aja|saja)\s+)*main\s+[a-z]{3,}")
# The asker telling of their own plan: "sy mau jual", "aku pengen pasang".
_OWN_PLAN = re.compile(
    r"\b(?:sy|saya|aku|gue|gw|kami)\s+(?:\w+\s+)?(?:mau|pengen|pingin|ingin|berencana|rencana"
    r"|niat|mo)\b"
)
# A claim that gives the thing to the other party: "jadi lagu itu sah punya dia".
_THEIRS = re.compile(
    r"\b(?:punya|milik|hak|haknya)\s+(?:dia|mereka)(?:\s+sepenuhnya)?"
    r"(?:\s+(?:krn|karena|sebab|soalnya)\b.*)?\s*$"
)
_REASON = re.compile(r",\s*(?:karena|sebab|because)\b.*")
_PLAIN_NEGATORS = NEGATORS - {"tanpa", "without"}
_TAGGED = _words("aman legal sah")


def _negates(before: list[str]) -> bool:
    """Do these words, right before what a question asks, negate it ("gk bisa banding?", "gk
    sah dong?"), and not as a tag after the word they ask about ("aman gak beli?")?"""
    # "aman kan gk kena bea masuk?": a carrier verb between the negation and what it negates.
    while before and before[-1] in _CARRIERS:
        before = before[:-1]
    tag = len(before) > 1 and before[-2] in _TAGGED
    return bool(before) and before[-1] in _PLAIN_NEGATORS and not tag


# A quote a reporter says ("kata operatornya 'spbu gk tanggung jawab'"): the claim itself.
_SAYS_QUOTE = re.compile(
    r"\b(?:bilang|blg|kata|katanya|ngomong|bilangnya|menyatakan|jawab|jawabnya|ngaku)"
    r"(?:\s+[\w-]+){0,3}\s*[:,]?\s*$"
)
_BY_ASKER = re.compile(r"\b(?:sy|saya|aku|gw|gue|kami)\s+(?:\w+\s+)?(?:bilang|blg|ngomong)\b")


def _quote(m: re.Match[str]) -> str:
    """A notice or clause quoted is `kutipan`; a claim quoted after its reporter, its words."""
    if _SAYS_QUOTE.search(m.string, max(0, m.start() - 40), m.start()):
        return " " + m.group()[1:-1] + " "
    return " kutipan "


@lru_cache(maxsize=256)
def asked(question: str | None) -> Question | None:
    """The yes/no question the user asked, or None (no question, or one that asks for a value)."""
    if not question or (found := _asked(question)) is None:
        return None
    words = _WORD.findall(plain(question.lower()))
    return replace(found, story=frozenset(_case_root(w) for w in _content(words)))


def _asked(question: str) -> Question | None:
    # A notice or a clause the asker quotes ("tulisan 'barang yang sudah dibeli tidak dapat
    # dikembalikan'") is what they ask about, not their question's words.
    quoted = _QUOTED.sub(_quote, plain(question))
    sentences = [s.strip() for s in _SENTENCE.split(quoted) if s.strip()]
    asking = [s for s in sentences if s.endswith("?")] or sentences[-1:]
    for i, sentence in enumerate(sentences):
        right = bool(i and (_RIGHT.match(sentence) or _RIGHT_REASON.match(sentence))) or bool(
            # "katanya force majeure, jd mereka gk wajib ganti rugi. gmn tuh?": a claim reported,
            # then asked about.
            i and _HOW_ABOUT.match(sentence) and _REPORTED.match(sentences[i - 1])
        )
        claimant: set[str] = set()
        if right:
            # "Polisi bilang masih bisa nahan. Bener gitu?": the claim is what is asked.
            reported = sentences[i - 1].rstrip(".?!")
            reporter = _REPORTED.match(reported)
            if reporter and _BY_ASKER.search(reporter.group()):
                # "emg sy cuma bilang 'full ya mas'": what the asker said is no claim asked about.
                reporter = None
            if (
                not reporter
                and i > 1
                and (_ASIDE.match(reported) or not _CLAIM_GOES_ON.search(reported))
                and (reporter := _REPORTED.match(sentences[i - 2].rstrip(".?!")))
            ):
                reported = sentences[i - 2].rstrip(".?!")
            # Who made it: before the verb ("HRD bilang"), or just after it ("kata HRD, ..."), or,
            # for a bare "katanya", whoever the sentences before report ("HRD bilang ... jd
            # katanya BPJS gk bakal nanggung").
            if reporter:
                claimant = set(_WORD.findall(reported[: reporter.end() + 12]))
                for earlier in sentences[max(0, i - 3) : i - 1]:
                    if told := _REPORTED.match(earlier):
                        claimant |= set(_WORD.findall(told.group()))
            # "jd kami gk bisa nuntut apa2 katanya": a reporter said last leaves the claim
            # before it.
            trailing = _TRAILING_REPORTER.search(reported)
            sentence = reported[: trailing.start()] if trailing else _REPORTED.sub("", reported)
            asking.append(sentence)
        # "kalau dia udh minta maaf gitu masih bisa diproses gk sih?": a condition run into the
        # question without a comma ends where the question's modal verb begins.
        # ("nikah kami sah gk sih kalo maharnya belum diserahin?": a chat "kalo" after the
        # question's tag opens a condition as "kalau" does.)
        clause = main_clause(
            _FOR_US.sub(
                "", _KALO.sub(r"\1 kalau", _IF_RUN_ON.sub(r"\g<cond>, \g<asked>", sentence))
            )
            .rstrip("?")
            .strip()
        )
        if particle := list(_APA.finditer(clause)):
            # What the question asks is the clause after its "apa".
            clause = clause[particle[-1].end() :]
        # "boleh gk sy pasang gps biar tau dia kemana aja?": a "where" in the purpose asks
        # nothing (though what the purpose names may be what is asked: "... biar dipenjara?").
        purpose_out = _PURPOSE.sub("", clause) or clause
        choice = _CHOICE.search(clause)
        if (
            choice
            and (
                _NO_TAG_END.search(clause[: choice.start()])
                # "klo anjing itu masuk lagi, boleh gk sy racun atau pukul?", "bisa gk sy ambil
                # langkah sekarang, atau harus nunggu?": the modal's own tag asks yes or no (without
                # a comma before the "atau" it lost a pair: a validator's exception read as its no).
                or (_MODAL_TAG.search(clause[: choice.start()]) and "," in clause[: choice.start()])
                or _OTHERWISE.match(clause, choice.end())
            )
        ):
            # "sy bisa nuntut sendiri gk atau harus lewat kantor?": the first alternative, tagged
            # with its "no", is asked yes or no; the second is what the "no" would mean.
            clause = clause[: choice.start()]
            purpose_out, choice = _PURPOSE.sub("", clause) or clause, None
        elif choice and _NO_TAG_END.search(clause):
            # "sy bisa nuntut drivernya atau aplikasinya gk sih?": either, yes or no.
            choice = None
        if not right and _WH.search(purpose_out) and "," in clause:
            # "jd posisi sy gmn, masih bisa nuntut garansi gk?": the last clause asks yes or no.
            last = clause.rsplit(",", 1)[1].strip()
            if not _WH.search(last) and _MODAL.search(last):
                clause = purpose_out = last
        if not right and "," in clause and _TAGGED_LAST.search(clause):
            # "kan yg jual sepupu, sy gk tau apa2, sy aman kan?": the facts come first, the
            # short tagged clause last is what is asked.
            clause = purpose_out = clause.rsplit(",", 1)[1].strip()
        # A claim is a statement: its "kapan aja" (any time) asks nothing.
        if sentence not in asking or (not right and _WH.search(purpose_out)) or choice:
            continue
        clause = _LIKE_THAT.sub("", _MODAL_TAG.sub(r"\1", _TAG.sub(" ", clause)))
        read = topics(concept_signs(clause, one_duty=False)).items()
        signs = {c: next(iter(v)) for c, v in read if len(v) == 1}
        words = _WORD.findall(clause)
        modals = list(_MODAL.finditer(clause))
        if modals:
            asked_for = _LEGALLY.sub("", _WITHOUT.sub("", clause[modals[-1].end() :]))
            # "bisa gk sy minta bank balikin ...": the party asked is no predicate.
            predicate = [w for w in _content(_WORD.findall(asked_for)) if w not in _OTHERS][:2]
        else:
            # Without a modal, the first content word is the subject ("bank lepas tangan").
            # "itu kan pembelaan terpaksa?": a demonstrative is the subject.
            content = _content(words)
            subject = len(content) > 1 and words[0] not in _DEMONSTRATIVE
            predicate = content[1:] if subject else content
        if not predicate and not signs and i:
            # "Boleh begitu?", "Masih bisa ga?": what is asked is in the sentence before, or,
            # past an aside of the asker's, in the one before that ("sy pengen gugat kliniknya.
            # tp kerugian sy gk ada yg bentuknya uang. bisa gk?").
            before = i - 2 if i > 1 and _ASIDE.match(sentences[i - 1]) else i - 1
            predicate += _content(_WORD.findall(sentences[before]))
        modal = bool(modals) and modals[-1].group() in _MAY
        # The words just before the modal verb, or before the predicate without one.
        if modals:
            asked_at = _WORD.findall(re.split(r"[,;]", clause[: modals[-1].start()])[-1])
        else:
            first = next(iter(predicate), "")
            asked_at = words[: words.index(first)] if first in words else []
        negated = _negates(asked_at)
        if modals and modals[-1].group() in _MUST:
            # "Do I need ...?", "harus bayar?": an obligation is asked, however it is worded.
            signs.setdefault("wajib", 1)
        if right and len(modals) > 1:
            # "katanya bisa jadi bodong & gak bisa diurus lagi. Bener gak?": a claim of two
            # modal verbs is answered right or wrong as a whole.
            # Made by the other side ("Manajer bilang mereka cuma wajib tukar ..."), it is
            # hoped wrong.
            by_them = bool(claimant & _OTHERS) or bool(_NOT_LIABLE.search(sentence))
            return Question({"benar": 1}, frozenset(), against=by_them, claim=True)
        if right:
            # "... jadi gak bisa digugat. Bener gak?": "Tidak benar" answers it as well as
            # "tetap dapat digugat" does.
            signs.setdefault("benar", 1)
        # The passive form the answers use stems differently for a short root ("hapus" ->
        # "hapus", "dihapus" -> "hapu"): both.
        stems = {stem(w) for w in predicate} | {stem("di" + w) for w in predicate}
        # A chat verb in -in ("wajib balikin gk?"): the answers' "dibalikin" reads "dibalikkan".
        stems |= {stem("di" + w[:-2] + "kan") for w in predicate if w.endswith("in") and len(w) > 5}
        stems |= {formal for w in predicate for formal in _FORMAL.get(w, ())}
        # "sy harus bayar??", "hrs dilunasin dulu?": a duty of the asker's own; "mereka berhak
        # gitu?": a right someone else holds over them. Both against the asker ("KAI wajib ganti
        # gk?", "sy boleh ...?" are not).
        said = modals[-1].group() if modals else ""
        own_duty = said in _MUST and set(asked_at) <= _ASKER
        # "boleh gk mereka gitu?": the party may come right after the modal verb, too.
        # ("boleh gk sih sekolah nolak?": past the particles of the question.)
        following = (
            [w for w in _WORD.findall(clause[modals[-1].end() :]) if w not in _PARTICLES][:1]
            if modals
            else []
        )
        others_right = said in _RIGHTS and bool(set(asked_at + following) & _OTHERS)
        # The story told before the question: the last two sentences.
        story = " ".join(sentences[max(0, i - 2) : i])
        if _RIGHT_OF_OTHER.search(clause):
            # "itu hak dia gk sih buat ngelarang?": a right the other side holds, named as one.
            others_right = True
        # What the story before the question tells someone did, asked as allowed or possible, is
        # the other side's act; not the asker's own plan ("sy mau jual ... itu boleh gk?").
        from_story = bool(i) and not _OWN_PLAN.search(story)
        in_passive = bool(predicate) and predicate[0].startswith("di")
        if (
            from_story
            and (
                # "ibu kos nahan kasur sy ... itu boleh gk sih?": the act named only by the story.
                (
                    (said in _RIGHTS or (said in _CAN and "gitu" in words))
                    and not predicate
                    and set(asked_at + following) <= _DEMONSTRATIVE | _THAT_WAY | _ASKER
                    and not set(asked_at + following) & _PERSONS
                )
                or (
                    (said in _RIGHTS or said in _CAN)
                    and "gitu" in words
                    and predicate
                    and not set(asked_at) & _PERSONS
                    # "emg dia bisa nolak terus gitu?": done by the other side; "motornya ditarik
                    # paksa ... emg boleh gitu ditarik di jalan?": what the story says was done,
                    # asked again in the passive.
                    and (
                        (set(asked_at) & _OTHERS and not in_passive)
                        or (in_passive and predicate[0] in _WORD.findall(story))
                    )
                )
                # "itu boleh gitu main ambil di jalan?": an act done as someone pleased.
                or (said in _RIGHTS and _ARBITRARY.search(clause[modals[-1].end() :]))
            )
        ):
            others_right = True
        if said in _RIGHTS and not predicate and i and (held := _HOLDS_RIGHT.search(story)):
            # "Majikan bilang dia berhak nahan ijazah ... Boleh gitu?": the right asked about is
            # the one the sentences before give the other side.
            others_right = bool(set(_WORD.findall(held.group())) & _OTHERS)
        # A claim the other side made ("owner laundry bilang sy cuma berhak 10x ongkos. bener
        # gk?"), or one that lays a duty on the asker ("katanya ... jadi sy yg hrs bayar"), the
        # asker hopes is wrong.
        laid_on_asker = (
            (own_duty and bool(set(asked_at) & _PERSONS))
            or bool(_THEIRS.search(clause))
            or bool(_NOT_LIABLE.search(sentence))
        )
        against = (
            (bool(claimant & _OTHERS) or laid_on_asker or others_right)
            if right
            else own_duty or others_right
        )
        about = frozenset(stem(w) for w in words)
        # "ya udh lah ya sy terima aja potongannya?": giving in is what the asker fears.
        limited = bool(_ONLY_ASKED.search(clause) or _GIVING_IN.search(sentence))
        # "temen bilang usaha segini gk perlu ngurus izin": a duty said not to be the asker's
        # (an act, no other party named as bound) lifts a burden from them, as "jd sy tetep
        # bisa" does; not one owed to them ("gk wajib dibayar").
        favours = (
            right
            and not against
            and (
                bool(_FAVOURS.search(sentence))
                or (signs.get("wajib") == -1 and not in_passive and not set(words) & _OTHERS)
            )
        )
        return Question(
            signs,
            frozenset(stems),
            modal,
            -1 if negated else 1,
            against,
            right,
            about,
            limited,
            favours,
            bool(_OFFHAND.search(sentence)) and against and not right,
        )
    return None


@dataclass(frozen=True, slots=True)
class Stance:
    """An answer's answer to the question: `sign` 1 yes, -1 no, 0 not read; `qualified` under a
    condition or an exception; `text` the sentence it is read from."""

    sign: int
    qualified: bool = False
    text: str = ""


NONE = Stance(0)

# "Secara hukum hal tersebut dimungkinkan.": the thing asked is said to be allowed.
_ALLOWED = (
    r"(?:hal\s+(?:tersebut|itu|ini)\s+|itu\s+|ini\s+)?{neg}(?:sangat\s+|tetap\s+|masih\s+)?"
    r"(?:dimungkinkan|diperbolehkan|dibolehkan|diperkenankan|diizinkan|dibenarkan)"
)
_EXTRA_YES = (
    _ALLOWED.format(neg="") + r"|"
    r"(?:masih|tetap|tentu)\s+(?:bisa|boleh|dapat|berhak|wajib|harus|sah)|iya,?\s+termasuk"
    r"|termasuk|probably|likely|most\s+likely|kemungkinan\s+besar\s+(?:bisa|ya)|yes,?\s+\w+\s+\w+"
    r"|masih|tetap|still|[\w-]+\s+(?:benar|betul)"
    # "Sayangnya emang gitu sih aturannya kalau gak ambil asuransi": that is the rule.
    r"|(?:emang|memang)\s+(?:gitu|begitu)(?:\s+(?:sih|ya))?(?:\s+aturannya)?"
    # "Kayaknya sih pak kades ada benernya": whoever made the claim has a point.
    r"|(?:[\w-]+\s+){1,3}ada\s+(?:benarnya|benernya|betulnya)"
)
_EXTRA_NO = (
    _ALLOWED.format(neg=r"(?:tidak|tak|belum)\s+") + r"|"
    r"(?:probably|likely|most\s+likely|usually|generally|typically|almost\s+certainly)\s+not"
    r"|kemungkinan\s+(?:besar\s+)?tidak(?:\s+(?:bisa|boleh|dapat|wajib|perlu|sah))?"
    r"|(?:biasanya|umumnya|sepertinya)\s+tidak"
    r"|tidak\s+(?:bisa|boleh|dapat)\s+(?:di\w+|dilakukan)(?:\s+begitu\s+saja)?|tidak\s+perlu"
    r"|tidak\s+harus|tidak\s+termasuk|bukan|(?:belum\s+tentu|tidak|tak)\s+(?:benar|betul|tepat)"
    r"|[\w-]+\s+(?:salah|keliru)"
)
_OPENER = re.compile(
    rf"^\W*{LEAD_IN}(?:(?P<no>{_EXTRA_NO}|{NO})|(?P<yes>{_EXTRA_YES}|{YES})){ADVERBS}"
    rf"\s*(?:[{ENDS}]|\s-\s|$|(?=(?:bahwa|selama|asalkan|asal|jika|kalau|kalo|apabila|sepanjang"
    r"|if|as\s+long\s+as|provided|unless|kecuali)\b)"
    # "Hmm susah sih kalau gitu.": "in that case" (read "jadi") closes the answer.
    r"|(?=jadi\W*$))"
)
# How much: "cukup kecil", "sudah tertutup".
_DEGREE = r"(?:sangat\s+|amat\s+|agak\s+|cukup\s+|relatif\s+|sudah\s+|telah\s+)?"
# What is feared said to come rarely: "jarang banget disentuh", "jarang ada yang ditangkap".
_RARELY = re.compile(
    r"\bjarang\s+(?:(?:banget|bgt|sekali|ada\s+(?:yang|yg))\s+)?"
    r"(?:di(?:sentuh|tangkap|tangkep|tindak|proses|periksa|razia|tilang|kejar|gugat|laporin"
    r"|laporkan|pidana|penjara|denda)|kena|ketahuan|ketauan)\b"
)
# The asker's chances: "peluangnya sudah tertutup", "kesempatan itu sudah lewat", "masih ada
# peluang", "risikonya ada".
_CHANCE_NO = re.compile(
    # "peluang laporan pidana semacam itu untuk diproses tidak besar".
    rf"\b(?:peluang|kesempatan|kemungkinan|harapan)\w*\s+(?:[\w-]+\s+){{0,6}}?{_DEGREE}"
    r"(?:kecil|tipis|tertutup|lewat|habis|hilang|(?:tidak|tak|kurang)\s+(?:terlalu\s+)?besar)\b"
    # "udah agak telat sih": too late.
    r"|\b(?:sudah|udah|udh)\s+(?:agak\s+|sangat\s+|terlalu\s+)?(?:terlambat|telat)\b"
    r"|\btoo\s+late\b|\bunlikely\b|\bslim\b|\bsudah\s+tidak\s+ada\s+lagi\b"
    # "kecil kemungkinannya berhasil", "tidak memiliki dasar yang kuat".
    r"|\b(?:kecil|tipis)\s+(?:sekali\s+)?(?:kemungkinan|peluang)\w*"
    r"|\b(?:tidak|tak|belum)\s+(?:memiliki|mempunyai|punya|ada)\s+dasar(?:\s+hukum)?"
    r"(?:\s+(?:yang\s+)?kuat)?\b"
    # "posisi kamu agak lemah", "posisi hukum Anda cukup lemah".
    rf"|\bposisi\w*\s+(?:[\w-]+\s+){{0,6}}?{_DEGREE}(?:pasti\s+)?(?:jadi\s+)?"
    r"(?:lemah|susah|sulit|riskan|rawan|berisiko|berat)\b"
    # "Hmm, agak susah sih posisinya.": a hard position.
    r"|\b(?:susah|sulit|lemah|riskan)\s+(?:(?:sih|juga|jg|banget)\s+)*posisinya\b"
    # "Hmm, agak riskan juga sih.": risky, said as the answer.
    r"|^\W*(?:(?:hmm+|wah|waduh|ya|yah)\W+)*(?:agak|cukup|lumayan|sangat)\s+"
    r"(?:riskan|berisiko|bahaya|rawan)\b"
)
# The claim called fair, or not, first in its clause and with a particle ("ya wajar sih ..."; not
# "Wajar jika Anda merasa dirugikan", which grants the asker's feeling).
_FAIR = re.compile(
    # ("Hmm, biasanya sih wajar kok minimarket minta denda": as a rule, fair.)
    r"^\W*(?:(?:hmm+|ya|yah|jadi|jd|sebenernya|sebenarnya|emang|memang|biasanya|umumnya|sih)\W+)*"
    r"(?:(?:itu|ini)\s+)?(?P<no>(?:tidak|kurang)\s+)?(?:wajar|normal|lumrah|masuk\s+akal)\s+"
    r"(?:sih|kok|aja|lah|dong|banget)\b"
    # ("Wajar banget kamu risih": the asker's feeling, granted.)
    r"(?!\s+(?:kamu|anda|km|kalau|kalo|klo|jika)\b)"
    # After a reason, of what the other side does: "namanya juga telat bayar sih, wajar kok
    # kalau mereka ngejar", "rs swasta kan bisnis juga, jadi wajar kok mereka minta DP".
    r"|(?:,\s*|\bjadi\s+|\bjd\s+)(?:ya\s+)?(?:itu\s+)?(?P<no_late>(?:tidak|kurang)\s+)?wajar\s+"
    r"(?:sih|kok|aja|banget)(?:\s+(?:sih|kok|aja|banget))*"
    r"(?:\s+(?:(?:kalau|kalo|klo)\s+)?(?:mereka|dia|pihak\s+\w+)\b|\W*$)"
)
# Asked whether it is fair or normal: "itu wajar gk?", "itu normal ya?".
_FAIR_ASKED = frozenset({"wajar", "normal", "lumrah"})
# Whose right, said of the other side: "ya itu hak mereka sih", "itu hak pemda sih" (the
# government's), "Ya itu hak PDAM sih buat nagih" (a utility's, a public body's), "ya itu hak
# yayasan sih" (a foundation's, a club's, a landlord's, a business's).
_RIGHT_HOLDERS = _words(
    "mereka dia toko pemilik perusahaan bank sekolah kantor pemda pemkot pemkab pemprov "
    "pemerintah negara desa kampus pengelola developer pdam pln bpjs pertamina telkom rs klinik "
    "polisi pengadilan leasing asuransi yayasan koperasi pengurus panitia mall aplikator platform "
    "penyelenggara majikan bos atasan instansi hotel maskapai bengkel dealer vendor kontraktor kos "
    "rt rw operator travel agen penjual pinjol"
)
_THEIR_RIGHT = re.compile(
    # ("itu biasanya udh jadi kewenangan pengurus", "itu urusan internal mereka": theirs to
    # decide.)
    r"\b(?:itu|emang|memang|emg|biasanya)\s+(?:kan\s+)?"
    r"(?:(?:sudah|udah|udh|sepenuhnya|sebenernya|sebenarnya|biasanya|jadi)\s+)*"
    r"(?:hak|aturan(?:\s+main)?|kebijakan|kewenangan|wewenang|prosedur|urusan(?:\s+internal)?)\s+"
    # ("udah jadi kebijakan standar bank sih": the bank's, as a rule.)
    r"(?:(?:standar|standard|umum|resmi|internal)\s+)?"
    # ("Biasanya udah jadi kebijakan toko", "udah kebijakan masing-masing kos sih".)
    rf"(?:pihak\s+\w+|masing-masing\s+\w+|[a-z]{{3,}}nya|{'|'.join(sorted(_RIGHT_HOLDERS))})\b"
    # "Ya itu udah kesepakatan di kontrak sih": the deal stands.
    r"|^\W*(?:(?:ya|yah|hmm+|biasanya)\W+)*itu\s+(?:(?:sudah|udah|udh)\s+)?(?:jadi\s+)?"
    r"kesepakatan\b"
    # "ya namanya juga kos punya dia sih": it is theirs.
    r"|\bnamanya\s+juga\s+(?:[\w-]+\s+){0,3}(?:punya|milik)\s+(?:dia|mereka)\b"
    # "itu kan tanahnya dia sih, jadi secara umum hak dia mau dipager atau nggak".
    r"|\b(?:itu|ini)\s+(?:kan\s+)?(?:tanah|rumah|lahan|barang|kebun|sawah)(?:nya)?\s+"
    r"(?:dia|mereka)\b|\bhak\s+(?:dia|mereka)\s+(?:mau|buat|untuk)\b"
)
# The asker's own risk: "ya itu resiko kamu sih", "itu risiko Anda sendiri".
_YOUR_RISK = re.compile(
    r"\b(?:itu|jadi)\s+(?:(?:ya|emang|memang|udah|sudah|jadi)\s+)*(?:resiko|risiko|resikonya|risikonya)"
    r"\s+(?:kamu|anda|km|lu|lo|sendiri"
    # "itu udah jadi risiko anak kos sih": the risk of the asker's own part.
    r"|anak\s+kos|penyewa|penghuni|pembeli|konsumen|peminjam|debitur|nasabah|pekerja|karyawan"
    # "itu udah jadi risiko pinjol sih": the risk of what the asker took on.
    r"|pinjol|ngutang|utang|nunggak|belanja)\b"
    # "ya namanya nunggak, didatengin DC emang risikonya gitu sih": what comes with it.
    r"|\b(?:emang|memang)\s+(?:resikonya|risikonya)\s+(?:gitu|begitu|kayak\s+gitu)\b"
)
# The asker's own right, said as the answer: "Itu hak kamu kok 😊".
_YOUR_RIGHT = re.compile(
    r"^\W*(?:(?:ya|hmm+|tenang|wah)\W+)*itu\s+(?:(?:emang|memang|jelas|sepenuhnya)\s+)?hak\s+"
    r"(?:kamu|anda|km|lu|lo)\b"
)
# "Anda tetap berhak atas upah untuk hari-hari yang telah Anda kerjakan", "Anda dan kakak Anda
# berhak mewaris": the asker said to be entitled, first in the sentence.
_YOU_ENTITLED = re.compile(
    r"^\W*(?:anda|kamu)(?:\s+dan\s+(?:[\w-]+\s+){1,2}?(?:anda|kamu))?"
    r"\s+(?:(?:tetap|masih|tentu|jelas|juga)\s+)?berhak\b"
)
# What is asked called normal: "nyicil pesangon itu sebenernya hal yang lumrah sih".
_COMMON = re.compile(
    r"\b(?:itu|ini)\s+(?:(?:sebenernya|sebenarnya|emang|memang|kan|udah|sudah)\s+)*"
    r"hal\s+(?:yang\s+|yg\s+)?(?:lumrah|wajar|biasa)\b"
    # "praktik kayak gitu cukup umum di RS": a common practice.
    r"|\bpraktik\s+(?:(?:kayak|kyk|seperti)\s+(?:gitu|begitu|itu|ini)\s+|(?:itu|ini|tersebut)\s+)?"
    r"(?:(?:cukup|sangat|emang|memang|udah|sudah|sebenernya|sebenarnya)\s+)*"
    r"(?:umum|lumrah|wajar|biasa)\b"
    # "di banyak desa emang udah biasa sih ada 'uang administrasi'".
    r"|\b(?:itu|ini|emang|memang)\s+(?:udah|sudah|masih)\s+biasa\s+(?:sih|kok|banget)\b"
    # "di banyak kelurahan emang udah jadi semacam kebiasaan sih": a custom.
    r"|\b(?:emang|memang|udah|sudah)\s+(?:(?:udah|sudah|jadi)\s+)*(?:semacam\s+)?kebiasaan\b"
    # "sebenernya itu udah umum banget sih di PT penyalur", "di kampung emang masih umum banget
    # sih bakar sampah sendiri".
    r"|\b(?:itu|ini|emang|memang)\s+(?:(?:sebenernya|sebenarnya|emang|memang|kan|udah|sudah"
    r"|masih)\s+)*"
    r"(?:umum|lumrah)\b(?:\s+(?:banget|bgt|sekali))?(?!\s+(?:kalau|kalo|klo|jika|bagi|untuk)\b)"
)
# The claim, or the act its maker defends, called unjustified, first in the sentence: "Tindakan
# HRD tersebut tidak dapat dibenarkan", "Pernyataan tersebut tidak sepenuhnya dapat dibenarkan"
# (not "Penolakan tersebut dapat dibenarkan": whether the act is the one the claim defends or
# the one it attacks, the words do not say).
_UNJUSTIFIED = re.compile(
    r"^\W*(?:tindakan|perbuatan|keputusan|kebijakan|langkah|sikap|pernyataan|klaim|anggapan)"
    r"\s+(?:[\w-]+\s+){0,3}?(?:tersebut|itu|ini)\s+(?:tidak|tak)\s+"
    r"(?:serta[\s-]merta\s+|sepenuhnya\s+)?(?:dapat\s+|bisa\s+)?dibenarkan\b"
    # "Pembebanan biaya penempatan ... kepada Anda tidak sesuai dengan ketentuan hukum": an act
    # named by its noun and said not to follow the rules.
    r"|^\W*pe[\w-]+an\s+(?:[\w-]+\s+){0,12}?(?:tidak|tak)\s+sesuai\s+(?:dengan\s+)?"
    r"(?:ketentuan|aturan|peraturan|hukum)\b"
)
# Asked of what the other side did to the asker: their act named with its doer and called
# unjustified ("Tindakan tetangga Anda membendung saluran ... tidak dibenarkan"; not "Tindakan
# Anda ...").
_ACT_UNJUSTIFIED = re.compile(
    r"^\W*(?:tindakan|perbuatan|keputusan|kebijakan|langkah|sikap)\s+(?P<who>[\w-]+)\s+"
    r"(?:[\w-]+\s+){0,10}?(?:tidak|tak)\s+(?:serta[\s-]merta\s+|sepenuhnya\s+)?"
    r"(?:dapat\s+|bisa\s+)?dibenarkan\b"
)
# A claim said to have no basis, or to have one (not "belum memiliki dasar").
_BASIS = re.compile(
    r"\b(?P<no>(?:tidak|tak)\s+(?:memiliki|mempunyai|punya|ada)\s+dasar)\b"
    r"|(?<!tidak\s)(?<!tak\s)(?<!belum\s)\b(?:memiliki|mempunyai)\s+dasar(?:\s+hukum)?\b"
)
# An answer that reassures the asker: "Tenang aja", "gk usah khawatir (berlebihan)".
_REASSURED = re.compile(
    # "Hmm, gk usah terlalu khawatir sih": past an interjection.
    r"^\W*(?:(?:hmm*|hm|wah|duh|nah|oke|ok)\W+)?(?:(?:soal|masalah|urusan)\s+[\w-]+\s+(?:sih\s+)?)?"
    # "Harusnya gak usah terlalu khawatir sih", "Sebenernya gk usah khawatir".
    r"(?:(?:harusnya|seharusnya|sebenernya|sebenarnya|kayaknya|kayanya|menurut\s+(?:aku|saya|gue)"
    r"(?:\s+sih)?)\s+)?(?:tenang(?:\s+aja|\s+saja)?\b"
    # "Soal pensiun sih santai aja": nothing to worry about.
    r"|santai\s+(?:aja|saja)\b|tidak\s+(?:usah|perlu)\s+"
    r"(?:terlalu\s+)?(?:khawatir|takut|cemas|panik)\b)"
    # Not a softener before a "but": "Tenang dulu, tp jangan dianggap enteng ya."
    r"(?![^.!?]*\b(?:tapi|tp|tetapi|namun)\b)"
)
# Advice to do something: "mending dibayar aja", "sebaiknya kamu bayar".
_ADVISED = re.compile(
    # ("Saran aku sih, mending dibayar aja dulu": past the particle and the comma.)
    r"\b(?:mending|mendingan|sebaiknya|lebih\s+baik"
    r"|(?:saran\s+(?:aku|saya|gue|gw)|saranku)(?:\s+(?:sih|ya|nih))?,?)\s+"
    r"(?:(?:kamu|anda|lu|lo|ibu|bapak|mending)\s+)?"
    r"(?P<verb>(?!jangan|tidak|gak|nggak)[a-z]{3,})"
)
_NOT_NECESSARILY = re.compile(r"\bbelum\s+tentu\s+(?:benar|betul|tepat)\b")
# The claim's maker said to be making excuses or lying: "bos kamu lagi ngeles deh".
_EXCUSE = re.compile(
    r"\b(?P<no>(?:tidak|tak|bukan)\s+)?(?:lagi\s+|cuma\s+|cm\s+|cuman\s+|hanya\s+)?"
    r"(?:ngeles|ngibul|ngibulin|bohong|ngarang|asal\s+ngomong|asal\s+bunyi|ngawur|akal-akalan)\b"
)
# The claim's maker said to be right, or not: "temen kamu bener kok", "HRD-nya benar".
_SAYS_RIGHT = re.compile(
    r"\b(?:kamu|anda|[a-z]+nya|temen|teman|hrd)\s+(?:memang\s+|emang\s+)?(?:benar|betul)\b(?!-)"
    # "HRD ada benarnya": has a point.
    r"|\bada\s+(?:benarnya|benernya|betulnya)\b"
)
_SAYS_WRONG = re.compile(
    r"\b(?:tidak|tak|kurang|belum\s+tentu|bukan)\s+(?:sepenuhnya\s+)?(?:benar|betul|tepat)\b"
)
# Resigned to it: "Ya mau gimana lagi", "apa boleh buat".
_RESIGNED = re.compile(
    r"^\W*(?:(?:jadi|jd|ya|yah|hmm+|tapi|tp|sayangnya)\W+)*(?:mau\s+(?:gimana|bagaimana|gmn)\s+lagi\b"
    r"|apa\s+boleh\s+buat\b"
    # "Sayangnya gak banyak yang bisa kamu lakuin": little to be done.
    r"|(?:soal\s+[\w-]+\s+)?(?:tidak|tak)\s+banyak\s+yang\s+(?:bisa|dapat)\s+(?:kamu\s+|anda\s+)?"
    r"(?:lakuin|lakukan|dilakuin|dilakukan)\b"
    # "Tapi ya gimana, kamu kan udah tanda tangan": what can you do.
    r"|(?:gimana|bagaimana|gmn)(?:\s+lagi)?\s*,"
    # "Ya kalau emang kamarnya penuh mau gimana lagi sih": the same, after the case.
    r"|(?:kalau|kalo|klo)\s+[^,.;]*?\bmau\s+(?:gimana|bagaimana|gmn)\s+lagi\b)"
)
# Hard to do: "susah bgt buat gugat lagi", "sulit untuk dipidana".
_HARD_TO = re.compile(
    r"\b(?:susah|sulit)\s+(?:(?:banget|bgt|sekali|sih|juga|jg|bu|pak|kak|mas|mbak)\s+)*"
    r"(?:buat|untuk)\b\s*(?P<verb>\w*)"
    # "susah sih nuntutnya": the doing of it is hard.
    # (Not "agak susah sih posisinya", the asker's chances: `_CHANCE_NO`.)
    r"|\b(?:susah|sulit)\s+(?:(?:banget|bgt|sekali|sih|juga|jg)\s+)*(?!posisinya\b)"
    r"(?P<verb_nya>[a-z]{3,}?)nya\b"
    # "kayaknya susah nuntut ganti rugi": a verb right after it.
    r"|\b(?:susah|sulit)\s+(?:(?:banget|bgt|sekali|sih|juga|jg|mau)\s+)*"
    # (Hard to count as something is `_HARD_TO_COUNT`'s.)
    r"(?!(?:dianggap|dikategorikan|digolongkan|disebut|dinyatakan)\b)"
    r"(?P<verb_bare>(?:me|di|ng|ny)[a-z]{3,}|n[aiueo][a-z]{2,}|dapet|dapat|gugat|klaim|minta"
    r"|lapor|tuntut|tagih|buktiin)\b"
    # "agak susah sih kamu larang": the asker named as the one who would do it.
    r"|\b(?:susah|sulit)\s+(?:(?:banget|bgt|sekali|sih|juga|jg)\s+)*(?:kamu|anda|km|lu|lo)\s+"
    r"(?:mau\s+)?(?P<verb_you>[a-z]{3,})\b"
)
_HARD_SAID_ALONE = re.compile(
    r"^\W*(?:(?:hmm+|ya|yah|emang|memang|wah|waduh|duh)\W+)*(?:agak|cukup|lumayan|sangat)\s+"
    # "Waduh, agak susah sih kalo udah soal pre-existing": hard, in the case the asker is in.
    r"(?:susah|sulit)(?:\s+(?:sih|juga|banget))*(?:\W*$|\s+(?:kalau|kalo|klo)\b)"
)
# Hard to escape what is asked ("agak susah buat nolak sendirian", "sulit untuk menghindari"):
# it holds.
_ESCAPE = frozenset(
    map(
        stem,
        _words(
            "nolak tolak menolak ngelak mengelak elak menghindar hindari lolos kabur ngeles lawan "
            "ngelawan melawan protes memprotes protesin"
        ),
    )
)
# "agak susah sih dianggap kecelakaan kerja": hard to count as what is asked (the words after it).
_HARD_TO_COUNT = re.compile(
    r"\b(?:susah|sulit)\s+(?:banget\s+|bgt\s+|sekali\s+)?(?:sih\s+)?(?:dianggap"
    r"|dikategorikan|digolongkan|disebut|dinyatakan|masuk)\s+(?:sebagai\s+)?(?P<what>(?:\w+\s*){1,3})"
)
# Spared: "gk bakal kena (apa2)", "tidak akan kena sanksi".
_SPARED = re.compile(r"\b(?:tidak|tak)\s+(?:bakal|akan)\s+(?:di)?kena\b")
# No one can stop it: "tidak dapat menghalangi", "tidak bisa melarang Anda".
_CANNOT_STOP = re.compile(
    # ("tidak dapat dijadikan dasar menolak tuntutan Anda": no ground to refuse it.)
    r"\b(?:tidak|tak)\s+(?:dapat|bisa|boleh|berhak|berwenang)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:menghalangi|menghalang-halangi|mencegah|menghambat|melarang|menolak)(?:nya)?\b"
)
# A risk said to be avoidable: "risiko dibawa paksa dapat dihindari", "risiko itu bisa dicegah".
_AVOIDED = re.compile(
    r"\brisiko\w*\s+(?:[\w-]+\s+){0,6}?(?:dapat|bisa|akan|masih)\s+(?:di)?(?:hindar|cegah)\w*"
)
_CHANCE_YES = re.compile(
    # "Peluang Anda untuk memperoleh penggantian cukup besar" (a chance said not to be big is
    # read as `_CHANCE_NO` first).
    r"\b(?:masih\s+ada\s+(?:peluang|kesempatan|harapan)|(?:peluang|kesempatan)\w*\s+"
    rf"(?:[\w-]+\s+){{0,6}}?(?:masih\s+)?{_DEGREE}(?:besar|terbuka|gede|bagus|lumayan)"
    r"|risiko\w*\s+(?:tetap\s+|masih\s+)?ada"
    # "posisi kamu cukup kuat", "posisi hukum Anda kuat".
    rf"|posisi\w*\s+(?:[\w-]+\s+){{0,3}}?{_DEGREE}kuat"
    # "Anda memiliki dasar untuk menolak": grounds for what the asker wants to do, the asker
    # the sentence's subject (not "HRD Anda memiliki dasar ...").
    r"|^\W*(?:anda|kamu)\s+(?:memiliki|mempunyai|punya)\s+dasar(?:\s+hukum)?"
    r"(?:\s+yang\s+kuat)?\s+(?:untuk|buat))\b"
)


# Whose position: "posisi toko", "posisi hukum pemilik sapi" (not "posisi kamu", "posisinya").
_POSITION_OF = re.compile(r"\bposisi\s+(?:hukum\s+)?(?P<who>[a-z]+)")
_MINE = _words(
    "kamu anda kalian lu lo sy saya aku gue gw kita kami cukup agak sangat sih udah sudah "
    "lemah kuat bagus jelek hukumnya ibu bapak bu pak kakak kak mbak mas"
)
# Not safe: "tidak sepenuhnya aman secara hukum".
_UNSAFE = re.compile(
    r"\b(?:tidak|tak|belum)\s+(?:sepenuhnya\s+|terlalu\s+|begitu\s+|100%\s+|tentu\s+)?aman\b"
)
# "Sebagian benar", "hanya benar separuh": right in part is a yes with limits.
_PARTLY = re.compile(
    r"\b(?:sebagian|separuh|setengah|partly|partially|half)\s+(?:benar|betul|right|true)\b"
    r"|\b(?:benar|betul)\s+(?:sebagian|separuh|setengah)\b"
)
# The concepts an explicit answer names in so many words ("boleh", "tidak wajib").
_NAMED = re.compile(r"\b(boleh|wajib|sah|harus|perlu)\b")
# "Gak harus.": a duty named by another word.
_NAMED_AS = {"harus": "wajib", "perlu": "wajib"}
_ILLEGAL = frozenset({"ilegal", "illegal"})


# What the sentence states is said to be unlikely.
_UNLIKELY = re.compile(
    # "ini susah dibawa ke pidana", "sulit untuk dibuktikan sebagai penipuan", "gak gampang
    # dibawa ke ranah pidana".
    r"\b(?:susah|sulit|sukar|(?:tidak|tak)\s+(?:gampang|mudah))\s+(?:banget\s+|sekali\s+)?"
    r"(?:untuk\s+|buat\s+)?(?:di|me)[a-z]{3,}|"
    # "Risiko Anda dituntut dalam situasi tersebut relatif kecil."
    r"\brisiko\w*\s+(?:[\w-]+\s+){0,6}?(?:relatif\s+|sangat\s+|cukup\s+|amat\s+)?"
    r"(?:kecil|rendah|minim)\b|"
    r"\b(?:kecil|tipis)\s+(?:sekali\s+)?kemungkinan\w*"
    # "kemungkinan anak Anda dijatuhi pidana penjara sangat kecil".
    r"|\bkemungkinan\w*\s+(?:[\w-]+\s+){0,5}?(?:sangat\s+)?kecil\b"
    # "Peluang laporan tersebut berujung pada pemidanaan tergolong kecil." (the sentence's own
    # subject, not a concession after "bisa dipidana, tapi peluangnya kecil"), after an
    # opening adverb or two ("Secara hukum, peluang Anda memperoleh ganti rugi sangat kecil").
    r"|^\W*(?:(?:secara\s+hukum|jujur|sayangnya|memang|jadi)\W+)*peluang\w*\s+"
    r"(?:[\w-]+\s+){0,6}?(?:tergolong\s+|terbilang\s+|relatif\s+|sangat\s+)?"
    r"(?:kecil|tipis)\b"
    r"|\bunlikely\b"
)
# A negator this many words before a predicate word negates it ("tidak punya dasar untuk
# membongkar"); one this many words after a predicate word that opens its clause negates it
# ("pembongkaran tidak dapat dilakukan", "laporan dari Anda tidak akan bisa diproses").
BEFORE, AFTER = 4, 4
_OR = _words("atau ataupun maupun or nor")
_AFFIRMING = _words("bisa dapat boleh can may could wajib harus perlu must tetap masih")
# After a state the question asks of ("aman kan?"), words that say it holds: "aman kok",
# "aman-aman aja", "sah aja".
_SAID_SO = _words("kok aja saja aman")
_CLAUSE = re.compile(r"[,;:()\u2014\u2013]|\s-\s")
# An indirect question states no answer ("hal ini menentukan apakah laporan dapat dicabut",
# "it depends on whether ..."): the words from it to the clause's end are not read.
_INDIRECT = re.compile(
    # "ada atau tidaknya pajak terutang baru dapat diketahui ...", "sah tidaknya": whether.
    r"\b(?:apakah|whether|(?:ada|sah|boleh|wajib|bisa)\s+(?:atau\s+tidak\w*|tidaknya))\b[^,;:.]*"
)


# "Pada dasarnya ... dilarang": the general rule, with exceptions to follow.
_GENERAL = re.compile(r"^\W*(?:pada\s+dasarnya|pada\s+prinsipnya|in\s+principle)\b")
# A sentence that states the rule it cites ("Berdasarkan Pasal 653 KUHPerdata, ...", "Menurut UU
# ...", "Pasal 498 menyatakan ...").
_CITES = re.compile(
    r"^\W*(?:(?:pertama|secara\s+umum|pada\s+dasarnya)\W+)?(?:dari\s+sisi\s+[\w\s]+?,\s*)?"
    r"(?:berdasarkan|menurut|sesuai\s+(?:dengan\s+)?|merujuk|mengacu|pasal\s+\d|undang-undang"
    r"|uu\s|peraturan|kitab|kuh|pojk|perma|according\s+to|under\s+(?:article|law|the))"
)
# Words that join a clause to what came before ("..., sehingga rujuk tidak lagi dimungkinkan"):
# the clause's subject comes after them.
_LINKS = _words("sehingga jadi namun tetapi tapi sedangkan lalu kemudian akibatnya artinya so thus")


_OBSTRUCTS = _words(
    "menghalangi menghalang menghambat mencegah menutup menghapus menghilangkan menggugurkan "
    "prevent prevents bar bars preclude precludes menolak menghindari mengelak refuse avoid "
    "penghapus menghapuskan larangan halangan hambatan melarang"
)


_WITHOUT_WORDS = _words("tanpa without")
_SANCTIONED = _words(
    "ditindak ditilang didenda dipidana dihukum dikenai dikenakan disanksi berisiko melanggar"
)
_BECAUSE = _words("karena sebab akibat lantaran because")
_MODALS = _words("bisa dapat boleh wajib harus berhak can may must")
_CARRIERS = _words("dikenai dikenakan dijatuhi dijatuhkan kena terkena")
_WORRY = _words("khawatir takut cemas ragu risau worry")


def _predicate_sign(clause: str, question: Question) -> tuple[int, bool]:
    """`_predicate_said`, as an answer to the question: a question that negates what it asks
    ("gk bisa banding lg?", "penahanannya gk sah dong?") is answered yes by an answer that
    negates it too."""
    sign, before = _predicate_said(clause, question)
    return sign * question.polarity, before


# "not only": "bukan cuma penambangnya yang bisa dipidana, tapi ... juga", "tidak hanya
# dipidana, tetapi juga digugat": the negation adds others, it denies nothing.
_NOT_ONLY = _words("cuma hanya sekadar sekedar saja doang")


def _predicate_said(clause: str, question: Question) -> tuple[int, bool]:
    """-1 when the clause negates a predicate word of the question, 1 when it affirms one under
    a modal, 0 when it does neither; and whether the negation comes before the word."""
    words = _WORD.findall(clause)
    words = [
        "juga" if w in NEGATORS and words[k + 1 : k + 2] and words[k + 1] in _NOT_ONLY else w
        for k, w in enumerate(words)
    ]
    first = next((i for i, w in enumerate(words) if w not in STOPWORDS and w not in _LINKS), 0)
    for i, word in enumerate(words):
        # "penjara" is the word "dipenjara" asks about, though the crude stem takes "pe" off.
        if not {stem(word), unnasal(word), word[:6]} & question.predicate:
            continue
        # "tidak akan diproses pidana atau dipenjara": the negation covers each alternative.
        if "yang" in words[:i] and _AFFIRMING & set(words[i + 1 :]):
            # "Rumah yang belum punya PBG tetap bisa dilegalkan": the word describes the
            # subject; the clause's answer comes after it.
            continue
        if i and words[i - 1] == "kurang":
            # "kurang adil", "kurang tepat": not quite is not.
            return -1, True
        # "tidak membuat Anda dapat dikenai sanksi": "dikenai" only carries the predicate.
        before = [w for w in words[:i] if w not in _OR and w not in _CARRIERS][-BEFORE:]
        if reason := [k for k, w in enumerate(before) if w in _BECAUSE]:
            # "perjanjian kerja tidak berakhir karena beralihnya hak": the negation is the
            # main verb's; the reason after "karena" states the word.
            before = before[reason[-1] + 1 :]
        if any(
            w in NEGATORS and _OBSTRUCTS & set(before[j + 1 : j + 3]) for j, w in enumerate(before)
        ):
            # "tidak menghalangi tuntutan ganti rugi": what is not in the way is open; "bukan
            # alasan penghapus pidana": still a crime.
            return 1, False
        if (
            i
            and words[i - 1] in _WITHOUT_WORDS
            and (NEGATORS & set(words[max(0, i - 9) : i - 1]) or _SANCTIONED & set(words[i + 1 :]))
        ):
            # "tidak dapat menambang ... tanpa izin", "tanpa pelat nomor tetap berisiko
            # ditindak": the permit, the plate is required.
            return 1, True
        # "tanpa" negates only the word right after it ("jadwal ulang tanpa biaya atau refund
        # penuh").
        negating = [w for w in before[:-1] if w not in _WITHOUT_WORDS] + before[-1:]
        negated = max((k for k in range(max(0, i - BEFORE), i) if words[k] in NEGATORS), default=-1)
        if (
            negated > 0
            and "yang" in words[max(0, negated - 3) : negated]
            and _MODALS & set(words[negated + 2 : i])
        ):
            # "PMI yang upahnya tidak dibayar dapat meminta bantuan": the negation is the
            # relative clause's; a modal verb after it begins the predicate's own ("tidak dapat
            # meminta" stays negated: its modal comes right after the negator).
            negating = []
        y = next((k for k in range(i - 1, max(-1, i - 5), -1) if words[k] == "yang"), None)
        described = bool(y and NEGATORS & set(words[max(0, y - 3) : y]))
        if any(w in NEGATORS for w in negating):
            # "bukan sebagai penghasilan yang tidak termasuk objek pajak": the description
            # that denies it is denied.
            return (1, False) if described and NEGATORS & set(words[y:i]) else (-1, True)
        if described:
            # "tidak termasuk pihak yang berhak atas santunan", "bukan orang yang dapat
            # dipidana": denied of those it describes.
            return -1, True
        # "tidak dapat dijadikan dasar untuk balik nama": the negated modal a little further
        # back still governs the predicate.
        modal = next((k for k in range(i - 1, -1, -1) if words[k] in _AFFIRMING), None)
        if modal is not None and i - modal <= BEFORE + 2 and modal and words[modal - 1] in NEGATORS:
            if any(w in _OBSTRUCTS for w in words[modal + 1 : i]) or words[modal + 1] in _WORRY:
                # "tidak dapat dijadikan alasan untuk menolak pembayaran": it must be paid;
                # "tidak perlu khawatir mengenai keabsahan kuitansi": it is valid.
                return 1, False
            return -1, True
        after = words[i + 1 : i + 1 + AFTER]
        # "pembekuan bersifat sementara dan tidak menghapus hak Anda": a negation after "dan"
        # is another predicate's.
        after = after[: next((k for k, w in enumerate(after) if w in _JOINED), len(after))]
        if i == first and any(w in NEGATORS for w in after):
            return -1, False
        if any(w in _AFFIRMING for w in before):
            return 1, False
        if word in _TAGGED and after[:1] and after[0] in _SAID_SO:
            # "harusnya aman-aman aja", "di hari libur sih aman kok": safe, said so.
            return 1, False
    return 0, False


def _predicate_signs(sentence: str, question: Question) -> list[tuple[int, bool]]:
    """`_predicate_sign` of each clause of a sentence (an indirect question's words left out)."""
    return [_predicate_sign(c, question) for c in _CLAUSE.split(_INDIRECT.sub("", sentence))]


# A question about validity itself ("sah gk?", "kontraknya masih berlaku?").
_VALIDITY = frozenset(map(stem, ("sah", "berlaku", "mengikat", "valid", "legal", "batal")))
_BINDS = re.compile(r"\b(?:mengikat|binding)\b")


# "..., tetapi ...": what follows the "but" is the point.
_BUT = re.compile(r",\s*(?:tetapi|namun|tapi|tp|but)\s+")


# A belief called wrong: "anggapan bahwa usaha ini tidak perlu izin sama sekali kurang tepat".
_BELIEF_WRONG = re.compile(
    r"\b(?:anggapan|pendapat|klaim|pernyataan|asumsi|pandangan)\s+(?:[\w-]+\s+){0,3}?bahwa\s+"
    r"(?P<what>.+?)\s+(?:(?:kurang|tidak|tak)\s+(?:tepat|benar|betul)|keliru|salah)\b"
)


def _reading(sentence: str, question: Question) -> tuple[int, bool]:
    """`_read`; a belief called wrong ("anggapan bahwa ... tidak perlu izin ... kurang tepat")
    answers the other way from the belief. Asked of what the other side may do to the asker, a
    sentence that grants them a right and then limits it ("Tetangga Anda berhak memasang CCTV
    ..., tetapi tidak dibenarkan mengarahkannya ..."), and so answers neither way as a whole,
    answers with its "but"."""
    if (
        "benar" not in question.signs
        and (belief := _BELIEF_WRONG.search(sentence))
        and (held := _read(belief["what"], question))[0]
    ):
        # (Asked whether a claim is right, "tidak tepat" answers it in so many words.)
        return -held[0], held[1]
    found = _read(sentence, question)
    if found[0] or not question.against or not (but := _BUT.search(sentence)):
        return found
    return _read(sentence[but.end() :], question)


def _read(sentence: str, question: Question) -> tuple[int, bool]:
    """The answer one sentence's main clause gives: the question's predicate negated ("tidak
    membuat Anda dapat dipidana"), the question's concepts (the answer's sign times the
    question's), the predicate otherwise, the modal verb of a modal question, the asker's
    chances; and whether it speaks of what is asked (its predicate or concepts), not only of
    some modal verb or the asker's chances."""
    if question.claim and _SAYS_RIGHT.search(sentence) and not _SAYS_WRONG.search(sentence):
        # "Tenang, temen kamu bener kok.": the claim is right, however the answer opens.
        return 1, True
    if (
        (question.claim or question.against)
        and (unjustified := _UNJUSTIFIED.match(sentence))
        and not _SECOND_PERSON & set(_WORD.findall(unjustified.group())[:2])
    ) or (
        question.against
        and (act := _ACT_UNJUSTIFIED.match(sentence))
        and act["who"] not in _SECOND_PERSON
    ):
        # "Tindakan HRD tersebut tidak dapat dibenarkan.": the claim does not hold.
        return -1, True
    if question.claim and _NOT_NECESSARILY.search(sentence):
        # "Klaim tetangga Anda belum tentu benar": not necessarily right is no yes.
        return -1, True
    if question.claim and (excuse := _EXCUSE.search(sentence)):
        # "kayaknya bos kamu lagi ngeles deh": whoever made the claim is making excuses.
        return (1 if excuse["no"] else -1), True
    if (
        question.claim
        or (question.against and "boleh" in question.signs)
        # "itu wajar gk?" - "Wajar kok": what is asked, said back.
        or question.predicate & _FAIR_ASKED
    ) and (fair := _FAIR.search(sentence)):
        # (Asked of what the other side did, "ya itu wajar sih": they may.)
        # "ya wajar sih teller nganggep dia keluarga dekat": the claim is fair; "gk wajar sih",
        # not.
        return (-1 if fair["no"] or fair["no_late"] else 1), True
    if (question.claim or _feared(question)) and _REASSURED.search(sentence):
        # "Kades bilang udh milik umum. Bener gk?" - "Tenang, tanah kamu tetep punya kamu": the
        # asker is reassured against the claim, so it does not hold, whatever words follow;
        # "masa sy yg harus nanggung?" - "Tenang aja, ... risikonya ditanggung bank": against
        # the duty they fear.
        # A claim in the asker's favour ("jd sy tetep bisa masuk kayak biasa") is what they hope
        # for, and the reassurance says it holds.
        if question.claim:
            return (1 if question.favours else -1), True
        return -question.polarity, True
    if _RESIGNED.match(sentence):
        # "Ya mau gimana lagi, ...": nothing to be done; what is feared comes, what is hoped for
        # does not.
        return -_hoped(question), False
    predicate = _predicate_signs(sentence, question)
    sentence = _INDIRECT.sub("", sentence)
    if any(sign == -1 and before for sign, before in predicate):
        return -1, True
    if not question.about & _VALIDITY:
        # "Harga sewa yang disepakati mengikat kedua belah pihak" asked "boleh dia naikin?": that
        # the agreement binds says nothing by itself on what either party may do.
        sentence = _BINDS.sub(" ", sentence)
    signs = topics(concept_signs(sentence, one_duty=False))
    if any(len(signs.get(c, ())) > 1 for c in question.signs):
        # "Anda dapat terbebas dari tunggakan tersebut, karena kewajiban PKB melekat pada ...":
        # the reason states the rule the conclusion rests on; the clause before it, the answer.
        signs = topics(concept_signs(_REASON.sub("", sentence), one_duty=False))
    votes = {
        next(iter(signs[c])) * sign
        for c, sign in question.signs.items()
        if len(signs.get(c, ())) == 1 and not c.startswith("modal:")
    }
    # "boleh gk dia nyuruh sy keluar?" - "Anda berhak menempati kamar": the asker's right is
    # the other way round from the other party's.
    askers = (
        -1
        if question.against
        and question.modal
        and question.about & _THEM
        and _ASKERS_RIGHT.search(sentence)
        else 1
    )
    if len(votes) == 1:
        if askers == -1 and question.claim and len(signs.get("benar", ())) == 1:
            # "Klaim klien tersebut tidak benar, dan Anda tetap dapat menuntut": the claim is
            # judged in so many words; the asker's right after it says the same.
            askers = 1
        # "kecil kemungkinan peristiwa tersebut memenuhi unsur tindak pidana": unlikely.
        return (-1 if _UNLIKELY.search(sentence) else 1) * votes.pop() * askers, True
    if found := next((sign for sign, _ in predicate if sign), 0):
        return found, True
    if "wajib" in question.signs and (advised := _ADVISED.search(sentence)):
        # "apa sy wajib bayar?" - "Kayaknya mending dibayar aja deh": advised to do it.
        verb = advised["verb"]
        root = stem(verb)
        if {root, stem("di" + verb), unnasal(verb)} & question.predicate or (
            # "saran aku tanda tangan aja" asked "hrs sy tandatangani?".
            len(root) > 3 and any(p.startswith(root) for p in question.predicate)
        ):
            return question.polarity, False
    if question.modal and _CANNOT_STOP.search(sentence):
        # "pemegang saham lain tidak dapat menghalangi": what nobody can stop can be done; asked
        # of someone else's right over the asker ("kampus boleh gk kyk gitu?"), "kampus tidak
        # dapat menolak" says they may not.
        return -question.polarity if question.against else question.polarity, False
    if _AVOIDED.search(sentence):
        # "risiko dibawa paksa maupun dipidana dapat dihindari": what is feared need not come;
        # the modal verb says it can be avoided, not that it can happen.
        return -1, False
    # The asker's chances, or an answer that reassures them ("Tenang aja", "gk usah khawatir"),
    # say yes to what they hope for and no to what they fear ("masih bisa kalah?"; `_hoped`).
    hoped = _hoped(question)
    # "posisi toko cukup kuat": the other side's chances are the asker's the other way round.
    theirs = -1 if (owner := _POSITION_OF.search(sentence)) and owner["who"] not in _MINE else 1
    chance = _CHANCE_NO.search(sentence)
    if chance and _feared(question) and _OF_FEARED.search(chance.group()):
        # "Peluang kamu dipidana kecil" asked "sy bisa kena gk?": the chance named is that of
        # what is feared, not of what the asker hopes for.
        theirs = -theirs
    if chance and (hard_said := _HARD_TO.search(sentence)) and chance.start() < hard_said.start():
        # "posisi kamu lemah sih kalau mau nolak, susah buktiin itu bukan kamu": the asker's
        # chances, said first; what is hard after it is the reason.
        return -hoped * theirs, False
    if _feared(question) and _CANNOT_ESCAPE.search(sentence):
        # "sy wajib lunasin?" - "kayaknya kamu gak bisa lepas gitu aja": what is feared holds.
        return question.polarity, False
    if (anyone := _ANYONE_MAY.search(sentence)) and not (
        {stem(anyone["verb"]), unnasal(anyone["verb"])} & question.predicate
    ):
        # "bisa sy laporin?" - "siapa aja sebenernya boleh parkir di situ": the other side may
        # do what the asker complains of (asked "boleh sy parkir?", it is a yes).
        return -hoped, False
    if _HARD_FOR_YOU.search(sentence):
        # "Hmm, jujur ya, ini agak susah buat kamu": the asker's position is hard.
        return -hoped, False
    if hoped and _RARELY.search(sentence):
        # "Nelayan kampung yang cuma nangkep jarang banget disentuh" asked "sy aman kan?": what
        # is feared rarely comes, a yes to what is hoped for ("bisa dipidana gk?": a no).
        return hoped, False
    if hard := _hard_to(sentence, question):
        # "udh susah bgt buat gugat lagi", "susah buat dipidana": what is asked is hard to
        # bring about, whether hoped for or feared; "susah buat nolak": hard to escape. Asked
        # of a claim ("HRD bilang sy gk dapet apa2. bener gk?" - "agak susah sih nuntutnya"):
        # what the asker hopes for is hard to get.
        return -hard * (hoped if question.claim else question.polarity), False
    if (
        (question.claim or _feared(question))
        and (basis := _BASIS.search(sentence))
        and not _SECOND_PERSON & set(_WORD.findall(sentence[: basis.start()]))
    ):
        # "Permintaan tersebut tidak memiliki dasar hukum": the claim (or the demand it makes)
        # has no basis, whoever hoped for it; "pernyataan pemilik rental tersebut memiliki
        # dasar": it holds. Said of the asker ("tuntutan Anda"), it is their chances.
        return (-1 if basis["no"] else 1), False
    if (
        not question.claim
        and (question.signs.get("boleh") or question.predicate & _FAIR_ASKED)
        and _COMMON.search(sentence)
    ):
        # "Emang boleh gitu?" - "nyicil pesangon itu sebenernya hal yang lumrah sih": normal,
        # so allowed.
        return question.polarity, False
    if _YOUR_RIGHT.search(sentence) or (hoped == 1 and _YOU_ENTITLED.search(sentence)):
        # "bisa minta kompensasi gk?" - "Itu hak kamu kok": what the asker hopes for holds.
        # (Asked whether the asker can have something, "Anda tetap berhak atas upah ..."; not
        # asked of what they fear, "gaji sy dipotong gk?", where the right said may be another.)
        return hoped, False
    if _YOUR_RISK.search(sentence):
        # "Jadi ya itu resiko kamu sih": the asker bears it; what they hoped for does not come.
        return -hoped, False
    if _THEIR_RIGHT.search(sentence):
        # "ya itu hak mereka sih buat nolak": the other side is within its rights, so what the
        # asker hoped for does not come.
        return -hoped, False
    if chance or _UNSAFE.search(sentence):
        # Before any modal verb: "tuntutan pesangon tidak memiliki dasar hukum, tetapi keberatan
        # tetap dapat diperjuangkan"; "tidak sepenuhnya aman secara hukum".
        return -hoped * theirs, False
    if question.modal:
        modal = {v for key, values in modal_signs(sentence).items() for v in values}
        if len(modal) == 1:
            return modal.pop() * question.polarity * askers, False
    if (likely := _CHANCE_YES.search(sentence)) or _REASSURED.search(sentence):
        if likely and _feared(question) and _OF_FEARED.search(likely.group()):
            # "peluang Anda digugat cukup besar": the chance of what is feared.
            return -hoped * theirs, False
        return hoped * theirs, False
    if _feared(question) and _SPARED.search(sentence):
        # "bisa dipidana gk?" - "kayaknya warga sih gk bakal kena ya": spared what is feared.
        return hoped, False
    return 0, False


# What an asker fears rather than hopes for, when the question asks whether it can happen.
_FEARED = frozenset(
    map(
        stem,
        _words(
            "kalah dipenjara penjara dipidana pidana dipecat pecat ditilang dihapus disita "
            "dibongkar digusur diblokir ditangkap ditahan hilang ilang hangus diberhentikan "
            "dikeluarkan phk masalah ilegal ngusir diusir usir"
        ),
    )
)
_PROCESSED = frozenset({"hukum", "dipros"})
_HIT = stem("kena")
# Hard for the asker: "ini agak susah buat kamu" (not "susah buat kamu buktiin ...").
_HARD_FOR_YOU = re.compile(
    r"\b(?:susah|sulit|berat)\s+(?:(?:banget|bgt|sih|juga)\s+)*(?:buat|untuk|bagi)\s+"
    r"(?:kamu|anda|km|lu|lo)\b(?!\s+(?:buat\s+|untuk\s+)?[a-z]{3,})"
)
# No escaping it: "kamu gak bisa lepas gitu aja", "tidak dapat menghindar".
_CANNOT_ESCAPE = re.compile(
    r"\b(?:tidak|tak)\s+(?:bisa|dapat|mungkin)\s+(?:lepas|lolos|menghindar|menghindari|ngelak"
    r"|mengelak|kabur|lari)\b(?!\s+(?:dari\s+)?(?:tanggung\s+jawab|kewajiban)\s+(?:mereka|dia))"
)
# Anyone may: "siapa aja boleh parkir di situ".
_ANYONE_MAY = re.compile(
    r"\bsiapa\s*(?:aja|saja|pun|pun\s+juga)\s+(?:[\w-]+\s+)?(?:boleh|bisa|berhak|dapat)\s+"
    r"(?P<verb>[a-z]{3,})"
)
# A chance of what the asker fears: "peluang kamu dipidana", "kemungkinan Anda kena sanksi".
_OF_FEARED = re.compile(
    r"\b(?:dipidana|dipenjara|dihukum|ditahan|ditangkap|dituntut|digugat|dijerat|kena|terkena"
    r"|dikenai|dikenakan|dipecat|di-?phk|diusir|digusur|disita|kalah)\b"
)
# "sy cuma bisa dapet 500rb?", "hanya berhak 1/3?": a limit on what the asker can have.
_ONLY_ASKED = re.compile(
    r"\b(?:cuma|cm|cuman|hanya)\s+(?:bisa|dapat|dpt|dapet|berhak|boleh|diganti|dibayar)\b"
)
# What the asker does to someone else ("bisa sy laporin pidana?"): hoped for.
_ACTS = frozenset(
    map(stem, _words("lapor laporin lapori melaporkan tuntut nuntut gugat minta klaim"))
)


# Words that begin another predicate of the same subject.
_JOINED = _words("dan serta tetapi tapi namun sedangkan")
# The asker holds the right: "Anda berhak menempati", "kamu tetap boleh tinggal".
# Said as the subject (not "tetangga Anda").
_ASKERS_RIGHT = re.compile(
    r"(?:^|[,;:]\s*|\b(?:maka|jadi|sehingga|dan|tetapi|tapi|namun)\s+)(?:anda|kamu)\s+"
    r"(?:\w+\s+){0,2}?(?:tidak\s+)?(?:berhak|boleh|dapat|bisa)\b"
)
# The other party named as a pronoun in the question ("boleh gk dia gitu?"), so that the asker
# is not the one asked about.
_THEM = frozenset(map(stem, ("dia", "mereka", "ia")))
# The modal verb a modal question asks about, said as the answer: "Bisa kok", "Tidak dapat".
_MODAL_SAID = re.compile(r"\b(?:bisa|dapat)\b")
_HARD_SAID = re.compile(r"\b(?:susah|sulit)\b")
_FINE = re.compile(FINE)


def _hard_to(sentence: str, question: Question) -> int:
    """1 when the sentence calls what is asked hard to do ("susah buat dipidana") or hard to
    count as ("agak susah sih dianggap kecelakaan kerja"); -1 when it calls escaping it hard
    ("susah buat nolak"); else 0."""
    if _HARD_SAID_ALONE.match(sentence):
        # "Ya emang agak susah sih.": hard, said as the whole answer.
        return 1
    if hard := _HARD_TO.search(sentence):
        verb = hard["verb"] or hard["verb_nya"] or hard["verb_bare"] or hard["verb_you"] or ""
        return _hard_verb(verb, question)
    if not (counted := _HARD_TO_COUNT.search(sentence)):
        return 0
    return int(bool({stem(w) for w in _WORD.findall(counted["what"])} & question.predicate))


# Hard, of the act a "kalau mau" names: "kalau mau nuntut Satpol PP itu agak susah sih", "Agak
# susah kalau mau nolak sendirian".
_HARD_IF = re.compile(
    r"\b(?:kalau|kalo|klo)\s+(?:mau|mo|pengen|ingin)\s+(?P<verb>[a-z-]{3,})\b[^,.;]*?\s"
    r"(?:(?:itu|ya|sih|jujur)\s+)*(?:agak\s+|cukup\s+|bakal\s+|lumayan\s+)?(?:susah|sulit)\b"
    r"|\b(?:susah|sulit)\s+(?:(?:sih|juga|jg|banget|bgt)\s+)*(?:kalau|kalo|klo)\s+"
    r"(?:mau|mo|pengen|ingin)\s+(?P<verb_after>[a-z-]{3,})\b"
)


def _hard_if(clause: str, question: Question) -> int:
    """As `_hard_to`, for a hard act a "kalau mau" clause names; 0 when there is none."""
    if not (hard := _HARD_IF.search(clause)):
        return 0
    return _hard_verb(hard["verb"] or hard["verb_after"], question)


def _hard_verb(verb: str, question: Question) -> int:
    """The sign of an act called hard: 1 for what is asked ("sy gk bisa nolak kenaikan ya?" -
    "agak susah sih buat nolak": the refusing itself, and it is hard) or any other act, -1 for
    escaping what is asked ("susah buat nolak" asked "sy wajib bayar?")."""
    forms = {stem(verb), unnasal(verb)}
    if forms & question.predicate:
        return 1
    return -1 if forms & _ESCAPE else 1


def _hoped(question: Question) -> int:
    """The answer the asker hopes for: 1 yes, -1 no. A question that negates what it asks ("gk
    bisa nuntut ya?") hopes for a "no". A claim is hoped right or wrong as a whole, however it is
    worded; one that denies the asker something ("gk bisa dibalikin", "helm bukan tanggung jawab
    dia") is hoped wrong, whoever made it."""
    if question.claim:
        if question.favours:
            return 1
        # "pecat tanpa pesangon itu sah ... bener gitu?": a claim about what the asker fears
        # (being fired, evicted, fined) is hoped wrong, whatever its predicate ("sah").
        dreaded = question.about & _FEARED and not question.about & _ACTS
        return -1 if _feared(question) or dreaded or question.polarity == -1 else 1
    return (-1 if _feared(question) else 1) * question.polarity


def _feared(question: Question) -> bool:
    if question.against or question.predicate >= _PROCESSED or _HIT in question.about:
        # "sy bisa kena gk?": hit by the law.
        # "masih bisa diproses hukum gk sih?": a legal process against the asker.
        return True
    if question.limited:
        # "jadi sy cuma bisa dapet 500rb ya?": a limit the asker fears is so.
        return True
    return bool(question.predicate & _FEARED) and not question.predicate & _ACTS


# A cleft sentence: "yang bisa dituntut itu teknisinya", "yg wajib ganti rugi adalah sopirnya".
_CLEFT = re.compile(
    r"^(?:(?:[^\s,]+\s+){0,2}[^\s,]+,\s*)?"
    rf"(?:(?:{HEDGES}|sayangnya|biasanya|justru|nah|jadi|intinya|sih|ya|pada\s+dasarnya"
    r"|secara\s+hukum)\s+)*"
    r"(?:yang|yg)\s+(?P<what>(?:[\w/-]+\s+){0,5}?[\w/-]+)\s+"
    r"(?:itu|adalah|ialah)\s+(?:(?:cuma|hanya|justru|ya|tetap|tetep)\s+)?(?P<who>[a-z]+)"
)
_LIABLE = _words("tanggung bertanggung bertanggungjawab tanggungjawab")
_SECOND_PERSON = _words("kamu anda kalian lu lo elu kau engkau")
# Not a party: "yang dilarang itu kalau ...", "yang penting itu bukti".
_NO_PARTY = _words(
    "kalau kalo jika bila apabila ketika saat waktu karena soal hal cara bukan tidak ada yang "
    "yg pasal uu undang undang aturan ketentuan"
)


def _someone_else(clause: str, question: Question) -> bool:
    """Does a cleft sentence name, as the one its verb applies to, a party the question does
    not ask about ("konter bisa dituntut?" - "yang bisa dituntut itu teknisinya")?"""
    if not question.about or not (m := _CLEFT.match(clause)):
        return False
    who = m["who"]
    if who in _SECOND_PERSON or who in _ASKER or who in _NO_PARTY:
        return False
    if stem(who) in question.about:
        # ("teknisinya" stems as "teknisi" does.)
        return False
    said = _WORD.findall(m["what"])
    if _LIABLE & set(said) and ({"wajib", "pidana", "gugat"} & set(question.signs)):
        # "yang bertanggung jawab itu pengemudinya" asked "sy yg wajib bayar?".
        return True
    # What the cleft says of them is what the question asks.
    return bool({stem(w) for w in said} & question.predicate) or any(
        LEXICON.get(w, ("",))[0] in question.signs for w in said
    )


# A remark of sympathy, a greeting or cheer that opens a chat answer: "Duh, ikut sedih dengernya
# 😔", "Ya Allah, yang sabar ya kak 😢", "Waalaikumsalam.", "Peluk dulu ya kak 🤗".
_REMARK = re.compile(
    r"^\W*(?:duh|aduh|waduh|wah+|ya\s+allah|astaga\w*|astagfirullah\w*|innalillahi\w*"
    r"|turut\s+berduka|(?:yang\s+)?sabar\s+ya|peluk|ikut\s+sedih|semangat|selamat"
    r"|wa'?alaikum\s*salam|walaikum\s*salam|assalamu'?alaikum|halo|hai|terima\s+kasih|makasih"
    r"|oh\s+no|sorry\s+to\s+hear|i'?m\s+(?:so\s+)?sorry|ah|oh)\b"
)
# A word that may carry an answer the rules do not read ("Wah, kalau kartu garansinya juga ikut
# kebuang agak susah sih."): no mere remark.
_ANSWER_WORD = re.compile(
    r"\b(?:susah|sulit|bisa|boleh|tidak|tak|bukan|aman|lemah|telat|terlambat|hak|wajib|harus"
    r"|dapat|sah|kena|ikhlas\w*|riskan|posisi\w*|peluang\w*|resiko|risiko|kalau|kalo|klo|jika)\b"
)
# Advised to let it go: "Mending ikhlasin aja", "anggap aja pelajaran".
_GIVE_UP = re.compile(
    r"\b(?:mending|mendingan|sebaiknya|saran\s+(?:aku|saya|gue|gw)|saranku)\s+"
    r"(?:(?:[\w-]+|&)\s+){0,3}?(?:ikhlasin|ikhlaskan|diikhlaskan|relain|relakan|direlakan)\b"
    r"|\b(?:ikhlasin|ikhlaskan|relain|relakan)\s+(?:dulu\s+)?(?:aja|saja|deh|ya)\b"
    r"|\banggap\s+(?:aja|saja)\s+(?:(?:sebagai|jadi)\s+)?(?:pelajaran|sedekah)\b"
)
# A wish, whatever it names: "Semoga ayah Anda segera mendapat penanganan."
_WISH = re.compile(r"^\W*(?:(?:aduh|duh|wah|ya)\W+)?(?:semoga|mudah-mudahan|moga-moga)\b")
# Where a remark ends inside a sentence: at an emoji ("... 😔 Rugi 6 juta itu ...").
_REMARK_END = re.compile(rf"[{EMOJI}]+\s*")


def _past_remarks(sentences: Sequence[str], question: Question) -> tuple[Sequence[str], bool]:
    """The sentences from the first that may answer: an opening remark of sympathy or greeting
    that answers nothing (not "Wah, bisa kok", not "Waduh, kalau ... udah telat kayaknya") is
    passed over, and, when an emoji ends it inside its sentence, the sentence goes on after the
    emoji; and whether a whole sentence was passed over."""
    out = list(sentences)
    dropped = False
    for _ in range(2):
        if not out:
            break
        end = _REMARK_END.search(out[0])
        remark = plain(out[0][: end.start()] if end else out[0])
        if not _WISH.match(remark) and (
            not (_REMARK.match(remark) or not _WORD.search(remark))
            or _OPENER.match(remark)
            or _ANSWER_WORD.search(remark)
            or any(_reading(clause, question)[0] for clause in remark.split(";"))
            or any(_reading(main_clause(clause), question)[0] for clause in remark.split(";"))
        ):
            break
        rest = out[0][end.end() :].strip() if end else ""
        if rest:
            out[0] = rest
            break
        out.pop(0)
        dropped = True
    return (out, dropped) if out else (list(sentences), False)


def stance(question: Question, sentences: Sequence[str]) -> Stance:
    """The answer an answer (its sentences, in order) gives to the question: its explicit yes
    or no, else the first of its opening two and its concluding sentences that gives one.
    Asked whether the other side may do it just like that, a yes under conditions says no."""
    found = _stance(question, sentences)
    if not (question.offhand and found.sign == 1 and found.qualified):
        return found
    # A condition or an "only", not a yes "in principle" ("Pada prinsipnya pemilik sumur berhak
    # menghentikan ...").
    text = plain(found.text)
    condition = CONDITION.search(text)
    if condition and _restates_case(text[condition.end() :], question):
        # "Sayangnya, kalau emang ada riwayat hipertensi yang gak diisi di SPAJ, posisi kamu
        # agak lemah sih": the condition is the asker's own case, as the question told it.
        condition = None
    return Stance(-1, True, found.text) if condition or ONLY.search(text) else found


# At least this share of a condition's content words in the question: the asker's own case.
CASE_RESTATED = 2 / 3
_CONDITION_END = re.compile(r"[,;.:!?]")


def _restates_case(after: str, question: Question) -> bool:
    """Does the condition that begins `after` (up to its comma) name the asker's own case, two
    or more of its content words and most of them from the question (by their roots: "diisi"
    is the question's "ngisi")?"""
    clause = _WORD.findall(_CONDITION_END.split(after)[0])
    words = {_case_root(w) for w in _content(clause) if w not in NEGATORS}
    return len(words) >= 2 and len(words & question.story) >= CASE_RESTATED * len(words)


_CASE_PREFIX = re.compile(r"^(?:di|nge|ng|me|ber|ter|pe)(?=[a-z]{3})")


def _case_root(word: str) -> str:
    """A word's first four letters once a verb prefix is off: the same act however conjugated."""
    return _CASE_PREFIX.sub("", word)[:4]


def _stance(question: Question, sentences: Sequence[str]) -> Stance:
    sentences, remarked = _past_remarks(sentences, question)
    # A lead-in to a list (`LIST_INTRO`) answers nothing; an explicit answer before it stands
    # ("Tidak, ada beberapa alasan:").
    lowered = [
        "" if LIST_INTRO.search(t) and not _OPENER.match(t) else t for t in map(plain, sentences)
    ]
    if not lowered:
        return NONE
    first = lowered[0]
    if _RESIGNED.match(first) and not question.claim:
        # "Ya kalau emang kamarnya penuh mau gimana lagi sih, ...": nothing to be done, said
        # first (its "Ya" is no yes); what is feared comes, what is hoped for does not.
        return Stance(-_hoped(question), False, sentences[0])
    if opener := _OPENER.match(first):
        # "Boleh, asalkan ...": the answer's own clause limits it; after "No." a new sentence
        # begins.
        rest = "" if opener.group().rstrip()[-1:] in ".!" else first[opener.end() :]
        limited = bool(CONDITION.search(rest) or ONLY.search(rest) or _PARTLY.search(first))
        sign = 1 if opener["yes"] else -1
        said = opener["yes"] or opener["no"]
        if _FINE.match(said) and _feared(question) and not (question.against and question.modal):
            # (Asked "aman kan gk kena bea masuk?", safe is the yes.)
            # "bisa kena masalah gk?" - "Kayaknya sih aman", "bisa dipidana gk?" - "gk papa":
            # safe from what is feared is a no.
            sign = -question.polarity
        if question.signs.get("boleh") == -1 and said.strip() in _ILLEGAL:
            # "ilegal gk sih?" - "Ilegal.": the question's own word, said back, is a yes.
            sign = 1
        elif (
            any(question.signs.get(_NAMED_AS.get(c, c)) == -1 for c in _NAMED.findall(said))
            or (
                question.modal
                and question.polarity == -1
                and (_MODAL_SAID.search(said) or _HARD_SAID.search(said))
            )
            # "boleh gk perusahaan gitu??" - "Hmm agak susah sih kalau mau protes": asked of
            # what the other side may do to the asker, hard to fight says they may.
            or (question.against and not question.claim and _HARD_SAID.search(said))
        ):
            # "Emg gk boleh?" - "Boleh dong", "single gk bisa adopsi ya?" - "Bisa kok": the
            # answer says the concept or the modal verb itself, the other way round from how
            # the question puts it (as the body's sentences are read); "udh gk bisa apa2 ya?" -
            # "agak susah sih": hard, so no more can be done.
            sign = -sign
        return Stance(sign, limited, sentences[0])
    # The opening read for the answer: two sentences, or, after a remark that is a sentence of
    # its own, the next one ("Terima kasih atas pertanyaan Anda. Saya pahami ... Pertama, ...":
    # not the first point after it).
    opening = 1 if remarked else 2
    concluding = [i for i, s in enumerate(lowered) if i >= opening and CONCLUDES.match(s)]
    for i in concluding:
        # "Dengan demikian, Anda tidak dapat ... mendaftarkan": a conclusion that denies what
        # is asked, in so many words, is the answer; the opening often states only the rule.
        for clause in lowered[i].split(";"):
            main = main_clause(clause)
            if (
                main == conceded(clause)
                and ("benar" in question.signs or not _BELIEF_WRONG.search(main))
                and not _CANNOT_STOP.search(main)
                and _predicate_sign(main, question) == (-1, True)
            ):
                return Stance(-1, False, sentences[i])
    read = [0, 1][: min(opening, len(lowered))] + concluding
    weak = cited = NONE
    for i in read:
        if cited.sign and i < opening:
            continue
        for clause in lowered[i].split(";"):
            if "benar" in question.signs and _PARTLY.search(clause):
                return Stance(1, True, sentences[i])
            main = main_clause(clause)
            sign, direct = _reading(main, question)
            if not sign and (hard := _hard_if(clause, question)):
                # "kalau mau nuntut Satpol PP itu agak susah sih": what the "kalau" names is no
                # condition but the act called hard.
                sign = -hard * (_hoped(question) if question.claim else question.polarity)
            if sign == 1 and _someone_else(clause, question):
                # "Yang bisa dituntut itu teknisinya aja" asked of the shop: a no.
                sign = -1
            only = bool(ONLY.search(clause))
            if sign == 1 and only:
                # "Hanya WNI yang dapat mempunyai hak milik": a yes for some says no to the rest.
                continue
            if sign:
                general = i == 0 and bool(_GENERAL.match(lowered[i]))
                found = Stance(sign, main != conceded(clause) or only or general, sentences[i])
                if direct and i < opening and _CITES.match(lowered[i]):
                    # "Berdasarkan POJK ..., setiap usaha wajib ...": the rule the answer
                    # cites; its conclusion ("Dengan demikian, ... tidak sah") is the answer.
                    cited = cited if cited.sign else found
                    break
                if direct:
                    return found
                # "Kalau sudah damai, perkaranya bisa dihentikan" (a modal verb, not what is
                # asked) counts only if no concluding sentence speaks of what is asked ("Jadi
                # ... gak akan diproses pidana").
                weak = weak if weak.sign else found
    if cited.sign or weak.sign:
        return cited if cited.sign else weak
    for i, sentence in enumerate(lowered):
        if _GIVE_UP.search(sentence):
            # "Saran aku ikhlasin aja deh": advised to let it go, what the asker hoped for does
            # not come (read when nothing before it answers).
            return Stance(-_hoped(question), False, sentences[i])
    # Neither the opening nor a conclusion answers: the body may, in so many words ("...
    # sehingga penyidik tidak dapat melanjutkan perkara"), when every sentence that speaks of
    # what is asked, outside a condition, answers it the same way.
    late: dict[int, int] = {}
    for i, sentence in enumerate(lowered):
        if i in read or _NOTE.match(sentence):
            # ("Perlu diperhatikan bahwa mengemudi tanpa SIM yang sesuai ... dapat dikenai
            # sanksi": a caution added to the answer, not the answer.)
            continue
        for clause in sentence.split(";"):
            main = main_clause(clause)
            if main != conceded(clause) or ONLY.search(clause):
                continue
            for sign, _ in _predicate_signs(main, question):
                if sign:
                    late.setdefault(sign, i)
    if len(late) == 1:
        sign, i = late.popitem()
        return Stance(sign, False, sentences[i])
    return NONE


# A note added to the answer: "Perlu diperhatikan bahwa ...", "Perlu diingat, ...".
_NOTE = re.compile(
    r"^\W*(?:perlu|harap|mohon)\s+(?:diperhatikan|diingat|dicatat)\b|^\W*(?:catatan|note)\s*:"
)
Sides = Literal["opposed", "same"]
_OPENS_ON_CASE = re.compile(
    r"^\W*(?:jadi\s+|jd\s+)?(?:kalau|kalo|klo|jika|apabila|bila|seandainya|if)\b", re.IGNORECASE
)


def sides(mine: Stance, theirs: Stance) -> Sides | None:
    """Do two answers answer the question both ways, or the same way? None when either gives
    no answer to it, or when each answers for a case it names first ("Kalau di-PHK, ..." /
    "Apabila ..."): two rules that may both hold. Under a limit of each its own ("Bisa, selama
    ..." / "Tidak benar, kecuali ..."), the answers still go both ways."""
    if not (mine.sign and theirs.sign):
        return None
    partly = [bool(_PARTLY.search(plain(s.text))) for s in (mine, theirs)]
    if any(partly) and not all(partly):
        other = theirs if partly[0] else mine
        opener = _OPENER.match(plain(other.text))
        if not (opener and opener["no"] and other.sign == -1):
            return None
    if (
        mine.qualified
        and theirs.qualified
        and (
            mine.sign == theirs.sign
            or (_OPENS_ON_CASE.match(mine.text) and _OPENS_ON_CASE.match(theirs.text))
        )
    ):
        # Two rules, each for a case it names first ("Kalau di-PHK, ..." / "Apabila pekerja
        # bekerja 21 hari ..."), may both hold.
        return None
    return "same" if mine.sign == theirs.sign else "opposed"


def answers(question: str | None, fast: str, validator: str) -> tuple[Stance, Stance] | None:
    """Each answer's answer to the asker's question, or None when it asks no yes or no."""
    asking = asked(question)
    if asking is None:
        return None
    return stance(asking, split(fast)), stance(asking, split(validator))
