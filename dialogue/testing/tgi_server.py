"""A small HTTP server that speaks TGI's OpenAI-compatible chat-completion protocol (SSE streaming).

Used by the tests (real HTTP, real `huggingface_hub` client) and by bench/ as a simulated GPU endpoint:
a fixed per-token delay per request and continuous batching (requests beyond `batch_size` wait for a slot).

Behaviour per request is chosen by the first path segment of the base URL, e.g.
`http://127.0.0.1:PORT/fail503x2/v1/chat/completions`:
  ok            normal stream
  fail503xN     the first N requests on this path get 503, then normal
  always503     every request gets 503
  cutxN         like cut for the first N requests on this path, then normal
  cut           closes the socket after a few chunks without [DONE] and with no finish_reason
  stall         sends a few chunks then goes silent for `stall_s`
  slowfirst     waits `stall_s` before sending headers
  badchunk      sends a chunk that is not JSON
  midstreamerror sends an in-stream {"error": ...} event
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Responder = Callable[[list[dict[str, Any]]], str]


def default_responder(messages: list[dict[str, Any]]) -> str:
    """A doctor that asks two questions and then commits (at once when told it has one message), writing a
    working-diagnosis line when its prompt asks for one: enough for a full consultation in any strategy."""
    n = sum(1 for m in messages if m.get("role") == "assistant")
    last = str(messages[-1].get("content", "")) if messages else ""
    working = "WORKING DIAGNOSIS" in str(messages[0].get("content", "")) if messages else False
    script = [
        "Hello, I am sorry to hear that. When did it start?" + ("\nWORKING DIAGNOSIS: chalazion (40%)" * working),
        "Does it hurt, and has your vision changed at all?" + ("\nWORKING DIAGNOSIS: stye (70%)" * working),
        "Thank you. This looks like an infected eyelash follicle. Use warm compresses four times a day.\n"
        "FINAL DIAGNOSIS: stye",
    ]
    if "your last message" in last:
        return script[-1]
    return script[min(n, len(script) - 1)]


class _Server(ThreadingHTTPServer):
    request_queue_size = 1024
    """socketserver's default listen backlog is 5: a burst of 32 connections loses SYNs, and each lost one
    costs the client a 1 s retransmit, which a real server (backlog 2048) never shows."""


class TGIServer:
    def __init__(
        self,
        responder: Responder = default_responder,
        *,
        token_delay_s: float = 0.0,
        batch_size: int = 1_000_000,
        stall_s: float = 5.0,
        port: int = 0,
    ):
        self.responder = responder
        self.token_delay_s = token_delay_s
        self.stall_s = stall_s
        self.requests: list[dict[str, Any]] = []
        self.hits: Counter[str] = Counter()
        self.tokens_sent = 0
        self._slots = threading.Semaphore(batch_size)
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                m = re.match(r"^/([^/]+)/v1/chat/completions$", self.path)
                mode = m.group(1) if m else "ok"
                with server._lock:
                    server.requests.append({"path": self.path, "body": body, "headers": dict(self.headers)})
                    server.hits[mode] += 1
                    hit = server.hits[mode]
                server._handle(self, mode, hit, body)

        self.httpd = _Server(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, mode: str = "ok") -> str:
        return f"http://127.0.0.1:{self.port}/{mode}"

    def __enter__(self) -> TGIServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # ---------------------------------------------------------------- protocol

    def _error(self, h: BaseHTTPRequestHandler, status: int, msg: str, kind: str) -> None:
        data = json.dumps({"error": msg, "error_type": kind}).encode()
        h.send_response(status)
        h.send_header("content-type", "application/json")
        h.send_header("content-length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    @staticmethod
    def _chunk(text: str | None, finish: str | None, usage: dict[str, int] | None = None) -> bytes:
        payload = {
            "object": "chat.completion.chunk",
            "id": "",
            "created": int(time.time()),
            "model": "tgi-stub",
            "system_fingerprint": "3.3.6-native",
            "choices": [
                {
                    "index": 0,
                    "delta": {"role": "assistant", "content": text} if text is not None else {},
                    "logprobs": None,
                    "finish_reason": finish,
                }
            ],
            "usage": usage,
        }
        return b"data: " + json.dumps(payload).encode() + b"\n\n"

    def _handle(self, h: BaseHTTPRequestHandler, mode: str, hit: int, body: dict[str, Any]) -> None:
        m = re.match(r"fail503x(\d+)$", mode)
        if mode == "always503" or (m and hit <= int(m.group(1))):
            self._error(h, 503, "Model is overloaded", "overloaded")
            return
        if mode == "slowfirst":
            time.sleep(self.stall_s)
        mc = re.match(r"cutx(\d+)$", mode)
        if mc:
            mode = "cut" if hit <= int(mc.group(1)) else "ok"
        text = self.responder(body.get("messages", []))
        pieces = re.findall(r"\S+\s*|\s+", text) or [""]
        if not body.get("stream"):
            data = json.dumps(
                {
                    "object": "chat.completion",
                    "id": "",
                    "created": int(time.time()),
                    "model": "tgi-stub",
                    "system_fingerprint": "3.3.6-native",
                    "choices": [
                        {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
                    ],
                    "usage": {"prompt_tokens": 1, "completion_tokens": len(pieces), "total_tokens": len(pieces) + 1},
                }
            ).encode()
            h.send_response(200)
            h.send_header("content-type", "application/json")
            h.send_header("content-length", str(len(data)))
            h.end_headers()
            h.wfile.write(data)
            return
        with self._slots:
            h.send_response(200)
            h.send_header("content-type", "text/event-stream")
            h.send_header("connection", "close")
            h.end_headers()
            try:
                for i, piece in enumerate(pieces):
                    if self.token_delay_s:
                        time.sleep(self.token_delay_s)
                    if mode == "cut" and i == 2:
                        h.wfile.flush()
                        h.close_connection = True
                        return
                    if mode == "stall" and i == 2:
                        h.wfile.flush()
                        time.sleep(self.stall_s)
                        return
                    if mode == "badchunk" and i == 2:
                        h.wfile.write(b"data: {not json\n\n")
                        h.wfile.flush()
                        return
                    if mode == "midstreamerror" and i == 2:
                        h.wfile.write(b'data: {"error":"CUDA out of memory","error_type":"generation"}\n\n')
                        h.wfile.flush()
                        return
                    h.wfile.write(self._chunk(piece, None))
                    h.wfile.flush()
                    with self._lock:
                        self.tokens_sent += 1
                usage = {"prompt_tokens": 10, "completion_tokens": len(pieces), "total_tokens": 10 + len(pieces)}
                h.wfile.write(self._chunk(None, "stop", usage))
                h.wfile.write(b"data: [DONE]\n\n")
                h.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass
