"""Batch throughput on a simulated GPU endpoint: the batch runner (N concurrent) vs a sequential
3MDBench-style loop, and endpoint utilization (generated tokens/s / the simulated maximum).

The simulated endpoint (dialogue/testing/tgi_server.py) streams at a fixed per-token delay per request and batches
continuously up to `batch_size` requests (per-request speed constant up to the batch size), so the
numbers are repeatable on a 2-core machine.

    .venv/bin/python bench/batch_throughput.py [--n 32] [--consultations 64] [--token-ms 20]
"""

from __future__ import annotations

import argparse
import asyncio
import time

from common import fresh_runtime, machine, simulated_endpoint

from dialogue.batch.run import run_batch
from dialogue.batch.spec import BatchSpec


def doctor(messages: list[dict]) -> str:  # type: ignore[type-arg]
    """A doctor that asks four questions of ~12 words, then commits (about 60 generated tokens in all)."""
    k = sum(1 for m in messages if m.get("role") == "assistant")
    qs = [
        "Thank you for telling me, when did this first start and has it changed since then?",
        "Is it itchy or painful, and has it spread to any other part of your body?",
        "Have you had anything like this before, or do you take any regular medicines?",
        "Do you have any allergies, or does anyone in your family have similar problems?",
    ]
    return qs[k] if k < len(qs) else "Thank you, I have enough information now.\nFINAL DIAGNOSIS: eczema"


async def timed(rt, spec: BatchSpec, run_id: str) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    results = await run_batch(rt, spec, run_id)
    elapsed = time.perf_counter() - t0
    assert all(not r.error for r in results), [r.error for r in results if r.error][:3]
    doctor_tokens = sum(t.tokens for r in results for t in rt.store.turns(r.session_id) if t.seat == "doctor")
    return elapsed, doctor_tokens


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=32)
    ap.add_argument("--consultations", type=int, default=64)
    ap.add_argument("--sequential", type=int, default=8, help="consultations in the sequential baseline")
    ap.add_argument("--token-ms", type=float, default=20.0)
    args = ap.parse_args()
    rt, redis = fresh_runtime()
    rt.warm_embeddings()  # steady state: case texts are embedded once per machine (disk cache)
    with simulated_endpoint(doctor, args.token_ms / 1000, batch_size=64) as base_url:
        cases = rt.library.case_ids
        url = f"tgi:{base_url}"

        def spec(n_cons: int, conc: int) -> BatchSpec:
            return BatchSpec(cases=cases[:n_cons], temperaments=["phlegmatic"], doctors=[url], concurrency=conc)

        s_seq = spec(args.sequential, 1)
        seq_s, _ = asyncio.run(timed(rt, s_seq, "bench-seq"))
        s_par = spec(args.consultations, args.n)
        par_s, par_tok = asyncio.run(timed(rt, s_par, "bench-par"))
    seq_rate = args.sequential / seq_s * 60
    par_rate = args.consultations / par_s * 60
    max_tps = min(args.n, 64) * 1000 / args.token_ms
    util = par_tok / par_s / max_tps
    print(f"machine: {machine()}")
    print(f"simulated endpoint: {args.token_ms:.0f} ms/token per request, continuous batching up to 64")
    print(f"sequential (3MDBench-style): {args.sequential} consultations in {seq_s:.1f}s = {seq_rate:.1f}/min")
    print(f"batch runner N={args.n}: {args.consultations} consultations in {par_s:.1f}s = {par_rate:.1f}/min")
    print(f"speed-up ratio: {par_rate / seq_rate:.1f}x (goal >= 10x)")
    print(
        f"endpoint utilization: {par_tok / par_s:.0f} generated tok/s of {max_tps:.0f} max ({min(args.n, 64)} streams) = {util:.0%} (goal >= 80%)"
    )
    rt.close()
    redis.stop()


if __name__ == "__main__":
    main()
