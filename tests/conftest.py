"""Shared fixtures: a real Snug server in its own process on an ephemeral port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"


@dataclass
class LiveServer:
    url: str
    ws_url: str
    process: subprocess.Popen[bytes]
    data_dir: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(data_dir: Path, env: dict[str, str] | None = None) -> LiveServer:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    environment = {
        **os.environ,
        "SNUG_DATA_DIR": str(data_dir),
        "DATABASE_URL": f"sqlite://{data_dir / 'snug.sqlite3'}",
        "SECRET_KEY": "test-secret-not-for-production",
        "PUBLIC_URL": url,
        **(env or {}),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "server.asgi:app", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning", "--ws-ping-interval", "5"],
        cwd=ROOT, env=environment,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return LiveServer(url, url.replace("http", "ws", 1), process, data_dir)
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("Snug did not start within 30 seconds")


def stop_server(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server for the session; each test makes its own event, so tests don't interfere."""
    live = start_server(tmp_path_factory.mktemp("snug"))
    yield live
    stop_server(live)
