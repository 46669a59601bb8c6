"""The Results view at scale: 10,000 finished sessions, loaded and computed as the tab does on open.

Synthetic sessions (4 doctor models x the 136 cases x 4 temperaments, diagnoses right about 60% of the time)
are written as the engine writes them when a session ends: one summary per session in Redis. The bench then
times what the Results tab does (read the summaries, build the rows, leaderboard with bootstrap CIs, the
per-doctor table, both plots) and, as the baseline in the same run, the old way on 1,000 of them (every
session's record loaded one by one) scaled to 10,000.

    .venv/bin/python bench/results_view.py [--n 10000]

Goal (issue 13): under 1 s for 10,000 sessions.
"""

from __future__ import annotations

import argparse
import random
import time

import matplotlib
from common import fresh_runtime, machine

from dialogue import queries
from dialogue.schema import AgentConfig, Assessment, ItemVerdict, Session, SessionRecord, Turn
from dialogue.scoring import report
from dialogue.store.sessions import key
from ui.results import by_doctor_and

DOCTORS = ["tgi:model-a", "tgi:model-b", "reference-history-taker", "no-dialogue"]


def synthetic(rt, n: int, rng: random.Random) -> list[str]:  # type: ignore[no-untyped-def]
    lib = rt.library
    labels = lib.labels.labels
    rubric = lib.rubrics["dialogue_quality"]
    ids = []
    pipe = rt.store.r.pipeline(transaction=False)
    for i in range(n):
        case = lib.cases[lib.case_ids[i % len(lib.case_ids)]]
        answer = case.diagnosis if rng.random() < 0.6 else rng.choice(labels)
        cfg = AgentConfig(backend="tgi", model=DOCTORS[i % len(DOCTORS)])
        s = Session(
            id=f"bench-{i:05d}",
            case_id=case.id,
            temperament=["phlegmatic", "sanguine", "choleric", "melancholic"][i % 4],
            doctor=cfg,
            patient=AgentConfig(backend="grounded", model="grounded"),
            status="ended",
            final_diagnosis_raw=answer,
            final_diagnosis=answer,
            seed=i % 3,
        )
        turns = [Turn(index=k, seat="patient" if k % 2 == 0 else "doctor", text="...", by="x") for k in range(9)]
        turns[-1] = Turn(index=8, seat="doctor", text=f"FINAL DIAGNOSIS: {answer}", by="x")
        verdicts = [
            ItemVerdict(item_id=it.id, value=rng.random() < 0.7 if it.kind == "yes_no" else "satisfactory")
            for it in rubric.items
        ]
        a = Assessment(by="rules", verdicts=verdicts, rubric_score=rng.random(), consultation_score=rng.random())
        pipe.set(key("session", s.id), s.model_dump_json())
        pipe.zadd(key("sessions"), {s.id: s.created_at + i})
        pipe.rpush(key("turns", s.id), *[t.model_dump_json() for t in turns])
        pipe.set(key("assessment", s.id), a.model_dump_json())
        pipe.hset(
            key("summaries"),
            s.id,
            queries.summarize(SessionRecord(session=s, turns=turns, assessment=a), lib.labels).model_dump_json(),
        )
        ids.append(s.id)
        if i % 1000 == 999:
            pipe.execute()
    pipe.execute()
    rt.store.set_flag("summaries-complete")
    return ids


def results_now(rt) -> float:  # type: ignore[no-untyped-def]
    """What the Results tab computes on open, timed."""
    t0 = time.perf_counter()
    summaries = queries.finished_summaries(rt.store, rt.library.labels)
    df = report.summary_rows(summaries, rt.library.labels, queries.truths(rt.library))
    report.leaderboard(df, reps=300)
    by_doctor_and(df, "temperament")
    report.plot_f1_by(df, "temperament")
    report.plot_items(report.summary_item_means(summaries, rt.library.rubrics["dialogue_quality"]))
    return time.perf_counter() - t0


def results_before(rt, ids: list[str]) -> float:  # type: ignore[no-untyped-def]
    """The old way: every record loaded one by one, rows built from records."""
    t0 = time.perf_counter()
    recs = [rt.store.record(i) for i in ids]
    report.session_rows(recs, rt.library.labels, queries.truths(rt.library))
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    args = ap.parse_args()
    rt, srv = fresh_runtime()
    try:
        ids = synthetic(rt, args.n, random.Random(0))
        matplotlib.use("Agg")
        results_now(rt)  # warm: imports, matplotlib fonts
        now = min(results_now(rt) for _ in range(3))
        sample = ids[:1000]
        before = results_before(rt, sample) * len(ids) / len(sample)
        print(f"## Results view, {args.n:,} finished sessions ({machine()})\n")
        print("| way | seconds for the whole view | goal |\n|---|---|---|")
        print(f"| summaries in one Redis hash (now) | **{now:.2f}** | < 1 |")
        print(f"| every record loaded one by one (before; 1,000 timed, scaled) | {before:.1f} (rows only) | |")
        print(f"\nratio: {before / now:.0f}x faster")
    finally:
        rt.close()
        srv.stop()


if __name__ == "__main__":
    main()
