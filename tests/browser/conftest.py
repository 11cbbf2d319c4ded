"""Fixtures of the browser suite: one fake upstream, one live server and one Chromium per module;
a fresh browser context (no cookies, no storage) per test, failing on any page error or
Content-Security-Policy violation."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.fakes.upstream_server import FakeUpstream

from .live import CHROMIUM, CHROMIUM_ARGS, LiveServer, chromium_missing_reason


@pytest.fixture(scope="module")
def fake_upstream() -> Iterator[FakeUpstream]:
    with FakeUpstream() as fake:
        yield fake


@pytest.fixture(scope="module")
def chat_server(fake_upstream: FakeUpstream) -> Iterator[LiveServer]:
    if reason := chromium_missing_reason():
        pytest.skip(reason)
    with LiveServer(upstream_url=fake_upstream.base_url) as server:
        yield server


@pytest.fixture(scope="module")
def browser(chat_server: LiveServer) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def fake(fake_upstream: FakeUpstream) -> FakeUpstream:
    """The module's fake upstream, with no recorded requests and nothing queued."""
    fake_upstream.reset()
    return fake_upstream


@contextmanager
def chat_page(browser: Any, url: str, viewport: dict[str, int]) -> Iterator[Any]:
    """The chat page in a fresh context at `viewport`; fails on uncaught page errors and on
    Content-Security-Policy violations."""
    context = browser.new_context(viewport=viewport, locale="id-ID")
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    violations = watch_csp(page)
    page.goto(url + "/")
    page.wait_for_selector("#app[data-ready=true]")
    try:
        yield page
    finally:
        context.close()
    assert not errors, f"uncaught errors in the page: {errors}"
    assert not violations, f"Content-Security-Policy violations: {violations}"


@pytest.fixture
def page(browser: Any, chat_server: LiveServer) -> Iterator[Any]:
    """A page on the chat, in a fresh context; fails the test on any uncaught page error."""
    with chat_page(browser, chat_server.url, {"width": 1280, "height": 860}) as opened:
        yield opened


def watch_csp(page: Any) -> list[str]:
    """The Content-Security-Policy violations Chromium reports on `page`'s console, as they come."""
    violations: list[str] = []

    def on_console(message: Any) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", on_console)
    return violations
