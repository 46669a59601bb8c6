"""The 100-consultation check: `python -m dialogue batch` (the CLI, progress bar and all) runs 50 cases x 2
doctors (the simulated TGI endpoint and the no-LLM reference history-taker) with a grounded patient, then
writes sessions.jsonl, sessions.parquet and a report with a paired leaderboard to bench/results/batch100/.
Prints its wall time against the same run's sequential estimate (the sum of per-consultation durations).

    .venv/bin/python bench/batch100.py [--token-ms 20] [-n 32]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from batch_throughput import doctor
from common import ROOT, machine, simulated_endpoint

from dialogue.store.redis_server import EmbeddedRedis

OUT = ROOT / "bench" / "results" / "batch100"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--token-ms", type=float, default=20.0)
    ap.add_argument("-n", type=int, default=32)
    args = ap.parse_args()
    redis = EmbeddedRedis(Path(tempfile.mkdtemp(prefix="cb-batch100-"))).start()
    env = dict(os.environ, REDIS_URL=redis.url, CB_DATA_DIR=tempfile.mkdtemp())
    cmd = [sys.executable, "-m", "dialogue", "batch", "--split", "dev", "--limit", "50", "--temperament", "choleric"]
    try:
        with simulated_endpoint(doctor, args.token_ms / 1000, batch_size=64) as base_url:
            cmd += ["--doctor", f"tgi:{base_url}", "--doctor", "reference", "-n", str(args.n), "--out", str(OUT)]
            t0 = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, env=env, check=True)
            wall = time.perf_counter() - t0
    finally:
        redis.stop()
    rows = [json.loads(line) for line in (OUT / "sessions.jsonl").read_text().splitlines()]
    busy = sum(r["seconds"] for r in rows)
    print(f"machine: {machine()}")
    print(f"{len(rows)} consultations, {sum(r['turns'] for r in rows)} turns, in {wall:.1f}s (process start included)")
    print(
        f"sum of consultation durations {busy:.1f}s = {busy / wall:.1f}x the wall time (run one after another, it would take that long)"
    )
    print(f"report: {OUT / 'report.md'}")


if __name__ == "__main__":
    main()
