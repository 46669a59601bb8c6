"""Shared fixtures: a real redis-server on a free loopback port, a TGI-protocol server, a runtime."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from dialogue.content.cases import Library, load_library
from dialogue.matching import Matcher
from dialogue.runtime import Runtime
from dialogue.settings import Settings
from dialogue.store.redis_server import EmbeddedRedis
from dialogue.store.sessions import SessionStore
from dialogue.testing.tgi_server import TGIServer

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:  # type: ignore[type-arg]
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedRedis]:
    srv = EmbeddedRedis(tmp_path_factory.mktemp("redis")).start()
    yield srv
    srv.stop()


@pytest.fixture
def store(redis_server: EmbeddedRedis) -> SessionStore:
    if redis_server.proc is None or redis_server.proc.poll() is not None:
        redis_server.start()
    s = SessionStore(redis_server.url)
    s.r.flushdb()
    return s


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library()


@pytest.fixture(scope="session")
def matcher() -> Matcher:
    """The embedding matcher, loaded once for every test that reads questions or consultations."""
    return Matcher()


@pytest.fixture
def tgi() -> Iterator[TGIServer]:
    with TGIServer(stall_s=2.0) as srv:
        yield srv


@pytest.fixture
def settings(redis_server: EmbeddedRedis, tmp_path: Path) -> Settings:
    return Settings(
        doctor="reference",
        patient="grounded",
        assessor="rules",
        redis_url=redis_server.url,
        data_dir=tmp_path,
        timeout_s=1.5,
    )


@pytest.fixture
def runtime(settings: Settings, library: Library, store: SessionStore) -> Iterator[Runtime]:
    rt = Runtime(settings, library=library, store=store)
    yield rt
    rt.close()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests last: Playwright's sync API keeps an event loop running in the main thread, which
    pytest-asyncio tests collected after it cannot share."""
    items.sort(key=lambda item: "e2e" in item.nodeid.split("::")[0])
