"""Exports of a run's sessions: one row per session (JSONL and parquet) with its truth, scores and seats."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from dialogue.schema import SessionRecord, Turn


def prompt_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def export_rows(records: Sequence[SessionRecord], truths: dict[str, str]) -> pd.DataFrame:
    """One row per session: transcript, scores, model ids, prompt hashes, seeds, timings, token counts."""
    rows = []
    for r in records:
        s, a = r.session, r.assessment
        rows.append(
            {
                "session_id": s.id,
                "run_id": s.run_id,
                "case_id": s.case_id,
                "truth": truths.get(s.case_id),
                "temperament": s.temperament,
                "axes": ",".join(s.axes),
                "seed": s.seed,
                "strategy": s.strategy,
                "case_set": s.case_set,
                "diagnosis_space": s.diagnosis_space,
                "hints": json.dumps([h.model_dump() for h in s.hints]),
                "doctor_model": s.doctor.model,
                "doctor_prompt_hash": prompt_hash(s.doctor.system_prompt),
                "doctor_params": json.dumps(s.doctor.params),
                "patient_model": s.patient.model,
                "patient_prompt_hash": prompt_hash(s.patient.system_prompt),
                "status": s.status,
                "ended_by": s.ended_by,
                "final_diagnosis_raw": s.final_diagnosis_raw,
                "final_diagnosis": s.final_diagnosis,
                "correct": s.final_diagnosis == truths.get(s.case_id),
                "turns": len(r.turns),
                "doctor_tokens": sum(t.tokens for t in r.turns if t.seat == "doctor"),
                "patient_tokens": sum(t.tokens for t in r.turns if t.seat == "patient"),
                "seconds": round(max((t.ended_at for t in r.turns), default=s.created_at) - s.created_at, 3),
                "mean_first_token_s": _mean([t.first_token_s for t in r.turns if t.seat == "doctor"]),
                "rubric_score": a.rubric_score if a else None,
                "must_ask_coverage": a.must_ask_coverage if a else None,
                "red_flag_points": a.red_flag_points if a else None,
                "ungradable": a.ungradable if a else None,
                "leak_events": s.leak_events,
                "transcript": json.dumps([_turn(t) for t in r.turns], ensure_ascii=False),
                "tests_ordered": json.dumps([q.model_dump() for t in r.turns for q in t.requests]),
                "test_cost": round(sum(q.cost for t in r.turns for q in t.requests), 2),
                "interim_diagnoses": json.dumps(
                    [t.interim.model_dump() if t.interim else None for t in r.turns if t.seat == "doctor"]
                ),
                "verdicts": json.dumps([v.model_dump() for v in a.verdicts]) if a else "[]",
                "consultation_score": a.consultation_score if a else None,
                "safety_failures": json.dumps(a.safety_failures) if a else "[]",
                "annotators": len(r.annotations),
                "annotations": json.dumps(
                    {
                        n: {v.item_id: v.value for v in h.verdicts} | {"revision": h.revision}
                        for n, h in r.annotations.items()
                    }
                ),
            }
        )
    return pd.DataFrame(rows)


def _turn(t: Turn) -> dict[str, object]:
    """A transcript entry: what was said, and for the doctor its hidden reasoning and working diagnosis."""
    out: dict[str, object] = {"seat": t.seat, "text": t.text, "cut": t.cut}
    if t.reasoning:
        out["reasoning"] = t.reasoning
    if t.interim is not None:
        out["interim"] = t.interim.label
    return out


def _mean(xs: list[float | None]) -> float | None:
    vals = [x for x in xs if x is not None]
    return round(sum(vals) / len(vals), 4) if vals else None


def write_exports(df: pd.DataFrame, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    jsonl, parquet = out / "sessions.jsonl", out / "sessions.parquet"
    df.to_json(jsonl, orient="records", lines=True, force_ascii=False)
    df.to_parquet(parquet, index=False)
    return [jsonl, parquet]
