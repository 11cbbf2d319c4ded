"""Issue 16 on the chat page, at desktop (1280x900) and phone (390x844) width: a reload keeps the
conversation and resumes an unfinished answer, honest badges, the validating state, the rate
limit's countdown, words per reason code, outcomes, and feedback stored with the run."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest

from tests.fakes import upstream_server as fakes

from .conftest import chat_page
from .live import LiveServer
from .test_chat import ROLES, _sse, answer_text, ask, expect, finished

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=sorted(SIZES))
def sized(request: Any, browser: Any, chat_server: LiveServer) -> Iterator[Any]:
    """The chat page at one of the two widths; fails on page errors and CSP violations."""
    with chat_page(browser, chat_server.url, SIZES[request.param]) as page:
        yield page


def no_horizontal_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_reload_keeps_the_conversation_and_resumes_the_unfinished_answer(
    sized: Any, fake: Any
) -> None:
    page = sized
    done = finished(ask(page, "[scenario:agree] Apa hukuman untuk pencurian?"), "verified")
    first_answer = answer_text(done)
    streaming = ask(page, "[scenario:slow] [delay:0.01] Jelaskan langkah demi langkah.")
    expect(streaming.locator("[data-role=answer]")).to_contain_text("Kalimat 5")

    page.reload()
    page.wait_for_selector("#app[data-ready=true]")
    turns = page.locator("#turns > li")
    expect(turns).to_have_count(2)
    expect(page.locator("#welcome")).to_be_hidden()
    expect(turns.first).to_have_attribute("data-state", "verified")
    assert answer_text(turns.first) == first_answer
    expect(turns.first.locator("[data-role=confidence]")).to_have_text("keyakinan 89%")
    resumed = turns.last
    finished(resumed, "unvalidated", timeout=20_000)  # the slow scenario's validator never answers
    assert answer_text(resumed) == fakes.SLOW_FAST  # resumed after the last event: no repeats
    asked = [r for r in fake.requests if r.role == "fast" and "langkah demi" in r.prompt]
    assert len(asked) == 1  # resumed, not asked again
    no_horizontal_scroll(page)

    page.reload()  # finished turns show again, as they were
    page.wait_for_selector("#app[data-ready=true]")
    expect(page.locator("#turns > li")).to_have_count(2)
    expect(page.locator("#turns > li").last).to_have_attribute("data-state", "unvalidated")

    page.locator("#new-chat").click()
    expect(page.locator("#turns > li")).to_have_count(0)
    page.reload()
    page.wait_for_selector("#app[data-ready=true]")
    expect(page.locator("#turns > li")).to_have_count(0)
    expect(page.locator("#welcome")).to_be_visible()


def test_no_confidence_where_nothing_was_validated(sized: Any, fake: Any) -> None:
    page = sized
    timed_out = finished(ask(page, "[scenario:validator_timeout] Apa hukumannya?"), "unvalidated")
    expect(timed_out.locator("[data-role=status-label]")).to_have_text("Belum divalidasi")
    expect(timed_out.locator("[data-role=confidence]")).to_be_hidden()

    fell_back = finished(ask(page, "[scenario:fast_error] Apa hukumannya?"), "unvalidated")
    expect(fell_back.locator("[data-role=confidence]")).to_be_hidden()
    # The fast stream broke and the validator's answer replaced it: nothing compared it.
    broken = finished(ask(page, "[scenario:fast_stream_error] Apa hukumannya?"), "corrected")
    expect(broken.locator("[data-role=status-label]")).to_have_text("Dikoreksi")
    expect(broken.locator("[data-role=confidence]")).to_be_hidden()
    expect(page.locator("#send")).to_be_visible()  # "corrected" shows before `complete` arrives

    checked = finished(ask(page, "[scenario:agree] Apa hukumannya?"), "verified")
    expect(checked.locator("[data-role=confidence]")).to_have_text("keyakinan 89%")
    no_horizontal_scroll(page)


@pytest.fixture(scope="module")
def patient_server(fake_upstream: Any) -> Iterator[LiveServer]:
    """A second live server whose validator gets 5 s: time to watch the validating state count."""
    with LiveServer(upstream_url=fake_upstream.base_url, CONSENSUS_VALIDATOR_TIMEOUT="5") as server:
        yield server


@pytest.mark.parametrize("size", sorted(SIZES))
def test_validating_state_shows_the_elapsed_time_without_a_caret(
    size: str, browser: Any, patient_server: LiveServer, fake: Any
) -> None:
    context = browser.new_context(viewport=SIZES[size], locale="id-ID")
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.goto(patient_server.url + "/")
        page.wait_for_selector("#app[data-ready=true]")
        turn = ask(page, "[scenario:validator_timeout] [delay:0.001] Apa hukuman pencurian?")
        notice = turn.locator("[data-role=notice]")
        expect(notice).to_have_text(
            "Jawaban model cepat selesai. Validator sedang memeriksanya… 0 dtk"
        )
        expect(turn).to_have_attribute("data-state", "validating")
        expect(turn.locator("[data-role=answer]")).not_to_have_class(re.compile("is-streaming"))
        expect(turn.locator("[data-role=status-label]")).to_have_text("Memvalidasi…")
        expect(notice).to_contain_text("memeriksanya… 1 dtk")  # counts up
        expect(notice).to_contain_text("memeriksanya… 2 dtk")

        finished(turn, "unvalidated")
        expect(notice).to_have_text(  # "5 dtk", not "5,00 dtk"
            "Validator tidak menjawab dalam 5 dtk. "
            "Ini jawaban model cepat saja dan belum diperiksa."
        )
        no_horizontal_scroll(page)
    finally:
        context.close()


def test_rate_limit_shows_the_wait_counts_down_then_retry_works(sized: Any, fake: Any) -> None:
    page = sized
    body = {"error": {"code": "rate_limited", "message": "Rate limit: 10 per minute."}}
    page.route(
        "**/api/consensus/stream",
        lambda route: route.fulfill(
            status=429,
            body=json.dumps(body),
            headers={"Content-Type": "application/json", "Retry-After": "2"},
        ),
    )
    turn = finished(ask(page, "[scenario:agree] Apa hukuman untuk pencurian?"), "error")
    error = turn.locator("[data-role=error]")
    expect(error.locator("p").first).to_have_text("Terlalu banyak pertanyaan dalam waktu singkat.")
    wait = error.locator("[data-role=wait]")
    expect(wait).to_have_text(re.compile(r"^Anda bisa mencoba lagi dalam [12] dtk\.$"))
    retry = turn.locator('[data-action="retry"]')
    expect(retry).to_be_disabled()
    expect(wait).to_have_text("Silakan coba lagi sekarang.", timeout=5_000)
    expect(retry).to_be_enabled()

    page.unroute("**/api/consensus/stream")
    retry.click()
    finished(turn, "verified")
    no_horizontal_scroll(page)


def _route_events(page: Any, *bodies: str) -> None:
    queue = list(bodies)
    page.route(
        "**/api/consensus/stream",
        lambda route: route.fulfill(
            status=200, body=queue.pop(0), headers={"Content-Type": "text/event-stream"}
        ),
    )


START = {"type": "start", "run_id": "r1", "models": ["a", "b"], "roles": ROLES}


def test_states_are_worded_from_the_reason_codes(sized: Any) -> None:
    page = sized
    fallback = {"type": "fallback", "from": "groq", "to": "byteplus", "reason": "circuit_open"}
    _route_events(
        page,
        _sse(
            START,
            fallback,
            {"type": "token", "content": "Jawaban validator.", "model": "byteplus"},
            {
                "type": "complete",
                "content": "Jawaban validator.",
                "confidence": 0.7,
                "elapsed_time": 1.0,
                "status": "fallback",
                "corrected": False,
                "run_id": "r1",
            },
        ),
        _sse(
            START,
            fallback,
            {
                "type": "error",
                "code": "models_unavailable",
                "run_id": "r1",
                "message": "Both models failed.",
            },
        ),
        _sse(
            START,
            {"type": "fallback", "from": "groq", "to": "byteplus", "reason": "rate_limited"},
            {"type": "token", "content": "Jawaban.", "model": "byteplus"},
            {
                "type": "complete",
                "content": "Jawaban.",
                "confidence": 0.7,
                "elapsed_time": 1.0,
                "status": "fallback",
                "corrected": False,
                "run_id": "r1",
            },
        ),
    )
    paused = finished(ask(page, "Pertanyaan satu"), "unvalidated")
    expect(paused.locator("[data-role=notice]")).to_have_text(
        "Model cepat sedang diistirahatkan karena gagal beberapa kali berturut-turut, jadi "
        "validator yang menjawab. Jawaban ini tidak diperiksa model kedua."
    )
    both = finished(ask(page, "Pertanyaan dua"), "error")
    expect(both.locator("[data-role=error] p").first).to_have_text(
        "Model cepat sedang diistirahatkan setelah gagal berulang kali, dan validator juga tidak "
        "dapat menjawab sekarang. Silakan coba lagi sebentar lagi."
    )
    limited = finished(ask(page, "Pertanyaan tiga"), "unvalidated")
    expect(limited.locator("[data-role=notice]")).to_contain_text(
        "Model cepat sedang membatasi permintaan"
    )


def test_a_supplement_reads_as_an_addition_and_conflicts_are_named(sized: Any) -> None:
    page = sized
    fast = "Pencurian diancam pidana penjara paling lama 5 tahun."
    added = [
        {"kind": "article", "text": "Pasal 362 KUHP"},
        {"kind": "money", "text": "denda paling banyak sembilan ratus rupiah"},
    ]
    conflicts = [
        {"kind": "conclusion", "fast": "Perjanjian itu sah.", "validator": "Perjanjian itu batal."},
        {
            "kind": "penalty_incomplete",
            "fast": "5 tahun penjara",
            "validator": "5 tahun atau denda",
        },
        {"kind": "share", "fast": "1/2", "validator": "1/3"},
    ]
    _route_events(
        page,
        _sse(
            START,
            {"type": "token", "content": fast, "model": "groq"},
            {"type": "groq_complete", "content": fast, "length": len(fast)},
            {
                "type": "byteplus_complete",
                "similarity": 0.7,
                "byteplus_confidence": 0.85,
                "band": "moderate",
                "conflicts": [],
                "outcome": "supplement",
                "added": added,
                "decided_by": "rules",
                "merged": [
                    {"text": fast, "source": "fast"},
                    {"text": "Dasarnya Pasal 362 KUHP.", "source": "validator"},
                ],
            },
            {
                "type": "complete",
                "content": fast,
                "confidence": 0.84,
                "elapsed_time": 1.0,
                "status": "completed",
                "corrected": False,
                "run_id": "r1",
            },
        ),
        _sse(
            START,
            {"type": "token", "content": "Sah.", "model": "groq"},
            {"type": "groq_complete", "content": "Sah.", "length": 4},
            {
                "type": "byteplus_complete",
                "similarity": 0.3,
                "byteplus_confidence": 0.85,
                "band": "low",
                "conflicts": conflicts,
                "outcome": "conflict",
                "added": [],
            },
            {
                "type": "correction",
                "reason": "fact_conflict",
                "original": "Sah.",
                "corrected": "Batal.",
                "similarity": 0.3,
                "conflicts": conflicts,
            },
            {
                "type": "complete",
                "content": "Batal.",
                "confidence": 0.69,
                "elapsed_time": 1.0,
                "status": "corrected",
                "corrected": True,
                "run_id": "r1",
            },
        ),
    )
    supplement = finished(ask(page, "Apa hukuman pencurian?"), "verified")
    expect(supplement).to_have_attribute("data-outcome", "supplement")
    expect(supplement.locator("[data-role=status-label]")).to_have_text("Terverifikasi")
    box = supplement.locator("[data-role=added]")
    expect(box.locator(".added-title")).to_have_text(
        "Validator sejalan dengan jawaban ini dan menambahkan:"
    )
    expect(box.locator("li")).to_have_text([a["text"] for a in added])
    # The merged answer only on request, each piece with its source.
    merged = box.locator("details.merged")
    expect(merged.locator("p").first).to_be_hidden()
    merged.locator("summary").click()
    expect(merged.locator("p")).to_have_text(
        ["jawaban cepat " + fast, "validator Dasarnya Pasal 362 KUHP."]
    )
    assert answer_text(supplement) == fast  # the fast answer stands
    expect(supplement.locator("[data-role=conflicts]")).to_be_hidden()

    conflict = finished(ask(page, "Apakah perjanjian itu sah?"), "corrected")
    expect(page.locator("#send")).to_be_visible()
    expect(conflict.locator("[data-role=conflicts] li strong")).to_have_text(
        ["kesimpulan", "ancaman pidana tidak lengkap (penjara tanpa denda)", "bagian (pembagian)"]
    )
    page.locator('.lang[data-lang="en"]').click()
    first = page.locator("#turns > li").first  # `supplement` follows the last turn
    expect(first.locator("[data-role=added] .added-title")).to_have_text(
        "The validator agrees with this answer and adds:"
    )
    expect(conflict.locator("[data-role=conflicts] li strong")).to_have_text(
        ["the conclusion", "an incomplete penalty (prison term without the fine)", "the share"]
    )
    no_horizontal_scroll(page)


def test_feedback_with_a_comment_is_stored_with_the_run(
    sized: Any, fake: Any, chat_server: LiveServer
) -> None:
    page = sized
    turn = finished(ask(page, "[scenario:agree] Apa hukuman untuk pencurian?"), "verified")
    run_id = turn.get_attribute("data-run-id")
    feedback = turn.locator("[data-role=feedback]")
    expect(feedback).to_contain_text("Apakah jawaban ini membantu?")
    not_helpful = feedback.locator('[data-helpful="false"]')
    not_helpful.click()
    expect(not_helpful).to_have_attribute("aria-pressed", "true")
    expect(feedback.locator("[data-role=feedback-status]")).to_have_text(
        "Terima kasih atas masukan Anda."
    )
    feedback.locator("textarea").fill("Dendanya tidak disebut.")
    feedback.get_by_role("button", name="Kirim komentar").click()
    expect(feedback.locator("[data-role=feedback-status]")).to_have_text(
        "Terima kasih atas masukan Anda."
    )
    page.wait_for_function(
        "() => !document.querySelector('[data-role=feedback-status]')"
        ".dataset.kind.startsWith('send')"
    )
    db = sqlite3.connect(chat_server.env["DATABASE_URL"].removeprefix("sqlite:///"))
    try:
        row = db.execute(
            "SELECT helpful, comment FROM consensus_runfeedback WHERE run_id = ?",
            (run_id.replace("-", ""),),
        ).fetchone()
    finally:
        db.close()
    assert row == (0, "Dendanya tidak disebut.")

    page.reload()  # the choice survives a reload with the conversation
    page.wait_for_selector("#app[data-ready=true]")
    expect(page.locator('#turns [data-helpful="false"]')).to_have_attribute("aria-pressed", "true")
    no_horizontal_scroll(page)
