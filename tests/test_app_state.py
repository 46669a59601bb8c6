"""The app's in-memory session cache stays bounded and never drops a session that is streaming."""

from __future__ import annotations

import pytest

from dialogue.runtime import Runtime
from ui import state as app


async def test_open_sessions_are_bounded_and_streaming_ones_kept(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app, "MAX_OPEN", 3)
    state = app.AppState(runtime)
    made = [runtime.new_consultation("stye-01", "phlegmatic") for _ in range(5)]
    streaming = made[0].session.id
    state.remember(made[0])
    async with state.lock(streaming):
        for c in made[1:]:
            state.remember(c)
        assert streaming in state.open  # in use: kept although it is the oldest
        assert list(state.open)[-2:] == [made[3].session.id, made[4].session.id]
    state.remember(made[4])
    assert len(state.open) == 3 and streaming not in state.open  # released: now it goes
    again = state.get(streaming)  # a dropped session reloads from Redis
    assert again.session.id == streaming and again is not made[0]
