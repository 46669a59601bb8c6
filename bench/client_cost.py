"""The batch client's own cost, apart from the endpoint's (issue 16).

The endpoint (dialogue/testing/tgi_server.py) runs in its own process; the client's cost is this process's CPU
time (`time.process_time`: the endpoint and redis-server are other processes), not wall time.

- **per token / per turn**: the same consultations (same turns) with short and with long doctor messages;
  CPU per streamed token = the CPU difference over the token difference, CPU per turn = the rest per turn
  (grounding, live scoring, leak guard, Redis writes, the embedding of new text).
- **start-up**: from launching `python -m dialogue batch` to the endpoint's first request, with a fresh data
  folder (cold: no embedding cache) and again (warm).
- **throughput**: consultations per minute and endpoint utilization at n = 1, 8, 32, 64, 128.
- **scale-out**: the same queued run with 1 and with 2 `python -m dialogue worker` processes, the endpoint fast
  enough that the client is the bottleneck.

    .venv/bin/python bench/client_cost.py [--only cost,startup,throughput,workers] [--token-ms 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ENDPOINT_PIDS, ROOT, fresh_runtime, machine, process_cpu, simulated_endpoint

from dialogue.batch.eventloop import run as loop_run
from dialogue.batch.run import run_batch
from dialogue.batch.spec import BatchSpec

SHORT = "Thank you for telling me, when did this first start and has it changed since then?"
LONG = (
    "<think>" + " ".join(["Weighing eczema against contact dermatitis and psoriasis here."] * 16) + "</think>" + SHORT
)
"""The same question after a hidden reasoning block: ~130 more streamed tokens that never reach grounding or
live scoring, so the difference is the cost of streaming itself."""
MARK = os.environ.get("CB_BENCH_FIRST", "")


def short_doctor(messages: list[dict]) -> str:  # type: ignore[type-arg]
    return _doctor(messages, SHORT)


def long_doctor(messages: list[dict]) -> str:  # type: ignore[type-arg]
    return _doctor(messages, LONG)


def _doctor(messages: list[dict], line: str) -> str:  # type: ignore[type-arg]
    """Four questions, then a diagnosis; notes the time of its first request when asked to."""
    mark = os.environ.get("CB_BENCH_FIRST")
    if mark and not Path(mark).exists():
        Path(mark).write_text(str(time.time()))
    k = sum(1 for m in messages if m.get("role") == "assistant")
    opening = str(messages[1].get("content", "")) if len(messages) > 1 else ""
    own = f" (about what you said: {opening.split()[-1] if opening.split() else 'that'}, point {k + 1})"
    return line + own if k < 4 else "Thank you, I have enough information now.\nFINAL DIAGNOSIS: eczema"


def cpu_run(rt, url: str, cases: list[str], n: int, run_id: str) -> tuple[float, float, int, int]:  # type: ignore[no-untyped-def]
    """(wall s, client CPU s, doctor tokens streamed, turns) of one batch."""
    spec = BatchSpec(cases=cases, temperaments=["phlegmatic"], doctors=[f"tgi:{url}"], concurrency=n)
    c0, w0 = time.process_time(), time.perf_counter()
    results = (loop_run if os.environ.get("CB_BENCH_LOOP", "uvloop") == "uvloop" else asyncio.run)(
        run_batch(rt, spec, run_id)
    )
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    assert not [r for r in results if r.error], [r.error for r in results if r.error][:2]
    turns = [t for r in results for t in rt.store.turns(r.session_id)]
    return wall, cpu, sum(t.tokens for t in turns if t.seat == "doctor"), len(turns)


def bench_cost(token_ms: float, repeats: int = 3) -> list[str]:
    """Short and long runs, `repeats` times each (fresh run ids, so every consultation is new); the figures are
    the medians, with the range, because the endpoint and redis-server share the machine's cores."""
    rt, redis = fresh_runtime()
    rt.warm_embeddings()
    cases = rt.library.case_ids[:32]
    tokens, turns = [], []
    try:
        for name, fn in (("short", short_doctor), ("long", long_doctor)):
            with simulated_endpoint(fn, token_ms / 1000, batch_size=64) as url:
                cpu_run(rt, url, rt.library.case_ids[40:44], 4, f"warm-{name}")  # steady state: first calls paid
                for k in range(repeats):
                    (tokens if name == "long" else turns).append(cpu_run(rt, url, cases, 32, f"cost-{name}-{k}"))
    finally:
        rt.close()
        redis.stop()
    per_token = sorted(
        (cl - cs) / max(1, tl - ts) for (_, cs, ts, _), (_, cl, tl, _) in zip(turns, tokens, strict=True)
    )
    per_turn = sorted((cs - statistics.median(per_token) * ts) / n for _, cs, ts, n in turns)
    _, _, tok_s, turns_s = turns[0]
    return [
        f"| CPU per streamed token | {1000 * statistics.median(per_token):.3f} ms (range {1000 * per_token[0]:.3f}-"
        f"{1000 * per_token[-1]:.3f}, {repeats} runs) | (long - short CPU s) / (long - short tokens), "
        f"{tokens[0][2]} vs {tok_s} tokens | ≤ 0.1 ms |",
        f"| CPU per turn, model time excluded | {1000 * statistics.median(per_turn):.1f} ms (range "
        f"{1000 * per_turn[0]:.1f}-{1000 * per_turn[-1]:.1f}) | {turns_s} turns, short messages | ≤ 5 ms |",
    ]


def bench_startup() -> list[str]:
    out = []
    data = Path(tempfile.mkdtemp(prefix="cb-start-"))
    for label in ("cold (no embedding cache)", "warm"):
        mark = Path(tempfile.mkdtemp()) / "first"
        os.environ["CB_BENCH_FIRST"] = str(mark)
        with simulated_endpoint(short_doctor, 0.001, batch_size=64) as url:
            env = {**os.environ, "CB_DATA_DIR": str(data), "CB_BENCH_FIRST": str(mark)}
            cmd = [sys.executable, "-m", "dialogue", "batch", "--doctor", f"tgi:{url}", "--case", "stye-01"]
            cmd += ["--temperament", "phlegmatic", "--run-id", f"start-{time.time_ns()}"]
            t0 = time.time()
            subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, check=True, timeout=600)
            first = float(mark.read_text()) - t0
        out.append(
            f"| start-up to the first request, {label} | {first:.2f} s | `python -m dialogue batch`, one case | ≤ 3 s warm |"
        )
    os.environ.pop("CB_BENCH_FIRST", None)
    return out


def bench_throughput(token_ms: float) -> list[str]:
    rt, redis = fresh_runtime()
    rt.warm_embeddings()
    out = []
    try:
        with simulated_endpoint(short_doctor, token_ms / 1000, batch_size=128) as url:
            for n in (1, 8, 32, 64, 128):
                cases = (rt.library.case_ids * 2)[: max(4, min(2 * n, 128))]
                cases = list(dict.fromkeys(cases))
                e0 = process_cpu(ENDPOINT_PIDS[url])
                wall, cpu, tokens, _ = cpu_run(rt, url, cases, n, f"tp-{n}-{time.time_ns()}")
                ecpu = process_cpu(ENDPOINT_PIDS[url]) - e0
                util = tokens / wall / (min(n, len(cases)) * 1000 / token_ms)
                out.append(
                    f"| n = {n} | {len(cases) / wall * 60:.0f} consultations/min | {len(cases)} consultations in {wall:.1f} s, "
                    f"client CPU {cpu:.1f} s ({cpu / wall:.0%} of one core), endpoint CPU {ecpu:.1f} s "
                    f"({ecpu / wall:.0%}) | utilization {util:.0%} |"
                )
    finally:
        rt.close()
        redis.stop()
    return out


def machine_idle() -> float:
    """Seconds all cores have been idle so far (Linux /proc/stat; summed over cores)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    return (int(fields[3]) + int(fields[4])) / os.sysconf("SC_CLK_TCK")


def bench_workers(jobs: int = 128) -> list[str]:
    out = []
    rates = {}
    for k in (1, 2):
        rt, redis = fresh_runtime()
        rt.warm_embeddings()
        try:
            with simulated_endpoint(short_doctor, 0.001, batch_size=256) as url:
                spec = BatchSpec(
                    cases=rt.library.case_ids[:jobs],
                    temperaments=["phlegmatic"],
                    doctors=[f"tgi:{url}"],
                    concurrency=32,
                )
                from dialogue.batch.queue import enqueue

                run_id = f"workers-{k}-{time.time_ns()}"
                asyncio.run(enqueue(redis.url, spec, run_id))
                env = {**os.environ, "REDIS_URL": redis.url, "CB_DATA_DIR": str(rt.settings.data_dir)}
                cmd = [sys.executable, "-m", "dialogue", "worker", "--burst", "--max-jobs", "32"]
                t0, ru0, idle0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN), machine_idle()
                procs = [
                    subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    for _ in range(k)
                ]
                for p in procs:
                    p.wait(timeout=900)
                wall = time.perf_counter() - t0
                ru = resource.getrusage(resource.RUSAGE_CHILDREN)
                worker_cpu = ru.ru_utime + ru.ru_stime - ru0.ru_utime - ru0.ru_stime
                idle = (machine_idle() - idle0) / (os.cpu_count() or 1)
                ids = [j.session_id(run_id) for j in spec.jobs()]
                done = sum(1 for s in rt.store.headers(ids) if s.status == "ended")
                # steady state: from the first consultation's first turn to the last one's last turn (a worker's
                # start-up, ~2 s of imports and the embedding model, is paid once per process, not per job)
                turns = [t for i in ids for t in rt.store.turns(i)]
                busy = max(t.ended_at for t in turns) - min(t.started_at for t in turns)
                rates[k] = done / busy * 60
                out.append(
                    f"| {k} worker(s) | {rates[k]:.0f} consultations/min | {done}/{jobs} in {busy:.1f} s of work "
                    f"({wall:.1f} s with start-up: {done / wall * 60:.0f}/min); workers' CPU {worker_cpu:.1f} s "
                    f"({1000 * worker_cpu / max(1, done):.0f} ms a consultation, start-up included); machine busy "
                    f"{1 - idle / wall:.0%} of {os.cpu_count()} cores | |"
                )
        finally:
            rt.close()
            redis.stop()
    out.append(
        f"| 2 workers / 1 worker | {rates[2] / rates[1]:.2f}x | {os.cpu_count()} cores shared with the endpoint and Redis | ≥ 1.8x |"
    )
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="cost,startup,throughput,workers")
    ap.add_argument("--token-ms", type=float, default=20.0)
    args = ap.parse_args()
    parts = set(args.only.split(","))
    rows = ["| measure | result | how | goal |", "|---|---|---|---|"]
    if "startup" in parts:
        rows += bench_startup()
    if "cost" in parts:
        rows += bench_cost(args.token_ms)
    if "throughput" in parts:
        rows += bench_throughput(args.token_ms)
    if "workers" in parts:
        rows += bench_workers()
    print(f"machine: {machine()}; endpoint {args.token_ms:.0f} ms/token per stream, own process")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
