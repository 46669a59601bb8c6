"""The event loop a batch runs on: uvloop's when it is installed (its loop costs about a third less CPU per
streamed chunk than asyncio's), else asyncio's own."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


WORKER_THREADS = 64


def new_loop() -> asyncio.AbstractEventLoop:
    try:
        import uvloop

        loop: asyncio.AbstractEventLoop = uvloop.new_event_loop()
    except ImportError:  # pragma: no cover - uvloop is in requirements.txt; asyncio's loop works the same
        loop = asyncio.new_event_loop()
    # Each consultation waits in threads on Redis's fsync and on the embedding model; asyncio's default of
    # min(32, cores + 4) threads would queue 32 consultations behind 6 of those waits.
    loop.set_default_executor(ThreadPoolExecutor(max_workers=WORKER_THREADS, thread_name_prefix="consult"))
    return loop


def run(coro: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run` on `new_loop()`."""
    with asyncio.Runner(loop_factory=new_loop) as runner:
        return runner.run(coro)
