"""The doctor seat: an LLM doctor on any backend, and how a doctor's final answer is read.

The doctor sees the patient's messages and the photo (or its description) and nothing else of the case.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from dialogue.backends import Backend, GenRequest
from dialogue.content.prompts import (
    DOCTOR_LAST_TURN,
    DOCTOR_SYSTEM,
    IMAGE_NOTE_IMAGE,
    IMAGE_NOTE_NONE,
    IMAGE_NOTE_TEXT,
    fill,
)
from dialogue.schema import AgentConfig, Turn

_FINAL_RE = re.compile(r"FINAL\s+DIAGNOSIS\s*:\s*\**\s*(?P<dx>[^\n]*)", re.IGNORECASE)


def parse_final_diagnosis(text: str) -> str | None:
    """The answer on the last `FINAL DIAGNOSIS:` line, or None."""
    matches = list(_FINAL_RE.finditer(text))
    if not matches:
        return None
    dx = matches[-1].group("dx").strip(" \t*_`.\"'")
    return dx or None


@dataclass(frozen=True)
class DoctorBrief:
    """All the case information the doctor may see."""

    image_path: str | None
    image_description: str


def image_data_uri(path: str) -> str:
    mime = mimetypes.guess_type(path)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(Path(path).read_bytes()).decode()}"


class LLMDoctor:
    def __init__(
        self,
        backend: Backend,
        brief: DoctorBrief,
        labels: list[str],
        *,
        max_turns: int = 14,
        temperature: float = 0.6,
        seed: int | None = None,
        max_tokens: int = 512,
    ):
        self.backend = backend
        self.brief = brief
        self.labels = labels
        self.max_turns = max_turns
        self.temperature = temperature
        self.seed = seed
        self.max_tokens = 96 if backend.name == "local" else max_tokens
        self.image_sent: Literal["image", "description", "none"]
        if brief.image_path and backend.accepts_images:
            self.image_sent = "image"
        elif brief.image_description:
            self.image_sent = "description"
        else:
            self.image_sent = "none"
        note = {"image": IMAGE_NOTE_IMAGE, "description": IMAGE_NOTE_TEXT, "none": IMAGE_NOTE_NONE}[self.image_sent]
        self.system = fill(DOCTOR_SYSTEM, labels=", ".join(labels), image_note=note, max_turns=str(max_turns))
        self.config = AgentConfig(
            backend=backend.name,
            model=backend.model,
            params={"temperature": temperature, "top_p": 0.9, "max_tokens": self.max_tokens, "seed": seed},
            system_prompt=self.system,
        )

    def messages(self, turns: list[Turn]) -> list[dict[str, Any]]:
        msgs: list[dict[str, Any]] = [{"role": "system", "content": self.system}]
        first_patient = True
        for t in turns:
            if t.seat == "doctor":
                msgs.append({"role": "assistant", "content": t.text})
                continue
            content: Any = t.text
            if first_patient and self.image_sent == "image" and self.brief.image_path:
                content = [
                    {"type": "text", "text": t.text},
                    {"type": "image_url", "image_url": {"url": image_data_uri(self.brief.image_path)}},
                ]
            elif first_patient and self.image_sent == "description":
                content = f"{t.text}\n[Photo attached by the patient: {self.brief.image_description}]"
            first_patient = False
            msgs.append({"role": "user", "content": content})
        doctor_turns = sum(1 for t in turns if t.seat == "doctor")
        if doctor_turns == self.max_turns - 1 and msgs[-1]["role"] == "user" and isinstance(msgs[-1]["content"], str):
            msgs[-1] = {"role": "user", "content": f"{msgs[-1]['content']}\n{DOCTOR_LAST_TURN}"}
        return msgs

    async def stream(self, turns: list[Turn]) -> AsyncIterator[str]:
        req = GenRequest(
            messages=self.messages(turns),
            max_tokens=self.max_tokens,
            temperature=self.temperature,
            seed=None if self.seed is None else self.seed + len(turns),
            speaker="Doctor",
            listener="Patient",
        )
        async for piece in self.backend.stream(req):
            yield piece
