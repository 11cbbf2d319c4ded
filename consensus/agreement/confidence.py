"""The design document's agreement bands, merge rule and consensus confidence. Pure functions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Band = Literal["high", "moderate", "low"]


@dataclass(frozen=True, slots=True)
class Policy:
    """Thresholds, weights and priors (the seed's numbers are the defaults)."""

    high_similarity: float = 0.85
    moderate_similarity: float = 0.60
    fast_weight: float = 0.4
    validator_weight: float = 0.6
    fast_prior: float = 0.7
    validator_prior: float = 0.85
    cap: float = 0.95
    unvalidated: float = 0.7


BOOST: dict[Band, float] = {"high": 0.10, "moderate": 0.05, "low": -0.10}


def band(similarity: float, policy: Policy) -> Band:
    """Which agreement band a similarity falls in."""
    if similarity >= policy.high_similarity:
        return "high"
    if similarity >= policy.moderate_similarity:
        return "moderate"
    return "low"


def needs_correction(similarity: float, policy: Policy) -> bool:
    """A correction is sent only when the answers disagree (below the moderate threshold)."""
    return band(similarity, policy) == "low"


def merge(fast: str, validator: str, similarity: float, policy: Policy) -> str:
    """The seed's `_merge_responses`: in high agreement the more confident model wins,
    otherwise the validator (the more accurate model) does."""
    if band(similarity, policy) == "high" and policy.fast_prior >= policy.validator_prior:
        return fast
    return validator


def consensus_confidence(similarity: float, policy: Policy) -> float:
    """Weighted prior plus the band's boost, capped: 0.90 -> 0.89, 0.45 -> 0.69 by default."""
    base = policy.fast_prior * policy.fast_weight + policy.validator_prior * policy.validator_weight
    return round(min(base + BOOST[band(similarity, policy)], policy.cap), 4)
