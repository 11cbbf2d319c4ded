"""The framer a streamed chat completion hands to `Run.follow`: a batch of the run's event
payloads to the bytes to send, like the SSE endpoint's `sse.framer`.

The hot path is a live token (one event per batch): its text is spliced, still JSON, from the
hub's payload into the pre-rendered chunk (`translate.token_text`, `ChunkFramer.content_literal`):
no `orjson.loads`, no dict, no `orjson.dumps`. The few other events of a run are parsed and fed to
the `Translation`; `complete` brings the ending (last chunk, usage chunk, `[DONE]`), an `error`
after the answer began an error frame.
"""

from __future__ import annotations

from collections.abc import Sequence

import orjson

from . import chunks
from .translate import EMPTY_TEXT, Translation, token_text

# Events that change nothing the client sees (`groq_complete` repeats the whole fast answer):
# not parsed.
SKIPPED = b'{"type":"groq_complete",'
# A run's terminal `error` event -> the HTTP status it is answered with.
RUN_ERROR_STATUS = {"models_unavailable": 503, "aborted": 503}


def run_error(translation: Translation) -> tuple[int, str, str]:
    """A failed run's status, code and message."""
    error = translation.error or {}
    code = str(error.get("code", "internal_error"))
    message = f"{error.get('message', 'The run failed.')} (run {error.get('run_id')})"
    return RUN_ERROR_STATUS.get(code, 500), code, message


class ChunkStream:
    """Frames a run's events for one streamed response.

    Nothing is sent before the answer's first text (or its end): until then a batch without
    text frames to b"" and `began` stays False, so the view can still answer a run that fails
    first with its HTTP status. The first bytes sent start with the role chunk; the view keeps
    them in `first` until the response is under way."""

    def __init__(self, translation: Translation, framer: chunks.ChunkFramer) -> None:
        self.translation = translation
        self.framer = framer
        self.relays_tokens = not translation.validated
        self.began = False
        self.first = b""
        # Set once the answer began, for the token path: a live token is one payload per batch.
        self._live = False
        self._head, self._tail = framer.content_parts()

    def __call__(self, start: int, payloads: Sequence[bytes]) -> bytes:
        if self._live and len(payloads) == 1:  # a live token: the hot path
            text = token_text(payloads[0])
            if text is not None:
                return b"" if text == EMPTY_TEXT else self._head + text + self._tail
        if not payloads:
            return chunks.HEARTBEAT if self.began else b""
        return self._frames(payloads)

    def _frames(self, payloads: Sequence[bytes]) -> bytes:
        framer, translation = self.framer, self.translation
        out: list[bytes] = []
        for payload in payloads:
            text = token_text(payload)
            if text is not None:
                if self.relays_tokens and text != EMPTY_TEXT:
                    out.append(framer.content_literal(text))
                continue  # consensus-validated shows no token
            if payload.startswith(SKIPPED):
                continue
            if added := translation.feed(orjson.loads(payload)):
                out.append(framer.content(added))
            if translation.complete is not None:
                out.append(framer.ending(translation.usage(), translation.consensus()))
            elif translation.error is not None and (self.began or out):
                status, code, message = run_error(translation)
                out.append(chunks.error_frame(status, code, message))
        if not out:
            return b""
        if not self.began:
            self.began = True
            self._live = self.relays_tokens
            out.insert(0, framer.role())
        return b"".join(out)
