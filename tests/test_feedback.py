"""`POST /api/consensus/runs/<id>/feedback`: helpful or not, with an optional comment, stored with
the run; JSON 4xx for bad input, CSRF for session users; the admin's filter and dashboard panel."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.middleware.csrf import _get_new_csrf_string
from django.test import AsyncClient, Client
from django.urls import reverse
from django.utils import timezone

from consensus.admin.feedback_stats import feedback_by_outcome
from consensus.admin.stats import window_last
from consensus.feedback import MAX_COMMENT
from consensus.models import ConsensusRun, RunFeedback, RunStatus

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def url(run_id: object) -> str:
    return f"/api/consensus/runs/{run_id}/feedback"


def make_run(**fields: object) -> ConsensusRun:
    values: dict[str, object] = {
        "prompt": "Apa hukuman pencurian?",
        "final_answer": "Pasal 362 KUHP.",
        "status": RunStatus.COMPLETED,
        "outcome": "agree",
        "similarity": 0.9,
    }
    values.update(fields)
    return ConsensusRun.objects.create(**values)


async def post(client: AsyncClient, run_id: object, body: object, **headers: str):
    return await client.post(url(run_id), body, content_type="application/json", headers=headers)


async def test_feedback_is_stored_with_the_run_and_replaced_when_given_again():
    run = await sync_to_async(make_run)()
    client = AsyncClient()

    first = await post(client, run.pk, {"helpful": False})
    assert first.status_code == 200
    assert first.json() == {"run_id": str(run.pk), "helpful": False, "comment": ""}
    again = await post(client, run.pk, {"helpful": True, "comment": "  Jelas, terima kasih.  "})
    assert again.status_code == 200

    stored = await RunFeedback.objects.aget(run=run)
    assert (stored.helpful, stored.comment) == (True, "Jelas, terima kasih.")
    assert await RunFeedback.objects.acount() == 1


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("not json", "invalid_json"),
        ([1, 2], "invalid_json"),
        ({}, "invalid_feedback"),
        ({"helpful": "yes"}, "invalid_feedback"),
        ({"helpful": 1}, "invalid_feedback"),
        ({"helpful": True, "comment": 5}, "invalid_feedback"),
        ({"helpful": True, "comment": "x" * (MAX_COMMENT + 1)}, "invalid_feedback"),
    ],
)
async def test_bad_feedback_is_a_json_400_naming_the_problem(body, code):
    run = await sync_to_async(make_run)()
    response = await AsyncClient().post(url(run.pk), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert await RunFeedback.objects.acount() == 0


async def test_unknown_run_is_404_other_methods_405_and_running_runs_409():
    client = AsyncClient()
    missing = await post(client, uuid.uuid4(), {"helpful": True})
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "run_not_found"

    run = await sync_to_async(make_run)(status=RunStatus.RUNNING)
    assert (await client.get(url(run.pk))).status_code == 405
    busy = await post(client, run.pk, {"helpful": True})
    assert busy.status_code == 409
    assert busy.json()["error"]["code"] == "run_not_finished"


async def test_a_session_user_needs_the_csrf_token():
    user = await get_user_model().objects.acreate_user("advokat", password="rahasia-sekali-123")
    client = AsyncClient(enforce_csrf_checks=True)
    await client.aforce_login(user)
    csrf = _get_new_csrf_string()
    client.cookies["csrftoken"] = csrf
    run = await sync_to_async(make_run)()

    refused = await post(client, run.pk, {"helpful": True})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf_failed"
    accepted = await post(client, run.pk, {"helpful": True}, **{"X-CSRFToken": csrf})
    assert accepted.status_code == 200


def test_feedback_counts_by_outcome_group():
    agreed = make_run(outcome="supplement")
    corrected = make_run(outcome="conflict", corrected=True, status=RunStatus.CORRECTED)
    unvalidated = make_run(outcome="", status=RunStatus.VALIDATOR_TIMEOUT, similarity=None)
    make_run()  # no feedback
    for run, helpful in ((agreed, True), (corrected, False), (unvalidated, False)):
        RunFeedback.objects.create(run=run, helpful=helpful)
    RunFeedback.objects.create(run=make_run(outcome="agree"), helpful=False)

    rows = {
        r.group: (r.helpful, r.not_helpful) for r in feedback_by_outcome(window=window_last(days=7))
    }
    assert rows == {"agreed": (1, 1), "corrected": (0, 1), "unvalidated": (0, 1)}
    old = make_run()
    ConsensusRun.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=30))
    RunFeedback.objects.create(run=old, helpful=True)
    again = {r.group: r.helpful for r in feedback_by_outcome(window=window_last(days=7))}
    assert again["agreed"] == 1  # outside the window


def test_admin_filters_runs_by_feedback_and_dashboard_plots_it(django_user_model):
    admin_user = django_user_model.objects.create_superuser("root", "r@example.test", "pw-123456")
    liked = make_run(prompt="disukai")
    disliked = make_run(prompt="tidak disukai")
    make_run(prompt="tanpa masukan")
    RunFeedback.objects.create(run=liked, helpful=True, comment="bagus")
    RunFeedback.objects.create(run=disliked, helpful=False)
    client = Client()
    client.force_login(admin_user)
    changelist = reverse("admin:consensus_consensusrun_changelist")

    def prompts(query: str) -> set[str]:
        response = client.get(changelist + query)
        assert response.status_code == 200
        return {run.prompt for run in response.context["cl"].result_list}

    assert prompts("?feedback=helpful") == {"disukai"}
    assert prompts("?feedback=not_helpful") == {"tidak disukai"}
    assert prompts("?feedback=commented") == {"disukai"}
    assert prompts("?feedback=none") == {"tanpa masukan"}

    page = client.get(reverse("admin:consensus_consensusrun_dashboard"))
    assert page.status_code == 200
    assert b"cr-feedback-panel" in page.content
    assert b'data-group="agreed"' in page.content
    detail = client.get(reverse("admin:consensus_consensusrun_change", args=[liked.pk]))
    assert b"bagus" in detail.content
