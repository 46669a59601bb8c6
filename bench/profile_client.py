"""The batch client under a profiler: 32 consultations at n = 32 against the simulated endpoint (own process,
20 ms/token), after a warm-up, for py-spy:

    .venv/bin/py-spy record -f flamegraph -r 100 -o bench/results/client_profile.svg -- .venv/bin/python bench/profile_client.py [--long]

`--long`: the doctor streams a hidden reasoning block first (~130 more tokens a turn), so streaming dominates.
"""

from __future__ import annotations

import sys

from client_cost import cpu_run, long_doctor, short_doctor
from common import fresh_runtime, simulated_endpoint


def main() -> None:
    rt, redis = fresh_runtime()
    rt.warm_embeddings()
    try:
        doctor = long_doctor if "--long" in sys.argv else short_doctor
        with simulated_endpoint(doctor, 0.02, batch_size=64) as url:
            cpu_run(rt, url, rt.library.case_ids[40:44], 4, "warm")
            wall, cpu, tokens, turns = cpu_run(rt, url, rt.library.case_ids[:32], 32, "profile")
            print(f"{wall:.1f} s wall, {cpu:.1f} s client CPU, {tokens} doctor tokens, {turns} turns")
    finally:
        rt.close()
        redis.stop()


if __name__ == "__main__":
    main()
