"""Whether a procedural step is a duty: "mediasi wajib" / "mediasi ini opsional".

Two answers often disagree on whether a step must come first (mediation in court, bipartite
talks with the employer, a summons before suing, a police report, a stamp duty) or whether an
agreement must be in writing, in words `modality.modalities` cannot pair: the step is the
subject of one answer's modal
("mediasi ini **opsional**") and the object of the other's ("wajib terlebih dahulu diupayakan
penyelesaian melalui mediasi"), or it is named in the sentence before ("Bipartit sama
perusahaan. Ini wajib, gak bisa dilompatin."). This module reads, for each step an answer
names, whether the answer makes it a duty, and `duty_clashes` pairs one answer's duty with the
other's "not a duty" on the same step, when each answer says only one of the two about it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Duty = Literal["obliged", "not_obliged"]

# The steps, each under one name: "perundingan bipartit" is "bipartit", "pernyataan lalai" a
# summons ("somasi").
_STEPS = {
    "mediasi": "mediasi",
    "bipartit": "bipartit",
    "perundingan bipartit": "bipartit",
    "tripartit": "tripartit",
    "somasi": "somasi",
    "pernyataan lalai": "somasi",
    "tertulis": "tertulis",
    "lisan": "lisan",
    "meterai": "meterai",
    "materai": "meterai",
    "laporan polisi": "lapor polisi",
    "lapor polisi": "lapor polisi",
    "lapor ke polisi": "lapor polisi",
    "melapor ke polisi": "lapor polisi",
}
_STEP = (
    r"(?P<step>perundingan\s+bipartit|pernyataan\s+lalai|mediasi|bipartit|tripartit|somasi"
    r"|tertulis|lisan|meterai|materai|laporan\s+polisi|(?:me)?lapor\s+(?:ke\s+)?polisi)"
)
_NOT = r"(?:(?:tidak|tak|gak|gk|ga|nggak|ngga|enggak|engga|ndak)(?:\s+ada)?|bukan)"
_DUTY = (
    r"(?:wajib|diwajibkan|mewajibkan|harus|diharuskan|mengharuskan|mesti|keharusan|kewajiban"
    r"|mensyaratkan|disyaratkan)"
)
# A duty denied: "tidak wajib", "gk harus", "tidak mutlak diperlukan", "tidak menjadi syarat".
_DENIED = (
    rf"(?:{_NOT}|tanpa)\s+(?:(?:lagi|terlalu|begitu|mutlak|bersifat|menjadi|merupakan)\s+){{0,2}}"
    rf"(?:{_DUTY}|diperlukan|perlu|syarat)"
)
# Words between a duty and the step it lays down: "wajib terlebih dahulu diupayakan
# penyelesaian melalui mediasi", "harus dibuat secara tertulis", "wajib menempuh mediasi".
_TO = (
    r"(?:menempuh|ditempuh|tempuh|nempuh|melalui|lewat|ikut|mengikuti|ngikutin|diikuti|ikutin"
    r"|menjalani|dijalani|jalani|melakukan|dilakukan|lakukan|ngelakuin|mengirim|mengirimkan"
    r"|dikirim|dikirimkan|kirim|ngirim|membuat|dibuat|bikin|dibikin|mengupayakan|diupayakan"
    r"|upaya|penyelesaian|proses|tahap|langkah|terlebih|dahulu|dulu|lebih|secara|dalam|bentuk"
    r"|didahului|melewati|dilalui|ada|pakai|pake|sebuah|suatu|untuk|buat|mencoba|coba|tetap"
    r"|berupa|dituangkan|disusun|perjanjiannya|kontraknya|perjanjian|kontrak|kerja|harus"
    r"|dibubuhi|dibubuhkan|membubuhkan|ditempel|ditempeli)"
)
# Words between a step and what is said of it: "mediasi ini sifatnya opsional", "somasi itu
# sebenernya gak wajib", "Soal mediasi: itu sebenernya cuma formalitas dan sifatnya opsional".
_SAID = (
    r"(?:ini|itu|tersebut|nya|sifatnya|bersifat|hukumnya|statusnya|memang|emang|sebenarnya"
    r"|sebenernya|sebetulnya|cuma|hanya|sekadar|sih|kok|tuh|juga|pun|di\s+pengadilan"
    r"|dulu|dahulu|terlebih|tetap|formalitas|dan|merupakan|adalah|menjadi|jadi)"
)
# Not a duty, said of the step: "opsional", "sukarela", "bukan syarat", "bisa ditolak".
_OPTIONAL = (
    r"opsional|sukarela|fakultatif|pilihan|anjuran|formalitas\s+(?:aja|saja)"
    r"|bukan\s+(?:suatu\s+|sebuah\s+)?(?:kewajiban|keharusan|syarat)"
    r"|(?:boleh|bisa|dapat)\s+(?:di)?(?:tolak|lewati|lewatin|lompati|lompatin|skip)"
)
# A duty said of the step another way: "gak bisa dilompatin", "tidak boleh dilewati".
_NO_SKIP = _NOT + r"\s+(?:boleh|bisa|dapat)\s+(?:di)?(?:lewati|lewatin|lompati|lompatin|skip)"

# The step after its modal ("wajib menempuh mediasi", "tidak harus tertulis", "boleh langsung
# gugat tanpa somasi", "boleh menolak mediasi").
_BEFORE = re.compile(
    rf"\b(?:(?P<neg>{_DENIED})|{_DUTY}"
    # "bisa langsung gugat tanpa somasi": not a duty; "tanpa perjanjian tertulis dianggap
    # tidak sah" is no such reading.
    rf"|(?:boleh|bisa|dapat)\s+(?:[^\W\d_]+\s+){{0,4}}?(?P<without>tanpa)"
    rf"|(?:boleh|bisa|dapat|berhak)\s+(?P<refuse>menolak|nolak|melewatkan|melewati|skip))"
    rf"(?:\s+{_TO}){{0,6}}\s+{_STEP}\b"
)
# The step before what is said of it ("mediasi wajib ditempuh", "mediasi ini **opsional**",
# "somasi sebenernya gak wajib"), or a few words on ("somasi dalam kasus ini tidak mutlak
# diperlukan", "Perundingan bipartit dengan perusahaan bersifat pilihan").
_AFTER = re.compile(
    rf"\b{_STEP}(?:(?:\s+{_SAID}){{0,7}}\s+(?P<duty>{_DUTY}|{_NO_SKIP})"
    rf"|(?:\s+[^\W\d_]+){{0,7}}?\s+(?:(?P<neg>{_DENIED})"
    rf"|(?:bersifat|sifatnya|merupakan|adalah|cuma|hanya)?\s*(?P<optional>{_OPTIONAL}))"
    r")\b"
)
# A clause that says only whether the step named just before is a duty: "Ini wajib", "tahap
# ini dianjurkan, tetapi tidak bersifat wajib", "sifatnya opsional".
_ANAPHOR = re.compile(
    rf"^\s*(?:(?:(?:dan|tapi|tetapi|namun|jadi)\s+)|(?:(?:tahap|langkah|proses|hal|upaya)\s+)?"
    rf"(?:ini|itu|tersebut|sifatnya|hukumnya)\s+)(?:{_SAID}\s+)*"
    rf"(?:(?P<neg>{_DENIED})|(?P<duty>{_DUTY}|{_NO_SKIP})"
    rf"|(?P<optional>(?:bersifat\s+)?(?:{_OPTIONAL})))\b"
    # Nothing after it but particles: "dan gak wajib pakai pengacara" says what else is not
    # required, not the step before.
    r"(?:\s+(?:aja|saja|deh|banget|kok|sih|ya|juga|lho|loh|dong|kan|kecuali|tapi|tetapi|namun"
    r"|sebelum|dulu)\b.*)?\s*$"
)
# Writing not required: "boleh lisan", "lisan pun tetap sah"; required: "lisan tidak sah".
_ORAL = re.compile(
    rf"\b(?:(?P<neg>{_NOT}\s+(?:boleh|bisa|sah))|boleh|bisa|dapat|cukup|sah)"
    r"(?:\s+(?:dibuat|secara|dengan|hanya|saja|aja|juga|pun|tetap))*\s+lisan\b"
    rf"|\blisan(?:\s+[^\W\d_]+){{0,7}}?\s+(?P<neg2>{_NOT}\s+)?sah\b"
)
_STEP_NAMED = re.compile(rf"\b{_STEP}\b")
_NEGATED = re.compile(rf"\b{_NOT}\s+$")
# "somasi tertulis", "anjuran tertulis": written said of another thing, no step of its own.
_ATTRIBUTE = re.compile(r"\b(?:mediasi|somasi|bipartit|tripartit|anjuran|izin|surat)\s+$")
_CLAUSE = re.compile(r"[.;!?\n]+|,")
# Bold and italics markers, and a dash used as a comma (a colon is read as a space).
_MARKUP = re.compile(r"[*_`]+|\s[-\u2013\u2014]\s")


@dataclass(frozen=True, slots=True)
class Said:
    """What an answer says of one step: its duty and the clause that says it."""

    step: str
    duty: Duty
    text: str


def _duty(m: re.Match[str]) -> Duty:
    groups = m.groupdict()
    if groups.get("neg") or groups.get("without") or groups.get("refuse") or groups.get("optional"):
        return "not_obliged"
    return "obliged"


def _normal(step: str) -> str:
    return _STEPS[" ".join(step.split())]


def duties(answer: str) -> list[Said]:
    """Each step the answer makes a duty or not, in order."""
    lowered = answer.lower()
    # The clause quoted from the answer as written; from its lower case in the rare answer whose
    # lower case is longer ("\u0130"), so that a clause's span is the same in both.
    source = answer if len(lowered) == len(answer) else lowered
    # Same length as the answer, so that a clause's span is the answer's.
    text = _MARKUP.sub(lambda m: " " * len(m[0]), lowered).replace(":", " ")
    found: list[Said] = []
    previous: str | None = None
    start = 0
    for boundary in [*_CLAUSE.finditer(text), None]:
        end = boundary.start() if boundary else len(text)
        clause, span = text[start:end], " ".join(source[start:end].split())
        start = boundary.end() if boundary else end
        steps = {
            _normal(m["step"])
            for m in _STEP_NAMED.finditer(clause)
            if not (m["step"] == "tertulis" and _ATTRIBUTE.search(clause[: m.start()]))
        }
        said = [
            (_normal(m["step"]), _duty(m))
            for m in _BEFORE.finditer(clause)
            # "gak bisa gugat tanpa somasi": a duty after all, left unread.
            if not ((m["without"] or m["refuse"]) and _NEGATED.search(clause[: m.start()]))
        ]
        said += [(_normal(m["step"]), _duty(m)) for m in _AFTER.finditer(clause)]
        if previous and steps <= {previous} and (m := _ANAPHOR.match(clause)):
            said.append((previous, _duty(m)))
        # "boleh lisan" is "not in writing" (`_ORAL`), no reading of a step "lisan".
        found += [Said(step, duty, span) for step, duty in said if step != "lisan"]
        for m in _ORAL.finditer(clause):
            negated = bool(m["neg"] or m["neg2"])
            found.append(Said("tertulis", "obliged" if negated else "not_obliged", span))
        if len(steps - {"lisan"}) == 1:
            previous = next(iter(steps - {"lisan"}))
        elif steps:
            previous = None
    return found


def duty_clashes(fast: str, validator: str) -> list[tuple[Said, Said]]:
    """The steps one answer makes a duty and the other does not, each answer saying only one
    of the two about the step."""
    mine, theirs = duties(fast), duties(validator)
    pairs = []
    for step in dict.fromkeys(s.step for s in mine):
        said_f = [s for s in mine if s.step == step]
        said_v = [s for s in theirs if s.step == step]
        duties_f, duties_v = {s.duty for s in said_f}, {s.duty for s in said_v}
        if len(duties_f) == 1 == len(duties_v) and duties_f != duties_v:
            pairs.append((said_f[0], said_v[0]))
    return pairs
