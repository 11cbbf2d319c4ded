#!/usr/bin/env python
"""Screenshots of the chat page (desktop and phone width) into docs/screenshots/chat-*.png.

Runs the real page on a live server whose upstreams are the scripted fake, in headless Chromium:
    .venv/bin/python scripts/screenshots_chat.py
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.live import CHROMIUM, CHROMIUM_ARGS, LiveServer, chromium_missing_reason  # noqa: E402
from tests.fakes.upstream_server import FakeUpstream, Reply  # noqa: E402

OUT = ROOT / "docs" / "screenshots"

Q1 = "Apa hukuman untuk pencurian sepeda motor?"
A1_FAST = (
    "Pencurian sepeda motor diatur dalam **Pasal 362 KUHP**:\n\n"
    "- Ancaman pidana penjara paling lama **5 tahun**, atau pidana denda.\n"
    "- Jika dilakukan pada malam hari, oleh dua orang atau lebih, atau dengan merusak kunci, "
    "berlaku **Pasal 363 KUHP** dengan ancaman paling lama **7 tahun**.\n\n"
    "Untuk perkara konkret, sebaiknya konsultasikan dengan advokat."
)
A1_VALIDATOR = (
    "Pencurian sepeda motor diatur dalam Pasal 362 KUHP: ancaman pidana penjara paling lama "
    "5 tahun atau pidana denda. Jika dilakukan pada malam hari, oleh dua orang atau lebih, "
    "atau dengan merusak kunci, berlaku Pasal 363 KUHP dengan ancaman paling lama 7 tahun. "
    "Untuk perkara konkret, sebaiknya konsultasikan dengan advokat."
)
Q2 = "Bagaimana jika pelakunya masih di bawah umur?"
A2_FAST = (
    "Anak berusia 12 sampai 16 tahun diproses menurut UU Nomor 3 Tahun 1997 tentang Pengadilan "
    "Anak, dan dapat dipidana penjara seperti orang dewasa."
)
A2_VALIDATOR = (
    "Anak berusia 12 sampai 18 tahun yang berkonflik dengan hukum diproses menurut UU Nomor 11 "
    "Tahun 2012 tentang Sistem Peradilan Pidana Anak. Penyelesaian diutamakan melalui diversi, dan "
    "pidana penjara bagi anak paling lama setengah dari ancaman pidana bagi orang dewasa."
)


def ask(page: Any, text: str, state: str | None) -> Any:
    page.locator("#prompt").fill(text)
    page.locator("#prompt").press("Enter")
    turn = page.locator("#turns > li").last
    if state:
        page.wait_for_function(
            "() => /^(verified|corrected|unvalidated|error|aborted)$/"
            ".test(document.querySelector('#turns > li:last-child').dataset.state)"
        )
        got = turn.get_attribute("data-state")
        if got != state:
            details = turn.inner_text()
            raise RuntimeError(f"expected {state!r}, got {got!r}:\n{details}")
        page.wait_for_timeout(300)  # let the typewriter and the chip settle for the picture
    return turn


def conversation(page: Any, fake: FakeUpstream, url: str) -> Any:
    page.goto(url)
    page.wait_for_selector("#app[data-ready=true]")
    fake.enqueue("fast", Reply(A1_FAST, delay=0.01), Reply(A2_FAST, delay=0.01))
    fake.enqueue("validator", Reply(A1_VALIDATOR, first_delay=0.1), Reply(A2_VALIDATOR))
    ask(page, Q1, "verified")
    turn = ask(page, Q2, "corrected")
    turn.locator('[data-action="compare"]').click()
    page.locator("#conversation").evaluate("el => el.scrollTop = el.scrollHeight")
    page.locator("#prompt").blur()
    return turn


def shoot(page: Any, name: str) -> None:
    path = OUT / f"chat-{name}.png"
    page.screenshot(path=str(path))
    print(f"wrote {path.relative_to(ROOT)}")


def main() -> int:
    if reason := chromium_missing_reason():
        print(f"screenshots_chat: {reason}", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with (
        FakeUpstream() as fake,
        LiveServer(upstream_url=fake.base_url, CONSENSUS_VALIDATOR_TIMEOUT="10") as server,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        url = server.url + "/"
        desktop = browser.new_context(
            viewport={"width": 1280, "height": 1000}, device_scale_factor=1, reduced_motion="reduce"
        )
        page = desktop.new_page()
        page.goto(url)
        page.wait_for_selector("#app[data-ready=true]")
        shoot(page, "desktop-welcome")
        conversation(page, fake, url)
        shoot(page, "desktop-corrected")
        page.locator('.lang[data-lang="en"]').click()
        page.locator("#conversation").evaluate("el => el.scrollTop = 0")
        shoot(page, "desktop-english")
        desktop.close()

        phone = browser.new_context(
            viewport={"width": 390, "height": 844},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            reduced_motion="reduce",
        )
        page = phone.new_page()
        conversation(page, fake, url)
        page.locator("#prompt").blur()
        shoot(page, "phone-corrected")
        page.locator("#new-chat").click()
        fake.enqueue("fast", Reply(A1_FAST, delay=0.08))
        fake.enqueue("validator", Reply(A1_VALIDATOR, first_delay=30))
        ask(page, "Apa bedanya Pasal 362 dan Pasal 363 KUHP?", None)
        page.wait_for_function(
            "() => document.querySelector('#turns > li:last-child [data-role=answer]')"
            ".textContent.length > 150"
        )
        shoot(page, "phone-streaming")
        page.wait_for_function(
            "() => document.querySelector('#turns > li:last-child [data-role=notice]')"
            ".textContent.includes('2 dtk')"
        )
        shoot(page, "phone-validating")
        page.locator("#stop").click()
        phone.close()
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
