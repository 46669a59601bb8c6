"""ConsultBench from Inspect (the model under test plays the doctor), and publishing a run as a Hub dataset."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from dialogue.batch.run import run_batch
from dialogue.batch.spec import BatchSpec
from dialogue.publish import main as publish
from dialogue.runtime import Runtime
from dialogue.store.redis_server import EmbeddedRedis
from dialogue.store.sessions import SessionStore
from dialogue.testing.tgi_server import TGIServer

ROOT = Path(__file__).resolve().parent.parent
INSPECT = Path(sys.executable).parent / "inspect"


def test_inspect_eval_runs_the_task_with_epochs_and_pass_k(
    redis_server: EmbeddedRedis, tgi: TGIServer, tmp_path: Path
) -> None:
    """4 samples x 2 epochs against the TGI-protocol test server through Inspect's OpenAI-compatible provider."""
    from inspect_ai.log import read_eval_log

    env = {
        **os.environ,
        "REDIS_URL": redis_server.url,
        "CB_DATA_DIR": str(tmp_path / "data"),
        "TGI_BASE_URL": f"{tgi.url()}/v1",
        "TGI_API_KEY": "test",
    }
    cmd = [str(INSPECT), "eval", "consultbench/consultation", "--model", "openai-api/tgi/stub"]
    cmd += ["-T", "cases=stye-01,hives-01", "-T", "temperaments=sanguine,choleric", "-T", "epochs=2"]
    cmd += ["--log-dir", str(tmp_path / "logs"), "--display", "none"]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=400)
    assert proc.returncode == 0, proc.stderr[-3000:]
    [log_file] = list((tmp_path / "logs").glob("*.eval"))
    log = read_eval_log(str(log_file))
    assert log.status == "success" and log.samples is not None and len(log.samples) == 8  # 4 samples x 2 epochs
    for sample in log.samples:
        assert sample.scores is not None
        value = next(iter(sample.scores.values())).value
        assert isinstance(value, dict) and set(value) >= {"correct", "consultation", "empathy", "competence"}
        assert [m.role for m in sample.messages[:3]] == ["system", "user", "assistant"]  # the consultation
    stye = [s for s in log.samples if str(s.id).startswith("stye-01")]
    assert all(next(iter(s.scores.values())).value["correct"] == 1.0 for s in stye)  # type: ignore[union-attr, index]
    reducers = {r.reducer for r in log.results.scores}  # type: ignore[union-attr]
    assert {"mean", "pass_k_2"} <= reducers, reducers
    pass_k = next(r for r in log.results.scores if r.reducer == "pass_k_2" and r.name == "correct")  # type: ignore[union-attr]
    assert pass_k.metrics["accuracy"].value == 0.5  # stye right both times, hives never
    assert any(name.endswith("weighted_f1") for name in pass_k.metrics)
    store = SessionStore(redis_server.url)  # every consultation was written to Redis as usual: the app opens it
    heads = store.headers(store.list_ids(limit=1000))
    assert sum(1 for h in heads if (h.run_id or "").startswith("inspect-") and h.doctor.backend == "inspect") == 8


async def test_publish_dry_run_reads_back_with_datasets(runtime: Runtime, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from datasets import load_dataset

    spec = BatchSpec(cases=["stye-01", "hives-01"], temperaments=["sanguine"], doctors=["reference"], seeds=[0, 1])
    run_id = spec.run_id()
    await run_batch(runtime, spec, run_id)
    out = tmp_path / "pub"
    os.environ["REDIS_URL"] = runtime.settings.redis_url or ""
    os.environ["CB_DATA_DIR"] = str(tmp_path / "data")
    try:
        rc = publish(
            ["--run", run_id, "--repo", "someone/consultbench-demo", "--out", str(out), "--dry-run", "--eval-results"]
        )
    finally:
        os.environ.pop("REDIS_URL")
        os.environ.pop("CB_DATA_DIR")
    assert rc == 0 and "would create dataset repo someone/consultbench-demo" in capsys.readouterr().out
    sessions = load_dataset("parquet", data_files=str(out / "data" / "sessions.parquet"))["train"]
    turns = load_dataset("parquet", data_files=str(out / "data" / "turns.parquet"))["train"]
    assert len(sessions) == 4 and set(sessions["run_id"]) == {run_id} and len(turns) > 4 * 10
    card = (out / "README.md").read_text()
    manifest = json.loads((out / "manifest.json").read_text())
    for key in ("run_id", "cases_version", "doctors", "prompt_hashes", "seeds", "strategies", "case_sets"):
        assert f'"{key}"' in card, key
    assert manifest["seeds"] == [0, 1] and manifest["strategies"] == ["dialogue"]
    assert "judge_validity_heldout" in manifest["validity"] and "Validity when the run was published" in card
    assert "value:" in (out / ".eval_results" / "consultbench.yaml").read_text()
