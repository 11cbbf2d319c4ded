"""Writes for the review workflow: a reviewer's verdict on runs, kept on the run and in the
admin log (so an earlier verdict is never lost when a run is reviewed again); a correction marked
wrong, or the staff action, evicts the run's answer from the answer cache."""

from __future__ import annotations

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import override

from .. import cache
from ..conf import get_config
from ..models import ConsensusRun, ReviewState

VERDICTS = (
    ReviewState.CORRECTION_CONFIRMED,
    ReviewState.CORRECTION_WRONG,
    ReviewState.FAST_WAS_FINE,
)


def review_message(*, state: ReviewState, previous: str, note: str) -> str:
    """The admin log's line for one review, e.g. "Reviewed: correction wrong (was: not reviewed).

    Always in English: the log is stored text, read later by reviewers of either language."""
    with override("en"):
        was = str(ReviewState(previous).label) if previous in ReviewState.values else previous
        message = f"Reviewed: {state.label} (was: {was})."
    return f"{message} Note: {note}" if note else message


def runs_review(
    *,
    runs: QuerySet[ConsensusRun],
    user: AbstractBaseUser | AnonymousUser,
    state: ReviewState,
    note: str = "",
) -> int:
    """Record `state` (one of VERDICTS) with who and when on every run, plus one admin log
    entry per run. Returns how many runs were reviewed."""
    if state not in VERDICTS:
        raise ValueError(f"not a review verdict: {state!r}")
    user_id = user.pk
    if user_id is None:
        raise ValueError("an anonymous user cannot review runs")
    note = note.strip()
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(ConsensusRun)
    with transaction.atomic():
        # Re-select by key: the admin's queryset may carry annotations or DISTINCT.
        locked = list(
            ConsensusRun.objects.filter(pk__in=runs.values("pk"))
            .select_for_update()
            .order_by()
            .only("id", "prompt", "status", "review_state")
        )
        ConsensusRun.objects.filter(pk__in=[r.pk for r in locked]).update(
            review_state=state, reviewed_by_id=user_id, reviewed_at=now, review_note=note
        )
        LogEntry.objects.bulk_create(
            [
                LogEntry(
                    user_id=user_id,
                    content_type_id=content_type.pk,
                    object_id=str(run.pk),
                    object_repr=str(run)[:200],
                    action_flag=CHANGE,
                    action_time=now,
                    change_message=review_message(
                        state=state, previous=run.review_state, note=note
                    ),
                )
                for run in locked
            ]
        )
    if state == ReviewState.CORRECTION_WRONG:
        runs_evict(runs=ConsensusRun.objects.filter(pk__in=[r.pk for r in locked]))
    return len(locked)


def runs_evict(*, runs: QuerySet[ConsensusRun]) -> int:
    """Drop the cached answers to these runs' questions (as asked of the same models with the
    same settings), so the next asker gets a fresh run. Returns how many runs were looked at."""
    policy = get_config().policy()
    rows = list(
        runs.order_by().values_list(
            "prompt",
            "system_prompt",
            "history",
            "parameters",
            "fast_model",
            "validator_model",
            "validators",
        )
    )
    keys = {
        cache.answer_key(
            prompt=prompt,
            system_prompt=system_prompt,
            history=history or [],
            fast_model=fast_model,
            validator_model=validator_model,
            temperature=(parameters or {}).get("temperature", 0.7),
            max_tokens=(parameters or {}).get("max_tokens", 2000),
            policy=policy,
            validators=cache.stored_validators(validators or []),
        )
        for (
            prompt,
            system_prompt,
            history,
            parameters,
            fast_model,
            validator_model,
            validators,
        ) in rows
    }
    cache.answers_evict(keys)
    return len(rows)
