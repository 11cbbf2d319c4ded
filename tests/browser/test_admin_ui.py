"""Issue 16 in the admin, in Chromium: the runs list's key columns fit 1280 px without a
horizontal scroll, and the admin speaks the browser's language (Indonesian or English)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import watch_csp
from .live import ADMIN_PASSWORD, ADMIN_USER, LiveServer
from .test_chat import ask, expect, finished

pytestmark = pytest.mark.browser

LIST = "/admin/consensus/consensusrun/"
KEY_COLUMNS = (
    "created_cell",
    "short_prompt",
    "status_badge",
    "outcome_badge",
    "corrected",
    "similarity_cell",
    "confidence_cell",
    "ttft_cell",
    "total_cell",
    "review_badge",
)


def admin_page(browser: Any, server: LiveServer, locale: str, width: int = 1280) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=locale)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(server.url + "/admin/login/?next=" + LIST)
    page.locator("#id_username").fill(ADMIN_USER)
    page.locator("#id_password").fill(ADMIN_PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(server.url + LIST)
    return page


@pytest.fixture
def runs(page: Any, fake: Any) -> None:
    """A few runs of different kinds, asked through the chat page."""
    long = "Apa hukuman " + "yang berlaku bila pencurian dilakukan bersama-sama " * 3 + "?"
    for prompt, state in (
        ("[scenario:fast_error] " + long, "unvalidated"),
        ("[scenario:disagree] Apa hukuman pencurian motor?", "corrected"),
        ("[scenario:agree] Apa hukuman untuk pencurian?", "verified"),
    ):
        finished(ask(page, prompt), state)
        expect(page.locator("#send")).to_be_visible()


@pytest.fixture
def english(browser: Any, chat_server: LiveServer) -> Iterator[Any]:
    page = admin_page(browser, chat_server, "en-US")
    violations = watch_csp(page)
    yield page
    page.context.close()
    assert not violations, violations


def test_runs_list_key_columns_fit_1280_px(runs: None, english: Any) -> None:
    page = english
    page.goto(page.url)
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(3)
    results = page.locator("#changelist .results")
    assert results.evaluate("el => el.scrollWidth <= el.clientWidth"), "horizontal scroll"
    right = page.evaluate("innerWidth")
    for column in KEY_COLUMNS:
        header = page.locator(f"#result_list th.column-{column}")
        box = header.bounding_box()
        assert box is not None, column
        assert box["x"] + box["width"] <= right, f"{column} is off screen"
    fallback = page.locator("#result_list .cr-badge.cr-fallback")
    expect(fallback).to_have_text("fallback")
    expect(fallback).to_have_attribute("title", "answered by the validator (fast model failed)")
    prompt = page.locator("#result_list .cr-prompt").first
    assert prompt.evaluate("el => el.scrollWidth > el.clientWidth"), "long prompt not truncated"
    expect(page.locator("#result_list .cr-outcome-conflict")).to_have_count(1)

    page.locator("#changelist-filter").get_by_role("link", name="conflict").click()
    expect(rows).to_have_count(1)
    expect(rows.first.locator(".cr-badge")).to_have_text("corrected")


def test_admin_follows_the_browsers_language(
    runs: None, browser: Any, chat_server: LiveServer
) -> None:
    for locale, expected, absent in (
        ("id-ID", ("Antrean tinjauan", "Ekspor CSV", "hasil", "masukan"), "Review queue"),
        ("en-US", ("Review queue", "Export CSV", "outcome", "feedback"), "Antrean tinjauan"),
    ):
        page = admin_page(browser, chat_server, locale)
        try:
            text = page.locator("#content").text_content() or ""  # not upper-cased by CSS
            for word in expected:
                assert word in text, (locale, word)
            assert absent not in text
            page.locator("#result_list tbody tr a").first.click()
            label = "Mengapa keputusan ini" if locale == "id-ID" else "Why this decision"
            expect(page.locator(".cr-detail")).to_contain_text(label)
        finally:
            page.context.close()
