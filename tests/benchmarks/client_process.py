"""What every benchmark's client process shares: it answers the benchmark's requests, one JSON
line each way on stdin and stdout, and holds as many sockets as the system lets it.

The client scripts (live_load/clients.py, vote_storm/phones.py) run by path, with the
project's root on PYTHONPATH (live_load.Workers.start), so that they can import this.
"""

from __future__ import annotations

import asyncio
import gc
import json
import resource
import sys
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

Operation = Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]


async def answer_requests(
    operations: dict[str, Operation], close: Callable[[], Awaitable[object]]
) -> None:
    """Answers each request line with the operation it names, until stdin closes."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=2**26)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    try:
        while line := await reader.readline():
            request = json.loads(line)
            answer = await operations[request["op"]](request)
            sys.stdout.write(json.dumps(answer) + "\n")
            sys.stdout.flush()
            # What is alive between operations (the phones, their sockets) lives to the end:
            # out of the collector's reach, a pass no longer walks thousands of sockets, which
            # cost the clients more than the servers they measure on the same cores.
            gc.freeze()
    finally:
        await close()


def run(serve: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Runs the client process's loop (uvloop where installed) with its file limit raised."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    try:
        import uvloop
    except ImportError:
        asyncio.run(serve())
    else:
        uvloop.run(serve())
