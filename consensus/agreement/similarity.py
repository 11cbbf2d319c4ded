"""How alike two answers are, from 0 (nothing shared) to 1 (the same words).

Pure functions, no Django. The score is rapidfuzz's `token_sort_ratio` (word order does not
matter, punctuation and case are ignored) scaled by a length balance: a terse answer that leaves
out most of what the other says is not agreement. With this the design document's examples hold:
its disagreeing pair scores 0.45, close paraphrases score above 0.85.
"""

from __future__ import annotations

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

# How hard a length mismatch pulls the score down: with balance ** 0.25 a 10% length difference
# costs almost nothing (x0.97), and the score halves only when one answer is 16 times the other.
LENGTH_BALANCE_EXPONENT = 0.25


def similarity(first: str, second: str) -> float:
    """Similarity of two answers in [0, 1], rounded to 4 places."""
    a, b = default_process(first), default_process(second)
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    wording = fuzz.token_sort_ratio(a, b) / 100.0
    balance = min(len(a), len(b)) / max(len(a), len(b))
    return round(float(wording * balance**LENGTH_BALANCE_EXPONENT), 4)
