"""The verdict on two answers: how alike they are, the legal facts they state differently, and the
consensus confidence. Pure functions, no Django; the engine imports only `assess`."""

from __future__ import annotations

from .verdict import Agreement, Conflict, CorrectionReason, assess

__all__ = ["Agreement", "Conflict", "CorrectionReason", "assess"]
