"""`python app.py` in its own process for browser tests: started with the given settings, waited for, stopped."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dialogue.store.redis_server import free_port

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def running_app(env: dict[str, str], workdir: Path, *, drop: tuple[str, ...] = ()) -> Iterator[str]:
    """The app on a free port with `env` over this process's environment (minus `drop`); yields its URL."""
    port = free_port()
    full = {**os.environ, "GRADIO_SERVER_PORT": str(port), "CB_DATA_DIR": str(workdir / "data"), **env}
    for name in drop:
        full.pop(name, None)
    log = open(workdir / "app.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=full, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app exited with {proc.returncode}: {Path(log.name).read_text()[-2000:]}")
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(20)
        log.close()
