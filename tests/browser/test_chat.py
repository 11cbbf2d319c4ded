"""The chat page in headless Chromium against a live ASGI server whose upstreams are a fake.

Each prompt picks the fake's behaviour with a directive (`[scenario:disagree]`, see
`tests/fakes/upstream_server.py`); the page sends it like any other text.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.fakes import upstream_server as fakes

from .live import ADMIN_PASSWORD, ADMIN_USER, LiveServer

pytestmark = pytest.mark.browser

TERMINAL = re.compile(r"^(verified|corrected|unvalidated|error|aborted)$")


def expect(target: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def ask(page: Any, text: str) -> Any:
    """Type a question, press Enter (keyboard only), return the new turn."""
    page.locator("#prompt").fill(text)
    page.locator("#prompt").press("Enter")
    turn = page.locator("#turns > li").last
    expect(turn.locator("[data-role=question]")).to_have_text(text)
    return turn


def finished(turn: Any, state: str, timeout: float = 10_000) -> Any:
    expect(turn).to_have_attribute("data-state", TERMINAL, timeout=timeout)
    expect(turn).to_have_attribute("data-state", state)
    return turn


def answer_text(turn: Any) -> str:
    return str(turn.locator("[data-role=answer]").inner_text())


def fast_request(fake: fakes.FakeUpstream, containing: str) -> fakes.Recorded:
    found = [r for r in fake.requests if r.role == "fast" and containing in r.prompt]
    assert found, f"no fast request with {containing!r}: {[r.prompt for r in fake.requests]}"
    return found[-1]


def record_answer_progress(page: Any) -> None:
    """From now on, sample (time, answer length, state) of the last turn on every DOM change."""
    page.evaluate("""() => {
        window.__samples = [];
        const turns = document.getElementById("turns");
        const sample = () => {
            const li = turns.lastElementChild;
            if (!li) return;
            const answer = li.querySelector("[data-role=answer]");
            window.__samples.push({t: performance.now(), n: answer.textContent.length,
                                   state: li.dataset.state});
        };
        new MutationObserver(sample).observe(turns, {subtree: true, childList: true,
                                                     characterData: true, attributes: true});
    }""")


def test_first_token_is_visible_before_the_stream_completes(page: Any, fake: Any) -> None:
    record_answer_progress(page)
    turn = ask(page, "[scenario:agree] [delay:0.06] Apa hukuman untuk pencurian?")
    finished(turn, "verified")

    samples = page.evaluate("window.__samples")
    final_length = len(turn.locator("[data-role=answer]").text_content())
    partial = [s for s in samples if 0 < s["n"] < final_length]
    first_text = partial[0]
    done = next(s for s in samples if s["state"] == "verified")
    assert first_text["state"] == "validating"
    assert done["t"] - first_text["t"] > 700, "text appeared all at once, not progressively"
    assert len({s["n"] for s in partial}) >= 10, "too few intermediate lengths: not a stream"
    lengths = [s["n"] for s in samples if s["t"] <= done["t"]]
    assert lengths == sorted(lengths), "the streamed text shrank or was redrawn (flicker)"
    expect(turn.locator("[data-role=ttft]")).to_have_text(re.compile(r"^Token pertama 0,\d\d dtk$"))


def test_agreement_ends_verified_with_the_confidence_shown(page: Any, fake: Any) -> None:
    turn = finished(ask(page, "[scenario:agree] Apa hukuman untuk pencurian?"), "verified")

    expect(turn.locator("[data-role=status-label]")).to_have_text("Terverifikasi")
    expect(turn.locator("[data-role=confidence]")).to_have_text("keyakinan 89%")
    expect(turn.locator("[data-role=notice]")).to_contain_text(re.compile(r"kemiripan \d+%"))
    expect(turn.locator("[data-role=answer] strong")).to_have_text("Pasal 362 KUHP")  # Markdown
    assert answer_text(turn).startswith("Menurut Pasal 362 KUHP, pencurian")
    expect(turn.locator("[data-role=ttft]")).to_be_visible()
    expect(turn.locator("[data-role=total]")).to_have_text(re.compile(r"^Total \d+,\d\d dtk$"))
    models = turn.locator("[data-role=models]")
    expect(models).to_contain_text("Groq · openai/gpt-oss-20b")
    expect(models).to_contain_text("BytePlus ModelArk · seed-1-6-250915")
    expect(turn.locator('[data-action="compare"]')).to_be_hidden()
    expect(turn.locator('[data-action="retry"]')).to_be_hidden()


def test_disagreement_shows_the_correction_and_both_versions(page: Any, fake: Any) -> None:
    turn = finished(ask(page, "[scenario:disagree] Apa hukuman pencurian motor?"), "corrected")

    expect(turn.locator("[data-role=status-label]")).to_have_text("Dikoreksi")
    expect(turn.locator("[data-role=confidence]")).to_have_text("keyakinan 69%")
    assert answer_text(turn) == fakes.DISAGREE_VALIDATOR  # the correction replaced the original
    expect(turn.locator("[data-role=notice]")).to_contain_text("fakta yang berbeda")
    expect(turn.locator("[data-role=conflicts] li").first).to_contain_text(
        "ancaman pidana tidak lengkap (penjara tanpa denda)"
    )

    compare = turn.locator('[data-action="compare"]')
    expect(compare).to_have_text("Bandingkan kedua versi")
    compare.click()
    expect(compare).to_have_attribute("aria-expanded", "true")
    original = turn.locator("[data-role=diff-original]")
    corrected = turn.locator("[data-role=diff-corrected]")
    expect(original).to_have_text(fakes.DISAGREE_FAST)
    expect(corrected).to_have_text(fakes.DISAGREE_VALIDATOR)
    removed = " ".join(original.locator("del").all_inner_texts()).split()
    added = " ".join(corrected.locator("ins").all_inner_texts()).split()
    assert "dihukum" in removed
    assert "Pencurian" not in removed
    assert {"diatur", "Pasal"} <= set(added)
    assert "motor" not in added
    compare.click()
    expect(turn.locator("[data-role=compare]")).to_be_hidden()


def test_validator_timeout_ends_not_validated(page: Any, fake: Any) -> None:
    turn = ask(page, "[scenario:validator_timeout] Apa hukuman untuk pencurian?")
    # The fast answer is complete while the validator is still being waited for.
    expect(turn.locator("[data-role=answer] strong")).to_have_text("Pasal 362 KUHP")
    expect(turn).to_have_attribute("data-state", "validating")
    expect(turn.locator("[data-role=status-label]")).to_have_text("Memvalidasi…")

    finished(turn, "unvalidated")
    expect(turn.locator("[data-role=status-label]")).to_have_text("Belum divalidasi")
    expect(turn.locator("[data-role=notice]")).to_contain_text("tidak menjawab dalam 1,5 dtk")
    expect(turn.locator("[data-role=confidence]")).to_be_hidden()  # 0.70 is a prior, not a check
    fake.wait_for(lambda reqs: any(r.role == "validator" and r.disconnected for r in reqs))


def test_fast_model_error_shows_a_readable_error_and_retry_works(page: Any, fake: Any) -> None:
    # A non-retryable failure of both models (so no retry or fallback can hide it).
    fake.enqueue("fast", fakes.Reply(status=401, error="Invalid API Key"))
    fake.enqueue("validator", fakes.Reply(status=401, error="Invalid API Key"))
    turn = finished(ask(page, "[scenario:agree] Apa hukuman untuk pencurian?"), "error")

    error = turn.locator("[data-role=error]")
    expect(error).to_have_attribute("role", "alert")
    expect(error.locator("p").first).to_have_text(
        "Kedua model sedang tidak dapat menjawab. Silakan coba lagi sebentar lagi."
    )
    expect(error.locator("details")).to_contain_text("401")  # technical details, folded away
    expect(error.locator("details p")).to_be_hidden()

    fake.reset()
    turn.locator('[data-action="retry"]').click()
    finished(turn, "verified")
    expect(turn.locator("[data-role=error]")).to_be_hidden()
    assert len([r for r in fake.requests if r.role == "fast"]) == 1


def test_fast_model_failures_fall_back_to_the_validator(page: Any, fake: Any) -> None:
    fell_back = finished(ask(page, "[scenario:fast_error] Apa hukumannya?"), "unvalidated")
    assert answer_text(fell_back) == fakes.AGREE_VALIDATOR
    expect(fell_back.locator("[data-role=notice]")).to_contain_text("validator yang menjawab")
    expect(fell_back.locator(".model.is-answer")).to_contain_text("seed-1-6-250915")

    # Tokens were shown, then the fast stream broke: the partial text is replaced, never final.
    broken = finished(ask(page, "[scenario:fast_stream_error] Apa hukumannya?"), "corrected")
    assert answer_text(broken) == fakes.AGREE_VALIDATOR
    expect(broken.locator("[data-role=notice]")).to_contain_text("Model cepat gagal menjawab")


def test_stop_button_ends_the_stream_and_the_run_is_stored_as_aborted(
    page: Any, fake: Any, chat_server: LiveServer
) -> None:
    turn = ask(page, "[scenario:slow] Jelaskan langkah demi langkah.")
    expect(turn.locator("[data-role=answer]")).to_contain_text("Kalimat 2")
    stop = page.locator("#stop")
    expect(stop).to_be_visible()
    expect(page.locator("#send")).to_be_hidden()
    stop.click()

    finished(turn, "aborted")
    expect(turn.locator("[data-role=status-label]")).to_have_text("Dihentikan")
    expect(turn.locator('[data-action="retry"]')).to_be_visible()
    expect(page.locator("#send")).to_be_visible()
    shown = answer_text(turn)
    assert "Kalimat 1" in shown
    run_id = turn.get_attribute("data-run-id")
    assert run_id

    run = chat_server.wait_for_run(run_id, "aborted")
    assert run["fast_answer"].startswith("Kalimat 1")
    assert len(run["fast_answer"]) < len(fakes.SLOW_FAST)
    # The server hung up on both upstream calls (nothing keeps streaming or being paid for).
    fake.wait_for(lambda reqs: len(reqs) == 2 and all(r.disconnected for r in reqs))
    assert answer_text(turn) == shown  # nothing arrived after the stop


def test_html_in_prompt_and_answer_renders_as_text_and_runs_nothing(page: Any, fake: Any) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    question = (
        "[scenario:html] Apakah <img src=x onerror=\"window.__xss='prompt'\"> dan "
        "<script>window.__xss='prompt-script'</script> aman? <b>tebal</b>"
    )
    turn = finished(ask(page, question), "verified")

    expect(turn.locator("[data-role=answer]")).to_contain_text(
        "<script>window.__xss = 'script'</script>"
    )
    expect(turn.locator("[data-role=answer]")).to_contain_text('<img src="x" onerror=')
    assert page.evaluate("window.__xss") is None
    assert page.locator("#turns img, #turns script, #turns b").count() == 0
    assert not dialogs


def test_second_question_carries_the_first_turns_history(page: Any, fake: Any) -> None:
    first = "[scenario:agree] Apa hukuman untuk pencurian?"
    second = "[scenario:disagree] Bagaimana jika yang dicuri motor?"
    third = "[scenario:agree] Terima kasih, apa dasar hukumnya?"
    finished(ask(page, first), "verified")
    finished(ask(page, second), "corrected")
    finished(ask(page, third), "verified")

    assert fast_request(fake, "dicuri motor").messages[-3:] == [
        {"role": "user", "content": first},
        {"role": "assistant", "content": fakes.AGREE_FAST},
        {"role": "user", "content": second},
    ]
    history = [m for m in fast_request(fake, "dasar hukumnya").messages if m["role"] != "system"]
    assert history == [
        {"role": "user", "content": first},
        {"role": "assistant", "content": fakes.AGREE_FAST},
        {"role": "user", "content": second},
        {"role": "assistant", "content": fakes.DISAGREE_VALIDATOR},  # the corrected answer
        {"role": "user", "content": third},
    ]


def test_logged_in_user_sends_the_csrf_token(page: Any, fake: Any, chat_server: LiveServer) -> None:
    page.goto(chat_server.url + "/admin/login/?next=/")
    page.locator("#id_username").fill(ADMIN_USER)
    page.locator("#id_password").fill(ADMIN_PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(chat_server.url + "/")
    page.wait_for_selector("#app[data-ready=true]")

    with page.expect_request(re.compile(r"/api/consensus/stream$")) as request_info:
        turn = ask(page, "[scenario:agree] Apa hukuman untuk pencurian?")
    finished(turn, "verified")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert "sessionid" in cookies
    assert request_info.value.headers["x-csrftoken"] == cookies["csrftoken"]


def test_keyboard_only_ask_and_stop_with_escape(page: Any, fake: Any) -> None:
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#prompt")).to_be_focused()
    page.keyboard.type("[scenario:slow] Jelaskan.")
    page.keyboard.press("Enter")
    turn = page.locator("#turns > li").last
    expect(turn.locator("[data-role=answer]")).to_contain_text("Kalimat 1")
    expect(page.locator("#prompt")).to_be_focused()
    page.keyboard.press("Escape")
    finished(turn, "aborted")
    expect(page.locator("#prompt")).to_be_focused()


def test_auto_scroll_follows_until_the_reader_scrolls_up_at_phone_width(
    browser: Any, chat_server: LiveServer, fake: Any
) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 700}, has_touch=True)
    try:
        page = context.new_page()
        page.goto(chat_server.url + "/")
        page.wait_for_selector("#app[data-ready=true]")
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        turn = ask(page, "[scenario:slow] [delay:0.01] Jelaskan panjang lebar.")
        scroller = page.locator("#conversation")
        gap = "el => el.scrollHeight - el.scrollTop - el.clientHeight"
        page.wait_for_function(
            "() => { const el = document.getElementById('conversation');"
            " return el.scrollHeight > el.clientHeight * 1.5; }"
        )
        assert scroller.evaluate(gap) < 48, "not following the stream"

        scroller.hover()
        page.mouse.wheel(0, -250)
        page.wait_for_function("() => !document.getElementById('jump').hidden")
        top = scroller.evaluate("el => el.scrollTop")
        length = len(answer_text(turn))
        page.wait_for_function(
            f"() => document.querySelector('#turns > li:last-child [data-role=answer]')"
            f".textContent.length > {length + 200}"
        )
        assert scroller.evaluate("el => el.scrollTop") == top, "scrolled although the reader left"

        page.locator("#jump").click()
        page.wait_for_function("() => document.getElementById('jump').hidden")
        page.locator("#stop").click()
        finished(turn, "aborted")
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    finally:
        context.close()


def _sse(*events: dict[str, Any], crlf: bool = False) -> str:
    end = "\r\n" if crlf else "\n"
    frames = [f": comment{end}"]
    for n, event in enumerate(events):
        frames.append(f"id: run:{n}{end}data: {json.dumps(event)}{end}{end}")
    return "".join(frames)


ROLES = {
    "groq": {"provider": "Groq", "model": "openai/gpt-oss-20b"},
    "byteplus": {"provider": "BytePlus ModelArk", "model": "seed-1-6-250915"},
}


def test_fallback_conflicts_unknown_events_and_english(page: Any) -> None:
    """Events the server may send (fallback, fact conflicts, types added later), in English."""
    start = {"type": "start", "run_id": "r1", "models": ["a", "b"], "roles": ROLES}
    bodies = [
        _sse(
            start,
            {"type": "fallback", "from": "groq", "to": "byteplus", "reason": "http_error"},
            {"type": "token", "content": "Jawaban ", "model": "byteplus"},
            {"type": "token", "content": "validator.", "model": "byteplus"},
            {
                "type": "complete",
                "content": "Jawaban validator.",
                "confidence": 0.7,
                "elapsed_time": 1.0,
                "status": "fallback",
                "corrected": False,
                "run_id": "r1",
            },
            crlf=True,
        ),
        _sse(
            start,
            {"type": "token", "content": "Menurut Pasal 362 KUHP.", "model": "groq"},
            {"type": "groq_complete", "content": "Menurut Pasal 362 KUHP.", "length": 23},
            {"type": "some_future_event", "content": "<b>ignored</b>"},
            {
                "type": "byteplus_complete",
                "similarity": 0.9,
                "byteplus_confidence": 0.85,
                "band": "high",
                "conflicts": [
                    {"kind": "article", "fast": "Pasal 362 KUHP", "validator": "Pasal 363 KUHP"}
                ],
            },
            {
                "type": "correction",
                "reason": "fact_conflict",
                "original": "Menurut Pasal 362 KUHP.",
                "corrected": "Menurut Pasal 363 KUHP.",
                "similarity": 0.9,
                "conflicts": [
                    {"kind": "article", "fast": "Pasal 362 KUHP", "validator": "Pasal 363 KUHP"},
                    {"kind": "duration", "fast": "5 tahun", "validator": "7 tahun"},
                ],
            },
            {
                "type": "complete",
                "content": "Menurut Pasal 363 KUHP.",
                "confidence": 0.69,
                "elapsed_time": 1.0,
                "status": "corrected",
                "corrected": True,
                "run_id": "r1",
            },
        ),
    ]
    page.route(
        "**/api/consensus/stream",
        lambda route: route.fulfill(
            status=200, body=bodies.pop(0), headers={"Content-Type": "text/event-stream"}
        ),
    )
    page.locator('.lang[data-lang="en"]').click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#send")).to_have_text("Send")

    fell_back = finished(ask(page, "First question"), "unvalidated")
    expect(fell_back.locator("[data-role=answer]")).to_have_text("Jawaban validator.")
    expect(fell_back.locator("[data-role=notice]")).to_contain_text("the validator answered")
    expect(fell_back.locator(".model.is-answer")).to_contain_text("seed-1-6-250915")

    turn = finished(ask(page, "Second question"), "corrected")
    expect(turn.locator("[data-role=status-label]")).to_have_text("Corrected")
    expect(turn.locator("[data-role=answer]")).to_have_text("Menurut Pasal 363 KUHP.")
    conflicts = turn.locator("[data-role=conflicts]")
    expect(conflicts).to_contain_text("The models disagree on:")
    expect(conflicts.locator("li")).to_have_text(
        [
            "the article: fast model “Pasal 362 KUHP” ≠ validator “Pasal 363 KUHP”",
            "the duration: fast model “5 tahun” ≠ validator “7 tahun”",
        ]
    )
    assert page.locator("#turns b").count() == 0

    page.locator('.lang[data-lang="id"]').click()  # switching re-renders finished turns
    expect(turn.locator("[data-role=status-label]")).to_have_text("Dikoreksi")
    expect(conflicts.locator("li").first).to_contain_text("pasal")
