"""A short soak: concurrent scripted consultations through the app's API; all complete, none errored,
memory roughly flat. The long version is bench/soak.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialogue.store.redis_server import EmbeddedRedis
from dialogue.store.sessions import SessionStore
from dialogue.testing.soak_driver import soak, start_app

pytestmark = pytest.mark.slow


def test_soak_through_the_app_api(redis_server: EmbeddedRedis, store: SessionStore, tmp_path: Path) -> None:
    proc, url = start_app(redis_server.url, tmp_path)
    try:
        rep = soak(
            url, proc.pid, store, clients=8, seconds=25, case_ids=["stye-01", "hives-01", "caries-02", "psoriasis-01"]
        )
    finally:
        proc.terminate()
        proc.wait(20)
    print(
        f"soak: {rep.sessions} sessions, {rep.turns} turns, {len(rep.errors)} errors, RSS {rep.rss_start_mb:.0f} -> {rep.rss_end_mb:.0f} MB"
    )
    assert rep.errors == [] and rep.incomplete == []
    assert rep.sessions >= 8 and rep.turns == rep.sessions * 8  # opening + 4 doctor + 3 patient turns
    assert rep.rss_end_mb < rep.rss_start_mb * 1.5 + 50
