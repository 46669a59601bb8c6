"""Live sessions: p95 added latency per streamed token with 50, 100 and 200 concurrent streaming
consultations in one process, against one session alone (the baseline), same run. The simulated endpoint
runs in its own process (on this 2-core machine it still shares the CPU).

Added latency = the gap between text pieces the consumer sees minus the endpoint's per-token delay.

    .venv/bin/python bench/live_sessions.py [--levels 1,50,100,200] [--token-ms 20]
"""

from __future__ import annotations

import argparse
import asyncio
import time

from common import fresh_runtime, machine, pct, rss_mb, simulated_endpoint

from dialogue.schema import Delta, Failed


def doctor(messages: list[dict]) -> str:  # type: ignore[type-arg]
    k = sum(1 for m in messages if m.get("role") == "assistant")
    return (
        "Thanks. When did it start, and is it itchy or painful at all?" if k < 2 else "I see.\nFINAL DIAGNOSIS: eczema"
    )


async def level(rt, url: str, k: int, token_s: float) -> tuple[list[float], int]:  # type: ignore[no-untyped-def]
    gaps: list[float] = []
    errors = 0

    async def one(i: int) -> None:
        nonlocal errors
        c = rt.new_consultation(rt.library.case_ids[i % len(rt.library.case_ids)], "phlegmatic", doctor=url)
        last = None
        async for ev in c.run():
            if isinstance(ev, Delta) and ev.seat == "doctor":
                now = time.perf_counter()
                if last is not None:
                    gaps.append(now - last - token_s)
                last = now
            elif isinstance(ev, Failed):
                errors += 1
            else:
                last = None

    await asyncio.gather(*(one(i) for i in range(k)))
    return gaps, errors


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--levels", default="1,50,100,200")
    ap.add_argument("--token-ms", type=float, default=20.0)
    args = ap.parse_args()
    rt, redis = fresh_runtime()
    _ = rt.matcher.similarity(["warm"], [["up"]])
    token_s = args.token_ms / 1000
    print(f"machine: {machine()}; simulated endpoint {args.token_ms:.0f} ms/token, batching up to 256")
    with simulated_endpoint(doctor, token_s, batch_size=256) as base_url:
        base = None
        for k in [int(x) for x in args.levels.split(",")]:
            t0 = time.perf_counter()
            gaps, errors = asyncio.run(level(rt, f"tgi:{base_url}", k, token_s))
            p95 = pct(gaps, 95) * 1000
            base = base if base is not None else p95
            print(f"{k:4d} concurrent sessions: p50 added {pct(gaps, 50) * 1000:6.1f} ms, p95 added {p95:6.1f} ms per piece "
                  f"(x{p95 / max(base, 0.1):.1f} of 1 session), errors {errors}, wall {time.perf_counter() - t0:.1f}s, RSS {rss_mb():.0f} MB")  # fmt: skip
    rt.close()
    redis.stop()


if __name__ == "__main__":
    main()
