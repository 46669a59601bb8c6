"""The simulated patient: fact selection (grounding), the leak guard, and two patient seats.

- `GroundedPatient` needs no LLM: it answers with the matching case facts in the patient's own words
  (as written in the case file), shaped by the temperament and extra axes, and says it doesn't know when
  nothing matches. It never invents a fact.
- `LLMPatient` drives any backend with a prompt carrying the facts selected for the doctor's last message.
Both see the case but never its diagnosis label; the leak guard checks every utterance for it anyway.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import AsyncIterator
from dataclasses import dataclass

import numpy as np

from .backends import Backend, GenRequest
from .labels import LabelSet
from .matching import (
    CUE_BONUS,
    CUE_MIN_SIM,
    FACT_BAND,
    FACT_FLOOR,
    FACT_GAP,
    Matcher,
    id_cues,
    question_cues,
    split_questions,
)
from .prompts import PATIENT_OPENING, PATIENT_SYSTEM, fill
from .schema import AgentConfig, Axis, Case, Fact, Negative, Persona, Turn

BREAK = "BREAK"
_BREAK_RE = re.compile(r"(?<![A-Za-z])BREAK(?![A-Za-z])")
_CLOSING_RE = re.compile(r"FINAL DIAGNOSIS\s*:|\b(good ?bye|take care|get well soon)\b", re.IGNORECASE)
SAFE_REPLY = "I'm sorry, I really don't know what it is. That's why I'm asking you, doctor."
# Doctor messages that probe for the diagnosis or try to break the role: the patient has no facts for them.
_PROBE_RE = re.compile(
    r"diagnos|what (is|was) it called|what do you think (it|you)|name (of|for) (it|this|the)|\bwr[io]te\b|written"
    r"|(told|said|say) (you |that )?(it was|it's|it is|you have)|ignore (your|all|previous|the)|instruction"
    r"|system prompt|pretend|role[- ]?play|you are (now )?(a|an|the) (doctor|ai|assistant|model)|label|chart|record",
    re.IGNORECASE,
)


def is_probe(text: str) -> bool:
    """True for a doctor message that asks the patient to name or reveal the diagnosis, or to leave the role."""
    return bool(_PROBE_RE.search(text))


def has_break(text: str) -> bool:
    """BREAK as a whole token (not inside BREAKFAST or 'breakdown')."""
    return bool(_BREAK_RE.search(text))


def strip_break(text: str) -> str:
    return re.sub(r"\s+", " ", _BREAK_RE.sub("", text)).strip()


# --------------------------------------------------------------------------- grounding


def select_facts(case: Case, question: str, matcher: Matcher, *, limit: int = 4) -> list[Fact | Negative]:
    """Case facts (and pertinent negatives) that answer `question`, best first.

    Each sentence of the question picks its clear best matches (see the thresholds in matching.py);
    words that name a history category or a fact id ('medicines', 'when did it start') add a bonus.
    """
    items: list[Fact | Negative] = [*case.facts, *case.pertinent_negatives]
    parts = [p for p in split_questions(question) if not is_probe(p)]
    if not parts:
        return []
    sims = matcher.similarity(parts, [[i.statement, i.patient_says] for i in items])
    kind = matcher.kind
    chosen: dict[str, tuple[float, Fact | Negative]] = {}
    for row, part in zip(sims, parts, strict=True):
        cats = question_cues(part)
        keys = id_cues(part)
        cued = np.array([(isinstance(i, Fact) and i.category in cats) or any(k in i.id for k in keys) for i in items])
        bonus = np.where(cued & (row >= CUE_MIN_SIM), CUE_BONUS, 0.0)  # a cue alone is not an answer
        score = row + bonus
        best = float(score.max())
        if best < FACT_FLOOR[kind] or best - float(np.median(row)) < FACT_GAP[kind]:
            continue
        for j in np.argsort(-score):
            if score[j] < best - FACT_BAND:
                break
            prev = chosen.get(items[j].id)
            if prev is None or prev[0] < score[j]:
                chosen[items[j].id] = (float(score[j]), items[j])
    ranked = sorted(chosen.values(), key=lambda p: -p[0])
    return [i for _, i in ranked[:limit]]


# --------------------------------------------------------------------------- leak guard


# Letters from other scripts that look like Latin ones (a homoglyph spelling must not slip through).
_CONFUSABLES = str.maketrans(
    "аеорсухіјѕкмтнвАЕОРСУХІЈЅКМТНВαεοιρκνχΑΕΟΙΡΚΝΧ",
    "aeopcyxijskmtnbAEOPCYXIJSKMTHBaeoipknxAEOIPKNX",
)
_SPELLED = re.compile(r"(?<![^\W\d_])(?:[^\W\d_][\s.\-_*]{1,3}){2,}[^\W\d_](?![^\W\d_])")


def guard_normal_form(text: str) -> str:
    """What the guard reads: NFKC, homoglyphs mapped to Latin, BREAK removed, spelled-out letters joined."""
    text = unicodedata.normalize("NFKC", text).translate(_CONFUSABLES)
    text = _BREAK_RE.sub(" ", text)
    return _SPELLED.sub(lambda m: re.sub(r"[\s.\-_*]", "", m.group(0)), text)


def _term_pattern(term: str) -> re.Pattern[str]:
    """Whole words, any case; words may be run together or hyphenated; singular or plural."""
    words = term.lower().split()
    last = words[-1]
    if last.endswith("s") and not last.endswith(("ss", "us", "is")):
        words[-1] = re.escape(last[:-1]) + "(?:e?s)?"
    else:
        words[-1] = re.escape(last) + "(?:e?s)?"
    body = r"[\s\-]*".join([*(re.escape(w) for w in words[:-1]), words[-1]])
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


class LeakGuard:
    """Finds the diagnosis (label or synonym) in patient text, including disguised forms: plurals,
    run-together or spelled-out words, full-width and look-alike letters, words split by BREAK."""

    def __init__(self, labels: LabelSet, diagnosis: str):
        self.terms = labels.terms_for(diagnosis)
        self._patterns = [(t, _term_pattern(t)) for t in self.terms]

    def leaks(self, text: str) -> list[str]:
        norm = guard_normal_form(text)
        return [t for t, p in self._patterns if p.search(norm) or p.search(text)]


def render_axes(axes: list[Axis], belief: str | None) -> str:
    if not axes:
        return ""
    lines = ["Extra behaviour rules, in priority order (a higher priority overrides your temperament, priority 5):"]
    for a in sorted(axes, key=lambda a: -a.priority):
        lines.append(f"- [priority {a.priority}] {a.rules.replace('<<belief>>', belief or 'something else')}")
    return "\n".join(lines) + "\n"


def who_line(case: Case) -> str:
    d = case.demographics
    if case.speaker == "parent":
        return (
            f"You are the parent typing on behalf of your child ({d.age}-year-old {d.sex}); "
            "speak about the child in the third person."
        )
    job = f", {d.occupation}" if d.occupation else ""
    return f"You are a {d.age}-year-old {d.sex}{job}."


# --------------------------------------------------------------------------- seats


@dataclass
class PatientContext:
    case: Case
    persona: Persona
    axes: list[Axis]
    belief: str | None
    seed: int


class GroundedPatient:
    """Answers only with the case's own words; no model."""

    def __init__(self, ctx: PatientContext, matcher: Matcher):
        self.ctx = ctx
        self.matcher = matcher
        self.config = AgentConfig(
            backend="grounded", model=f"grounded/{matcher.kind}", params={"seed": ctx.seed}, system_prompt=""
        )

    def _rng(self, turn_index: int) -> random.Random:
        return random.Random(f"{self.ctx.seed}:{self.ctx.case.id}:{turn_index}")

    def _axis_lines(self, when_turn: int, question: str, rng: random.Random) -> list[str]:
        out = []
        for a in self.ctx.axes:
            if not a.grounded_prefix:
                continue
            fire = {
                "opening": when_turn == 0,
                "opening_and_every_3rd": when_turn == 0 or when_turn % 3 == 0,
                "every_turn": True,
                "hard_words": any(len(w) >= 11 for w in re.findall(r"[A-Za-z]+", question)),
            }[a.grounded_when]
            if fire:
                out.append(rng.choice(a.grounded_prefix).replace("<<belief>>", self.ctx.belief or "something else"))
        return out

    def facts_for(self, turns: list[Turn]) -> list[Fact | Negative]:
        last = turns[-1].text if turns else ""
        style = self.ctx.persona.style
        k = max(1, style.max_facts + sum(a.fact_delta for a in self.ctx.axes))
        return select_facts(self.ctx.case, last, self.matcher, limit=k)

    def compose(self, turns: list[Turn], facts: list[Fact | Negative]) -> str:
        style = self.ctx.persona.style
        n_patient = sum(1 for t in turns if t.seat == "patient")
        rng = self._rng(len(turns))
        if not turns:  # opening line: only the main complaint
            extra = self._axis_lines(0, "", rng)
            return " ".join([self.ctx.case.general_complaint, *extra])
        last = turns[-1].text
        if _CLOSING_RE.search(last):
            return f"{rng.choice(style.thanks)} {BREAK}"
        parts = [o for o in [rng.choice(style.openers or [""])] if o]
        parts += self._axis_lines(n_patient, last, rng)
        if not facts:
            parts.append(rng.choice(style.unknown))
        for f in facts:
            if isinstance(f, Negative):
                prefix = rng.choice(style.deny_prefix)
                said = f.patient_says
                parts.append(said if said.lower().startswith(("no", "not", "nope", "never")) else f"{prefix} {said}")
            else:
                parts.append(f.patient_says)
        if style.closers and rng.random() < 0.5:
            parts += [c for c in [rng.choice(style.closers)] if c]
        return " ".join(parts)

    async def stream(self, turns: list[Turn], facts: list[Fact | Negative], attempt: int = 0) -> AsyncIterator[str]:
        text = self.compose(turns, facts) if attempt == 0 else SAFE_REPLY
        for piece in re.findall(r"\S+\s*", text):
            yield piece


class LLMPatient:
    """A patient played by any backend, grounded by the facts selected for each doctor message."""

    def __init__(self, ctx: PatientContext, backend: Backend, matcher: Matcher, *, temperature: float = 0.6):
        self.ctx = ctx
        self.backend = backend
        self.matcher = matcher
        self.temperature = temperature
        self.config = AgentConfig(
            backend=backend.name,
            model=backend.model,
            params={"temperature": temperature, "top_p": 0.9, "max_tokens": 120, "seed": ctx.seed},
            system_prompt=self.system_prompt([]),
        )

    def facts_for(self, turns: list[Turn]) -> list[Fact | Negative]:
        if not turns:
            return []
        return select_facts(self.ctx.case, turns[-1].text, self.matcher, limit=4)

    def system_prompt(self, facts: list[Fact | Negative]) -> str:
        p = self.ctx.persona
        lines = [f"- {f.patient_says}" for f in facts] or ["- (none: if asked, say you don't know)"]
        return fill(
            PATIENT_SYSTEM,
            who=who_line(self.ctx.case),
            temperament=p.id,
            symptom_description=p.symptom_description,
            asking_questions=p.asking_questions,
            communication_style=p.communication_style,
            attitude_to_treatment=p.attitude_to_treatment,
            emotional_involvement=p.emotional_involvement,
            axes=render_axes(self.ctx.axes, self.ctx.belief),
            facts="\n".join(lines),
        )

    def messages(self, turns: list[Turn], facts: list[Fact | Negative]) -> list[dict[str, str]]:
        msgs = [{"role": "system", "content": self.system_prompt(facts)}]
        if not turns:
            msgs.append({"role": "user", "content": fill(PATIENT_OPENING, complaint=self.ctx.case.general_complaint)})
        for t in turns:
            msgs.append({"role": "assistant" if t.seat == "patient" else "user", "content": t.text})
        return msgs

    async def stream(self, turns: list[Turn], facts: list[Fact | Negative], attempt: int = 0) -> AsyncIterator[str]:
        if not turns and attempt == 0 and self.backend.name == "local":
            # A tiny base model invents an opening; the complaint is already in the patient's words.
            yield self.ctx.case.general_complaint
            return
        req = GenRequest(
            messages=self.messages(turns, facts),
            max_tokens=120,
            temperature=self.temperature,
            seed=None if self.ctx.seed is None else self.ctx.seed + len(turns) + 1000 * attempt,
            speaker="Patient" if self.ctx.case.speaker == "patient" else "Parent",
            listener="Doctor",
        )
        async for piece in self.backend.stream(req):
            yield piece
