"""Generations made on another machine and replayed here (`record:<file>`, `replay:<file>`).

The embedded model is slow on a CPU, so a bench that asks it thousands of times runs in three steps:
`record:<file>` answers nothing and writes every request, rendered as the local backend prompts the embedded base
model (a transcript, cut at a new line or a stop string), one JSON line each; a machine with an accelerator answers
the file in batches (`bench/generate_offline.py`); `replay:<file>` then streams those answers, so the scoring runs
here. Only single-shot benches fit (the patient-fidelity bench, validate-judge): a request that depends on an
earlier answer is not in the file until that answer is, and a request missing from the file is a BackendError.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from pathlib import Path

from pydantic import BaseModel

from dialogue.backends.base import BackendError, GenRequest
from dialogue.backends.local import transcript_prompt


class OfflineRequest(BaseModel):
    """One generation as the embedded model sees it; `key` names it in both files."""

    key: str
    prompt: str
    stops: list[str]
    max_tokens: int
    temperature: float
    top_p: float


class OfflineAnswer(BaseModel):
    key: str
    text: str


def offline_request(req: GenRequest) -> OfflineRequest:
    prompt = transcript_prompt(req)
    stops = ["\n", *req.stop]
    body = json.dumps([prompt, stops, req.max_tokens, req.temperature, req.top_p, req.seed])
    key = hashlib.sha256(body.encode()).hexdigest()[:24]
    return OfflineRequest(
        key=key, prompt=prompt, stops=stops, max_tokens=req.max_tokens, temperature=req.temperature, top_p=req.top_p
    )


class RecordingBackend:
    """Writes each request it is asked (once per key) and answers with nothing."""

    name = "local"  # prompted exactly as the embedded local model is, so the seats shape their requests the same
    accepts_images = False

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.model = f"record:{self.path}"
        lines = self.path.read_text(encoding="utf-8").splitlines() if self.path.exists() else []
        self.seen = {OfflineRequest.model_validate_json(line).key for line in lines if line.strip()}

    async def stream(self, req: GenRequest) -> AsyncIterator[str]:
        r = offline_request(req)
        if r.key not in self.seen:
            self.seen.add(r.key)
            with self.path.open("a", encoding="utf-8") as f:
                f.write(r.model_dump_json() + "\n")
        return
        yield ""  # an async generator that yields nothing


class ReplayBackend:
    """Streams the answers another machine generated for recorded requests."""

    name = "local"
    accepts_images = False

    def __init__(self, path: str | Path, model: str = "gemma-3-270m (embedded), generated offline"):
        self.path = Path(path)
        self.model = model
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
            answers = [OfflineAnswer.model_validate_json(line) for line in lines if line.strip()]
        except (OSError, ValueError) as e:
            raise BackendError(f"cannot read recorded answers: {e}", url=f"replay:{self.path}") from e
        self.answers = {a.key: a.text for a in answers}

    async def stream(self, req: GenRequest) -> AsyncIterator[str]:
        key = offline_request(req).key
        if key not in self.answers:
            raise BackendError(f"no recorded answer for request {key}", url=f"replay:{self.path}")
        if self.answers[key]:
            yield self.answers[key]
