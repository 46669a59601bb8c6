"""Streaming overhead: time to first token and inter-token gap seen by a client of the Gradio app vs a
direct huggingface_hub InferenceClient on the same simulated endpoint.

Two clients of the app are measured: the browser's own protocol (POST queue/join, then the SSE stream of
queue/data, read with httpx: what the Gradio front end does) and `gradio_client` (a convenience client that
adds its own thread hand-offs and polling; measured so that its cost is visible, not hidden in the app's).

    .venv/bin/python bench/streaming_overhead.py [--reps 15] [--token-ms 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator

import httpx
from common import ROOT, fresh_runtime, machine, pct

from dialogue.store.redis_server import free_port
from dialogue.testing.tgi_server import TGIServer

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


def api_fn(app_url: str, api_name: str = "run_session") -> int:
    deps = httpx.get(f"{app_url}/config").json()["dependencies"]
    return next(d.get("id", i) for i, d in enumerate(deps) if d.get("api_name") == api_name)


def queue_messages(http: httpx.Client, app_url: str, fn: int, data: list[object]) -> Iterator[dict]:  # type: ignore[type-arg]
    """Run one event the way the Gradio front end does (POST queue/join, then read queue/data's SSE stream);
    yield each message until the event completes."""
    session_hash = uuid.uuid4().hex[:12]
    join = {"data": data, "fn_index": fn, "session_hash": session_hash, "trigger_id": None}
    http.post(f"{app_url}/gradio_api/queue/join", json=join).raise_for_status()
    with http.stream("GET", f"{app_url}/gradio_api/queue/data", params={"session_hash": session_hash}) as r:
        for line in r.iter_lines():
            if not line.startswith("data:"):
                continue
            msg = json.loads(line[5:])
            if msg.get("msg") == "process_completed":
                return
            yield msg


def through_app_sse(app_url: str, rt, url: str, reps: int) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    """The browser's path: join the queue, read the SSE stream, time the first doctor piece and the gaps."""
    fn = api_fn(app_url)
    ttft, gaps = [], []
    with httpx.Client(timeout=60) as http:
        for rep in range(reps + 1):  # the first one warms the app (embedding model load) and is discarded
            c = rt.new_consultation("stye-01", "phlegmatic", doctor=f"tgi:{url}", max_turns=1)
            asyncio.run(_drain(c.step()))
            first, last, doctor_at, these = None, None, -1, []
            t0 = time.perf_counter()
            for msg in queue_messages(http, app_url, fn, [c.session.id]):
                if msg.get("msg") != "process_generating":
                    continue
                now = time.perf_counter()
                chat = msg["output"]["data"][0]
                if not isinstance(chat, list):
                    continue  # this yield left the chat alone
                if chat and isinstance(chat[0], dict):
                    chat = [["replace", [], chat]]  # the whole chat, sent as a value rather than as a diff
                for op in chat:  # diffs of the chatbot: ["add", [i], message], ["append", path, text], ...
                    if first is None and op[0] == "replace" and op[1] == []:  # the whole chat at once
                        users = [i for i, m in enumerate(op[2]) if m.get("role") == "user"]
                        if users:
                            first, last, doctor_at = now - t0, now, users[-1]
                    elif first is None and op[0] == "add" and op[2].get("role") == "user":
                        first, last, doctor_at = now - t0, now, op[1][0]  # the doctor's first piece
                    elif first is not None and op[0] == "append" and op[1][0] == doctor_at:
                        these.append(now - last)  # type: ignore[operator]
                        last = now
            if rep and first is not None:
                ttft.append(first)
                gaps.extend(these)
    return ttft, gaps


def gradio_floor(token_s: float, reps: int) -> list[float]:
    """Gradio's own share: TTFT of an empty generator app (sleep one token, yield a chat) over the same protocol."""
    import gradio as gr

    async def tokens(_sid: str):  # type: ignore[no-untyped-def]
        await asyncio.sleep(token_s)
        yield [{"role": "user", "content": "Hello,"}]

    with gr.Blocks() as demo:
        box, chat, go = gr.Textbox(), gr.Chatbot(), gr.Button()
        go.click(tokens, box, chat, api_name="run_session")
    port = free_port()
    demo.queue().launch(server_port=port, prevent_thread_lock=True, quiet=True)
    app_url = f"http://127.0.0.1:{port}"
    fn = api_fn(app_url)
    out = []
    with httpx.Client(timeout=60) as http:
        for rep in range(reps + 1):
            t0 = time.perf_counter()
            first = None
            for msg in queue_messages(http, app_url, fn, ["x"]):  # read to the end, as the app's runs are
                if first is None and msg.get("msg") == "process_generating":
                    first = time.perf_counter() - t0
            if rep and first is not None:
                out.append(first)
    demo.close()
    return out


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
            s_ttft, s_gaps = through_app_sse(app_url, rt, srv.url(), args.reps)
            a_ttft, a_gaps = through_app(app_url, rt, srv.url(), args.reps)
            floor = gradio_floor(args.token_ms / 1000, args.reps)
        finally:
            app.terminate()
            app.wait(20)
    ms = 1000
    print(f"machine: {machine()}; simulated endpoint {args.token_ms:.0f} ms/token; {args.reps} streams each")
    print(
        f"direct InferenceClient: TTFT p50 {pct(d_ttft, 50) * ms:.0f} ms, p95 {pct(d_ttft, 95) * ms:.0f} ms; gap p50 {pct(d_gaps, 50) * ms:.1f} ms, p95 {pct(d_gaps, 95) * ms:.1f} ms"
    )
    print(
        f"through the Gradio app, browser protocol (SSE): TTFT p50 {pct(s_ttft, 50) * ms:.0f} ms, p95 {pct(s_ttft, 95) * ms:.0f} ms; gap p50 {pct(s_gaps, 50) * ms:.1f} ms, p95 {pct(s_gaps, 95) * ms:.1f} ms"
    )
    print(
        f"added p95 TTFT, browser protocol: {(pct(s_ttft, 95) - pct(d_ttft, 95)) * ms:+.0f} ms (goal <= +50 ms); ratio {pct(s_ttft, 95) / pct(d_ttft, 95):.2f}x"
    )
    print(
        f"of which Gradio itself (an empty generator app, same protocol, one {args.token_ms:.0f} ms token): TTFT p50 {pct(floor, 50) * ms:.0f} ms, p95 {pct(floor, 95) * ms:.0f} ms, i.e. {(pct(floor, 95) - args.token_ms / 1000) * ms:+.0f} ms p95 over the token"
    )
    print(
        f"through the Gradio app, gradio_client: TTFT p50 {pct(a_ttft, 50) * ms:.0f} ms, p95 {pct(a_ttft, 95) * ms:.0f} ms; gap p50 {pct(a_gaps, 50) * ms:.1f} ms, p95 {pct(a_gaps, 95) * ms:.1f} ms"
    )
    print(
        f"added p95 TTFT, gradio_client: {(pct(a_ttft, 95) - pct(d_ttft, 95)) * ms:+.0f} ms; ratio {pct(a_ttft, 95) / pct(d_ttft, 95):.2f}x"
    )
    rt.close()
    redis.stop()


if __name__ == "__main__":
    main()
