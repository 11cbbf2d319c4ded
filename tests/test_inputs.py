"""A question is refused before its run starts when the database could not store it, or when it
shows nothing at all."""

from __future__ import annotations

import json
from typing import Any

import pytest

from consensus.conf import get_config
from consensus.inputs import InvalidInput, is_blank, parse_question
from consensus.models import ConsensusRun

URL = "/api/consensus/stream"


def refused(data: dict[str, Any]) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        parse_question(data, get_config(), from_query=False)
    return caught.value


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"prompt": "Apa itu\x00 wanprestasi?"}, "invalid_prompt"),
        ({"prompt": "\x00"}, "invalid_prompt"),
        ({"prompt": "lone \ud800 surrogate"}, "invalid_prompt"),
        ({"prompt": "q", "system_prompt": "Jawab\x00 singkat"}, "invalid_system_prompt"),
        ({"prompt": "q", "messages": [{"role": "user", "content": "a\x00b"}]}, "invalid_messages"),
    ],
)
def test_characters_postgresql_cannot_store_are_refused(data, code):
    error = refused(data)
    assert error.code == code
    assert error.status == 400
    assert "U+" in error.message


@pytest.mark.parametrize(
    "prompt",
    [
        "\u200b",
        "\u200b\u200c\u200d",
        "\u2060\ufeff",
        " \u200b\t\n\u00a0",
        "\u3164\u115f",
        "\u2800",
        "\u2028\u2029\u3000",
        "\u00ad\u180e",
    ],
)
def test_a_prompt_of_invisible_characters_is_blank(prompt):
    assert is_blank(prompt)
    assert refused({"prompt": prompt}).code == "missing_prompt"


@pytest.mark.parametrize("prompt", ["a", "\u200bq", "٣", "漢", "🙂\u200d", "\u0301x"])
def test_a_prompt_with_anything_visible_is_not_blank(prompt):
    assert not is_blank(prompt)


def test_ordinary_control_and_format_characters_inside_a_prompt_are_kept():
    question = parse_question(
        {"prompt": "Pasal\t1320\u200b KUHPerdata\r\n?"}, get_config(), from_query=False
    )
    assert question.prompt == "Pasal\t1320\u200b KUHPerdata\r\n?"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "body",
    [
        {"prompt": "Apa itu\x00 wanprestasi?"},
        {"prompt": "q", "messages": [{"role": "user", "content": "a\x00"}]},
        {"prompt": "\u200b\u200b"},
    ],
)
async def test_the_endpoint_refuses_them_before_a_run_starts(async_client, upstream, body):
    response = await async_client.post(URL, json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] in {
        "invalid_prompt",
        "invalid_messages",
        "missing_prompt",
    }
    assert not upstream.calls  # no model was asked
    assert await ConsensusRun.objects.acount() == 0
