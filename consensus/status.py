"""The one vocabulary of run states, shared by the engine's record and the database column."""

from __future__ import annotations

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class RunStatus(TextChoices):
    """Where a run ended (or `running` while it is open)."""

    RUNNING = "running", _("running")
    COMPLETED = "completed", _("completed")
    CORRECTED = "corrected", _("corrected")
    FALLBACK = "fallback", _("answered by the validator (fast model failed)")
    VALIDATOR_TIMEOUT = "validator_timeout", _("validator timeout")
    VALIDATOR_ERROR = "validator_error", _("validator error")
    FAILED = "failed", _("failed")
    ABORTED = "aborted", _("aborted by client")
