"""What the run detail page shows besides the plain fields: the diff, the explanation of the
scores, timings, parameters, history, conflicts, attempts and the run's review log."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..agreement.confidence import BOOST
from ..models import ConsensusRun, RunFeedback
from .diff import answer_diff
from .explain import (
    CONFLICT_KINDS,
    DECIDED_BY,
    OUTCOME_TITLES,
    added_rows,
    conflict_rows,
    correction_reason_label,
    current_policy,
    explain,
)

LOG_ENTRIES = 20


def _timings(run: ConsensusRun) -> list[tuple[Any, float | None]]:
    return [
        (_("time to first token"), run.time_to_first_token),
        (_("fast model, whole answer"), run.fast_duration),
        (_("validator"), run.validator_duration),
        (_("total"), run.total_duration),
    ]


def _history(run: ConsensusRun) -> list[dict[str, str]]:
    turns = run.history if isinstance(run.history, list) else []
    return [
        {"role": str(t.get("role", "?")), "content": str(t.get("content", ""))}
        if isinstance(t, dict)
        else {"role": "?", "content": json.dumps(t, ensure_ascii=False)}
        for t in turns
    ]


def _usage(value: Any) -> str:
    """Token usage in words: "96 prompt + 71 completion = 167 tokens"."""
    if not value:
        return ""
    keys = ("prompt_tokens", "completion_tokens", "total_tokens")
    if isinstance(value, dict) and all(isinstance(value.get(k), int) for k in keys):
        p, c, t = (value[k] for k in keys)
        return f"{p} prompt + {c} completion = {t} tokens"
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _attempts(run: ConsensusRun) -> tuple[list[str], list[list[str]]]:
    """The attempts as a table: the union of their keys as columns, in first-seen order."""
    items = [a for a in (run.attempts or []) if isinstance(a, dict)]
    columns: list[str] = []
    for item in items:
        columns += [k for k in item if k not in columns]
    rows = [["" if item.get(c) is None else str(item.get(c)) for c in columns] for item in items]
    return columns, rows


def _feedback(run: ConsensusRun) -> RunFeedback | None:
    try:
        return run.feedback
    except RunFeedback.DoesNotExist:
        return None


VALIDATOR_STATUS: dict[str, Any] = {
    "answered": _("answered"),
    "timeout": _("no answer in time"),
    "error": _("failed or unusable answer"),
}


def _panel_row(entry: dict[str, Any]) -> dict[str, Any]:
    latency = entry.get("latency_ms")
    conflicts = [c for c in entry.get("conflicts") or [] if isinstance(c, dict)]
    if entry.get("majority") is None:
        vote = _("did not vote")
    elif entry.get("majority"):
        vote = _("on the majority side")
    else:
        vote = _("outvoted")
    return {
        "name": str(entry.get("name", "")),
        "model": str(entry.get("model", "")),
        "first": entry.get("role") == "byteplus",
        "status": VALIDATOR_STATUS.get(str(entry.get("status")), entry.get("status")),
        "answered": entry.get("status") == "answered",
        "answer": str(entry.get("answer") or ""),
        "similarity": entry.get("similarity"),
        "band": entry.get("band") or "",
        "outcome": OUTCOME_TITLES.get(str(entry.get("outcome")), ""),
        "outcome_key": entry.get("outcome") or "",
        "conflicts": [
            {
                "label": CONFLICT_KINDS.get(str(c.get("kind")), c.get("kind")),
                "fast": c.get("fast", ""),
                "validator": c.get("validator", ""),
            }
            for c in conflicts
        ],
        "seconds": None if not isinstance(latency, int | float) else latency / 1000,
        "vote": vote,
        "decided": bool(entry.get("decided")),
        "message": str(entry.get("message") or ""),
    }


def validator_panel(run: ConsensusRun) -> dict[str, Any] | None:
    """Every validator of a run asked with `CONSENSUS_VALIDATORS`: each one's answer, verdict,
    time and vote, the vote in one sentence and the confidence formula over the answers; None
    for a run with one validator."""
    entries = [e for e in (run.validators or []) if isinstance(e, dict)]
    if not entries:
        return None
    rows = [_panel_row(e) for e in entries]
    voted = [e for e in entries if e.get("majority") is not None]
    corrects = sum(1 for e in voted if e.get("vote") == "corrects")
    stands = len(voted) - corrects
    summary = ngettext(
        "%(asked)d validator asked, %(answered)d answered",
        "%(asked)d validators asked, %(answered)d answered",
        len(entries),
    ) % {"asked": len(entries), "answered": len(voted)}
    if voted:
        summary = f"{summary}: " + _(
            "%(corrects)d correct the fast answer, %(stands)d confirm it"
        ) % {"corrects": corrects, "stands": stands}
    policy = current_policy()
    base = policy.fast_prior * policy.fast_weight + policy.validator_prior * policy.validator_weight
    boosts = [BOOST[e["band"]] for e in voted if e.get("band") in BOOST]
    mean = sum(boosts) / len(boosts) if boosts else None
    return {
        "rows": rows,
        "summary": summary,
        "tie": bool(voted) and corrects == stands,
        "decider": next((r["name"] for r in rows if r["decided"]), ""),
        "base": base,
        "boosts": boosts,
        "mean_boost": mean,
        "expected": None if mean is None else round(min(base + mean, policy.cap), 4),
        "cap": policy.cap,
    }


def review_log(run: ConsensusRun) -> list[LogEntry]:
    """The latest admin log entries for this run (reviews, deletions), newest first."""
    return list(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(ConsensusRun), object_id=str(run.pk)
        )
        .select_related("user")
        .order_by("-action_time")[:LOG_ENTRIES]
    )


def run_detail_context(run: ConsensusRun) -> dict[str, Any]:
    """Template context for the detail page of `run`."""
    columns, rows = _attempts(run)
    return {
        "run": run,
        "diff": answer_diff(run.fast_answer, run.validator_answer),
        "explanation": explain(run),
        "correction_reason_label": correction_reason_label(run.correction_reason),
        "conflicts": conflict_rows(run),
        "added": added_rows(run),
        "outcome_title": OUTCOME_TITLES.get(run.outcome, ""),
        "decided_by_label": DECIDED_BY.get(run.decided_by, run.decided_by),
        "feedback": _feedback(run),
        "timings": _timings(run),
        "parameters": sorted(run.parameters.items()) if isinstance(run.parameters, dict) else [],
        "history": _history(run),
        "usage": {"fast": _usage(run.fast_usage), "validator": _usage(run.validator_usage)},
        "attempt_columns": columns,
        "attempt_rows": rows,
        "log_entries": review_log(run),
        "panel": validator_panel(run),
    }
