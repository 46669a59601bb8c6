"""`tgi`: streaming chat completion against TGI, an HF Inference Endpoint or any OpenAI-compatible server,
through huggingface_hub's AsyncInferenceClient; bounded retries before the first token only."""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
from huggingface_hub import AsyncInferenceClient
from huggingface_hub.errors import GenerationError, HfHubHTTPError, InferenceTimeoutError

from dialogue.backends.base import BackendError, GenRequest

try:  # huggingface_hub 2.x uses httpx2; 1.x used httpx.
    import httpx2

    _TRANSPORT_ERRORS: tuple[type[BaseException], ...] = (httpx2.TransportError, httpx.TransportError)
    _STREAM_ERRORS: tuple[type[BaseException], ...] = (httpx2.StreamError, httpx.StreamError)
except ImportError:  # pragma: no cover
    _TRANSPORT_ERRORS = (httpx.TransportError,)
    _STREAM_ERRORS = (httpx.StreamError,)

RETRYABLE_STATUS = {408, 425, 429, 500, 502, 503, 504}


def _share_tls_context() -> None:
    """huggingface_hub builds a new httpx AsyncClient per AsyncInferenceClient, and each loads the CA bundle
    (about 50 ms of CPU). Build the TLS context once and hand the same one to every client."""
    try:
        import httpx2
        from huggingface_hub import set_async_client_factory
        from huggingface_hub.utils import _http as hub_http
    except ImportError:  # pragma: no cover - older hub: leave its default
        return
    hooks: dict[str, list[Any]] = {
        "request": [h for h in [getattr(hub_http, "async_hf_request_event_hook", None)] if h],
        "response": [h for h in [getattr(hub_http, "async_hf_response_event_hook", None)] if h],
    }
    tls = functools.cache(httpx2.create_ssl_context)  # built on the first request, not at import

    def factory() -> httpx2.AsyncClient:
        return httpx2.AsyncClient(event_hooks=hooks, follow_redirects=True, timeout=None, verify=tls())

    set_async_client_factory(factory)


_share_tls_context()


def _classify(exc: BaseException, url: str, shown: bool) -> BackendError:
    if isinstance(exc, BackendError):
        return exc
    if isinstance(exc, HfHubHTTPError) and exc.response is not None:
        status = exc.response.status_code
        body = ""
        try:
            body = exc.response.text[:300]
        except Exception:
            body = ""
        return BackendError(
            f"endpoint refused the request: {body or exc}",
            url=url,
            status=status,
            retryable=status in RETRYABLE_STATUS and not shown,
            cut=shown,
        )
    if isinstance(exc, (InferenceTimeoutError, TimeoutError, asyncio.TimeoutError)) or "Timeout" in type(exc).__name__:
        what = "stalled mid-stream" if shown else "timed out before the first token"
        return BackendError(f"endpoint {what}", url=url, retryable=not shown, cut=shown)
    if isinstance(exc, _TRANSPORT_ERRORS):
        return BackendError(
            f"cannot reach endpoint: {type(exc).__name__}: {exc}", url=url, retryable=not shown, cut=shown
        )
    if isinstance(exc, GenerationError):
        return BackendError(f"endpoint failed while generating: {exc}", url=url, cut=shown)
    if isinstance(exc, (*_STREAM_ERRORS, ValueError, json.JSONDecodeError)):
        return BackendError(f"malformed stream from endpoint: {type(exc).__name__}: {exc}", url=url, cut=shown)
    return BackendError(f"endpoint error: {type(exc).__name__}: {exc}", url=url, cut=shown)


class TGIBackend:
    """Chat completion with stream=True against a TGI or any OpenAI-compatible base URL."""

    name = "tgi"

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        model_name: str | None = None,
        timeout_s: float = 60.0,
        max_retries: int = 3,
        backoff_s: float = 0.5,
        accepts_images: bool = True,
    ):
        self.base_url = base_url.rstrip("/")
        self.model = self.base_url if model_name is None else f"{model_name}@{self.base_url}"
        self._model_name = model_name
        self._token = token
        self.timeout_s = timeout_s
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self.accepts_images = accepts_images

    async def stream(self, req: GenRequest) -> AsyncIterator[str]:
        attempt = 0
        shown = False
        while True:
            try:
                async with AsyncInferenceClient(
                    base_url=self.base_url, api_key=self._token, timeout=self.timeout_s
                ) as client:
                    chunks = await client.chat_completion(
                        req.messages,
                        model=self._model_name,
                        stream=True,
                        max_tokens=req.max_tokens,
                        temperature=req.temperature,
                        top_p=req.top_p,
                        seed=req.seed,
                        stop=req.stop or None,
                    )
                    finish = None
                    async for chunk in chunks:
                        if not chunk.choices:
                            continue
                        choice = chunk.choices[0]
                        piece = choice.delta.content if choice.delta else None
                        if piece:
                            shown = True
                            yield piece
                        if choice.finish_reason:
                            finish = choice.finish_reason
                    if finish is None:
                        raise BackendError(
                            "stream ended without a finish reason (connection dropped)", url=self.base_url, cut=shown
                        )
                    return
            except (GeneratorExit, asyncio.CancelledError):
                raise
            except BaseException as exc:
                if isinstance(exc, KeyboardInterrupt):
                    raise
                err = _classify(exc, self.base_url, shown)
                if not err.retryable or shown or attempt >= self.max_retries:
                    raise err from exc
                attempt += 1
                await asyncio.sleep(self.backoff_s * 2 ** (attempt - 1))
