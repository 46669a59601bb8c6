"""Soak: many concurrent scripted consultations through the app's API for a few minutes; every session
must complete, nothing may error, and the app's memory should stay flat.

    .venv/bin/python bench/soak.py [--clients 32] [--seconds 180]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from common import fresh_runtime, machine, pct

from dialogue.testing.soak_driver import soak, start_app


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=180)
    args = ap.parse_args()
    rt, redis = fresh_runtime()
    proc, url = start_app(redis.url, Path(tempfile.mkdtemp()))
    try:
        rep = soak(url, proc.pid, rt.store, clients=args.clients, seconds=args.seconds, case_ids=rt.library.case_ids)
    finally:
        proc.terminate()
        proc.wait(20)
        redis.stop()
    print(f"machine: {machine()}")
    print(
        f"{args.clients} clients for {args.seconds:.0f}s: {rep.sessions} sessions, {rep.turns} turns, {len(rep.errors)} errors, {len(rep.incomplete)} incomplete"
    )
    print(f"consultation latency p50 {pct(rep.latencies, 50):.2f}s p95 {pct(rep.latencies, 95):.2f}s")
    print(
        f"app RSS {rep.rss_start_mb:.0f} MB -> {rep.rss_end_mb:.0f} MB (ratio {rep.rss_end_mb / rep.rss_start_mb:.2f})"
    )
    for e in rep.errors[:5]:
        print("error:", e)


if __name__ == "__main__":
    main()
