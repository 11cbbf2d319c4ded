"""A run's events (the hub's JSON payloads) to what an OpenAI client sees.

Model `consensus`: the answer's text as it arrives (fast tokens, or the validator's in a
fallback), then a labelled correction or supplement once the verdict is in. Model
`consensus-validated`: nothing until the run is complete, then only the final answer. Both end
with the `consensus` object and OpenAI-shaped `usage` (the tokens of every model that reported
them, added up).

With extra validators (`CONSENSUS_VALIDATORS`) the run's decision is the majority's, not the first
validator's: `byteplus_complete` keeps describing ModelArk alone (docs/api.md), so the verdict
shown (outcome, conflicts, added facts, the supplement's delta) is that of the validator the
decision followed (`Translation.decider`), and `correction` / `complete` say the rest.
"""

from __future__ import annotations

from typing import Any

from . import ModelName, labels

Usage = dict[str, int]
Event = dict[str, Any]
USAGE_FIELDS = ("prompt_tokens", "completion_tokens", "total_tokens")

# A token event's payload as the hub encodes it (`events.Token.payload` through orjson, once per
# event): `{"type":"token","content":<text>,"model":"groq"}`. Its text, still JSON, is the bytes
# between the prefix and `,"model":` (a quote inside the text is escaped, so the last `,"model":`
# is the field's). A payload of another shape is parsed like any other event.
TOKEN_PREFIX = b'{"type":"token","content":'
TOKEN_TEXT_START = len(TOKEN_PREFIX)
TOKEN_TEXT_END = b',"model":'
EMPTY_TEXT = b'""'


def token_text(payload: bytes) -> bytes | None:
    """A token event's text as a JSON string literal, exactly as the hub encoded it; None when
    `payload` is not a token event."""
    if not payload.startswith(TOKEN_PREFIX):
        return None
    return payload[TOKEN_TEXT_START : payload.rindex(TOKEN_TEXT_END)]


class Translation:
    """The state of one response: feed it every event payload in order."""

    def __init__(self, model: ModelName, prompt: str) -> None:
        self.validated = model == "consensus-validated"
        self.prompt = prompt
        self.start: Event = {}
        self.first: Event = {}  # `byteplus_complete`: the first validator's verdict
        self.first_status = ""  # "answered", "timeout" or "error" once it is known
        self.extras: list[Event] = []  # `validator_complete`, one per extra validator, in order
        self.correction: Event = {}
        self.complete: Event | None = None
        self.error: Event | None = None

    @property
    def finished(self) -> bool:
        return self.complete is not None or self.error is not None

    @property
    def language(self) -> labels.Language:
        """The question's language, read only when a label is shown."""
        return labels.language_of(self.prompt)

    def feed(self, event: Event) -> str:
        """The text this event adds to the answer ("" for none)."""
        kind = event["type"]
        if kind == "token":
            return "" if self.validated else str(event["content"])
        if kind == "start":
            self.start = event
        elif kind == "byteplus_complete":
            self.first, self.first_status = event, "answered"
        elif kind == "byteplus_timeout":
            self.first_status = "timeout"
        elif kind == "byteplus_error":
            self.first_status = "error"
        elif kind == "validator_complete":
            self.extras.append(event)
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

    # --- the decision ----------------------------------------------------------------------

    @property
    def panel(self) -> dict[str, Any] | None:
        """`complete.validators`: how the validators voted (only with extra validators)."""
        return (self.complete or {}).get("validators")

    def first_on_majority(self) -> bool | None:
        """Whether the first validator voted with the majority; None when it gave no verdict.

        The engine takes the first validator (in order: ModelArk, then `CONSENSUS_VALIDATORS`)
        on the winning side, and the winning side has max(corrects, stands) votes (a tie goes to
        the first answer's side). The extra validators on it say `majority: true`; when fewer of
        them than the side's votes did, the first validator is the missing one."""
        if not self.first:
            return None
        panel = self.panel
        if not panel:
            return True  # the only validator: its verdict is the run's
        winners = max(int(panel.get("corrects") or 0), int(panel.get("stands") or 0))
        return sum(1 for extra in self.extras if extra.get("majority")) < winners

    def decider(self) -> Event:
        """The verdict the run followed (`byteplus_complete` or one `validator_complete`); {} when
        no validator gave one."""
        panel = self.panel
        if not panel:
            return self.first
        if panel.get("decided_by") is None:
            return {}
        if self.first_on_majority():
            return self.first
        return next((extra for extra in self.extras if extra.get("majority")), {})

    def _supplement(self) -> str:
        verdict = self.decider()
        added = verdict.get("added") or []
        if self.correction or verdict.get("outcome") != "supplement" or not added:
            return ""
        return labels.supplement(self.language, [fact["text"] for fact in added])

    # --- the summary -----------------------------------------------------------------------

    def usage(self) -> Usage:
        """OpenAI's usage object: the tokens of every model asked added up (the fast model, the
        first validator and each extra one; a model that reported none counts 0)."""
        total = dict.fromkeys(USAGE_FIELDS, 0)
        numbers = [*self._usages().values(), *(self._extra_usage(extra) for extra in self.extras)]
        for counted in numbers:
            if counted:
                for name in USAGE_FIELDS:
                    total[name] += counted.get(name) or 0
        return total

    def _usages(self) -> dict[str, Any]:
        return (self.complete or {}).get("usage") or {}

    def _extra_usage(self, extra: Event) -> dict[str, int] | None:
        """An extra validator's tokens; none for an answer from the cache, whose replayed
        `validator_complete` is the original run's (no model was asked this time)."""
        return None if (self.complete or {}).get("cached") else extra.get("usage")

    def consensus(self) -> dict[str, Any]:
        """The `consensus` object: the run, the verdict it followed and the models; with extra
        validators also each validator's vote (`validators`) and the count (`vote`)."""
        done = self.complete or {}
        roles = self.start.get("roles") or {}
        usages = self._usages()
        verdict = self.decider()
        summary = {
            "run_id": self.start.get("run_id") or (self.error or {}).get("run_id"),
            "status": done.get("status", "failed"),
            "outcome": verdict.get("outcome"),
            "confidence": done.get("confidence"),
            "similarity": done.get("similarity"),
            "corrected": bool(done.get("corrected")),
            "correction_reason": self.correction.get("reason"),
            "conflicts": verdict.get("conflicts") or self.correction.get("conflicts") or [],
            "added": verdict.get("added") or [],
            "models": {
                name: {**roles.get(role, {}), "usage": usages.get(role)}
                for name, role in (("fast", "groq"), ("validator", "byteplus"))
            },
        }
        panel = self.panel
        if panel:
            summary["validators"] = self._validators(verdict)
            summary["vote"] = panel
        return summary

    def _validators(self, decider: Event) -> list[dict[str, Any]]:
        """Every validator asked, the first one first: what it answered and how it voted."""
        first = (self.start.get("roles") or {}).get("byteplus") or {}
        verdict = self.first
        entries = [
            {
                "name": first.get("provider"),
                "model": first.get("model"),
                "status": self.first_status or "error",
                "outcome": verdict.get("outcome"),
                "similarity": verdict.get("similarity"),
                "majority": self.first_on_majority(),
                "decided": bool(verdict) and verdict is decider,
                "usage": self._usages().get("byteplus"),
            }
        ]
        entries.extend(
            {
                "name": extra.get("name"),
                "model": extra.get("model"),
                "status": extra.get("status"),
                "outcome": extra.get("outcome"),
                "similarity": extra.get("similarity"),
                "majority": extra.get("majority"),
                "decided": extra is decider,
                "usage": self._extra_usage(extra),
            }
            for extra in self.extras
        )
        return entries
