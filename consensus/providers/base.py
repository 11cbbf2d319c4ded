"""The provider interface: stream text pieces, or complete once."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Literal, Protocol

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True, slots=True)
class Message:
    role: Role
    content: str


@dataclass(frozen=True, slots=True)
class ChatRequest:
    """One question for a model: the conversation so far plus sampling parameters."""

    messages: tuple[Message, ...]
    temperature: float = 0.7
    max_tokens: int = 2000


@dataclass(frozen=True, slots=True)
class Usage:
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    total_tokens: int | None = None

    def as_dict(self) -> dict[str, int | None]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.total_tokens,
        }


@dataclass(frozen=True, slots=True)
class Completion:
    """A whole answer from a non-streamed call."""

    text: str
    model: str
    usage: Usage | None = None
    finish_reason: str | None = None


@dataclass(slots=True)
class StreamOutcome:
    """Filled in by a provider while it streams: what the stream reported besides text."""

    usage: Usage | None = None
    finish_reason: str | None = None
    # Called (once or more) when the request is on the wire, or is waiting on the network to
    # connect: the engine holds the validator's request back until then, so the two requests
    # do not take turns on the event loop before the fast one is sent.
    on_sent: Callable[[], None] | None = None

    def sent(self) -> None:
        if self.on_sent is not None:
            self.on_sent()


class Provider(Protocol):
    """A chat model. `name` is the vendor ("Groq"), `model` the model id actually used."""

    name: str
    model: str

    def stream(self, request: ChatRequest, outcome: StreamOutcome) -> AsyncIterator[str]:
        """Yield the answer's text pieces as they arrive; fill `outcome` on the way."""
        ...

    async def complete(self, request: ChatRequest) -> Completion:
        """Return the whole answer at once."""
        ...
