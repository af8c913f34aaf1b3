"""The hub's backends, chosen by URL behind one interface, and independent of each other."""

from __future__ import annotations

import ast
import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

from server.live.hub import event_channel, hub_from_url
from server.live.hub.memory import MemoryHub
from server.live.hub.redis import RedisHub
from tests.conftest import ROOT

HUB = ROOT / "server" / "live" / "hub"


async def test_the_url_chooses_the_backend() -> None:
    for url, backend in (("memory://", MemoryHub), ("redis://127.0.0.1:6379", RedisHub)):
        hub = hub_from_url(url)
        assert isinstance(hub, backend)
        await hub.close()
    with pytest.raises(ValueError, match="names no hub"):
        hub_from_url("amqp://127.0.0.1")


async def test_the_memory_hub_delivers_to_the_channel_only() -> None:
    hub = hub_from_url("memory://")
    async with hub.subscribe(event_channel(1)) as mine, hub.subscribe(event_channel(2)) as other:
        await hub.publish(event_channel(1), {"seq": 1})
        assert await asyncio.wait_for(mine.get(), 1) == {"seq": 1}
        assert other.empty()
    await hub.close()


def test_the_memory_default_loads_no_redis_client() -> None:
    probe = (
        "import sys; from server.live.hub import hub_from_url; hub_from_url('memory://'); "
        "print(sorted(m for m in sys.modules if m == 'redis' or m.endswith('hub.redis')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "[]"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}


def test_each_backend_imports_the_interface_and_the_fanout_not_the_other() -> None:
    for backend in ("memory", "redis"):
        ours = {m for m in _imports(HUB / f"{backend}.py") if m.startswith("server.")}
        assert ours == {"server.live.hub", "server.live.hub.fanout"}, backend
