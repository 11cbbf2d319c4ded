"""The verdict on two answers: how alike they are, the legal facts they state differently, and the
consensus confidence. Pure functions, no Django; the engine imports only `assess`."""

from __future__ import annotations

from .confidence import Policy
from .merge import Piece
from .verdict import Added, Agreement, Conflict, CorrectionReason, Outcome, assess

__all__ = [
    "Added",
    "Agreement",
    "Conflict",
    "CorrectionReason",
    "Outcome",
    "Piece",
    "Policy",
    "assess",
]
