"""Diagnostic strategies for the doctor under test (3MDBench's, plus MEDDxAgent's full-information ceiling),
and the hint providers of the `hints` strategy.

| strategy           | what the doctor gets                                           | messages |
|--------------------|----------------------------------------------------------------|----------|
| `dialogue`         | the patient's messages, the photo (or its description)         | up to N  |
| `no-dialogue`      | the opening complaint and the photo (or its description) only  | 1        |
| `full-information` | the opening, the photo, and every case fact in the patient's   | 1        |
|                    | words (what a perfect interview could elicit): the ceiling     |          |
| `text-only`        | dialogue without the photo or its description                  | up to N  |
| `image`            | dialogue with the photo (its description for text-only models) | up to N  |
| `reasoning`        | dialogue; may think in a hidden `<think>` block each turn       | up to N  |
| `hints`            | dialogue with a classifier's top-k labels and scores            | up to N  |

The brief never holds the diagnosis: facts that name it are left out of the full-information brief.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dialogue.schema import STRATEGIES, Case, Hint

if TYPE_CHECKING:
    from dialogue.backends import Backend
    from dialogue.content.labels import LabelSet

ONE_SHOT = frozenset({"no-dialogue", "full-information"})
HINTS_K = 3
"""3MDBench's CNN strategy gives the doctor the classifier's top 3 labels."""


class StrategyError(ValueError):
    """An unknown strategy, or a hint source that cannot be used."""


def check_strategy(name: str) -> str:
    if name not in STRATEGIES:
        raise StrategyError(f"unknown strategy {name!r}: choose from {', '.join(STRATEGIES)}")
    return name


@dataclass(frozen=True)
class DoctorBrief:
    """All the case information the doctor may see, as its strategy allows."""

    image_path: str | None
    image_description: str
    strategy: str = "dialogue"
    facts: tuple[str, ...] = ()
    """full-information: every case fact, in the patient's words."""
    hints: tuple[Hint, ...] = ()
    candidates: tuple[str, ...] = ()
    """What the doctor chooses among: the closed labels, the case's answer options, or () for an open set."""
    options: bool = False
    """True when `candidates` are the case's multiple-choice options."""
    measurements: bool = False
    """In-person case sets: the doctor may request examination findings and tests."""
    rank_among: tuple[str, ...] = ()
    """For the no-LLM reference doctors only: the diagnoses they rank (an open set's own list; a model doctor
    of an open set is never shown it)."""

    @property
    def one_shot(self) -> bool:
        return self.strategy in ONE_SHOT


def doctor_turns(strategy: str, max_turns: int) -> int:
    """How many messages the doctor has under a strategy."""
    return 1 if strategy in ONE_SHOT else max_turns


def brief_for(
    case: Case,
    strategy: str,
    hints: list[Hint] | None = None,
    leaks: object = None,
    *,
    candidates: list[str] | None = None,
    measurements: bool = False,
    rank_among: list[str] | None = None,
) -> DoctorBrief:
    """The doctor's brief for `case` under `strategy`; `leaks(text) -> bool` drops facts that name the answer;
    `candidates` are the labels (closed set) or None (open set); the case's own answer options win."""
    check_strategy(strategy)
    choose = tuple(case.answer_options or candidates or ())
    common = {
        "candidates": choose,
        "options": bool(case.answer_options),
        "measurements": measurements,
        "rank_among": tuple(rank_among or choose),
    }
    if strategy == "text-only":
        return DoctorBrief(None, "", strategy, **common)  # type: ignore[arg-type]
    facts: tuple[str, ...] = ()
    if strategy == "full-information":
        said = [f.patient_says for f in case.facts] + [n.patient_says for n in case.pertinent_negatives]
        facts = tuple(t for t in said if not (callable(leaks) and leaks(t)))
    return DoctorBrief(case.image, case.image_description, strategy, facts, tuple(hints or ()), **common)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- hint providers


def read_predictions(path: Path) -> dict[str, list[Hint]]:
    """A predictions file: case id -> ranked labels. JSON (`{"case": [["label", 0.7], ...]}` or
    `{"case": [{"label": ..., "score": ...}]}`) or JSONL (`{"case_id": ..., "labels": [...]}` per line)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise StrategyError(f"cannot read hint predictions {path}: {e}") from None
    try:
        rows = (
            {r["case_id"]: r["labels"] for r in map(json.loads, filter(str.strip, text.splitlines()))}
            if path.suffix == ".jsonl"
            else json.loads(text)
        )
        return {cid: [_hint(x) for x in ranked] for cid, ranked in rows.items()}
    except (ValueError, KeyError, TypeError) as e:
        raise StrategyError(f"{path}: not a predictions file (case id -> ranked [label, score] pairs): {e}") from None


def _hint(x: object) -> Hint:
    if isinstance(x, dict):
        return Hint.model_validate(x)
    if isinstance(x, list | tuple) and len(x) == 2:
        return Hint(label=str(x[0]), score=float(x[1]))
    raise ValueError(f"a hint is [label, score] or {{label, score}}, got {x!r}")


HINTS_PROMPT = (
    "You are an image classifier for skin, eye, mouth and nail conditions. From this photo description, rank "
    "the {k} most likely labels from: {labels}.\nPhoto: {photo}\nAnswer with JSON only: "
    '[["label", probability], ...]'
)


async def model_hints(case: Case, backend: Backend, labels: LabelSet, k: int = HINTS_K) -> list[Hint]:
    """Hints from any backend: the model is asked to rank labels for the photo description, answering JSON."""
    from dialogue.backends import GenRequest, collect

    prompt = HINTS_PROMPT.format(
        k=k, labels=", ".join(labels.labels), photo=case.image_description or case.general_complaint
    )
    req = GenRequest(messages=[{"role": "user", "content": prompt}], max_tokens=200, temperature=0.0)
    text, _, _ = await collect(backend, req)
    m = re.search(r"\[.*\]", text, re.DOTALL)
    try:
        if m is None:
            raise ValueError("no JSON list")
        hints = [_hint(x) for x in json.loads(m.group(0))]
    except (ValueError, TypeError) as e:
        raise StrategyError(f"the hint model did not answer [[label, score], ...]: {text[:200]!r} ({e})") from None
    named = [(labels.normalize(h.label), h.score) for h in hints]
    known = [Hint(label=label, score=score) for label, score in named if label in labels.by_label][:k]
    if not known:
        raise StrategyError(f"the hint model named no known label: {text[:200]!r}")
    return known


def check_hint_source(spec: str) -> str:
    """`builtin`, `file:<predictions.json|jsonl>` or `model:<backend spec>`."""
    kind, _, arg = spec.partition(":")
    if kind == "builtin" and not arg:
        return spec
    if kind == "file" and arg:
        if not Path(arg).is_file():
            raise StrategyError(f"hint predictions file not found: {arg}")
        return spec
    if kind == "model" and arg:
        from dialogue.seats import check_judge

        return f"model:{check_judge(arg)}"
    raise StrategyError(f"unknown hint source {spec!r}: use builtin, file:<predictions.json> or model:<backend spec>")
