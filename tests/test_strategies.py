"""Diagnostic strategies against a real HTTP endpoint (the TGI-protocol test server): what each strategy puts
in the doctor's context, the hidden reasoning block, interim answers, and the batch CLI's strategy report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from dialogue.agents.patient import LeakGuard
from dialogue.agents.strategy import StrategyError
from dialogue.batch.run import run_batch
from dialogue.batch.spec import BatchSpec, Job
from dialogue.runtime import Runtime
from dialogue.schema import Delta
from dialogue.store.redis_server import EmbeddedRedis
from dialogue.testing.tgi_server import TGIServer

ROOT = Path(__file__).resolve().parent.parent
SECRET = "SECRET-PLAN-7431"


def system_of(request: dict[str, Any]) -> str:
    return str(request["body"]["messages"][0]["content"])


def doctor_requests(tgi: TGIServer) -> list[dict[str, Any]]:
    return [r for r in tgi.requests if "highly experienced doctor" in system_of(r)]


def thinking_doctor(messages: list[dict[str, Any]]) -> str:
    """A reasoning model as the doctor, a plain model as the patient and the judge."""
    system = str(messages[0]["content"])
    if "highly experienced doctor" not in system:
        return "It started two days ago and it hurts."
    if sum(m["role"] == "assistant" for m in messages) == 0:
        return f"<think>{SECRET}: likely stye, ask onset.</think>When did it start?\nWORKING DIAGNOSIS: stye (60%)"
    return f"<think>{SECRET} again</think>Warm compresses four times a day.\nFINAL DIAGNOSIS: stye"


async def test_hidden_reasoning_never_reaches_the_patient_or_the_assessor(runtime: Runtime, tgi: TGIServer) -> None:
    tgi.responder = thinking_doctor
    runtime.settings.assessor = f"tgi:{tgi.url()}"  # an LLM judge reads the dialogue over HTTP too
    c = runtime.new_consultation(
        "stye-01", "sanguine", doctor=f"tgi:{tgi.url()}", patient=f"tgi:{tgi.url()}", strategy="reasoning"
    )
    events = [e async for e in c.run()]
    shown = "".join(e.text for e in events if isinstance(e, Delta))
    assert SECRET not in shown and "WORKING DIAGNOSIS" not in shown
    assert "<think>" in system_of(doctor_requests(tgi)[0])  # the strategy's prompt asks for the block
    assert not [r for r in tgi.requests if SECRET in json.dumps(r["body"])]  # not the patient, judge, or itself
    turns = [t for t in runtime.store.turns(c.session.id) if t.seat == "doctor"]
    assert all(SECRET in t.reasoning and SECRET not in t.text for t in turns)
    assert turns[0].interim is not None and (turns[0].interim.label, turns[0].interim.confidence) == ("stye", 0.6)
    assert turns[1].interim is not None and turns[1].interim.source == "final"
    s = runtime.store.get(c.session.id)
    assert s.strategy == "reasoning" and s.final_diagnosis == "stye"
    scores = runtime.store.live_scores(c.session.id)
    assert scores[0].interim is not None and scores[0].interim.label == "stye"  # shown live


async def test_hints_strategy_sends_exactly_the_providers_labels(
    runtime: Runtime, tgi: TGIServer, tmp_path: Path
) -> None:
    a, b, c = runtime.library.labels.labels[:3]
    preds = tmp_path / "preds.json"
    preds.write_text(json.dumps({"stye-01": [[a, 0.5], [b, 0.3], [c, 0.2]]}))
    spec = BatchSpec(
        cases=["stye-01"],
        temperaments=["sanguine"],
        doctors=[f"tgi:{tgi.url()}"],
        strategies=["hints"],
        hints=f"file:{preds}",
    )
    [r] = await run_batch(runtime, spec, spec.run_id())
    assert not r.error
    for req in doctor_requests(tgi):
        assert (
            f"top 3 labels for the photo, with its scores (it can be wrong): {a} (0.50), {b} (0.30), {c} (0.20)."
            in (system_of(req))
        )
    assert [h.label for h in runtime.store.get(r.session_id).hints] == [a, b, c]
    resumed = runtime.resume(r.session_id)  # the same hints after a restart, without asking the provider again
    assert [h.label for h in resumed.session.hints] == [a, b, c]


async def test_one_shot_strategies_give_one_message_and_full_information_never_the_answer(
    runtime: Runtime, tgi: TGIServer
) -> None:
    for strategy in ("no-dialogue", "full-information"):
        tgi.requests.clear()
        c = runtime.new_consultation("shingles-01", "phlegmatic", doctor=f"tgi:{tgi.url()}", strategy=strategy)
        [e async for e in c.run()]
        s = runtime.store.get(c.session.id)
        [req] = doctor_requests(tgi)
        assert s.max_doctor_turns == 1 and s.final_diagnosis == "stye" and "only message" in system_of(req)
        facts_part = system_of(req).partition("in their own words:")[2]
        if strategy == "no-dialogue":
            assert not facts_part
        else:
            case = runtime.library.cases["shingles-01"]
            assert facts_part and not LeakGuard(runtime.library.labels, case.diagnosis).leaks(facts_part)
            assert case.facts[0].patient_says in facts_part


async def test_text_only_sends_no_photo_and_image_sends_it(runtime: Runtime, tgi: TGIServer) -> None:
    case = runtime.library.cases["seborrheic-keratosis-02"]
    for strategy, expect in (("text-only", False), ("image", True)):
        tgi.requests.clear()
        c = runtime.new_consultation(case.id, "sanguine", doctor=f"tgi:{tgi.url()}", strategy=strategy, max_turns=2)
        [e async for e in c.run()]
        body = json.dumps(doctor_requests(tgi)[0]["body"])
        assert (case.image_description[:40] in body) is expect, strategy
        assert runtime.store.get(c.session.id).image_sent == ("description" if expect else "none")


def test_a_dialogue_job_keeps_its_session_id() -> None:
    """Runs made before strategies existed resume: a dialogue job's key is what it was."""
    job = Job(case_id="stye-01", temperament="sanguine", seed=0, doctor="reference")
    assert job.key() == json.dumps(["stye-01", "sanguine", [], 0, "reference"])
    assert (
        Job(case_id="stye-01", temperament="sanguine", seed=0, doctor="reference", strategy="hints").key() != job.key()
    )
    old = BatchSpec(cases=["stye-01"], doctors=["reference"])
    assert old.run_id() == BatchSpec(cases=["stye-01"], doctors=["reference"], hints="builtin").run_id()


def test_batch_cli_reports_strategies_seeds_and_gaps(
    redis_server: EmbeddedRedis, tgi: TGIServer, tmp_path: Path
) -> None:
    """The issue's done-when command against the TGI-protocol test server."""
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "dialogue", "batch", "--doctor", f"tgi:{tgi.url()}", "--seeds", "2"]
    cmd += ["--strategy", "dialogue", "--strategy", "no-dialogue", "--strategy", "full-information"]
    cmd += ["--case", "stye-01", "--case", "hives-01", "--temperament", "sanguine", "--temperament", "choleric"]
    cmd += ["--out", str(out), "-n", "8"]
    env = {**os.environ, "REDIS_URL": redis_server.url, "CB_DATA_DIR": str(tmp_path), "CB_ASSESSOR": "rules"}
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "24 consultations" in proc.stdout and "3 strategies" in proc.stdout
    report = (out / "report.md").read_text()
    for section in ("Accuracy by turn", "pass^2", "flip rate", "Gap closed by dialogue", "Why sessions failed"):
        assert section in report, section
    assert (out / "accuracy_by_turn.png").stat().st_size > 1000 and (out / "strategies.png").stat().st_size > 1000
    df = pd.read_parquet(out / "sessions.parquet")
    assert sorted(set(df["strategy"])) == ["dialogue", "full-information", "no-dialogue"] and len(df) == 24
    assert df.groupby("strategy")["turns"].max()["no-dialogue"] == 2  # the opening and one answer
    assert pd.read_json(out / "sessions.jsonl", lines=True)["strategy"].notna().all()


async def test_hints_from_a_model_backend(runtime: Runtime, tgi: TGIServer) -> None:
    labels = runtime.library.labels.labels
    tgi.responder = lambda m: f'Here you go: [["{labels[1]}", 0.6], ["not a label", 0.3], ["{labels[2]}", 0.1]]'
    hints = await runtime.hints_for("stye-01", f"model:tgi:{tgi.url()}")
    assert [(h.label, h.score) for h in hints] == [(labels[1], 0.6), (labels[2], 0.1)]  # unknown labels dropped
    tgi.responder = lambda m: "I cannot rank these."
    with pytest.raises(StrategyError, match="did not answer"):
        await runtime.hints_for("stye-01", f"model:tgi:{tgi.url()}")
    builtin = await runtime.hints_for("stye-01")
    assert len(builtin) == 3 and all(0 <= h.score <= 1 for h in builtin)
