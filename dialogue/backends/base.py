"""What every backend shares: the request, the one error type, the protocol, and `collect`."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Protocol


class BackendError(RuntimeError):
    """The one error type every backend raises."""

    def __init__(
        self, message: str, *, url: str = "", status: int | None = None, retryable: bool = False, cut: bool = False
    ):
        where = f" [{url}]" if url else ""
        code = f" (HTTP {status})" if status else ""
        super().__init__(f"{message}{code}{where}")
        self.url = url
        self.status = status
        self.retryable = retryable
        self.cut = cut


@dataclass
class GenRequest:
    """One generation: chat messages plus sampling settings."""

    messages: list[dict[str, Any]]
    max_tokens: int = 256
    temperature: float = 0.7
    top_p: float = 0.9
    seed: int | None = None
    stop: list[str] = field(default_factory=list)
    speaker: str = "Doctor"
    """Transcript name of the seat generating (for completion-only models)."""
    listener: str = "Patient"

    def params(self) -> dict[str, Any]:
        return {
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
            "top_p": self.top_p,
            "seed": self.seed,
            "stop": self.stop,
        }


class Backend(Protocol):
    name: str
    """Backend kind: 'tgi', 'local', 'scripted'."""
    model: str
    """Model id or URL, recorded on the session."""
    accepts_images: bool

    def stream(self, req: GenRequest) -> AsyncIterator[str]: ...


async def collect(backend: Backend, req: GenRequest) -> tuple[str, float | None, int]:
    """Run one request to completion: (text, seconds to first piece, pieces)."""
    t0 = time.perf_counter()
    first: float | None = None
    parts: list[str] = []
    async for piece in backend.stream(req):
        if first is None:
            first = time.perf_counter() - t0
        parts.append(piece)
    return "".join(parts), first, len(parts)
