"""Live scoring after every doctor turn: cheap, deterministic, no LLM call.

Must-ask coverage and red flags asked are semantic matches of the doctor's questions to the case's items
(the same matcher as patient grounding); tokens and latency are summed per seat.
"""

from __future__ import annotations

from dialogue.matching import ITEM_THRESHOLD, Matcher
from dialogue.schema import Case, LiveScore, Turn
from dialogue.scoring.acts import read_doctor


def doctor_sentences(turns: list[Turn]) -> list[str]:
    """The doctor's questions: history is taken by asking (a cue word in a plan is not a question asked)."""
    return read_doctor(turns).questions


def covered(sentences: list[str], items: list[list[str]], matcher: Matcher) -> list[bool]:
    if not items:
        return []
    if not sentences:
        return [False] * len(items)
    sims = matcher.similarity(sentences, items).max(axis=0)
    return [bool(s >= ITEM_THRESHOLD[matcher.kind]) for s in sims]


def live_score(case: Case, turns: list[Turn], matcher: Matcher) -> LiveScore:
    sents = doctor_sentences(turns)
    must = covered(sents, [[m.item, *m.examples] for m in case.must_ask], matcher)
    flags = covered(sents, [[r.description, *r.examples] for r in case.red_flags], matcher)
    tokens: dict[str, int] = {"doctor": 0, "patient": 0}
    latency: dict[str, float] = {"doctor": 0.0, "patient": 0.0}
    for t in turns:
        if t.seat in tokens:  # the measurement seat answers from the case: no model time
            tokens[t.seat] += t.tokens
            latency[t.seat] += round(t.ended_at - t.started_at, 3)
    return LiveScore(
        after_turn=len(turns) - 1,
        doctor_turns=sum(1 for t in turns if t.seat == "doctor"),
        must_ask_covered={m.id: c for m, c in zip(case.must_ask, must, strict=True)},
        red_flags_asked={r.id: c for r, c in zip(case.red_flags, flags, strict=True)},
        coverage=(sum(must) / len(must)) if must else None,
        tokens=tokens,
        latency_s={k: round(v, 3) for k, v in latency.items()},
    )
