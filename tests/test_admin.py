"""The run admin as each kind of user: list, filters, search, detail, review, CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import io
from types import SimpleNamespace
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.apps import apps as django_apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import AsyncClient, Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consensus.admin import export
from consensus.admin.diff import answer_diff
from consensus.admin.explain import explain
from consensus.models import ConsensusRun, ReviewState, RunStatus

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

REVIEWERS = importlib.import_module("consensus.migrations.0002_admin_review")
LIST = reverse("admin:consensus_consensusrun_changelist")
EXPORT = reverse("admin:consensus_consensusrun_export")
DASHBOARD = reverse("admin:consensus_consensusrun_dashboard")

THEFT = "Apa hukuman untuk pencurian motor?"
FAST = "5 tahun penjara maksimal"
VALIDATOR = "Pasal 362 KUHP, maksimal 5 tahun penjara, atau denda maksimal..."


def make_run(*, created_at: dt.datetime | None = None, **fields: Any) -> ConsensusRun:
    """A finished run; `created_at` is set after saving (the field is auto_now_add)."""
    values: dict[str, Any] = {
        "prompt": THEFT,
        "fast_answer": FAST,
        "validator_answer": FAST,
        "final_answer": FAST,
        "fast_provider": "groq",
        "fast_model": "openai/gpt-oss-20b",
        "validator_provider": "byteplus",
        "validator_model": "seed-1-6-250915",
        "similarity": 0.9,
        "confidence": 0.89,
        "status": RunStatus.COMPLETED,
        "time_to_first_token": 0.3,
        "total_duration": 2.0,
        "parameters": {"temperature": 0.7, "max_tokens": 2000},
    }
    values.update(fields)
    run = ConsensusRun.objects.create(**values)
    if created_at is not None:
        ConsensusRun.objects.filter(pk=run.pk).update(created_at=created_at)
        run.refresh_from_db()
    return run


def corrected_run(**fields: Any) -> ConsensusRun:
    return make_run(
        **{
            "validator_answer": VALIDATOR,
            "final_answer": VALIDATOR,
            "similarity": 0.45,
            "confidence": 0.69,
            "status": RunStatus.CORRECTED,
            "corrected": True,
            "correction_reason": "low_similarity",
            **fields,
        }
    )


@pytest.fixture
def reviewers_group() -> Group:
    """The group migration 0002 creates. A transactional test elsewhere in the run flushes every
    table, data migrations' rows included; then this recreates it with the migration's code."""
    if not Group.objects.filter(name=REVIEWERS.GROUP).exists():
        REVIEWERS.create_reviewers(django_apps, SimpleNamespace(connection=connection))
    return Group.objects.get(name=REVIEWERS.GROUP)


@pytest.fixture
def superuser(django_user_model: Any) -> Any:
    return django_user_model.objects.create_superuser("root", "root@example.com", None)


@pytest.fixture
def reviewer(django_user_model: Any, reviewers_group: Group) -> Any:
    user = django_user_model.objects.create_user("lawyer", is_staff=True)
    user.groups.add(reviewers_group)
    return user


@pytest.fixture
def plain_staff(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user("clerk", is_staff=True)


def logged_in(user: Any, language: str = "en") -> Client:
    """A client of `user` whose browser asks for `language` (the admin follows it)."""
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def listed(response: Any) -> set[Any]:
    assert response.status_code == 200, response.content[:500]
    return {run.pk for run in response.context["cl"].result_list}


def review_post(run_pks: list[Any], action: str, **extra: str) -> dict[str, Any]:
    return {
        "action": action,
        "_selected_action": [str(pk) for pk in run_pks],
        "index": "0",
        **extra,
    }


# --- who may do what -----------------------------------------------------------------------


def test_reviewers_group_has_exactly_view_and_review(reviewers_group: Group) -> None:
    perms = reviewers_group.permissions.all()
    assert {(p.content_type.app_label, p.codename) for p in perms} == {
        ("consensus", "view_consensusrun"),
        ("consensus", "review_consensusrun"),
    }


@pytest.mark.parametrize("url", [LIST, EXPORT, DASHBOARD])
def test_anonymous_is_sent_to_login(url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login") + "?next=")


def test_anonymous_cannot_see_a_run() -> None:
    run = make_run()
    response = Client().get(reverse("admin:consensus_consensusrun_change", args=[run.pk]))
    assert response.status_code == 302


def test_staff_without_the_group_cannot_see_runs(plain_staff: Any) -> None:
    run = make_run()
    client = logged_in(plain_staff)
    for url in (
        LIST,
        EXPORT,
        DASHBOARD,
        reverse("admin:consensus_consensusrun_change", args=[run.pk]),
        reverse("admin:consensus_consensusrun_history", args=[run.pk]),
    ):
        assert client.get(url).status_code == 403, url
    review = reverse("admin:consensus_consensusrun_review", args=[run.pk])
    assert client.post(review, {"state": "correction_wrong"}).status_code == 403
    assert "consensusrun" not in client.get(reverse("admin:index")).content.decode()
    run.refresh_from_db()
    assert run.review_state == ReviewState.UNREVIEWED


def test_reviewer_can_view_but_not_add_edit_or_delete(reviewer: Any) -> None:
    run = make_run()
    client = logged_in(reviewer)
    change = reverse("admin:consensus_consensusrun_change", args=[run.pk])
    assert listed(client.get(LIST)) == {run.pk}
    page = client.get(change)
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert client.get(reverse("admin:consensus_consensusrun_add")).status_code == 403
    assert client.post(change, {"fast_answer": "rewritten"}).status_code == 403
    assert (
        client.get(reverse("admin:consensus_consensusrun_delete", args=[run.pk])).status_code == 403
    )
    response = client.post(LIST, review_post([run.pk], "delete_selected", post="yes"))
    assert ConsensusRun.objects.filter(pk=run.pk).exists()
    assert response.status_code == 302  # the action is not offered: refused, nothing deleted
    actions = {name for name, _ in client.get(LIST).context["action_form"].fields["action"].choices}
    assert actions == {
        "",
        "mark_correction_confirmed",
        "mark_correction_wrong",
        "mark_fast_was_fine",
        "evict_from_cache",  # reviewers are staff
    }
    run.refresh_from_db()
    assert run.fast_answer == FAST


def test_superuser_may_delete_but_not_edit(superuser: Any) -> None:
    run = make_run()
    client = logged_in(superuser)
    change = reverse("admin:consensus_consensusrun_change", args=[run.pk])
    assert client.get(change).context["has_change_permission"] is False
    assert client.post(change, {"fast_answer": "rewritten"}).status_code == 403
    delete = reverse("admin:consensus_consensusrun_delete", args=[run.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not ConsensusRun.objects.filter(pk=run.pk).exists()


def test_a_staff_user_with_only_the_view_permission_cannot_review(plain_staff: Any) -> None:
    plain_staff.user_permissions.add(Permission.objects.get(codename="view_consensusrun"))
    run = corrected_run()
    client = logged_in(plain_staff)
    assert listed(client.get(LIST)) == {run.pk}
    assert client.get(LIST).context["action_form"] is None  # no action it may run
    page = client.get(reverse("admin:consensus_consensusrun_change", args=[run.pk]))
    assert page.context["can_review"] is False
    review = reverse("admin:consensus_consensusrun_review", args=[run.pk])
    assert client.post(review, {"state": "correction_wrong"}).status_code == 403


# --- list: columns, filters, search, speed ----------------------------------------------------


def test_list_shows_the_columns_that_matter(reviewer: Any) -> None:
    corrected_run(prompt="x" * 300, time_to_first_token=0.42, total_duration=3.25)
    html = logged_in(reviewer).get(LIST).content.decode()
    for text in (
        "x" * 90 + "…",
        "corrected",
        "0.45",
        "0.69",
        "0.42 s",
        "3.25 s",
        "not reviewed",
        "Review queue",
        "Dashboard",
        "Export CSV",
    ):
        assert text in html, text
    assert "x" * 91 not in html


def test_list_pills_are_short_with_the_full_wording_as_title(reviewer: Any) -> None:
    make_run(status=RunStatus.FALLBACK, outcome="", similarity=None, total_duration=12.345)
    make_run(outcome="supplement", added_facts=[{"kind": "article", "text": "Pasal 362 KUHP"}])
    html = logged_in(reviewer).get(LIST).content.decode()
    assert (
        '<span class="cr-badge cr-fallback" '
        'title="answered by the validator (fast model failed)">fallback</span>'
    ) in html
    assert '<span class="cr-outcome cr-outcome-supplement" title="the validator agrees' in html
    assert '<span class="cr-review cr-review-unreviewed" title="not reviewed">open</span>' in html
    assert "12.3 s" in html  # compact above ten seconds
    assert "column-outcome_badge" in html


def test_list_filters_by_outcome(reviewer: Any) -> None:
    make_run(outcome="agree")
    supplement = make_run(outcome="supplement")
    unvalidated = make_run(outcome="", status=RunStatus.VALIDATOR_TIMEOUT)
    client = logged_in(reviewer)
    assert listed(client.get(LIST + "?outcome=supplement")) == {supplement.pk}
    assert listed(client.get(LIST + "?outcome=none")) == {unvalidated.pk}


def test_admin_follows_the_browsers_language_indonesian_by_default(
    reviewer: Any, superuser: Any
) -> None:
    run = corrected_run(
        outcome="conflict", conflicts=[{"kind": "share", "fast": "1/2", "validator": "1/3"}]
    )
    indonesian = logged_in(reviewer, "id").get(LIST).content.decode()
    for text in ("Antrean tinjauan", "Ekspor CSV", "Dasbor", "dikoreksi", "belum ditinjau"):
        assert text in indonesian, text
    assert "Review queue" not in indonesian
    no_header = Client()
    no_header.force_login(reviewer)
    assert "Antrean tinjauan" in no_header.get(LIST).content.decode()  # LANGUAGE_CODE is id

    english = logged_in(reviewer, "en").get(LIST).content.decode()
    assert "Review queue" in english
    assert "Antrean tinjauan" not in english

    detail = reverse("admin:consensus_consensusrun_change", args=[run.pk])
    page = logged_in(superuser, "id").get(detail).content.decode()
    assert "bagian (warisan, keuntungan)" in page  # the conflict kind, in words
    assert "Mengapa keputusan ini" in page
    response = logged_in(superuser, "id").post(
        LIST, {"action": "mark_correction_wrong", "_selected_action": [str(run.pk)]}
    )
    confirmation = response.content.decode()
    assert "Ya, tandai sebagai koreksi keliru" in confirmation
    assert "Tidak, bawa saya kembali" in confirmation


def test_every_project_label_has_an_indonesian_translation_and_the_mo_is_current() -> None:
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    po = Path(__file__).resolve().parents[1] / "locale" / "id" / "LC_MESSAGES" / "django.po"
    text = po.read_text()
    assert 'msgstr ""\n\n' not in text.split("\n\n", 1)[1] + "\n\n", "untranslated label"
    assert "#, fuzzy" not in text
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (gettext) is not installed")
    for lang in ("id", "en"):
        source = po.parents[2] / lang / "LC_MESSAGES" / "django.po"
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / "django.mo"
            subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(source)], check=True)
            committed = source.with_suffix(".mo").read_bytes()
            assert fresh.read_bytes() == committed, f"run compilemessages: {lang} .mo is stale"


def test_list_reads_no_big_text_columns_and_a_fixed_number_of_queries(reviewer: Any) -> None:
    for _ in range(30):
        corrected_run(fast_answer="panjang " * 500)
    client = logged_in(reviewer)
    client.get(LIST)  # warm up the session and permission caches
    with CaptureQueriesContext(connection) as ctx:
        assert len(listed(client.get(LIST))) == 30
    page_query = next(q["sql"] for q in ctx.captured_queries if "SUBSTR" in q["sql"].upper())
    selected = page_query.split("FROM")[0]
    assert "review_state" in selected
    for column in ("fast_answer", "validator_answer", "final_answer", "history", "attempts"):
        assert column not in selected
    assert len(ctx.captured_queries) <= 12  # no query per row


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("similarity_band=high", {"high"}),
        ("similarity_band=moderate", {"moderate"}),
        ("similarity_band=low", {"low"}),
        ("similarity_band=none", {"timeout"}),
        ("confidence_band=high", {"high"}),
        ("confidence_band=medium", {"moderate", "timeout"}),
        ("confidence_band=low", {"low"}),
        ("status__exact=validator_timeout", {"timeout"}),
        ("corrected__exact=1", {"low"}),
        ("review_state__exact=correction_wrong", {"moderate"}),
        ("fast_model=local-llama", {"timeout"}),
        ("corrected__exact=1&review_state__exact=unreviewed", {"low"}),
    ],
)
def test_filters(reviewer: Any, query: str, expected: set[str]) -> None:
    runs = {
        "high": make_run(similarity=0.91, confidence=0.89),
        "moderate": make_run(
            similarity=0.7, confidence=0.84, review_state=ReviewState.CORRECTION_WRONG
        ),
        "low": corrected_run(),
        "timeout": make_run(
            similarity=None,
            confidence=0.7,
            status=RunStatus.VALIDATOR_TIMEOUT,
            validator_answer="",
            fast_model="local-llama",
        ),
    }
    got = listed(logged_in(reviewer).get(f"{LIST}?{query}"))
    assert got == {runs[name].pk for name in expected}


def test_filter_choices_name_the_thresholds(reviewer: Any) -> None:
    html = logged_in(reviewer).get(LIST).content.decode()
    assert "high (≥ 0.85)" in html
    assert "low (&lt; 0.60)" in html


@pytest.mark.parametrize(
    ("term", "which"),
    [
        ("pencurian", {"a", "b"}),
        ("Pasal", {"b"}),
        ("warisan", {"c"}),
        ("sengketa", {"c"}),
    ],
)
def test_search_covers_prompt_and_answers(reviewer: Any, term: str, which: set[str]) -> None:
    runs = {
        "a": make_run(),
        "b": corrected_run(),
        "c": make_run(
            prompt="Bagaimana pembagian warisan?",
            fast_answer="Menurut hukum waris",
            validator_answer="Menurut KUH Perdata",
            final_answer="sengketa di pengadilan",
        ),
    }
    got = listed(logged_in(reviewer).get(LIST, {"q": term}))
    assert got == {runs[name].pk for name in which}


def test_date_hierarchy_drills_down(reviewer: Any) -> None:
    old = make_run(created_at=timezone.make_aware(dt.datetime(2025, 3, 4, 10)))
    make_run(created_at=timezone.make_aware(dt.datetime(2026, 1, 2, 10)))
    client = logged_in(reviewer)
    assert "2025" in client.get(LIST).content.decode()
    assert listed(client.get(LIST, {"created_at__year": "2025"})) == {old.pk}


def test_date_hierarchy_lists_periods_between_the_first_and_last_run(reviewer: Any) -> None:
    for day in (
        dt.datetime(2025, 3, 4, 10),
        dt.datetime(2025, 3, 6, 10),
        dt.datetime(2025, 5, 20, 10),
        dt.datetime(2026, 1, 2, 10),
    ):
        make_run(created_at=timezone.make_aware(day))
    client = logged_in(reviewer)
    years = client.get(LIST).content.decode()
    assert "created_at__year=2025" in years
    assert "created_at__year=2026" in years
    months = client.get(LIST, {"created_at__year": "2025"}).content.decode()
    assert [
        m
        for m in range(1, 13)
        if f"created_at__month={m}&" in months or f'created_at__month={m}"' in months
    ] == [3, 4, 5]
    days = client.get(LIST, {"created_at__year": "2025", "created_at__month": "3"})
    html = days.content.decode()
    assert [
        d
        for d in range(1, 32)
        if f'created_at__day={d}"' in html or f"created_at__day={d}&" in html
    ] == [4, 5, 6]
    assert len(listed(days)) == 2


# --- detail ---------------------------------------------------------------------------------


def test_detail_shows_both_answers_diffed_and_explains_the_scores(reviewer: Any) -> None:
    run = corrected_run(
        history=[{"role": "user", "content": "Halo"}, {"role": "assistant", "content": "Ada apa?"}],
        conflicts=[{"kind": "article", "fast": "Pasal 363", "validator": "Pasal 362"}],
        correction_reason="fact_conflict",
        error="validator said: <b>oops</b>",
        attempts=[{"model": "seed", "status": "ok", "elapsed": 1.2}],
    )
    html = (
        logged_in(reviewer)
        .get(reverse("admin:consensus_consensusrun_change", args=[run.pk]))
        .content.decode()
    )
    assert '<ins class="diff-ins">Pasal 362 KUHP, maksimal</ins> 5 tahun' in html
    assert "low agreement" in html
    assert "-0.10" in html
    assert "0.79" in html
    assert "0.69" in html
    assert "a fact differs between the answers" in html
    assert "article (Pasal)" in html
    assert "Pasal 363" in html
    assert "Ada apa?" in html
    assert "validator said: &lt;b&gt;oops&lt;/b&gt;" in html
    assert "elapsed" in html
    assert "1.2" in html
    assert "max_tokens" in html
    assert "2000" in html
    assert 'name="state"' in html  # the review form


def test_detail_escapes_model_output(reviewer: Any) -> None:
    run = corrected_run(
        fast_answer="<script>alert(1)</script> hukum",
        validator_answer="hukum <img src=x onerror=alert(2)>",
    )
    html = (
        logged_in(reviewer)
        .get(reverse("admin:consensus_consensusrun_change", args=[run.pk]))
        .content.decode()
    )
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_detail_of_an_unvalidated_run_explains_the_fixed_confidence(reviewer: Any) -> None:
    run = make_run(
        similarity=None, confidence=0.7, status=RunStatus.VALIDATOR_TIMEOUT, validator_answer=""
    )
    html = (
        logged_in(reviewer)
        .get(reverse("admin:consensus_consensusrun_change", args=[run.pk]))
        .content.decode()
    )
    assert "no second model checked this answer" in html


def test_answer_diff_marks_words_and_escapes() -> None:
    diff = answer_diff("5 tahun <b>", "Pasal 362: 5 tahun")
    assert diff.fast == '5 tahun <del class="diff-del">&lt;b&gt;</del>'
    assert diff.validator == '<ins class="diff-ins">Pasal 362:</ins> 5 tahun'


def test_answer_diff_keeps_line_breaks_outside_the_marks() -> None:
    diff = answer_diff("satu\n\ndua", "satu\n\ntiga empat")
    assert diff.fast == 'satu\n\n<del class="diff-del">dua</del>'
    assert diff.validator == 'satu\n\n<ins class="diff-ins">tiga empat</ins>'


@pytest.mark.parametrize(
    ("similarity", "status", "band", "boost", "expected"),
    [
        (0.90, RunStatus.COMPLETED, "high", 0.10, 0.89),
        (0.70, RunStatus.COMPLETED, "moderate", 0.05, 0.84),
        (0.45, RunStatus.CORRECTED, "low", -0.10, 0.69),
        (None, RunStatus.VALIDATOR_TIMEOUT, None, None, 0.7),
    ],
)
def test_explain_names_band_boost_and_confidence(
    similarity: float | None,
    status: str,
    band: str | None,
    boost: float | None,
    expected: float,
) -> None:
    run = ConsensusRun(similarity=similarity, status=status, confidence=expected)
    got = explain(run)
    assert (got.band, got.boost, got.expected, got.matches_stored) == (band, boost, expected, True)
    assert got.base == 0.79


def test_explain_uses_every_answering_validator_with_extra_validators() -> None:
    # Two agree (high: +0.10 each), one conflicts (low: -0.10), one timed out: mean +0.0333.
    validators = [
        {"name": "byteplus", "similarity": 0.45},
        {"name": "second", "similarity": 0.90},
        {"name": "third", "similarity": 0.92},
        {"name": "fourth", "similarity": None, "status": "timeout"},
    ]
    run = ConsensusRun(
        similarity=0.90, status=RunStatus.COMPLETED, confidence=0.8233, validators=validators
    )
    got = explain(run)
    assert (got.boost, got.expected, got.matches_stored) == (0.0333, 0.8233, True)


# --- review workflow --------------------------------------------------------------------------


def test_review_action_asks_for_a_note_then_records_who_when_and_logs(reviewer: Any) -> None:
    runs = [corrected_run(), corrected_run()]
    untouched = corrected_run()
    client = logged_in(reviewer)
    pks = [r.pk for r in runs]
    confirm = client.post(LIST, review_post(pks, "mark_correction_wrong"))
    assert confirm.status_code == 200
    assert "Mark these 2 runs as <strong>correction wrong</strong>" in confirm.content.decode()
    assert ConsensusRun.objects.filter(review_state=ReviewState.UNREVIEWED).count() == 3

    before = timezone.now()
    done = client.post(
        LIST,
        review_post(
            pks,
            "mark_correction_wrong",
            apply="1",
            note="Pasal 362 is right; the validator misread.",
        ),
    )
    assert done.status_code == 302
    for run in ConsensusRun.objects.filter(pk__in=pks):
        assert run.review_state == ReviewState.CORRECTION_WRONG
        assert run.reviewed_by == reviewer
        assert run.reviewed_at is not None
        assert run.reviewed_at >= before
        assert run.review_note == "Pasal 362 is right; the validator misread."
    untouched.refresh_from_db()
    assert untouched.review_state == ReviewState.UNREVIEWED
    entries = LogEntry.objects.filter(object_id__in=[str(pk) for pk in pks])
    assert entries.count() == 2
    entry = entries.first()
    assert entry is not None
    assert (entry.user, entry.action_flag) == (reviewer, CHANGE)
    assert entry.change_message == (
        "Reviewed: correction wrong (was: not reviewed). "
        "Note: Pasal 362 is right; the validator misread."
    )


def test_review_across_the_filtered_selection(reviewer: Any) -> None:
    corrected = [corrected_run(), corrected_run()]
    fine = make_run()
    client = logged_in(reviewer)
    # The browser sends the ticked rows of the page plus select_across for "select all N".
    client.post(
        f"{LIST}?corrected__exact=1",
        review_post([corrected[0].pk], "mark_correction_confirmed", select_across="1", apply="1"),
    )
    assert {
        r.pk for r in ConsensusRun.objects.filter(review_state=ReviewState.CORRECTION_CONFIRMED)
    } == {r.pk for r in corrected}
    fine.refresh_from_db()
    assert fine.review_state == ReviewState.UNREVIEWED


def test_review_from_the_detail_page_keeps_earlier_verdicts_in_the_log(reviewer: Any) -> None:
    run = corrected_run()
    client = logged_in(reviewer)
    url = reverse("admin:consensus_consensusrun_review", args=[run.pk])
    client.post(url, {"state": "correction_confirmed"})
    response = client.post(url, {"state": "fast_was_fine", "note": "Both are fine."})
    assert response.status_code == 302
    run.refresh_from_db()
    assert (run.review_state, run.review_note) == (ReviewState.FAST_WAS_FINE, "Both are fine.")
    messages = list(
        LogEntry.objects.filter(object_id=str(run.pk))
        .order_by("pk")
        .values_list("change_message", flat=True)
    )
    assert messages == [
        "Reviewed: correction confirmed (was: not reviewed).",
        "Reviewed: fast answer was fine (was: correction confirmed). Note: Both are fine.",
    ]
    page = client.get(reverse("admin:consensus_consensusrun_change", args=[run.pk]))
    assert "Both are fine." in page.content.decode()
    assert "lawyer" in page.content.decode()


def test_review_rejects_a_state_that_is_not_a_verdict(reviewer: Any) -> None:
    run = corrected_run()
    logged_in(reviewer).post(
        reverse("admin:consensus_consensusrun_review", args=[run.pk]), {"state": "unreviewed"}
    )
    run.refresh_from_db()
    assert run.reviewed_at is None
    assert not LogEntry.objects.exists()


# --- CSV export -----------------------------------------------------------------------------


def parse_csv(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode())))


def test_export_streams_the_filtered_list(reviewer: Any) -> None:
    low = corrected_run(prompt='=HYPERLINK("http://evil")', review_note="cek lagi")
    make_run()
    response = logged_in(reviewer).get(EXPORT, {"corrected__exact": "1"})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="consensus-runs-')
    rows = parse_csv(b"".join(response.streaming_content))
    assert [r["id"] for r in rows] == [str(low.pk)]
    row = rows[0]
    assert row["prompt"] == '\'=HYPERLINK("http://evil")'  # not run as a formula
    assert (row["status"], row["corrected"], row["similarity"], row["confidence"]) == (
        "corrected",
        "True",
        "0.45",
        "0.69",
    )
    assert (row["fast_answer"], row["validator_answer"]) == (FAST, VALIDATOR)
    assert row["review_note"] == "cek lagi"


@pytest.mark.parametrize(
    ("text", "exported"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=cmd|' /C calc'!A0", "'\r=cmd|' /C calc'!A0"),
        ("\t\r+1", "'\t\r+1"),
        ("\tteks", "'\tteks"),
        ("Pasal 1320 = syarat sah", "Pasal 1320 = syarat sah"),
        ("", ""),
    ],
)
def test_export_keeps_formula_like_cells_text(text: str, exported: str) -> None:
    assert export._cell(text) == exported


def test_export_leaves_numbers_alone() -> None:
    assert export._cell(-0.5) == -0.5


def test_export_follows_search_and_order(reviewer: Any) -> None:
    base = timezone.now()
    older = make_run(prompt="warisan 1", created_at=base - dt.timedelta(hours=2))
    newer = make_run(prompt="warisan 2", created_at=base - dt.timedelta(hours=1))
    make_run(prompt="lain")
    response = logged_in(reviewer).get(EXPORT, {"q": "warisan"})
    assert [r["id"] for r in parse_csv(b"".join(response.streaming_content))] == [
        str(newer.pk),
        str(older.pk),
    ]


def test_export_under_asgi_streams_an_async_iterator(reviewer: Any) -> None:
    runs = {str(corrected_run().pk) for _ in range(3)}
    client = AsyncClient()
    client.force_login(reviewer)

    async def fetch() -> tuple[Any, bytes]:
        response = await client.get(EXPORT)
        return response, b"".join([chunk async for chunk in response.streaming_content])

    response, body = async_to_sync(fetch)()
    assert response.is_async
    assert {r["id"] for r in parse_csv(body)} == runs
