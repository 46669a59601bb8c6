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

from dialogue.agents.grounding import ReplyPlan, plan_reply, select_facts
from dialogue.agents.intent import is_closing, is_probe
from dialogue.agents.patient_voice import voice_reply
from dialogue.backends import Backend, GenRequest
from dialogue.content.labels import LabelSet
from dialogue.content.prompts import PATIENT_OPENING, PATIENT_SYSTEM, fill
from dialogue.matching import Matcher
from dialogue.schema import AgentConfig, Axis, Case, Fact, Negative, Persona, Turn

__all__ = ["BREAK", "SAFE_REPLY", "GroundedPatient", "LLMPatient", "LeakGuard", "is_probe", "select_facts"]

BREAK = "BREAK"
_BREAK_RE = re.compile(r"(?<![A-Za-z])BREAK(?![A-Za-z])")
SAFE_REPLY = "I'm sorry, I really don't know what it is. That's why I'm asking you, doctor."


def has_break(text: str) -> bool:
    """BREAK as a whole token (not inside BREAKFAST or 'breakdown')."""
    return bool(_BREAK_RE.search(text))


def strip_break(text: str) -> str:
    return re.sub(r"\s+", " ", _BREAK_RE.sub("", text)).strip()


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


JARGON = re.compile(
    r"\b(erythema\w*|prurit\w*|vesic\w*|papul\w*|pustul\w*|macul\w*|lesions?|topical\w*|analges\w*|"
    r"dermat\w*|excoriat\w*|lichenif\w*|periorbital|conjunctiv\w*|purulent|exudat\w*|lymphaden\w*|"
    r"photophob\w*|immunosuppress\w*|emollient\w*|corticosteroid\w*|systemic|prodrom\w*|idiopathic|"
    r"morphology|distribution|aetiolog\w*|etiolog\w*|comorbid\w*|antipyretic\w*|paraesthes\w*|dysphagia|"
    r"odynophagia|gingiv\w*|periodont\w*|onych\w*|hyperkeratos\w*|induration|fluctuan\w*|cellulitis|"
    r"sebaceous|keratin\w*|nsaids?|contraindicat\w*|prophyla\w*|palpat\w*|tender(ness)? on palpation)\b",
    re.IGNORECASE,
)


def has_jargon(text: str) -> bool:
    """Real medical jargon a lay patient would not know (not merely long words)."""
    return bool(JARGON.search(text))


class GroundedPatient:
    """Answers only with the case's own words; no model. Every part of a doctor message is answered."""

    def __init__(self, ctx: PatientContext, matcher: Matcher):
        self.ctx = ctx
        self.matcher = matcher
        self.config = AgentConfig(
            backend="grounded", model=f"grounded/{matcher.kind}", params={"seed": ctx.seed}, system_prompt=""
        )
        self._plans: dict[str, ReplyPlan] = {}

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
                "hard_words": has_jargon(question),
            }[a.grounded_when]
            if fire:
                out.append(rng.choice(a.grounded_prefix).replace("<<belief>>", self.ctx.belief or "something else"))
        return out

    def plan(self, message: str) -> ReplyPlan:
        if message not in self._plans:
            style = self.ctx.persona.style
            extra = max(0, style.max_facts - 1 + sum(a.fact_delta for a in self.ctx.axes))
            if len(self._plans) > 64:
                self._plans.clear()
            self._plans[message] = plan_reply(self.ctx.case, message, self.matcher, extra=extra)
        return self._plans[message]

    def facts_for(self, turns: list[Turn]) -> list[Fact | Negative]:
        if not turns or is_closing(turns[-1].text):
            return []
        return self.plan(turns[-1].text).facts

    def compose(self, turns: list[Turn], facts: list[Fact | Negative]) -> str:
        style = self.ctx.persona.style
        n_patient = sum(1 for t in turns if t.seat == "patient")
        rng = self._rng(len(turns))
        if not turns:  # opening line: only the main complaint
            extra = self._axis_lines(0, "", rng)
            return " ".join([self.ctx.case.general_complaint, *extra])
        last = turns[-1].text
        if is_closing(last):
            return f"{rng.choice(style.thanks)} {BREAK}"
        said_before = {fid for t in turns[:-1] if t.seat == "patient" for fid in t.facts_used}
        reply = voice_reply(self.plan(last), last, style, rng, said_before=said_before, turn_number=n_patient)
        return " ".join([*self._axis_lines(n_patient, last, rng), reply])

    async def stream(self, turns: list[Turn], facts: list[Fact | Negative], attempt: int = 0) -> AsyncIterator[str]:
        text = self.compose(turns, facts) if attempt == 0 else SAFE_REPLY
        for piece in re.findall(r"\S+\s*", text):
            yield piece


def plan_for_prompt(plan: ReplyPlan) -> str:
    """The reply plan as prompt lines: for each part of the doctor's message, what answers it."""
    lines = []
    for a in plan.answers:
        q = a.part.text
        if a.kind == "facts":
            lines += [f'- To "{q}": ' + " ".join(f.patient_says for f in a.facts)]
        elif a.kind == "absent":
            lines.append(f'- To "{q}": not in your story, so it is normal or absent: answer with a plain no.')
        elif a.kind == "unknown":
            lines.append(f'- To "{q}": you have not checked or measured this: say so.')
        elif a.kind == "probe":
            lines.append(f'- To "{q}": you do not know your diagnosis; say you are asking the doctor.')
    return "\n".join(lines) or "- (the doctor asked nothing: react briefly in character)"


class LLMPatient:
    """A patient played by any backend, grounded by the reply plan for each doctor message."""

    def __init__(self, ctx: PatientContext, backend: Backend, matcher: Matcher, *, temperature: float = 0.6):
        self.ctx = ctx
        self.backend = backend
        self.matcher = matcher
        self.temperature = temperature
        self.config = AgentConfig(
            backend=backend.name,
            model=backend.model,
            params={"temperature": temperature, "top_p": 0.9, "max_tokens": 120, "seed": ctx.seed},
            system_prompt=self.system_prompt(None),
        )
        self._plan: tuple[str, ReplyPlan] | None = None

    def plan(self, message: str) -> ReplyPlan:
        if self._plan is None or self._plan[0] != message:
            self._plan = (message, plan_reply(self.ctx.case, message, self.matcher, extra=1))
        return self._plan[1]

    def facts_for(self, turns: list[Turn]) -> list[Fact | Negative]:
        if not turns or is_closing(turns[-1].text):
            return []
        return self.plan(turns[-1].text).facts

    def system_prompt(self, plan: ReplyPlan | None) -> str:
        p = self.ctx.persona
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
            facts=plan_for_prompt(plan) if plan is not None else "- (filled in for each doctor message)",
        )

    def messages(self, turns: list[Turn], facts: list[Fact | Negative]) -> list[dict[str, str]]:
        plan = self.plan(turns[-1].text) if turns else None
        msgs = [{"role": "system", "content": self.system_prompt(plan)}]
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
