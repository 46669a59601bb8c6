"""The doctor seat: an LLM doctor on any backend, and how a doctor's final answer is read.

The doctor sees the patient's messages and the photo (or its description) and nothing else of the case.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Literal

from dialogue.agents.strategy import DoctorBrief
from dialogue.backends import Backend, GenRequest
from dialogue.content.prompts import (
    DOCTOR_DIALOGUE,
    DOCTOR_FACTS,
    DOCTOR_HINTS,
    DOCTOR_LAST_TURN,
    DOCTOR_ONE_SHOT,
    DOCTOR_REASONING,
    DOCTOR_SYSTEM,
    IMAGE_NOTE_IMAGE,
    IMAGE_NOTE_NONE,
    IMAGE_NOTE_TEXT,
    fill,
)
from dialogue.schema import AgentConfig, Turn

__all__ = ["DoctorBrief", "LLMDoctor", "doctor_system", "parse_final_diagnosis"]

_FINAL_RE = re.compile(r"FINAL\s+DIAGNOSIS\s*:\s*\**\s*(?P<dx>[^\n]*)", re.IGNORECASE)


def parse_final_diagnosis(text: str) -> str | None:
    """The answer on the last `FINAL DIAGNOSIS:` line, or None."""
    matches = list(_FINAL_RE.finditer(text))
    if not matches:
        return None
    dx = matches[-1].group("dx").strip(" \t*_`.\"'")
    return dx or None


def doctor_system(brief: DoctorBrief, labels: list[str], image_note: str, max_turns: int) -> str:
    """The doctor's system prompt under the brief's strategy."""
    how = DOCTOR_ONE_SHOT if brief.one_shot else fill(DOCTOR_DIALOGUE, max_turns=str(max_turns))
    extra = ""
    if brief.strategy == "reasoning":
        extra += DOCTOR_REASONING
    if brief.facts:
        extra += fill(DOCTOR_FACTS, facts="\n".join(f"  - {f}" for f in brief.facts))
    if brief.hints:
        said = ", ".join(f"{h.label} ({h.score:.2f})" for h in brief.hints)
        extra += fill(DOCTOR_HINTS, k=str(len(brief.hints)), hints=said)
    return fill(DOCTOR_SYSTEM, labels=", ".join(labels), how=how, image_note=image_note, extra=extra)


def image_data_uri(path: str) -> str:
    mime = mimetypes.guess_type(path)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(Path(path).read_bytes()).decode()}"


def working_line(t: Turn) -> str:
    """The working-diagnosis line a model doctor wrote on turn `t` (to show it its own format back), or ''."""
    i = t.interim
    if i is None or i.source not in ("stated", "abstain"):
        return ""
    pct = "" if i.confidence is None or i.source == "abstain" else f" ({round(100 * i.confidence)}%)"
    return f"\nWORKING DIAGNOSIS: {i.said}{pct}"


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
        self.system = doctor_system(brief, labels, note, max_turns)
        self.config = AgentConfig(
            backend=backend.name,
            model=backend.model,
            params={
                "temperature": temperature,
                "top_p": 0.9,
                "max_tokens": self.max_tokens,
                "seed": seed,
                "strategy": brief.strategy,
            },
            system_prompt=self.system,
        )

    def messages(self, turns: list[Turn]) -> list[dict[str, Any]]:
        msgs: list[dict[str, Any]] = [{"role": "system", "content": self.system}]
        first_patient = True
        for t in turns:
            if t.seat == "doctor":  # its own words and working line; never its hidden reasoning
                working = working_line(t)
                msgs.append({"role": "assistant", "content": t.text + working})
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
