"""Checks of a simulated patient's replies: the same rules for the fidelity bench and a session's flags.

A reply is read by the facts the engine recorded for its turn and by its text:
- `plain_negative`: it opens with a plain no ("No.", "Nope", "Not really") and carries no fact;
- `admits_unknown`: it says the patient doesn't know or hasn't checked;
- `contradiction`: it opens with a plain no or "don't know" yet carries a fact (not a denial) for the part,
  or it both denies and affirms the same fact;
- `unsupported`: a sentence no case text supports (an invented fact; LLM patients only).

`session_flags` turns these into the simulator warnings shown beside a consultation's score.
"""

from __future__ import annotations

import itertools
import re

from dialogue.agents.grounding import narrative_fact, plan_reply
from dialogue.agents.intent import is_closing
from dialogue.matching import Matcher
from dialogue.schema import Case, Fact, Negative, Turn

NEGATIVE_RE = re.compile(
    r"^\s*(\w+[,!]?\s+)?(no\b|nope\b|not (really|at all|that I've noticed)\b|nothing\b|none\b|never\b)", re.IGNORECASE
)
UNKNOWN_RE = re.compile(
    r"\b(don'?t know|do not know|not sure|no idea|haven'?t (checked|measured|had it|noticed)|couldn'?t tell|"
    r"can'?t (say|tell|remember))\b",
    re.IGNORECASE,
)
UNSUPPORTED_THRESHOLD = 0.35
TEXT_MATCH = 0.5


def plain_negative(text: str) -> bool:
    return bool(NEGATIVE_RE.match(text)) and not UNKNOWN_RE.search(text)


def admits_unknown(text: str) -> bool:
    return bool(UNKNOWN_RE.search(text))


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def contradiction(text: str, case: Case, facts_used: list[str]) -> bool:
    """It opens with a denial or "don't know" and still gives a positive fact of the case."""
    positive = {f.id for f in case.facts} | {"narrative"}
    first = sentences(text)[0] if text.strip() else ""
    spoken = [f.patient_says for f in case.facts if f.id in facts_used]
    spoken += [n.patient_says for n in case.pertinent_negatives if n.id in facts_used]
    if any(first in s or s.lower().strip(" .") in first.lower() for s in spoken):  # the fact itself is a
        # denial ("No allergies."), said as is or after an opener ("Look, no allergies.")
        return False
    opens_negative = bool(NEGATIVE_RE.match(first)) and len(first.split()) <= 4
    opens_unknown = admits_unknown(first) and len(first.split()) <= 8
    return (opens_negative or opens_unknown) and any(f in positive for f in facts_used)


def says_fact(text: str, case: Case, fact_id: str, matcher: Matcher) -> bool:
    """The reply text carries the fact (by meaning), whoever phrased it."""
    items: dict[str, Fact | Negative] = {f.id: f for f in case.facts}
    items.update({n.id: n for n in case.pertinent_negatives})
    fact = narrative_fact(case) if fact_id == "narrative" else items.get(fact_id)
    sents = [s for s in sentences(text) if len(s.split()) >= 2]
    if fact is None or not sents:
        return False
    if fact.patient_says in text:
        return True
    sims = matcher.similarity(sents, [[fact.statement, *sentences(fact.patient_says)]])
    return bool(sims.max() >= TEXT_MATCH)


def unsupported_sentences(case: Case, text: str, matcher: Matcher) -> list[str]:
    """Sentences of >= 4 words that no case text supports."""
    sents = [s for s in sentences(text) if len(s.split()) >= 4]
    if not sents:
        return []
    facts = [[case.general_complaint, case.narrative or case.general_complaint]]
    facts += [[f.statement, f.patient_says] for f in case.facts]
    facts += [[n.statement, n.patient_says] for n in case.pertinent_negatives]
    sims = matcher.similarity(sents, facts).max(axis=1)
    return [s for s, v in zip(sents, sims, strict=True) if v < UNSUPPORTED_THRESHOLD]


def session_flags(case: Case, turns: list[Turn], matcher: Matcher, *, check_support: bool) -> list[str]:
    """Simulator warnings for a consultation: contradictions, asked facts not given, invented sentences."""
    flags: list[str] = []
    for prev, t in itertools.pairwise(turns):
        if t.seat != "patient" or prev.seat != "doctor" or t.cut or is_closing(prev.text):
            continue
        if contradiction(t.text, case, t.facts_used):
            flags.append(f"turn {t.index}: the patient contradicts itself: {t.text[:80]!r}")
        if not check_support:  # a grounded patient speaks the case's own words: nothing more to check
            continue
        given = [f.id for f in plan_reply(case, prev.text, matcher).facts if not isinstance(f, Negative)]
        if given and not any(says_fact(t.text, case, f, matcher) for f in given):
            flags.append(f"turn {t.index}: the patient did not give the fact asked for ({given[0]})")
        bad = unsupported_sentences(case, t.text, matcher)
        if bad:
            flags.append(f"turn {t.index}: not supported by the case: {bad[0][:80]!r}")
    return flags
