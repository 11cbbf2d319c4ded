"""What a plain chat UI shows of a verdict: a separator and a label in the question's language."""

from __future__ import annotations

import re
from typing import Literal

Language = Literal["id", "en"]

_WORD = re.compile(r"[a-z]+")
# Frequent function words: enough to tell an English question from an Indonesian one.
_ENGLISH_WORDS = (
    "the a an is are was were be been what which who whom whose how why when where can could "
    "does do did should would will shall may might must of to in on for with from by about "
    "under my your his her their our this that these those if or and not it i you we they "
    "there any law"
)
_INDONESIAN_WORDS = (
    "yang dan di ke dari apa apakah bagaimana mengapa kenapa kapan siapa berapa dimana saya "
    "aku kami kita anda untuk dengan ini itu tidak bukan adalah ialah dalam atau bisa boleh "
    "dapat jika kalau bila pasal hukum karena akan sudah telah pada oleh ada seorang harus "
    "wajib menurut tentang bagi secara tersebut"
)
_ENGLISH = frozenset(_ENGLISH_WORDS.split())
_INDONESIAN = frozenset(_INDONESIAN_WORDS.split())

SEPARATOR = "\n\n---\n"
LABELS: dict[Language, dict[str, str]] = {
    "id": {
        "correction": "**Koreksi (model validator):**\n",
        "rescue": "**Jawaban cepat terputus; jawaban lengkap dari model validator:**\n",
        "supplement": "**Tambahan dari validator:** ",
    },
    "en": {
        "correction": "**Correction (validator model):**\n",
        "rescue": "**The fast answer was cut off; the validator model's full answer:**\n",
        "supplement": "**Added by the validator:** ",
    },
}


def language_of(text: str) -> Language:
    """English when the question has more English than Indonesian function words; else
    Indonesian (the service's default)."""
    words = _WORD.findall(text.lower())
    english = sum(word in _ENGLISH for word in words)
    indonesian = sum(word in _INDONESIAN for word in words)
    return "en" if english > indonesian else "id"


def correction(language: Language, reason: str, answer: str) -> str:
    """The delta that presents a corrected answer (or, `fast_model_failed`, the rescue)."""
    kind = "rescue" if reason == "fast_model_failed" else "correction"
    return SEPARATOR + LABELS[language][kind] + answer


def supplement(language: Language, facts: list[str]) -> str:
    """The delta that appends the facts only the validator stated."""
    return SEPARATOR + LABELS[language]["supplement"] + "; ".join(facts)
