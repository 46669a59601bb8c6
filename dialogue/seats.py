"""Seat specs: who or what plays the doctor or the patient, parsed and validated in one place.

A spec is `kind` or `kind:argument`: `human`, `grounded`, `reference`, `no-dialogue`, `local[:model]`,
`local4bit:model`, `tgi:<http(s) URL>`, `hf:<owner/model[:provider]>` (a hosted model through Hugging Face
Inference Providers), `scripted:<line|line>`, `record:<file>` / `replay:<file>` (the embedded model's requests
written for another machine to answer, and its answers replayed: dialogue/backends/recorded.py). Settings, the
CLI, batch specs and the UI all go through `SeatSpec.parse`; a bad spec is refused with a message that says what
is allowed.
"""

from __future__ import annotations

import re
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict

SeatKind = Literal[
    "human", "grounded", "reference", "no-dialogue", "local", "local4bit", "tgi", "hf", "scripted", "record", "replay"
]
KINDS: tuple[str, ...] = get_args(SeatKind)
BACKEND_KINDS = frozenset({"local", "local4bit", "tgi", "hf", "scripted", "record", "replay"})
"""Kinds played by a model backend (the rest are humans or agents that need no model)."""
DOCTOR_KINDS = frozenset({"human", "reference", "no-dialogue", *BACKEND_KINDS})
PATIENT_KINDS = frozenset({"human", "grounded", *BACKEND_KINDS})
_NO_ARGUMENT = frozenset({"human", "grounded", "reference", "no-dialogue"})
USAGE = (
    "human | grounded | reference | no-dialogue | local[:model] | local4bit:model | tgi:<http(s) URL> | "
    "hf:<owner/model[:provider]> | scripted:<a|b> | record:<file> | replay:<file>"
)


class SeatSpecError(ValueError):
    """A seat spec that cannot be used, with what would be accepted."""


class SeatSpec(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: SeatKind
    arg: str = ""

    @classmethod
    def parse(cls, text: str | SeatSpec, *, seat: Literal["doctor", "patient"] | None = None) -> SeatSpec:
        """Read and check a spec; `seat` also checks that this kind can play that seat."""
        if isinstance(text, SeatSpec):
            spec = text
        else:
            kind, _, arg = (text or "").strip().partition(":")
            if kind not in KINDS:
                raise SeatSpecError(f"unknown seat {text!r}: use {USAGE}")
            spec = cls(kind=kind, arg=arg.strip())  # type: ignore[arg-type]
        if spec.kind in _NO_ARGUMENT and spec.arg:
            raise SeatSpecError(f"seat {spec.kind!r} takes no argument (got {str(spec)!r})")
        if spec.kind == "tgi" and not spec.arg.startswith(("http://", "https://")):
            raise SeatSpecError(f"tgi needs an endpoint URL, e.g. tgi:http://127.0.0.1:8080 (got {str(spec)!r})")
        if spec.kind == "hf" and not re.fullmatch(r"[\w.-]+/[\w.-]+(:[\w.-]+)?", spec.arg):
            raise SeatSpecError(
                f"hf needs a model id, e.g. hf:meta-llama/Llama-3.1-8B-Instruct (or ...:provider) (got {str(spec)!r})"
            )
        if spec.kind == "local4bit" and not spec.arg:
            raise SeatSpecError("local4bit needs a model id or path, e.g. local4bit:google/gemma-3-1b-it")
        if spec.kind in ("record", "replay") and not spec.arg:
            raise SeatSpecError(f"{spec.kind} needs a file, e.g. {spec.kind}:bench/results/requests.jsonl")
        allowed = {"doctor": DOCTOR_KINDS, "patient": PATIENT_KINDS}.get(seat or "", frozenset(KINDS))
        if spec.kind not in allowed:
            raise SeatSpecError(f"{spec.kind!r} cannot play the {seat}: use one of {', '.join(sorted(allowed))}")
        return spec

    @property
    def uses_backend(self) -> bool:
        return self.kind in BACKEND_KINDS

    def __str__(self) -> str:
        return f"{self.kind}:{self.arg}" if self.arg else self.kind


def check_spec(text: str, seat: Literal["doctor", "patient"]) -> str:
    """A validated spec in its normal written form (for string fields that store a spec)."""
    return str(SeatSpec.parse(text, seat=seat))


def judge_specs(assessor: str) -> list[str]:
    """The judge backends an assessor spec names: none for `rules`, one spec, or `panel:<spec>;<spec>;...`."""
    if assessor.strip() in ("", "rules"):
        return []
    return [check_judge(x) for x in assessor.strip().removeprefix("panel:").split(";") if x.strip()]


def check_judge(text: str) -> str:
    seat = SeatSpec.parse(text)
    if not seat.uses_backend:
        raise SeatSpecError(f"a judge must be a model backend (tgi:<url>, local[:model], ...), got {text.strip()!r}")
    return str(seat)
