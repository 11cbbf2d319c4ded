"""Feedback on an answer (helpful / not helpful, an optional comment): reading the request body
and storing it with the run."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from .models import ConsensusRun, RunFeedback

MAX_COMMENT = 1000


class InvalidFeedback(Exception):
    """The body is not valid feedback: carries the JSON error's code and message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class FeedbackInput:
    helpful: bool
    comment: str


def parse_feedback(body: bytes) -> FeedbackInput:
    """`{"helpful": true|false, "comment": "..."}` (comment optional), or `InvalidFeedback`."""
    try:
        data = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidFeedback("invalid_json", "The body must be a JSON object.") from exc
    if not isinstance(data, dict):
        raise InvalidFeedback("invalid_json", "The body must be a JSON object.")
    helpful = data.get("helpful")
    if not isinstance(helpful, bool):
        raise InvalidFeedback("invalid_feedback", "'helpful' must be true or false.")
    comment = data.get("comment", "")
    if comment is None:
        comment = ""
    if not isinstance(comment, str):
        raise InvalidFeedback("invalid_feedback", "'comment' must be a string.")
    comment = comment.strip()
    if len(comment) > MAX_COMMENT:
        raise InvalidFeedback(
            "invalid_feedback", f"'comment' must be at most {MAX_COMMENT} characters."
        )
    if "\x00" in comment:
        raise InvalidFeedback("invalid_feedback", "'comment' must not contain NUL characters.")
    return FeedbackInput(helpful=helpful, comment=comment)


async def feedback_save(*, run: ConsensusRun, feedback: FeedbackInput) -> RunFeedback:
    """Store (or replace) the feedback on `run`."""
    stored, _ = await RunFeedback.objects.aupdate_or_create(
        run=run, defaults={"helpful": feedback.helpful, "comment": feedback.comment}
    )
    return stored


async def feedback_get(*, run_id: uuid.UUID) -> RunFeedback | None:
    """The feedback stored on a run, if any."""
    return await RunFeedback.objects.filter(run_id=run_id).afirst()
