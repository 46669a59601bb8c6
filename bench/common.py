"""Shared bench helpers: machine description, percentiles, a throwaway runtime on a fresh embedded Redis."""

from __future__ import annotations

import multiprocessing
import os
import platform
import socket
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dialogue.content.cases import load_library  # noqa: E402
from dialogue.runtime import Runtime  # noqa: E402
from dialogue.settings import Settings  # noqa: E402
from dialogue.store.redis_server import EmbeddedRedis, free_port  # noqa: E402
from dialogue.store.sessions import SessionStore  # noqa: E402


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.machine()}, {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}"


def pct(xs: list[float], p: float) -> float:
    if not xs:
        return float("nan")
    s = sorted(xs)
    k = min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))
    return s[k]


def fresh_runtime(**overrides: object) -> tuple[Runtime, EmbeddedRedis]:
    srv = EmbeddedRedis(Path(tempfile.mkdtemp(prefix="cb-bench-"))).start()
    settings = Settings(redis_url=srv.url, data_dir=Path(tempfile.mkdtemp()), **overrides)  # type: ignore[arg-type]
    return Runtime(settings, library=load_library(), store=SessionStore(srv.url)), srv


def rss_mb() -> float:
    """Current resident memory of this process in MB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def _serve(responder: Callable[[list[dict]], str], token_s: float, batch_size: int, port: int) -> None:  # type: ignore[type-arg]
    from dialogue.testing.tgi_server import TGIServer

    with TGIServer(responder, token_delay_s=token_s, batch_size=batch_size, port=port):
        time.sleep(3600)  # until terminated


ENDPOINT_PIDS: dict[str, int] = {}
"""The process id of each running simulated endpoint, by its URL (to read its own CPU time)."""


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) another process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def simulated_endpoint(responder: Callable[[list[dict]], str], token_s: float, batch_size: int) -> Iterator[str]:  # type: ignore[type-arg]
    """dialogue/testing/tgi_server.py in its own process (as a real endpoint is: it must not share our GIL); yields its
    base URL once it accepts connections. `responder` must be a module-level function (it is pickled)."""
    port = free_port()
    proc = multiprocessing.Process(target=_serve, args=(responder, token_s, batch_size, port), daemon=True)
    proc.start()
    ENDPOINT_PIDS[f"http://127.0.0.1:{port}/ok"] = proc.pid
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or not proc.is_alive():
                    raise RuntimeError("the simulated endpoint did not start") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/ok"
    finally:
        proc.terminate()
        proc.join(10)
