"""The Content-Security-Policy in Chromium: the chat page and the admin work under it with no
violation, and a script injected into the page does not run."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import watch_csp
from .live import ADMIN_PASSWORD, ADMIN_USER, LiveServer
from .test_chat import ask, expect, finished

pytestmark = pytest.mark.browser

ADMIN_PAGES = (
    "/admin/",
    "/admin/consensus/consensusrun/",
    "/admin/consensus/consensusrun/dashboard/",
    "/admin/consensus/apitoken/",
    "/admin/consensus/apitoken/add/",
    "/admin/auth/user/",
    "/admin/password_change/",
)


@pytest.fixture
def bare_page(browser: Any) -> Iterator[Any]:
    """A page in a fresh context, with nothing loaded (the test watches what it wants)."""
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="en-US")
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_the_chat_page_sends_the_policy_and_answers_under_it(
    page: Any, fake: Any, chat_server: LiveServer
) -> None:
    response = page.goto(chat_server.url + "/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    page.wait_for_selector("#app[data-ready=true]")
    finished(ask(page, "[scenario:agree] Apa hukuman untuk pencurian?"), "verified")
    # the `page` fixture fails the test on any violation reported meanwhile


def test_an_injected_inline_script_does_not_run(bare_page: Any, chat_server: LiveServer) -> None:
    violations = watch_csp(bare_page)
    bare_page.goto(chat_server.url + "/")
    bare_page.wait_for_selector("#app[data-ready=true]")
    bare_page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.__injected = true";
        document.body.append(script);
    }""")
    assert bare_page.evaluate("window.__injected") is None
    expect(bare_page.locator("body")).to_be_visible()
    assert any("script-src" in v for v in violations), violations


def test_the_admin_renders_with_no_violation(
    bare_page: Any, fake: Any, chat_server: LiveServer
) -> None:
    violations = watch_csp(bare_page)
    errors: list[str] = []
    bare_page.on("pageerror", lambda exc: errors.append(str(exc)))
    bare_page.goto(chat_server.url + "/admin/login/?next=/")
    bare_page.locator("#id_username").fill(ADMIN_USER)
    bare_page.locator("#id_password").fill(ADMIN_PASSWORD)
    bare_page.locator("#id_password").press("Enter")
    bare_page.wait_for_url(chat_server.url + "/")
    bare_page.wait_for_selector("#app[data-ready=true]")
    # Runs for the list, the change form and the dashboard's charts.
    finished(ask(bare_page, "[scenario:agree] Apa itu wanprestasi?"), "verified")
    turn = finished(ask(bare_page, "[scenario:agree] Apa itu somasi?"), "verified")
    run_id = turn.get_attribute("data-run-id")
    chat_server.wait_for_run(run_id, "completed")

    for path in (*ADMIN_PAGES, f"/admin/consensus/consensusrun/{run_id}/change/"):
        response = bare_page.goto(chat_server.url + path)
        assert response.status == 200, path
        assert "content-security-policy" in response.headers, path
        expect(bare_page.locator("#content")).to_be_visible()
        if path.endswith("/dashboard/"):  # legends coloured by SVG, not `style=`
            expect(bare_page.locator("figure.chart .key svg").first).to_be_visible()

    assert not errors, errors
    assert not violations, violations
