"""`RunRecord`: everything about one run that is persisted, filled in by the engine as it goes."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .providers.base import ChatRequest, Message, Usage
from .status import RunStatus


@dataclass(slots=True)
class RunRecord:
    """The state of one run. Plain data: the engine writes it, `services.run_save` stores it.

    Timings (`time_to_first_token`, `fast_duration`, `validator_duration`, `total_duration`) are
    seconds since the run started.
    """

    prompt: str
    system_prompt: str = ""
    history: list[dict[str, str]] = field(default_factory=list)
    temperature: float = 0.7
    max_tokens: int = 2000
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    fast_provider: str = ""
    fast_model: str = ""
    validator_provider: str = ""
    validator_model: str = ""
    fast_pieces: list[str] = field(default_factory=list)
    validator_answer: str = ""
    final_answer: str = ""
    similarity: float | None = None
    corrected: bool = False
    confidence: float | None = None
    status: RunStatus = RunStatus.RUNNING
    error: str = ""
    started: float = field(default_factory=time.perf_counter)
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    time_to_first_token: float | None = None
    fast_duration: float | None = None
    validator_duration: float | None = None
    total_duration: float | None = None
    fast_usage: Usage | None = None
    validator_usage: Usage | None = None
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    correction_reason: str = ""
    outcome: str = ""
    added_facts: list[dict[str, str]] = field(default_factory=list)
    merged_answer: list[dict[str, str]] = field(default_factory=list)
    decided_by: str = ""
    attempts: list[dict[str, Any]] = field(default_factory=list)
    client_id: str = ""
    source: str = "sse"  # the edge it came through: sse, websocket, openai (models.RunSource)
    cache_hit: bool = False  # answered from the answer cache (consensus/cache.py)
    # With extra validators (`CONSENSUS_VALIDATORS`): every validator's answer and verdict, the
    # first one included (`validator_task.Answer.entry`); empty otherwise.
    validators: list[dict[str, Any]] = field(default_factory=list)

    def settle(
        self,
        status: RunStatus,
        *,
        error: str | None = None,
        corrected: bool | None = None,
        reason: str | None = None,
    ) -> None:
        """The one place a run's status changes (with the error, correction and its reason)."""
        self.status = status
        if error is not None:
            self.error = error
        if corrected is not None:
            self.corrected = corrected
        if reason is not None:
            self.correction_reason = reason

    def abort(self, why: str) -> bool:
        """End a run that is still open as aborted; False when it had already ended."""
        if self.status != RunStatus.RUNNING:
            return False
        self.settle(RunStatus.ABORTED, error=self.error or f"aborted: {why}")
        return True

    @property
    def fast_answer(self) -> str:
        return "".join(self.fast_pieces)

    def elapsed(self) -> float:
        """Seconds since the run started."""
        return time.perf_counter() - self.started

    def chat_request(self) -> ChatRequest:
        """The question as providers see it: system prompt, history, then the prompt."""
        messages: list[Message] = []
        if self.system_prompt:
            messages.append(Message("system", self.system_prompt))
        messages.extend(Message(m["role"], m["content"]) for m in self.history)  # type: ignore[arg-type]
        messages.append(Message("user", self.prompt))
        return ChatRequest(tuple(messages), self.temperature, self.max_tokens)

    def usage_payload(self) -> dict[str, dict[str, int | None] | None]:
        return {
            "groq": self.fast_usage.as_dict() if self.fast_usage else None,
            "byteplus": self.validator_usage.as_dict() if self.validator_usage else None,
        }
