"""Redis: write latency per turn (append_turn: WATCH/MULTI + AOF fsync) and load time of a 30-turn session,
against a baseline of plain SET/GET of the same payloads on the same server.

    .venv/bin/python bench/redis_latency.py [--turns 30] [--sessions 20]
"""

from __future__ import annotations

import argparse
import statistics
import time

from common import fresh_runtime, machine, pct

from dialogue.schema import Turn


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--turns", type=int, default=30)
    ap.add_argument("--sessions", type=int, default=20)
    args = ap.parse_args()
    rt, redis = fresh_runtime(doctor="human")
    store = rt.store
    text = "It started about two days ago and it has been getting a little bigger since then. " * 2
    writes, raw_writes, loads, raw_loads = [], [], [], []
    for s in range(args.sessions):
        c = rt.new_consultation("stye-01", "phlegmatic")
        for i in range(args.turns):
            t = Turn(index=i, seat="patient" if i % 2 == 0 else "doctor", text=text, by="bench")
            payload = t.model_dump_json()
            t0 = time.perf_counter()
            store.append_turn(c.session, t)
            writes.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            store.r.set(f"bench:raw:{s}:{i}", payload)
            raw_writes.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        rec = store.record(c.session.id)
        loads.append(time.perf_counter() - t0)
        assert len(rec.turns) == args.turns
        t0 = time.perf_counter()
        store.r.mget([f"bench:raw:{s}:{i}" for i in range(args.turns)])
        raw_loads.append(time.perf_counter() - t0)
    ms = 1000
    print(f"machine: {machine()}; redis-server {redis.version}, appendfsync always")
    print(f"append_turn: median {statistics.median(writes) * ms:.2f} ms, p95 {pct(writes, 95) * ms:.2f} ms "
          f"(baseline SET: median {statistics.median(raw_writes) * ms:.2f} ms) ratio {statistics.median(writes) / statistics.median(raw_writes):.1f}x")  # fmt: skip
    print(f"load {args.turns}-turn session (header, turns, scores, assessment, annotations): median {statistics.median(loads) * ms:.2f} ms, "
          f"p95 {pct(loads, 95) * ms:.2f} ms (baseline MGET: {statistics.median(raw_loads) * ms:.2f} ms) ratio {statistics.median(loads) / statistics.median(raw_loads):.1f}x")  # fmt: skip
    rt.close()
    redis.stop()


if __name__ == "__main__":
    main()
