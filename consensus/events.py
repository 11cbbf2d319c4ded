"""The events a consensus run emits: the design document's schema, plus a few extra fields.

Each event is a frozen dataclass; `payload()` is the JSON object sent on the wire. The seed's
fields are never renamed or dropped; extra fields are allowed by the contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal

EventType = Literal[
    "start",
    "token",
    "groq_complete",
    "byteplus_complete",
    "byteplus_timeout",
    "byteplus_error",
    "validator_complete",
    "correction",
    "fallback",
    "complete",
    "error",
]

# The two roles of a run, as events (`Token.model`, `Start.roles`) and attempt records name them.
FAST_ROLE = "groq"
VALIDATOR_ROLE = "byteplus"


def now_iso() -> str:
    """UTC timestamp like the seed's examples: 2025-11-09T03:00:00.123Z."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Event:
    """Base of all events."""

    type: ClassVar[EventType]
    terminal: ClassVar[bool] = False

    def payload(self) -> dict[str, Any]:
        """The event as the JSON object sent to clients."""
        data: dict[str, Any] = {"type": self.type}
        for f in fields(self):  # type: ignore[arg-type]
            data[f.name] = getattr(self, f.name)
        return data


@dataclass(frozen=True, slots=True)
class Start(Event):
    type: ClassVar[EventType] = "start"
    run_id: str
    models: list[str]
    roles: dict[str, dict[str, str]]
    timestamp: str = field(default_factory=now_iso)


@dataclass(frozen=True, slots=True)
class Token(Event):
    type: ClassVar[EventType] = "token"
    content: str
    model: str

    def payload(self) -> dict[str, Any]:  # hot path: no reflection
        return {"type": "token", "content": self.content, "model": self.model}


@dataclass(frozen=True, slots=True)
class GroqComplete(Event):
    type: ClassVar[EventType] = "groq_complete"
    content: str
    length: int
    model: str


@dataclass(frozen=True, slots=True)
class ByteplusComplete(Event):
    type: ClassVar[EventType] = "byteplus_complete"
    similarity: float
    byteplus_confidence: float
    band: str
    model: str
    conflicts: list[dict[str, str]] = field(default_factory=list)
    # The verdict: "agree", "supplement" (the validator adds legal facts, named in `added`, and
    # the fast answer stands) or "conflict" (a correction follows); which layer decided it.
    outcome: str = "agree"
    added: list[dict[str, str]] = field(default_factory=list)
    decided_by: str = "rules"
    # For a supplement: the fast answer, then the validator's sentences with the added facts,
    # each {"text", "source": "fast" | "validator"}; empty otherwise.
    merged: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ByteplusTimeout(Event):
    type: ClassVar[EventType] = "byteplus_timeout"
    message: str
    timeout: float


@dataclass(frozen=True, slots=True)
class ByteplusError(Event):
    type: ClassVar[EventType] = "byteplus_error"
    message: str
    # What failed: the provider's error ("server_error", "timeout", ...) or an answer that
    # cannot stand ("empty", "content_filter", "length").
    reason: str = "error"


@dataclass(frozen=True, slots=True)
class ValidatorComplete(Event):
    """One extra validator (`CONSENSUS_VALIDATORS`) once the verdict is drawn: its answer assessed
    against the fast answer, or why there is none (`status` "timeout" or "error", with `message`
    and `reason`; then `answer` is "" and `similarity`, `band`, `outcome` are null)."""

    type: ClassVar[EventType] = "validator_complete"
    name: str
    model: str
    status: str  # "answered", "timeout" or "error"
    answer: str
    similarity: float | None
    band: str | None
    outcome: str | None
    conflicts: list[dict[str, str]]
    added: list[dict[str, str]]
    latency_ms: int | None
    # On the side of the majority (the verdict followed it); None when it did not answer.
    majority: bool | None
    message: str = ""
    reason: str = ""
    # Its tokens (`{prompt_tokens, completion_tokens, total_tokens}`), null when it reported none
    # (timed out, or failed before its usage arrived): what `complete.usage` says of the first.
    usage: dict[str, int | None] | None = None


@dataclass(frozen=True, slots=True)
class Correction(Event):
    type: ClassVar[EventType] = "correction"
    reason: str
    original: str
    corrected: str
    similarity: float | None
    conflicts: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Fallback(Event):
    """The fast model answered nothing usable: the validator's answer is streamed instead."""

    type: ClassVar[EventType] = "fallback"
    from_: str
    to: str
    reason: str
    message: str

    def payload(self) -> dict[str, Any]:
        return {
            "type": "fallback",
            "from": self.from_,
            "to": self.to,
            "reason": self.reason,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class Complete(Event):
    type: ClassVar[EventType] = "complete"
    terminal: ClassVar[bool] = True
    run_id: str
    content: str
    confidence: float
    elapsed_time: float
    status: str
    corrected: bool
    similarity: float | None
    usage: dict[str, dict[str, int | None] | None]
    timestamp: str = field(default_factory=now_iso)


@dataclass(frozen=True, slots=True)
class PanelStart(Start):
    """`start` of a run with extra validators: `validators` lists them after the first
    (`[{"name", "provider", "model"}]`, in their configured order). Without extra validators
    the plain `Start` is sent, so its bytes stay as they were."""

    type: ClassVar[EventType] = "start"
    validators: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PanelComplete(Complete):
    """`complete` of a run with extra validators: `validators` sums up the vote
    (`{"answered", "asked", "corrects", "stands", "decided_by"}`, see docs/api.md)."""

    type: ClassVar[EventType] = "complete"
    terminal: ClassVar[bool] = True
    validators: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Error(Event):
    type: ClassVar[EventType] = "error"
    terminal: ClassVar[bool] = True
    message: str
    run_id: str
    code: str = "error"
    timestamp: str = field(default_factory=now_iso)
