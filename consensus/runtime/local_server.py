"""Supervise llama.cpp server child processes: start, wait until they answer, restart, stop.

One server per role: llama.cpp serves one request at a time per model, so a shared server would
make the fast stream queue behind the validator's whole answer.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO

import httpx

from .local_model import server_command

logger = logging.getLogger(__name__)


class LocalServerError(RuntimeError):
    """A local server exited or did not answer in time."""


def free_port() -> int:
    """A loopback port that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:
    # Linux: the child gets SIGTERM if this process dies without cleaning up (e.g. SIGKILL).
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def wait_ready(servers: Sequence[LocalServer], timeout: float) -> None:
    """Block until every server answers; fail as soon as one exits or the time is up."""
    deadline = time.monotonic() + timeout
    waiting = list(servers)
    with httpx.Client(timeout=2.0) as client:
        while waiting:
            waiting = [server for server in waiting if not server.ready(client)]
            if waiting and time.monotonic() > deadline:
                names = ", ".join(server.name for server in waiting)
                raise LocalServerError(f"{names} not ready after {timeout:.0f}s")
            if waiting:
                time.sleep(0.2)


class LocalServer:
    """One llama.cpp server child (`python -m consensus.runtime.llama_server`) on a loopback
    port."""

    def __init__(self, *, name: str, model: Path, threads: int, log_path: Path) -> None:
        self.name = name
        self.port = free_port()
        self.command = server_command(model=model, port=self.port, threads=threads)
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches the supervisor, which stops us in order
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )

    def exit_code(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def ready(self, client: httpx.Client) -> bool:
        """Whether `GET /v1/models` answers 200; `LocalServerError` if the process has exited."""
        if (code := self.exit_code()) is not None:
            raise LocalServerError(f"{self.name} server exited ({code}), see {self.log_path}")
        try:
            return client.get(f"{self.base_url}/models").status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self, grace: float = 5.0) -> None:
        """SIGTERM, then SIGKILL after `grace` seconds."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None


class Supervisor:
    """Starts the servers, restarts one that dies while serving, stops them all on exit."""

    def __init__(self, servers: Sequence[LocalServer], *, ready_timeout: float = 60.0) -> None:
        self.servers = list(servers)
        self.ready_timeout = ready_timeout
        self._stopping = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="local-llm-watch", daemon=True)

    def __enter__(self) -> Supervisor:
        try:
            for server in self.servers:
                server.start()
            wait_ready(self.servers, self.ready_timeout)
        except BaseException:
            self._stop_all()
            raise
        self._watcher.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopping.set()
        if self._watcher.is_alive():
            self._watcher.join()
        self._stop_all()

    def _stop_all(self) -> None:
        for server in self.servers:
            server.stop()

    def _watch(self) -> None:
        while not self._stopping.wait(1.0):
            for server in self.servers:
                if (code := server.exit_code()) is None or self._stopping.is_set():
                    continue
                logger.error(
                    "%s server exited (%s); restarting, see %s", server.name, code, server.log_path
                )
                server.stop()
                server.start()
                with contextlib.suppress(LocalServerError):
                    wait_ready([server], self.ready_timeout)
