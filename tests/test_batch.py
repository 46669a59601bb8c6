"""Batch runs: concurrency, resume after interruption, recorded failures, exports, two queue workers."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from dialogue.batch.export import export_rows, write_exports
from dialogue.batch.queue import enqueue
from dialogue.batch.run import run_batch
from dialogue.batch.spec import BatchSpec
from dialogue.queries import DONE
from dialogue.runtime import Runtime
from dialogue.schema import Assessment, ItemVerdict
from dialogue.testing.tgi_server import TGIServer

ROOT = Path(__file__).resolve().parent.parent
CASES = ["stye-01", "hives-01", "caries-02"]


def contiguous(runtime: Runtime, sid: str) -> bool:
    turns = runtime.store.turns(sid)
    return [t.index for t in turns] == list(range(len(turns)))


async def test_batch_runs_all_then_skips_on_rerun(runtime: Runtime) -> None:
    spec = BatchSpec(cases=CASES, temperaments=["sanguine", "phlegmatic"], doctors=["reference"], concurrency=4)
    run_id = spec.run_id()
    results = await run_batch(runtime, spec, run_id)
    assert len(results) == 6 and all(r.status == "ended" and not r.error for r in results)
    assert runtime.store.run_ids(run_id) == {r.session_id for r in results}
    assert all(runtime.store.assessment(r.session_id) for r in results)
    before = {r.session_id: runtime.store.turns(r.session_id) for r in results}
    again = await run_batch(runtime, spec, run_id)
    assert all(r.skipped for r in again)
    assert {r.session_id: runtime.store.turns(r.session_id) for r in again} == before


async def test_interrupted_session_is_resumed_not_restarted(runtime: Runtime) -> None:
    spec = BatchSpec(cases=["stye-01"], temperaments=["melancholic"], doctors=["reference"])
    run_id = spec.run_id()
    job = spec.jobs()[0]
    c = runtime.new_consultation(
        "stye-01", "melancholic", doctor="reference", seed=0, run_id=run_id, session_id=job.session_id(run_id)
    )
    for _ in range(3):
        [e async for e in c.step()]
    partial = runtime.store.turns(c.session.id)
    [r] = await run_batch(runtime, spec, run_id)
    assert r.session_id == c.session.id and r.status == "ended" and not r.skipped
    turns = runtime.store.turns(c.session.id)
    assert turns[:3] == partial and contiguous(runtime, c.session.id)


async def test_cancel_leaves_a_consistent_resumable_state(runtime: Runtime, tgi: TGIServer) -> None:
    tgi.token_delay_s = 0.03
    spec = BatchSpec(cases=CASES, temperaments=["choleric", "sanguine"], doctors=[f"tgi:{tgi.url()}"], concurrency=6)
    run_id = spec.run_id()
    task = asyncio.create_task(run_batch(runtime, spec, run_id))
    await asyncio.sleep(0.6)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    ids = runtime.store.run_ids(run_id)
    assert ids and all(contiguous(runtime, i) for i in ids)
    assert any(runtime.store.get(i).status == "live" for i in ids)
    results = await run_batch(runtime, spec, run_id)
    assert all(r.status in DONE for r in results) and all(contiguous(runtime, r.session_id) for r in results)


async def test_failures_are_recorded_and_do_not_abort(runtime: Runtime, tgi: TGIServer) -> None:
    bad = f"tgi:{tgi.url('always503')}"
    runtime.settings.timeout_s = 1
    spec = BatchSpec(cases=CASES[:2], temperaments=["phlegmatic"], doctors=["reference", bad])
    results = await run_batch(runtime, spec, spec.run_id())
    good = [r for r in results if r.job.doctor == "reference"]
    failed = [r for r in results if r.job.doctor == bad]
    assert all(r.status == "ended" for r in good)
    assert len(failed) == 2 and all(r.error and "503" in r.error and r.status == "error" for r in failed)
    assert {r.job.case_id for r in failed} == set(CASES[:2])


async def test_export_one_row_per_session(runtime: Runtime, tmp_path: Path) -> None:
    spec = BatchSpec(cases=CASES[:2], temperaments=["sanguine"], doctors=["reference", "no-dialogue"])
    run_id = spec.run_id()
    await run_batch(runtime, spec, run_id)
    ids = sorted(runtime.store.run_ids(run_id))
    scores = Assessment(by="human:ann", verdicts=[ItemVerdict(item_id="empathy", value=True)])
    runtime.store.set_annotation(ids[0], "ann", scores)
    records = [runtime.store.record(i) for i in ids]
    df = export_rows(records, {c.id: c.diagnosis for c in runtime.library.cases.values()})
    paths = write_exports(df, tmp_path)
    back = pd.read_parquet(paths[1])
    assert len(back) == 4 and set(back["run_id"]) == {run_id}
    for col in ("transcript", "doctor_prompt_hash", "seed", "doctor_tokens", "rubric_score", "seconds"):
        assert col in back.columns
    annotated = back[back["session_id"] == ids[0]].iloc[0]  # human annotations travel with the export
    assert annotated["annotators"] == 1 and json.loads(annotated["annotations"])["ann"]["empathy"] is True
    assert len(pd.read_json(paths[0], lines=True)) == 4


@pytest.mark.slow
def test_two_workers_share_a_run_and_survive_a_kill(
    runtime: Runtime, redis_server, tgi: TGIServer, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    tgi.token_delay_s = 0.02  # each consultation takes a second or two
    spec = BatchSpec(cases=CASES, temperaments=["sanguine", "choleric"], doctors=[f"tgi:{tgi.url()}"])
    run_id = spec.run_id()
    env = dict(os.environ, REDIS_URL=redis_server.url, CB_DATA_DIR=str(tmp_path))
    cmd = [sys.executable, "-m", "dialogue", "worker", "--job-timeout", "30", "--max-jobs", "2"]
    logs = [open(tmp_path / f"worker{i}.log", "w") for i in range(2)]  # noqa: SIM115
    workers = [subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=logs[i], stderr=subprocess.STDOUT) for i in range(2)]
    try:
        assert asyncio.run(enqueue(redis_server.url, spec, run_id)) == 6
        assert asyncio.run(enqueue(redis_server.url, spec, run_id)) == 0  # never queued twice
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(
            runtime.store.turns(j.session_id(run_id))[2:] for j in spec.jobs()
        ):
            time.sleep(0.2)
        workers[0].send_signal(signal.SIGKILL)  # dies mid-consultation
        deadline = time.monotonic() + 180
        ids = [j.session_id(run_id) for j in spec.jobs()]
        while time.monotonic() < deadline:
            heads = runtime.store.headers(ids)
            if (
                len(heads) == 6
                and all(s.status in DONE for s in heads)
                and all(runtime.store.assessment(i) for i in ids)
            ):
                break
            time.sleep(0.5)
        heads = runtime.store.headers(ids)
        assert [s.status for s in heads] == ["ended"] * 6
        for i in ids:
            turns = runtime.store.turns(i)
            assert contiguous(runtime, i) and turns[-1].seat == "doctor" and not any(t.cut for t in turns)
            assert len([t for t in turns if t.seat == "doctor"]) == 3  # no turn run twice
    finally:
        for w in workers:
            w.kill()
            w.wait()
        for f in logs:
            f.close()
