"""Two reference doctors that need no LLM: a floor and a yardstick on the leaderboard, and offline demos.

- `reference` (history-taker): asks the standard history questions for a skin/eye/mouth/nail complaint,
  then names the label whose definition best matches everything the patient said (plus the photo
  description), by semantic similarity.
- `no-dialogue`: diagnoses from the opening complaint and photo description alone (3MDBench's
  no-dialogue setting).

Both follow the strategy in their brief (a one-shot strategy asks nothing; full-information facts and hints
enter the ranking) and write a working-diagnosis line after every question, so accuracy-by-turn curves can
be drawn offline. `builtin_hints` is the offline stand-in for 3MDBench's image classifier.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Literal

from dialogue.agents.strategy import HINTS_K, DoctorBrief
from dialogue.content.labels import LabelSet
from dialogue.matching import Matcher
from dialogue.schema import AgentConfig, Case, Hint, Turn

STANDARD_QUESTIONS = [
    "I'm sorry to hear that. When did it start, and has it changed since?",
    "Is it itchy, painful or sore?",
    "Where exactly is it, and has it spread anywhere else?",
    "Have you had anything like this before, or any other medical conditions?",
    "Are you taking any medicines or using any creams or drops at the moment?",
    "Do you have any allergies?",
    "Does anyone in your family have similar problems?",
    "What do you do for work, and do you smoke?",
    "Do you have a fever or feel unwell in any other way?",
]


def rank_labels(
    text: str, labels: LabelSet, matcher: Matcher, among: tuple[str, ...] | list[str] = ()
) -> list[tuple[str, float]]:
    """Labels (all, or those `among`) by how well their definitions match the text, best first."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()] or [text]
    pool = [labels.by_label.get(a) for a in among] if among else labels.diagnoses
    names = list(among) if among else [d.label for d in labels.diagnoses]
    cands = [[f"{n}: {d.definition}", d.definition] if d else [n] for n, d in zip(names, pool, strict=True)]
    sims = matcher.similarity(sentences, cands)
    score = sims.mean(axis=0) + 0.5 * sims.max(axis=0)
    order = score.argsort()[::-1]
    return [(names[i], float(score[i])) for i in order]


class ReferenceDoctor:
    def __init__(
        self, kind: Literal["reference", "no-dialogue"], brief: DoctorBrief, labels: LabelSet, matcher: Matcher
    ):
        self.kind = kind
        self.brief = brief
        self.labels = labels
        self.matcher = matcher
        self.image_sent: Literal["description", "none"] = "description" if brief.image_description else "none"
        self.questions = STANDARD_QUESTIONS if kind == "reference" and not brief.one_shot else []
        self.config = AgentConfig(
            backend="reference",
            model=f"reference/{kind}/{matcher.kind}",
            spec=kind,
            params={"questions": len(self.questions), "strategy": brief.strategy},
        )

    def diagnose(self, turns: list[Turn]) -> list[tuple[str, float]]:
        said = " ".join([*(t.text for t in turns if t.seat != "doctor"), *self.brief.facts])
        text = f"{said} {self.brief.image_description}".strip()
        ranked = rank_labels(text, self.labels, self.matcher, self.brief.rank_among)
        hinted = {h.label: h.score for h in self.brief.hints}
        return sorted(((lab, s + 0.1 * hinted.get(lab, 0.0)) for lab, s in ranked), key=lambda x: -x[1])

    async def stream(self, turns: list[Turn]) -> AsyncIterator[str]:
        k = sum(1 for t in turns if t.seat == "doctor")
        if k < len(self.questions):
            best, score = self.diagnose(turns)[0]
            confidence = round(100 * min(1.0, max(0.0, score)))
            text = f"{self.questions[k]}\nWORKING DIAGNOSIS: {best} ({confidence}%)"
        else:
            ranked = self.diagnose(turns)
            best, others = ranked[0][0], [r[0] for r in ranked[1:3]]
            text = (
                f"Thank you. Based on what you've described, this is most consistent with {best} "
                f"(I also considered {' and '.join(others)}). Please see a clinician in person if it gets worse "
                f"or does not improve.\nFINAL DIAGNOSIS: {best}"
            )
        for piece in re.findall(r"\S+\s*", text):
            yield piece


def make_reference_doctor(kind: str, brief: DoctorBrief, labels: LabelSet, matcher: Matcher) -> ReferenceDoctor:
    if kind not in ("reference", "no-dialogue"):
        raise ValueError(f"unknown reference doctor {kind!r}")
    return ReferenceDoctor(kind, brief, labels, matcher)  # type: ignore[arg-type]


def builtin_hints(
    case: Case, labels: LabelSet, matcher: Matcher, k: int = HINTS_K, among: list[str] | None = None
) -> list[Hint]:
    """An offline stand-in for an image classifier: labels ranked by how well their definitions match the photo
    description (or the opening complaint when there is none). It sees what a classifier sees, not the answer."""
    ranked = rank_labels(case.image_description or case.general_complaint, labels, matcher, among or ())[:k]
    total = sum(max(s, 0.0) for _, s in ranked) or 1.0
    return [Hint(label=label, score=round(max(s, 0.0) / total, 3)) for label, s in ranked]
