"""The optional judge: one short extra call to the validator model for what the rules cannot decide.

Off by default (`CONSENSUS_JUDGE`). When the rules found no conflict but could not rule one out,
or found one only between the answers' conclusions as they read them (`Agreement.uncertain`),
the validator model is asked once, with its own time limit (`CONSENSUS_JUDGE_TIMEOUT`), to list
the legal facts on which the two answers contradict each other, as JSON. Conflicts it names make
the verdict a conflict decided by the judge; an empty list confirms the rules' verdict, or clears
a conflict of conclusions alone (`Agreement.cleared`: no correction), decided by the judge too.
A judge that is slow, fails or answers something unreadable changes nothing: the rules' verdict
stands, decided by the rules.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from dataclasses import dataclass, replace
from typing import Any

from .agreement import Agreement, Conflict
from .agreement.verdict import placed
from .providers.base import ChatRequest, Message, Provider
from .providers.errors import ProviderError

logger = logging.getLogger(__name__)

INSTRUCTIONS = (
    "You compare two answers to the same Indonesian legal question. List only the legal facts "
    "on which they CONTRADICT each other: a different article, law, penalty, fine, deadline, "
    "amount, age, share, court or modality, or opposite conclusions (valid/void, allowed/"
    "forbidden, obliged/not obliged, punishable/not punishable). Facts that only one answer "
    "states, and different wording of the same rule, are not contradictions. Reply with JSON "
    'only, no prose: {"conflicts": [{"kind": "...", "fast": "what answer A says", '
    '"validator": "what answer B says"}]} and an empty list when they do not contradict.'
)
MAX_ANSWER_CHARS = 6000
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")


@dataclass(frozen=True, slots=True)
class Judge:
    """Asks `provider` about the pairs the rules leave uncertain, within `timeout` seconds."""

    provider: Provider
    timeout: float = 5.0

    def request(self, fast: str, validator: str) -> ChatRequest:
        """The judge's question: both answers, labelled A (fast) and B (validator)."""
        question = (
            f"Answer A:\n{fast[:MAX_ANSWER_CHARS]}\n\nAnswer B:\n{validator[:MAX_ANSWER_CHARS]}"
        )
        messages = (Message("system", INSTRUCTIONS), Message("user", question))
        return ChatRequest(messages, temperature=0.0, max_tokens=400)

    async def review(self, fast: str, validator: str, agreement: Agreement) -> Agreement:
        """The verdict after the judge, or `agreement` unchanged if the judge cannot help."""
        try:
            async with asyncio.timeout(self.timeout):
                completion = await self.provider.complete(self.request(fast, validator))
            conflicts = parse(completion.text)
        except (TimeoutError, ProviderError, ValueError) as exc:
            logger.warning("judge gave no verdict (%s: %s)", type(exc).__name__, exc)
            return agreement
        if not conflicts:
            # No contradiction: the rules' verdict stands, or, where only the conclusions as the
            # rules read them conflicted, the verdict without them (no correction).
            stands = agreement.cleared or agreement
            return replace(stands, decided_by="judge", uncertain=False, cleared=None)
        return replace(
            agreement,
            score=placed("conflict", 0.0),
            conflicts=conflicts,
            outcome="conflict",
            decided_by="judge",
            uncertain=False,
            cleared=None,
        )


def parse(text: str) -> tuple[Conflict, ...]:
    """The conflicts in the judge's JSON answer; ValueError when it is not that JSON."""
    data: Any = json.loads(_FENCE.sub("", text.strip()))
    items = data.get("conflicts") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ValueError("no 'conflicts' list in the judge's answer")
    return tuple(
        Conflict(str(i.get("kind") or "judge"), str(i.get("fast", "")), str(i.get("validator", "")))
        for i in items
        if isinstance(i, dict)
    )
