"""Obligation and permission: wajib / tidak wajib, dapat / tidak dapat, boleh / dilarang, must."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Literal

from .facts import STOPWORDS, Fact, Prepared, fact, stem, unnasal, unnasal_bare

Polarity = Literal["obliged", "not_obliged", "permitted", "forbidden"]
# Pairs that cannot both hold of the same action.
CLASHES: frozenset[frozenset[str]] = frozenset(
    {
        frozenset({"obliged", "not_obliged"}),
        frozenset({"permitted", "forbidden"}),
        frozenset({"obliged", "forbidden"}),
    }
)
# Longest phrases first so that "tidak wajib" is read before "wajib".
PHRASES: tuple[tuple[str, Polarity], ...] = (
    # Said of the step before it: "LAPS SJK bersifat pilihan", "helm bersifat anjuran, bukan
    # kewajiban", "pelatihan bahasa tidak termasuk kewajiban".
    # "Peringatan tertulis tidak merupakan syarat yang wajib dipenuhi", "SKDU tidak lagi menjadi
    # syarat wajib", "laporan itu sifatnya anjuran".
    (
        r"(?:bersifat|sifatnya|(?:cuma|hanya|sekadar|sebatas)(?:lah)?)\s+(?:pilihan|anjuran"
        r"|imbauan|himbauan|dianjurkan|disarankan|opsional|sukarela|fakultatif)"
        r"|(?:bukan|tidak\s+termasuk)\s+(?:suatu\s+|sebuah\s+)?(?:kewajiban|keharusan)"
        r"|(?:bukan|tidak\s+(?:lagi\s+)?(?:menjadi|merupakan))\s+(?:suatu\s+|sebuah\s+)?syarat"
        r"(?:\s+(?:yang\s+)?(?:wajib|mutlak|harus))?"
        # "BPSK bukan tahapan wajib", "mediasi bukan langkah yang harus ditempuh": a step named
        # as not required.
        r"|(?:bukan|tidak\s+(?:lagi\s+)?(?:menjadi|merupakan))\s+(?:suatu\s+|sebuah\s+)?"
        r"(?:tahapan|tahap|langkah|prosedur|jalur|proses|upaya)\s+(?:yang\s+)?(?:wajib|harus|mutlak)",
        "not_obliged",
    ),
    # "tanpa harus memiliki kartu": without having to.
    # "tidak mewajibkan permohonan dalam bentuk tertulis": the rule does not require it.
    (
        r"(?:tidak|tanpa)\s+(?:lagi\s+)?(?:wajib|diwajibkan|mewajibkan|mengharuskan|harus|perlu"
        r"|mesti)",
        "not_obliged",
    ),
    (
        # "tidak ada yang bisa maksa kamu": nobody may.
        # ("kamu gak bakal bisa balik nama": never going to.)
        r"(?:tidak|tak)\s+(?:akan\s+|bakal\s+|lagi\s+|pernah\s+|ada\s+(?:yang|yg)\s+)?"
        r"(?:boleh|dapat|bisa|berhak|berwenang|diperbolehkan|dibolehkan|diizinkan|diperkenankan)",
        "forbidden",
    ),
    (r"tidak\s+dilarang", "permitted"),
    (r"wajib|diwajibkan|mewajibkan|mengharuskan|harus|mesti", "obliged"),
    (
        r"boleh|dapat|bisa|berhak|berwenang|diperbolehkan|dibolehkan|diizinkan|diperkenankan",
        "permitted",
    ),
    (r"dilarang", "forbidden"),
    (
        r"must\s+not|shall\s+not|may\s+not|cannot|can\s*not|can't|(?:is|are)\s+not\s+(?:allowed|permitted)\s+to"
        r"|(?:is|are)\s+prohibited\s+from|(?:is|are)\s+forbidden\s+to",
        "forbidden",
    ),
    (
        r"need\s+not|(?:do|does)\s+not\s+(?:need|have)\s+to|(?:is|are)\s+not\s+(?:required|obliged|obligated)\s+to",
        "not_obliged",
    ),
    (r"must|shall|(?:is|are)\s+(?:required|obliged|obligated)\s+to", "obliged"),
    (r"may|can|(?:is|are)\s+(?:allowed|permitted|entitled)\s+to", "permitted"),
)
# Matched against the lowercased text (faster than IGNORECASE).
_MODAL = re.compile(
    r"\b(?:" + "|".join(rf"(?P<p{i}>{p})" for i, (p, _) in enumerate(PHRASES)) + r")\b"
    # What it governs is looked at, not consumed: "dapat mendaftar tanpa harus memiliki kartu"
    # holds a second modal ("tanpa harus") inside the first one's four words.
    # A line break ends it: "gk bisa jualan lagi\n\nKumpulin bukti" governs no "bukti".
    r"(?=(?P<rest>(?:[^\S\n]+[^\W\d_]+){0,6}))",
)
# Words between a modal and the action it governs.
FILLERS = frozenset(
    [
        "untuk",
        "lagi",
        "lebih",
        "dahulu",
        "dulu",
        "terlebih",
        "secara",
        "segera",
        "juga",
        "pula",
        "hanya",
        "tetap",
        "langsung",
        "be",
        "to",
        "have",
        "only",
        "also",
        "still",
        "first",
        "then",
        "itu",
        "ini",
        # "harus Anda tuntut": the party, not the action.
        "anda",
        "kamu",
        # "bisa jadi saksi", "tidak dapat dijadikan alasan": a copula; what it makes is the
        # action.
        "jadi",
        "menjadi",
        "dijadikan",
    ]
)
# A chat verb ("wajib ngajuin", "bisa ngurusin", "harus ngelaporin"): its root.
# A chat verb in -in, active or passive ("ngurusin", "diikutin" as "diikuti").
_CHAT_VERB = re.compile(r"nge?(\w{2,}?)in|di(\w{3,}?)in")


def _governed(word: str) -> str:
    chat = _CHAT_VERB.fullmatch(word) if len(word) > 6 else None
    return stem((chat[1] or chat[2]) if chat else word)


# Stems of verbs that name one action ("harus lewat BPSK" / "tidak wajib menempuh BPSK" /
# "wajib melalui BPSK").
_SAME_ACTION = {
    "nempuh": "lewat",
    "tempuh": "lewat",
    "lalu": "lewat",
    "kasih": "beri",
    "ngasih": "beri",
}
_NOT_SAID_OF = FILLERS | STOPWORDS | {"oleh", "bagi", "dalam", "kepada", "terhadap"}
_CLAUSE_START = re.compile(r"[.;:,()\n]")
CONDITIONS = frozenset({"sepanjang", "selama", "jika", "kalau", "apabila", "asalkan", "kecuali"})
_ONLY = re.compile(r"\b(?:hanya|cuma|only)\s+$")
# A rule said not to lay down what follows: "tidak menentukan bahwa ...".
_DENIED_THAT = re.compile(
    r"\b(?:tidak|tak)\s+(?:menentukan|mengatur|mensyaratkan|menyebutkan|menyatakan|mewajibkan)"
    r"\s+bahwa\b[^.;:]*$"
)
# No rule that lays it down: "tidak ada ketentuan yang mengharuskan Anda menunggu".
_NONE_THAT = re.compile(
    r"\b(?:tidak|tak|gak|nggak|ga|gk)\s+(?:ada|terdapat)\s+(?:[\w-]+\s+){0,4}?(?:yang|yg)\s+$"
)
# Nobody bound or allowed: "tidak seorang pun diwajibkan menerima warisan", "tidak seorang pun atas
# putusan pengadilan boleh dipidana penjara", "no one may ...".
_NOBODY = re.compile(
    r"\b(?:(?:tidak|tak)\s+(?:ada\s+)?(?:seorang|satu|siapa)\s*pun|no\s+one|nobody)"
    r"(?:\s+[\w-]+){0,4}?\s+$"
)
# A duty or a permission no one has.
_FOR_NOBODY: dict[Polarity, Polarity] = {"obliged": "not_obliged", "permitted": "forbidden"}
# Said not to make it a duty: "tidak menjadikan iuran itu wajib".
_NOT_MADE = re.compile(
    r"\b(?:tidak|tak)\s+(?:menjadikan|membuat)\s+(?:[\w-]+\s+){0,4}$"
    # "tidak disyaratkan harus dibuat secara tertulis": no rule asks for the duty named.
    r"|\b(?:tidak|tak)\s+(?:disyaratkan|dipersyaratkan|ditentukan)\s+$"
)
_JOINS = frozenset({"dan", "atau", "serta", "tetapi", "tapi", "namun", "and", "or", "but"})
_WORD = re.compile(r"[^\W\d_]+")
# A kind of event described by a modal: "peristiwa yang tidak dapat diperkirakan".
_DESCRIBED = re.compile(
    r"\b(?:peristiwa|kejadian|keadaan|hal|kondisi|events?)\s+(?:yang|yg|that)\s+$"
)
# What something is not, described by a modal: "bukan tanah bebas yang bisa dimohonkan hak milik"
# (no rule on applying for it: the thing is said not to be of that kind).
_NOT_A_KIND = re.compile(r"\bbukan\s+(?:[\w-]+\s+){1,4}?(?:yang|yg)\s+$")
# A condition opening the modal's clause: "apabila pihak rental tidak dapat membuktikan".
# The case a rule is about, or a question asked ("perlu diperiksa apakah komponen itu memang
# boleh dibebankan"): no rule stated.
_IF = re.compile(
    r"\b(?:apabila|jika|bila|kalau|kalo|seandainya|manakala|apakah|whether)\b[^.;:,()\n]*$"
)


def modalities(prepared: Prepared, taken: list[Fact]) -> list[Fact]:
    """Each modal verb with the action it governs (the stem of the next content word)."""
    found = []
    text = prepared.lower
    for m in _MODAL.finditer(text):
        index = next(int(k[1:]) for k, v in m.groupdict().items() if v and k[0] == "p")
        restored = ""
        if index == 0:
            # Said of what comes before it in its clause ("LAPS SJK bersifat pilihan").
            clause = _CLAUSE_START.split(text[max(0, m.start() - 60) : m.start()])[-1]
            words = _WORD.findall(clause)
            # Its subject names the step, its first word the action ("penyediaan helm bagi
            # penumpang oleh pengemudi bersifat anjuran").
            governed = [stem(w) for w in words if len(w) > 2 and w not in _NOT_SAID_OF][:5]
        end = m.end() + len(m["rest"])
        if index:
            # Four words, not counting the fillers ("harus terlebih dahulu memperoleh
            # penetapan perwalian"); the fact's text ends with the fourth.
            governed = []
            # "mewajibkan perjanjian bagi hasil dibuat secara tertulis": a causative verb names
            # what it binds first, then the duty; two words more.
            reach = 6 if m.group().startswith(("mewajibkan", "mengharuskan")) else 4
            for word in _WORD.finditer(m["rest"]):
                if word.group() not in FILLERS and len(governed) < reach:
                    root = _governed(word.group())
                    if not governed and not word.group().startswith("di"):
                        # An active verb ("mengirimkan"): its root too; a passive one is
                        # matched by its own stem only.
                        restored = unnasal(word.group()) or unnasal_bare(word.group()) or root
                    governed.append(root)
                    end = m.end() + word.end()
        governed = [_SAME_ACTION.get(g, g) for g in governed]
        if index and governed and governed[0] in _JOINS:
            # "wisuda itu tidak wajib dan tidak boleh jadi beban": "dan" begins another
            # predicate of the same subject, not the action this modal governs.
            continue
        if index and (after := _WORD.findall(m["rest"])) and after[0] in CONDITIONS:
            # "tidak diwajibkan sepanjang drone diterbangkan ...": a condition follows; what
            # the modal governs stands before it (`predicates`).
            continue
        if (
            index
            and _ONLY.search(text[max(0, m.start() - 12) : m.start()])
            and CONDITIONS.intersection(_WORD.findall(m["rest"])[:4])
        ):
            # "Suatu perbuatan hanya dapat dipidana jika telah dirumuskan ...": the condition
            # of a rule in general, not a rule on the case.
            continue
        if index and _DESCRIBED.search(text[max(0, m.start() - 30) : m.start()]):
            # "peristiwa yang tidak dapat diperkirakan sebelumnya": what a kind of event is,
            # not a rule on doing it.
            continue
        if index and _NOT_A_KIND.search(text[max(0, m.start() - 50) : m.start()]):
            # "bukan tanah bebas yang bisa dimohonkan hak milik": not a thing of that kind.
            continue
        if index and _IF.search(text[max(0, m.start() - 50) : m.start()]):
            # "apabila pihak rental tidak dapat membuktikan ...": the case a rule is about, not
            # a rule on that action.
            continue
        polarity = PHRASES[index][1]
        preceding = text[max(0, m.start() - 60) : m.start()]
        if polarity in _FOR_NOBODY and (_NOBODY.search(preceding) or _NONE_THAT.search(preceding)):
            # "tidak seorang pun diwajibkan", "tidak ada ketentuan yang mengharuskan": no duty;
            # "tidak seorang pun boleh dipidana penjara karena utang", "gk ada ahli waris yg bisa
            # dipaksa": nobody may be.
            polarity = _FOR_NOBODY[polarity]
        elif polarity == "obliged" and (
            _DENIED_THAT.search(text[max(0, m.start() - 80) : m.start()])
            or _NOT_MADE.search(preceding)
        ):
            # "Undang-undang tidak menentukan bahwa dokter tersebut harus dokter perusahaan": a
            # duty the rule does not lay down.
            polarity = "not_obliged"
        if governed:
            span = (m.start(), end)
            item = fact(prepared, "modality", (polarity,), span, key=governed[0])
            # The governed words say what the modal is about: keep them in the context.
            context = prepared.context(m.start(), m.end(f"p{index}"))
            actions = frozenset({governed[0], restored}) if restored else frozenset()
            item = replace(item, about=frozenset(governed), context=context, actions=actions)
            if index and _WORD.findall(m["rest"])[0].startswith("di"):
                # "somasi wajib dikirimkan": a passive verb's subject is what it is done to.
                before = _WORD.findall(text[max(0, m.start() - 30) : m.start()])
                if before and before[-1] not in _NOT_SAID_OF and len(before[-1]) > 3:
                    item = replace(item, done_to=stem(before[-1]))
            if index == 0:
                # Said of its subject ("mediasi bersifat pilihan"): the words before it name
                # the step, not a party bound.
                item = replace(item, holder=frozenset())
            found.append(item)
    return found


def clash(first: str, second: str) -> bool:
    """True when two polarities cannot both hold of one action (wajib vs tidak wajib)."""
    return frozenset({first, second}) in CLASHES
