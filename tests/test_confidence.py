"""The design document's bands, merge rule and confidence formula, as tables."""

from __future__ import annotations

import pytest

from consensus.agreement.confidence import (
    Policy,
    band,
    consensus_confidence,
    merge,
    needs_correction,
)

SEED = Policy()


@pytest.mark.parametrize(
    ("similarity", "expected"),
    [
        (0.90, 0.89),  # the document's example: 0.79 + 0.10
        (0.85, 0.89),  # the high threshold is inclusive
        (0.849, 0.84),  # moderate: 0.79 + 0.05
        (0.60, 0.84),
        (0.599, 0.69),  # low: 0.79 - 0.10
        (0.45, 0.69),  # the document's penalty example
        (0.0, 0.69),
        (1.0, 0.89),
    ],
)
def test_consensus_confidence_follows_the_seed_formula(similarity: float, expected: float) -> None:
    assert consensus_confidence(similarity, SEED) == expected


def test_confidence_is_capped() -> None:
    generous = Policy(fast_prior=0.95, validator_prior=0.95)
    assert consensus_confidence(0.99, generous) == 0.95


@pytest.mark.parametrize(
    ("similarity", "expected_band", "corrects"),
    [(0.92, "high", False), (0.7, "moderate", False), (0.45, "low", True)],
)
def test_bands_and_correction(similarity: float, expected_band: str, corrects: bool) -> None:
    assert band(similarity, SEED) == expected_band
    assert needs_correction(similarity, SEED) is corrects


@pytest.mark.parametrize(
    ("similarity", "policy", "winner"),
    [
        (0.9, SEED, "validator"),  # high agreement: the more confident validator
        (0.9, Policy(fast_prior=0.9, validator_prior=0.85), "fast"),
        (0.7, SEED, "validator"),
        (0.3, SEED, "validator"),
    ],
)
def test_merge_picks_like_the_seed(similarity: float, policy: Policy, winner: str) -> None:
    assert merge("fast", "validator", similarity, policy) == winner


def test_thresholds_are_settings(settings) -> None:  # type: ignore[no-untyped-def]
    from consensus.conf import get_config
    from consensus.engine import ConsensusEngine

    settings.CONSENSUS_MODERATE_SIMILARITY = 0.5
    settings.CONSENSUS_FAST_PRIOR = 0.6
    engine = ConsensusEngine.from_config(get_config())
    assert engine.policy.moderate_similarity == 0.5
    assert engine.policy.fast_prior == 0.6
