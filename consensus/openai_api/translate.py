"""A run's events (the hub's JSON payloads) to what an OpenAI client sees.

Model `consensus`: the answer's text as it arrives (fast tokens, or the validator's in a
fallback), then a labelled correction or supplement once the verdict is in. Model
`consensus-validated`: nothing until the run is complete, then only the final answer. Both end
with the `consensus` object and OpenAI-shaped `usage` (the two models' tokens added up).
"""

from __future__ import annotations

from typing import Any

from . import ModelName, labels

Usage = dict[str, int]


class Translation:
    """The state of one response: feed it every event payload in order."""

    def __init__(self, model: ModelName, prompt: str) -> None:
        self.validated = model == "consensus-validated"
        self.language = labels.language_of(prompt)
        self.start: dict[str, Any] = {}
        self.verdict: dict[str, Any] = {}
        self.correction: dict[str, Any] = {}
        self.complete: dict[str, Any] | None = None
        self.error: dict[str, Any] | None = None

    @property
    def finished(self) -> bool:
        return self.complete is not None or self.error is not None

    def feed(self, event: dict[str, Any]) -> str:
        """The text this event adds to the answer ("" for none)."""
        kind = event["type"]
        if kind == "token":
            return "" if self.validated else str(event["content"])
        if kind == "start":
            self.start = event
        elif kind == "byteplus_complete":
            self.verdict = event
        elif kind == "correction":
            self.correction = event
            if not self.validated:
                return labels.correction(self.language, event["reason"], event["corrected"])
        elif kind == "complete":
            self.complete = event
            return event["content"] if self.validated else self._supplement()
        elif kind == "error":
            self.error = event
        return ""

    def _supplement(self) -> str:
        added = self.verdict.get("added") or []
        if self.correction or self.verdict.get("outcome") != "supplement" or not added:
            return ""
        return labels.supplement(self.language, [fact["text"] for fact in added])

    def usage(self) -> Usage:
        """OpenAI's usage object: both models' tokens added up (a model that reported none
        counts 0)."""
        total = {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}
        for numbers in self._usages().values():
            for name in total:
                total[name] += (numbers or {}).get(name) or 0
        return total

    def _usages(self) -> dict[str, Any]:
        return (self.complete or {}).get("usage") or {}

    def consensus(self) -> dict[str, Any]:
        """The `consensus` object: the run, its verdict and both models."""
        done = self.complete or {}
        roles = self.start.get("roles") or {}
        usages = self._usages()
        return {
            "run_id": self.start.get("run_id") or (self.error or {}).get("run_id"),
            "status": done.get("status", "failed"),
            "outcome": self.verdict.get("outcome"),
            "confidence": done.get("confidence"),
            "similarity": done.get("similarity"),
            "corrected": bool(done.get("corrected")),
            "correction_reason": self.correction.get("reason"),
            "conflicts": self.verdict.get("conflicts") or self.correction.get("conflicts") or [],
            "added": self.verdict.get("added") or [],
            "models": {
                name: {**roles.get(role, {}), "usage": usages.get(role)}
                for name, role in (("fast", "groq"), ("validator", "byteplus"))
            },
        }
