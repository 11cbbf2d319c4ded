"""The review admin: the runs (list, detail, review workflow, CSV export, dashboard) and API tokens.

Django's admin autodiscovery imports `consensus.admin`; importing the two modules registers them."""

from __future__ import annotations

from . import runs, tokens

__all__ = ["runs", "tokens"]
