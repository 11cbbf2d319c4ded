"""The optional judge: one short extra call to the validator model for what the rules cannot decide.

Off by default (`CONSENSUS_JUDGE`). When the rules found no conflict but could not rule one out,
or found one only between the answers' conclusions as they read them (`Agreement.uncertain`),
the validator model is asked once, with its own time limit (`CONSENSUS_JUDGE_TIMEOUT`), given
the asker's question and both answers, as JSON: how each answer answers the question (yes, no or
unclear) and the legal facts on which the two contradict each other. Conflicts it names, or a yes
against a no, make the verdict a conflict decided by the judge; otherwise the rules' verdict is
confirmed, or a conflict of conclusions alone is cleared (`Agreement.cleared`: no correction),
decided by the judge too. A judge that is slow, fails or answers something unreadable changes
nothing: the rules' verdict stands, decided by the rules.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from dataclasses import dataclass, replace
from typing import Any

from .agreement import Agreement, Conflict
from .agreement.conclusions import CLAIM_CHARS
from .agreement.verdict import placed
from .providers.base import ChatRequest, Message, Provider
from .providers.errors import ProviderError

logger = logging.getLogger(__name__)

INSTRUCTIONS = (
    "You compare two answers to the same Indonesian legal question. First, if the question "
    "can be answered yes or no (may I, must I, can they, is it valid, allowed, punishable, am I "
    'entitled), say how each answer answers it: "yes", "no", or "unclear" when it does not '
    "answer or only says to ask someone else. An answer that hedges but leans one way "
    '("kayaknya udah telat sih", "agak berat", "aman kok") answers that way; tone, length and '
    "style do not matter. Then list only the legal facts on which the answers CONTRADICT each "
    "other: a different article, law, penalty, fine, deadline, amount, age, share, court or "
    "modality, or opposite conclusions (valid/void, allowed/forbidden, obliged/not obliged, "
    "punishable/not punishable). Facts that only one answer states, and different wording of "
    "the same rule, are not contradictions. Reply with JSON only, no prose: "
    '{"answers": {"A": {"says": "yes|no|unclear", "quote": "the words of A that answer"}, '
    '"B": {"says": "yes|no|unclear", "quote": "the words of B that answer"}}, '
    '"conflicts": [{"kind": "...", "fast": "what answer A says", "validator": "what answer B '
    'says"}]}, with an empty list when they do not contradict.'
)
MAX_ANSWER_CHARS = 6000
MAX_QUESTION_CHARS = 2000
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")
_SIDES = {"yes": 1, "ya": 1, "no": -1, "tidak": -1}


@dataclass(frozen=True, slots=True)
class Said:
    """How one answer answers the asker's yes-or-no question, in the judge's reading: `sign`
    1 (yes), -1 (no) or 0 (unclear, or not said), and the words that say so."""

    sign: int = 0
    quote: str = ""


@dataclass(frozen=True, slots=True)
class Ruling:
    """The judge's reply: the contradictions it names, and how each answer answers the
    question (A the fast answer, B the validator's)."""

    conflicts: tuple[Conflict, ...]
    fast: Said = Said()
    validator: Said = Said()

    def contradictions(self, fast: str, validator: str) -> tuple[Conflict, ...]:
        """The conflicts named, or, when none is but the answers answer the question yes and
        no, that opposite conclusion (in the judge's quotes where the answers say them, else each
        answer's opening)."""
        if self.conflicts or self.fast.sign * self.validator.sign != -1:
            return self.conflicts
        return (
            Conflict("conclusion", _quoted(self.fast, fast), _quoted(self.validator, validator)),
        )


def _quoted(said: Said, answer: str) -> str:
    """The judge's quote when the answer says it (a reviewer is shown the answer's own words,
    not the model's paraphrase of them), else the answer's opening."""
    text = " ".join(answer.split())
    if said.quote and said.quote.lower() in text.lower():
        return said.quote
    return text[:CLAIM_CHARS]


@dataclass(frozen=True, slots=True)
class Judge:
    """Asks `provider` about the pairs the rules leave uncertain, within `timeout` seconds."""

    provider: Provider
    timeout: float = 5.0

    def request(self, fast: str, validator: str, question: str | None = None) -> ChatRequest:
        """The judge's question: the asker's question when known, then both answers, labelled
        A (fast) and B (validator)."""
        asked = f"Question:\n{question[:MAX_QUESTION_CHARS]}\n\n" if question else ""
        content = (
            f"{asked}Answer A:\n{fast[:MAX_ANSWER_CHARS]}\n\n"
            f"Answer B:\n{validator[:MAX_ANSWER_CHARS]}"
        )
        messages = (Message("system", INSTRUCTIONS), Message("user", content))
        return ChatRequest(messages, temperature=0.0, max_tokens=500)

    async def review(
        self, fast: str, validator: str, agreement: Agreement, question: str | None = None
    ) -> Agreement:
        """The verdict after the judge, or `agreement` unchanged if the judge cannot help."""
        try:
            async with asyncio.timeout(self.timeout):
                completion = await self.provider.complete(self.request(fast, validator, question))
            conflicts = parse(completion.text).contradictions(fast, validator)
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


def parse(text: str) -> Ruling:
    """The judge's JSON answer; ValueError when it has neither a list of conflicts nor the
    answers' sides. How the answers answer the question is optional: missing or malformed, it
    reads as unclear; given, a missing list of conflicts reads as none."""
    data: Any = json.loads(_FENCE.sub("", text.strip()))
    items = data.get("conflicts") if isinstance(data, dict) else None
    if items is None and isinstance(data, dict) and isinstance(data.get("answers"), dict):
        items = []
    if not isinstance(items, list):
        raise ValueError("no 'conflicts' list in the judge's answer")
    conflicts = tuple(
        Conflict(str(i.get("kind") or "judge"), str(i.get("fast", "")), str(i.get("validator", "")))
        for i in items
        if isinstance(i, dict)
    )
    answers = data.get("answers")
    if not isinstance(answers, dict):
        return Ruling(conflicts)
    return Ruling(conflicts, _said(answers.get("A")), _said(answers.get("B")))


def _said(item: object) -> Said:
    """One answer's side as the judge gives it: {"says": "no", "quote": "..."} or just "no"."""
    if isinstance(item, str):
        item = {"says": item}
    if not isinstance(item, dict):
        return Said()
    sign = _SIDES.get(str(item.get("says", "")).strip().lower(), 0)
    quote = item.get("quote")
    if not sign or not isinstance(quote, str):
        return Said(sign)
    return Said(sign, " ".join(quote.split())[:CLAIM_CHARS])
