"""Soak driver: many concurrent scripted consultations through the running app's API (gradio_client).

Used by tests/test_soak.py (short, in CI) and bench/soak.py (longer).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from dialogue.store.redis_server import free_port
from dialogue.store.sessions import SessionStore

ROOT = Path(__file__).resolve().parents[2]  # the repository root (dialogue/testing/ -> dialogue/ -> root)
DOCTOR = (
    "scripted:When did it start?|Is it itchy or painful?|Any allergies?|Thank you, that helps.\nFINAL DIAGNOSIS: eczema"
)


@dataclass
class SoakReport:
    sessions: int = 0
    turns: int = 0
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    rss_start_mb: float = 0.0
    rss_end_mb: float = 0.0
    incomplete: list[str] = field(default_factory=list)


def rss_of(pid: int) -> float:
    pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def start_app(redis_url: str, data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = dict(
        os.environ,
        REDIS_URL=redis_url,
        GRADIO_SERVER_PORT=str(port),
        CB_WARM="0",
        CB_DOCTOR=DOCTOR,
        CB_DATA_DIR=str(data_dir),
    )
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(360):
        try:
            urllib.request.urlopen(url, timeout=2)
            return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("app did not start")


def soak(url: str, pid: int, store: SessionStore, *, clients: int, seconds: float, case_ids: list[str]) -> SoakReport:
    from gradio_client import Client

    rep = SoakReport()
    lock = threading.Lock()
    sids: list[str] = []

    def one_client(k: int, client: Client) -> None:
        i = 0
        while i == 0 or time.monotonic() < deadline:  # every client runs at least one consultation
            case = case_ids[(k * 7 + i) % len(case_ids)]
            i += 1
            t0 = time.perf_counter()
            try:
                out = client.predict(case, "sanguine", [], DOCTOR, "", "grounded", "", "soak", api_name="/start")
                sid = out[0]
                client.predict(sid, api_name="/run_session")
                with lock:
                    sids.append(sid)
                    rep.latencies.append(time.perf_counter() - t0)
            except Exception as e:
                with lock:
                    rep.errors.append(f"{type(e).__name__}: {e}"[:200])

    warm = Client(url, verbose=False)  # warm-up: one whole consultation, so the embedding model (loaded on first
    # use) is in the starting memory, and growth means a leak
    warm_sid = warm.predict("stye-01", "sanguine", [], DOCTOR, "", "grounded", "", "soak", api_name="/start")[0]
    warm.predict(warm_sid, api_name="/run_session")
    rep.rss_start_mb = rss_of(pid)
    # clients connect before the clock starts: on a loaded machine connecting alone can take the whole window
    connected = [Client(url, verbose=False) for _ in range(clients)]
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=one_client, args=(k, c)) for k, c in enumerate(connected)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rep.rss_end_mb = rss_of(pid)
    for sid in sids:
        s = store.get(sid)
        turns = store.turns(sid)
        rep.turns += len(turns)
        ok = s.status == "ended" and [t.index for t in turns] == list(range(len(turns))) and store.assessment(sid)
        if not ok:
            rep.incomplete.append(f"{sid}: {s.status}, {len(turns)} turns")
    rep.sessions = len(sids)
    return rep
