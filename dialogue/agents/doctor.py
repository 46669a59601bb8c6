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
    ANSWER_CLOSED,
    ANSWER_OPEN,
    ANSWER_OPTIONS,
    DOCTOR_DIALOGUE,
    DOCTOR_FACTS,
    DOCTOR_HINTS,
    DOCTOR_LAST_TURN,
    DOCTOR_MEASUREMENTS,
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


def answer_rule(brief: DoctorBrief, labels: list[str]) -> str:
    """What the doctor's answer must be: one of the labels, one of the case's options, or free text."""
    if brief.options:
        return fill(ANSWER_OPTIONS, labels="; ".join(brief.candidates))
    chosen = list(brief.candidates) or labels
    return fill(ANSWER_CLOSED, labels=", ".join(chosen)) if chosen else ANSWER_OPEN


def doctor_system(brief: DoctorBrief, labels: list[str], image_note: str, max_turns: int) -> str:
    """The doctor's system prompt under the brief's strategy and case set (`labels`: [] for an open set)."""
    how = DOCTOR_ONE_SHOT if brief.one_shot else fill(DOCTOR_DIALOGUE, max_turns=str(max_turns))
    extra = DOCTOR_MEASUREMENTS if brief.measurements and not brief.one_shot else ""
    if brief.strategy == "reasoning":
        extra += DOCTOR_REASONING
    if brief.facts:
        extra += fill(DOCTOR_FACTS, facts="\n".join(f"  - {f}" for f in brief.facts))
    if brief.hints:
        said = ", ".join(f"{h.label} ({h.score:.2f})" for h in brief.hints)
        extra += fill(DOCTOR_HINTS, k=str(len(brief.hints)), hints=said)
    return fill(DOCTOR_SYSTEM, answer_rule=answer_rule(brief, labels), how=how, image_note=image_note, extra=extra)


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
        """The chat so far, from the doctor's side: its own words (with its request and working lines, never its
        hidden reasoning) as the assistant; the patient and the measurement seat's results as the user (merged
        when both speak between two doctor messages, for chat templates that need turns to alternate)."""
        msgs: list[dict[str, Any]] = [{"role": "system", "content": self.system}]
        first_patient = True
        for t in turns:
            if t.seat == "doctor":
                asked = "".join(f"\nREQUEST {r.kind.upper()}: {r.what}" for r in t.requests)
                msgs.append({"role": "assistant", "content": t.text + asked + working_line(t)})
                continue
            content: Any = f"[Results] {t.text}" if t.seat == "measurement" else t.text
            if t.seat == "patient" and first_patient:
                if self.image_sent == "image" and self.brief.image_path:
                    content = [
                        {"type": "text", "text": t.text},
                        {"type": "image_url", "image_url": {"url": image_data_uri(self.brief.image_path)}},
                    ]
                elif self.image_sent == "description":
                    content = f"{t.text}\n[Photo attached by the patient: {self.brief.image_description}]"
                first_patient = False
            last = msgs[-1]
            if last["role"] == "user" and isinstance(last["content"], str) and isinstance(content, str):
                last["content"] = f"{last['content']}\n{content}"
            else:
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
