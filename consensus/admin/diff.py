"""Word-level differences between the two answers, as escaped HTML for the run detail page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True, slots=True)
class AnswerDiff:
    """Both answers marked up: words only the fast answer has in `<del>`, words only the
    validator's has in `<ins>`; `ratio` is difflib's word-level similarity."""

    fast: SafeString
    validator: SafeString
    ratio: float


def _words(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _mark(tokens: list[str], tag: str) -> str:
    """One mark around a changed run of words; whitespace at its ends stays outside."""
    text = "".join(tokens)
    core = text.strip()
    if not core:
        return str(escape(text))
    head, tail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return f'{escape(head)}<{tag} class="diff-{tag}">{escape(core)}</{tag}>{escape(tail)}'


def answer_diff(fast: str, validator: str) -> AnswerDiff:
    """Compare word by word (whitespace kept, so line breaks survive); every token is escaped."""
    a, b = _words(fast), _words(validator)
    matcher = SequenceMatcher(lambda t: t.isspace(), a, b, autojunk=False)
    left: list[str] = []
    right: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            same = escape("".join(a[i1:i2]))
            left.append(same)
            right.append(same)
            continue
        if op in ("replace", "delete"):
            left.append(_mark(a[i1:i2], "del"))
        if op in ("replace", "insert"):
            right.append(_mark(b[j1:j2], "ins"))
    return AnswerDiff(
        # Every piece above went through escape(), so the joined markup is safe.
        fast=mark_safe("".join(left)),
        validator=mark_safe("".join(right)),
        ratio=round(matcher.ratio(), 4),
    )
