"""Static files through the ASGI application with DEBUG off (WhiteNoise,
`consensus/runtime/static.py`): what plain uvicorn or daphne serve in production."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from asgiref.sync import iscoroutinefunction
from django.http import HttpResponse

from consensus.runtime.static import AsyncWhiteNoiseMiddleware

ROOT = Path(__file__).resolve().parent.parent
SECRET = "p7#n0Xq!vL2u9$wK4e@zR8t%yB1m6&cJ3h*sF5d^gA0kN7x+Q2w-E9r_T4y(U8i)" * 2

PROBE = """
import asyncio, re
from consensus_project.asgi import application
from tests.test_sse import call

async def main():
    status, _, page = await call(application, "GET", "/")
    print("page", status)
    for url in re.findall(r'(?:href|src)="(/static/[^"]+)"', page.decode()):
        status, headers, body = await call(application, "GET", url)
        fields = (url, status, headers.get("content-type"), len(body), headers.get("cache-control"))
        print("|".join(map(str, fields)))
    status, _, _ = await call(application, "GET", "/static/consensus/missing.css")
    print("missing", status)

asyncio.run(main())
"""


def test_with_debug_off_the_chat_pages_css_and_js_are_served(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CONSENSUS_"))} | {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "consensus_project.settings",
    }
    env.pop("REDIS_URL", None)
    collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
    subprocess.run(collect, cwd=ROOT, env=env, check=True, timeout=60)

    probe = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert probe.returncode == 0, probe.stderr
    lines = probe.stdout.splitlines()
    assert lines[0] == "page 200"
    assert lines[-1] == "missing 404"
    served = {line.split("|")[0]: line.split("|")[1:] for line in lines[1:-1]}
    css = next(url for url in served if url.endswith(".css"))
    js = next(url for url in served if url.endswith(".js"))
    for url in (css, js):
        status, _, length, cache = served[url]
        assert status == "200", url
        assert int(length) > 0
        assert "immutable" in cache  # hashed names: cached for good
    assert served[css][1].startswith("text/css")


async def test_the_static_middleware_stays_async_for_other_paths() -> None:
    async def view(request: object) -> HttpResponse:
        return HttpResponse("view")

    middleware = AsyncWhiteNoiseMiddleware(view)
    assert iscoroutinefunction(middleware)
    from django.test import RequestFactory

    response = await middleware(RequestFactory().get("/api/consensus/runs/x"))
    assert response.content == b"view"
