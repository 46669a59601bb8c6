"""`scripted`: replays fixed lines (tests, demos, the reference seats)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator

from dialogue.backends.base import GenRequest


class ScriptedBackend:
    """Replays fixed lines; line k answers the k-th request of a dialogue (counted from the messages)."""

    name = "scripted"
    accepts_images = False

    def __init__(self, lines: list[str], *, token_delay_s: float = 0.0, model: str = "scripted"):
        if not lines:
            raise ValueError("scripted backend needs at least one line")
        self.lines = lines
        self.token_delay_s = token_delay_s
        self.model = model

    async def stream(self, req: GenRequest) -> AsyncIterator[str]:
        k = sum(1 for m in req.messages if m.get("role") == "assistant")
        text = self.lines[min(k, len(self.lines) - 1)]
        for piece in re.findall(r"\S+\s*|\s+", text):
            if self.token_delay_s:
                await asyncio.sleep(self.token_delay_s)
            yield piece
