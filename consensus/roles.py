"""The two roles of a run, as events (`Token.model`, `Start.roles`) and attempts name them."""

from __future__ import annotations

FAST_ROLE = "groq"
VALIDATOR_ROLE = "byteplus"
