"""Live scorer: time to score one doctor turn (must-ask coverage, red flags, tokens) against the time it
takes to stream that turn (the embedded Gemma model on this CPU, and a 30 tok/s endpoint), same run.

    .venv/bin/python bench/live_scorer.py [--cases 20]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from common import fresh_runtime, machine

from dialogue.backends import GenRequest, collect
from dialogue.backends.local import LocalBackend
from dialogue.schema import Turn
from dialogue.scoring.live import live_score

QUESTIONS = [
    "When did it start, and has it changed since?",
    "Is it itchy or painful?",
    "Have you had anything like this before?",
    "Are you taking any medicines or using creams?",
    "Any allergies?",
    "Does anyone in your family have similar problems?",
    "Do you smoke, and what do you do for work?",
    "Any fever or feeling unwell?",
]


async def stream_time(n: int) -> float:
    b = LocalBackend()
    await b.warm()
    times = []
    for q in QUESTIONS[:n]:
        req = GenRequest(
            messages=[
                {"role": "system", "content": "A doctor talks to a patient."},
                {"role": "user", "content": "My eyelid hurts."},
                {"role": "assistant", "content": q},
            ],
            speaker="Doctor",
            listener="Patient",
            max_tokens=30,
            temperature=0,
        )
        t0 = time.perf_counter()
        await collect(b, req)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=20)
    args = ap.parse_args()
    rt, redis = fresh_runtime()
    m = rt.matcher
    ids = rt.library.case_ids[:: max(1, len(rt.library.case_ids) // args.cases)][: args.cases]
    per_turn = []
    for cid in ids:
        case = rt.library.cases[cid]
        turns = [Turn(index=0, seat="patient", text=case.general_complaint, by="x")]
        live_score(case, turns, m)  # first call per case embeds its items once
        for q in QUESTIONS:
            turns.append(Turn(index=len(turns), seat="doctor", text=q, by="x"))
            t0 = time.perf_counter()
            live_score(case, turns, m)
            per_turn.append(time.perf_counter() - t0)
            turns.append(Turn(index=len(turns), seat="patient", text="I don't know.", by="x"))
    score_s = statistics.median(per_turn)
    gemma_s = asyncio.run(stream_time(6))
    endpoint_s = 15 / 30  # a 15-token question at 30 tok/s
    print(f"machine: {machine()}; matcher: {m.kind}")
    print(f"live score per doctor turn: median {score_s * 1000:.1f} ms over {len(per_turn)} turns")
    print(
        f"streaming one doctor turn: embedded Gemma {gemma_s * 1000:.0f} ms; 30 tok/s endpoint {endpoint_s * 1000:.0f} ms"
    )
    print(
        f"ratio scorer/stream: {score_s / gemma_s:.3f} (Gemma), {score_s / endpoint_s:.3f} (endpoint) — below 1 keeps up with the stream"
    )
    rt.close()
    redis.stop()


if __name__ == "__main__":
    main()
