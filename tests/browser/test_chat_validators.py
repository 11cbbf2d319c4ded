"""The chat page with extra validators (issue 18, `CONSENSUS_VALIDATORS`): the badge follows the
majority (`correction` / `complete`), not `byteplus_complete`, which describes the first validator
only; one line per validator under the answer. Without extra validators nothing of this shows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.fakes import upstream_server as fakes
from tests.fakes.upstream_server import FakeUpstream, Reply

from .conftest import chat_page
from .live import LiveServer
from .test_chat import answer_text, ask, expect, finished

pytestmark = pytest.mark.browser

# An answer that names another article than the fast one (Pasal 365 against 362/363): ModelArk's
# verdict on the fast answer is a conflict.
OTHER_ARTICLE = (
    "Menurut Pasal 365 KUHP, pencurian dengan kekerasan diancam pidana penjara paling lama "
    "sembilan tahun."
)
NEVER = Reply(fakes.AGREE_VALIDATOR, first_delay=fakes.HANG)


@pytest.fixture(scope="module")
def extra_upstreams() -> Iterator[tuple[FakeUpstream, FakeUpstream]]:
    with FakeUpstream() as second, FakeUpstream() as third:
        yield second, third


@pytest.fixture(scope="module")
def panel_server(
    fake_upstream: FakeUpstream, extra_upstreams: tuple[FakeUpstream, FakeUpstream]
) -> Iterator[LiveServer]:
    """A live server with ModelArk plus two extra validators, each behind a fake of its own."""
    validators = [
        {
            "name": name,
            "base_url": f"http://127.0.0.1:{fake.port}/validator/v1",  # the validator's role
            "model": f"{name}-model",
        }
        for name, fake in zip(("Kedua", "Ketiga"), extra_upstreams, strict=True)
    ]
    with LiveServer(
        upstream_url=fake_upstream.base_url, CONSENSUS_VALIDATORS=json.dumps(validators)
    ) as server:
        yield server


@pytest.fixture
def extras(
    extra_upstreams: tuple[FakeUpstream, FakeUpstream],
) -> tuple[FakeUpstream, FakeUpstream]:
    for fake in extra_upstreams:
        fake.reset()
    return extra_upstreams


@pytest.fixture
def panel_page(browser: Any, panel_server: LiveServer) -> Iterator[Any]:
    with chat_page(browser, panel_server.url, {"width": 1280, "height": 900}) as page:
        yield page


def lines(turn: Any) -> list[str]:
    return [text.strip() for text in turn.locator("[data-role=validators] li").all_inner_texts()]


def test_modelark_timed_out_but_the_extra_validators_validated(
    panel_page: Any, fake: FakeUpstream, extras: Any
) -> None:
    fake.enqueue("validator", NEVER)  # ModelArk never answers; both extra validators agree
    turn = finished(ask(panel_page, "[scenario:agree] Apa hukuman pencurian?"), "verified")

    expect(turn.locator("[data-role=status-label]")).to_have_text("Terverifikasi")
    expect(turn.locator("[data-role=confidence]")).to_have_text("keyakinan 89%")
    expect(turn.locator("[data-role=notice]")).to_contain_text("Validator memberi jawaban")
    box = turn.locator("[data-role=validators]")
    expect(box).to_be_visible()
    expect(box.locator("li")).to_have_count(3)
    found = lines(turn)
    assert found[0] == "BytePlus ModelArk (seed-1-6-250915): tidak menjawab tepat waktu"
    assert found[1].startswith("Kedua (Kedua-model): sejalan · kemiripan ")
    assert found[1].endswith(" · ikut mayoritas · menentukan hasil")
    assert found[2].startswith("Ketiga (Ketiga-model): sejalan · kemiripan ")
    assert found[2].endswith(" · ikut mayoritas")
    expect(box.locator("li[data-decided=true]")).to_have_count(1)

    panel_page.locator(".lang[data-lang=en]").click()  # the lines are translated too
    expect(box.locator("li").first).to_have_text(
        "BytePlus ModelArk (seed-1-6-250915): did not answer in time"
    )
    expect(turn.locator("[data-role=status-label]")).to_have_text("Verified")

    panel_page.reload()  # kept across a reload
    panel_page.wait_for_selector("#app[data-ready=true]")
    kept = panel_page.locator("#turns > li").last
    expect(kept).to_have_attribute("data-state", "verified")
    expect(kept.locator("[data-role=validators] li")).to_have_count(3)


def test_the_majority_overrules_modelark(panel_page: Any, fake: FakeUpstream, extras: Any) -> None:
    fake.enqueue("validator", Reply(OTHER_ARTICLE, first_delay=0.2))  # ModelArk: a conflict
    turn = finished(ask(panel_page, "[scenario:agree] Apa hukuman pencurian?"), "verified")

    expect(turn.locator("[data-role=confidence]")).to_be_visible()
    # ModelArk's conflict is its own, outvoted: not the run's.
    expect(turn.locator("[data-role=conflicts]")).to_be_hidden()
    expect(turn.locator("[data-role=compare]")).to_be_hidden()
    found = lines(turn)
    assert found[0].startswith("BytePlus ModelArk (seed-1-6-250915): tidak sejalan · kemiripan ")
    assert found[0].endswith(" · kalah suara")
    assert found[1].endswith(" · ikut mayoritas · menentukan hasil")


def test_an_extra_validator_corrects_when_modelark_timed_out(
    panel_page: Any, fake: FakeUpstream, extras: Any
) -> None:
    second, third = extras
    fake.enqueue("validator", NEVER)
    second.enqueue("validator", Reply(OTHER_ARTICLE, first_delay=0.2))
    third.enqueue("validator", Reply(OTHER_ARTICLE, first_delay=0.2))
    turn = finished(ask(panel_page, "[scenario:agree] Apa hukuman pencurian?"), "corrected")

    expect(turn.locator("[data-role=status-label]")).to_have_text("Dikoreksi")
    assert "Pasal 365 KUHP" in answer_text(turn)
    expect(turn.locator("[data-role=conflicts]")).to_be_visible()
    # The corrected words are Kedua's: ModelArk is not marked as the answer's source.
    expect(turn.locator("[data-role=model-byteplus]")).not_to_have_class("model is-answer")
    found = lines(turn)
    assert found[0].endswith("tidak menjawab tepat waktu")
    assert found[1].startswith("Kedua (Kedua-model): tidak sejalan")
    assert found[1].endswith("menentukan hasil")


def test_without_extra_validators_a_timeout_is_unvalidated_and_no_lines(
    page: Any, fake: FakeUpstream
) -> None:
    turn = finished(ask(page, "[scenario:validator_timeout] Apa hukumannya?"), "unvalidated")
    expect(turn.locator("[data-role=status-label]")).to_have_text("Belum divalidasi")
    expect(turn.locator("[data-role=notice]")).to_contain_text("Validator tidak menjawab dalam")
    expect(turn.locator("[data-role=validators]")).to_be_hidden()
    checked = finished(ask(page, "[scenario:disagree] Berapa hukuman mencuri motor?"), "corrected")
    expect(checked.locator("[data-role=validators]")).to_be_hidden()
    expect(checked.locator("[data-role=conflicts]")).to_be_visible()
