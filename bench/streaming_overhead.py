"""Streaming overhead: time to first token and inter-token gap seen by a client of the Gradio app
(gradio_client) vs a direct huggingface_hub InferenceClient on the same simulated endpoint.

    .venv/bin/python bench/streaming_overhead.py [--reps 15] [--token-ms 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
import urllib.request

from common import ROOT, fresh_runtime, machine, pct

from dialogue.redis_server import free_port
from tests.tgi_server import TGIServer

TEXT = "Hello, I am sorry to hear that. When did it start and has it changed at all since then?"


def responder(messages: list[dict]) -> str:  # type: ignore[type-arg]
    return TEXT


def direct(url: str, reps: int) -> tuple[list[float], list[float]]:
    from huggingface_hub import InferenceClient

    ttft, gaps = [], []
    for _ in range(reps):
        client = InferenceClient(base_url=url)
        t0 = time.perf_counter()
        last = None
        for chunk in client.chat_completion([{"role": "user", "content": "hi"}], stream=True, max_tokens=64):
            if chunk.choices and chunk.choices[0].delta.content:
                now = time.perf_counter()
                if last is None:
                    ttft.append(now - t0)
                else:
                    gaps.append(now - last)
                last = now
    return ttft, gaps


def through_app(app_url: str, rt, url: str, reps: int) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    from gradio_client import Client

    client = Client(app_url, verbose=False)
    ttft, gaps = [], []
    for rep in range(reps + 1):  # the first one warms the app (embedding model load) and is discarded
        if rep == 1:
            ttft, gaps = [], []
        c = rt.new_consultation("stye-01", "phlegmatic", doctor=f"tgi:{url}", max_turns=1)
        asyncio.run(_drain(c.step()))  # the patient's opening: the app's next step is the doctor's turn
        t0 = time.perf_counter()
        job = client.submit(c.session.id, api_name="/run_session")
        seen, last, prev = 0, None, ""
        while not job.done() or seen < len(job.outputs()):
            outs = job.outputs()
            for out in outs[seen:]:
                chat = out[0] if isinstance(out, (list, tuple)) else out
                doctor = (
                    "".join(str(m.get("content", "")) for m in chat if isinstance(m, dict) and m.get("role") == "user")
                    if isinstance(chat, list)
                    else ""
                )
                if doctor:
                    now = time.perf_counter()
                    if last is None:
                        ttft.append(now - t0)
                    elif doctor != prev:
                        gaps.append(now - last)
                    if last is None or doctor != prev:
                        last, prev = now, doctor
            seen = len(outs)
            time.sleep(0.001)
    return ttft, gaps


async def _drain(gen):  # type: ignore[no-untyped-def]
    return [e async for e in gen]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=15)
    ap.add_argument("--token-ms", type=float, default=20.0)
    args = ap.parse_args()
    rt, redis = fresh_runtime()
    with TGIServer(responder, token_delay_s=args.token_ms / 1000) as srv:
        port = free_port()
        env = dict(
            os.environ, REDIS_URL=redis.url, GRADIO_SERVER_PORT=str(port), CB_WARM="0", CB_DOCTOR=f"tgi:{srv.url()}"
        )
        app = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py")],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            app_url = f"http://127.0.0.1:{port}"
            for _ in range(240):
                try:
                    urllib.request.urlopen(app_url, timeout=2)
                    break
                except OSError:
                    time.sleep(0.5)
            d_ttft, d_gaps = direct(srv.url(), args.reps)
            a_ttft, a_gaps = through_app(app_url, rt, srv.url(), args.reps)
        finally:
            app.terminate()
            app.wait(20)
    ms = 1000
    print(f"machine: {machine()}; simulated endpoint {args.token_ms:.0f} ms/token; {args.reps} streams each")
    print(
        f"direct InferenceClient: TTFT p50 {pct(d_ttft, 50) * ms:.0f} ms, p95 {pct(d_ttft, 95) * ms:.0f} ms; gap p50 {pct(d_gaps, 50) * ms:.1f} ms, p95 {pct(d_gaps, 95) * ms:.1f} ms"
    )
    print(
        f"through the Gradio app: TTFT p50 {pct(a_ttft, 50) * ms:.0f} ms, p95 {pct(a_ttft, 95) * ms:.0f} ms; gap p50 {pct(a_gaps, 50) * ms:.1f} ms, p95 {pct(a_gaps, 95) * ms:.1f} ms"
    )
    print(
        f"added p95 TTFT: {(pct(a_ttft, 95) - pct(d_ttft, 95)) * ms:+.0f} ms (goal <= +50 ms); ratio {pct(a_ttft, 95) / pct(d_ttft, 95):.2f}x"
    )
    rt.close()
    redis.stop()


if __name__ == "__main__":
    main()
