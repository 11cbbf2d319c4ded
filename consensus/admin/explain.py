"""Why a run got its similarity band, its confidence and its correction, in words for reviewers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from ..agreement.confidence import BOOST, Band, Policy, band
from ..conf import ConsensusConfig, get_config
from ..models import ConsensusRun, RunStatus

CONFLICT_KINDS: dict[str, Any] = {
    "article": _("article (Pasal)"),
    "law": _("law (UU / KUHP)"),
    "duration": _("duration (sentence, period)"),
    "money": _("amount of money (fine)"),
    "percentage": _("percentage"),
    "share": _("share (of an estate, of profits)"),
    "age": _("age"),
    "count": _("count"),
    "modality": _("modality (must / may / may not)"),
    "institution": _("institution (court, agency)"),
    "conclusion": _("conclusion (opposite answers)"),
    "penalty_incomplete": _("incomplete penalty (prison term without the fine)"),
    "penalty_combination": _("penalty: prison and fine together, or either"),
}

ADDED_KINDS: dict[str, Any] = {
    **CONFLICT_KINDS,
    "penalty": _("penalty"),
}

OUTCOME_TITLES: dict[str, Any] = {
    "agree": _("the validator agrees with the fast answer"),
    "supplement": _("the validator agrees and adds legal facts; the fast answer stands"),
    "conflict": _("the answers conflict: the validator's answer replaced the fast one"),
}

DECIDED_BY: dict[str, Any] = {
    "rules": _("the rules (facts and similarity)"),
    "judge": _("the judge (a short call to the validator model)"),
}

CORRECTION_REASONS: dict[str, Any] = {
    "low_similarity": _("the answers disagree (similarity below the moderate threshold)"),
    "fact_conflict": _("a fact differs between the answers"),
}

BAND_LABELS: dict[Band, Any] = {
    "high": _("high agreement"),
    "moderate": _("moderate agreement"),
    "low": _("low agreement: the validator's answer replaces the fast one"),
}

_UNVALIDATED = {RunStatus.VALIDATOR_TIMEOUT, RunStatus.VALIDATOR_ERROR}


def policy_from_config(cfg: ConsensusConfig) -> Policy:
    """The confidence policy the engine uses for these settings."""
    return cfg.policy()


def current_policy() -> Policy:
    return policy_from_config(get_config())


@dataclass(frozen=True, slots=True)
class Explanation:
    """The numbers behind a run's confidence, recomputed with the current settings."""

    policy: Policy
    band: Band | None
    band_label: str
    threshold: str
    base: float
    boost: float | None
    expected: float | None
    matches_stored: bool
    unvalidated: bool


def _threshold(b: Band, p: Policy) -> str:
    if b == "high":
        return f"≥ {p.high_similarity:.2f}"
    if b == "moderate":
        return f"{p.moderate_similarity:.2f} \u2013 {p.high_similarity:.2f}"
    return f"< {p.moderate_similarity:.2f}"


def explain(run: ConsensusRun, policy: Policy | None = None) -> Explanation:
    """Band, threshold and boost for the run's similarity; the confidence they give."""
    p = policy or current_policy()
    base = round(p.fast_prior * p.fast_weight + p.validator_prior * p.validator_weight, 4)
    unvalidated = run.status in _UNVALIDATED
    if run.similarity is None:
        expected = p.unvalidated if unvalidated else None
        label = str(_("not compared: no validator answer"))
        return Explanation(
            p, None, label, "", base, None, expected, _close(expected, run.confidence), unvalidated
        )
    b = band(run.similarity, p)
    # With extra validators (`run.validators`) the boost is the mean of every answering
    # validator's band boost (docs/reliability.md); with one it is that validator's.
    scores = [
        v["similarity"]
        for v in run.validators or []
        if isinstance(v, dict) and isinstance(v.get("similarity"), int | float)
    ]
    boost = BOOST[b] if len(scores) < 2 else sum(BOOST[band(s, p)] for s in scores) / len(scores)
    expected = round(min(base + boost, p.cap), 4)
    return Explanation(
        p,
        b,
        str(BAND_LABELS[b]),
        _threshold(b, p),
        base,
        round(boost, 4),
        expected,
        _close(expected, run.confidence),
        unvalidated,
    )


def _close(expected: float | None, stored: float | None) -> bool:
    if expected is None or stored is None:
        return expected is stored
    return abs(expected - stored) < 0.005


def conflict_rows(run: ConsensusRun) -> list[dict[str, str]]:
    """The run's conflicting facts with a readable label for each kind."""
    rows = []
    for item in run.conflicts or []:
        if not isinstance(item, dict):
            continue
        kind = str(item.get("kind", ""))
        rows.append(
            {
                "kind": kind,
                "label": str(CONFLICT_KINDS.get(kind, kind)),
                "fast": str(item.get("fast", "")),
                "validator": str(item.get("validator", "")),
            }
        )
    return rows


def added_rows(run: ConsensusRun) -> list[dict[str, str]]:
    """The legal facts only the validator states, with a readable label for each kind."""
    items = run.added_facts if isinstance(run.added_facts, list) else []
    return [
        {
            "kind": str(item.get("kind", "")),
            "label": str(ADDED_KINDS.get(str(item.get("kind", "")), item.get("kind", ""))),
            "text": str(item.get("text", "")),
        }
        for item in items
        if isinstance(item, dict)
    ]


def correction_reason_label(reason: str) -> str:
    return str(CORRECTION_REASONS.get(reason, reason))
