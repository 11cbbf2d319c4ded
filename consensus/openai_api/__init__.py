"""The OpenAI-compatible API: `/v1/models` and `/v1/chat/completions` over the same admission,
engine and hub as the SSE endpoint (docs/openai.md).

`request.py` turns a Chat Completions body into a `Question`, `translate.py` turns a run's events
into what an OpenAI client sees (answer text, the `consensus` object, usage), `chunks.py` frames
that as `chat.completion.chunk` SSE or one `chat.completion`, `relay.py` is the framer a stream
hands to `Run.follow` (tokens spliced without decoding), `errors.py` answers in OpenAI's error
shape, `views.py` wires them.
"""

from __future__ import annotations

from typing import Literal

ModelName = Literal["consensus", "consensus-validated"]
MODELS: tuple[ModelName, ...] = ("consensus", "consensus-validated")
