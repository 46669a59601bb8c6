"""Shared bench helpers: machine description, percentiles, a throwaway runtime on a fresh embedded Redis."""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dialogue.content import load_library  # noqa: E402
from dialogue.redis_server import EmbeddedRedis  # noqa: E402
from dialogue.runtime import Runtime  # noqa: E402
from dialogue.settings import Settings  # noqa: E402
from dialogue.store import SessionStore  # noqa: E402


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
