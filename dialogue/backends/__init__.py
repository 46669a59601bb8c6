"""Model backends behind one small async streaming protocol.

    backend.stream(request) -> AsyncIterator[str]   # text pieces as they arrive

`tgi` (any TGI / HF Inference Endpoint / OpenAI-compatible URL, via huggingface_hub.AsyncInferenceClient),
`local` (transformers in-process, see local.py) and `scripted` (fixed lines). Every failure becomes
one `BackendError` carrying the URL, the HTTP status, whether it is retryable and whether the stream was
cut after text had been shown. A spec string picks a backend: `tgi:http://host:8080`, `local`,
`local:/path/or/hub-id`, `local4bit:...`, `scripted:line one|line two`.
"""

from __future__ import annotations

from .base import Backend, BackendError, GenRequest, collect
from .local import LocalBackend
from .scripted import ScriptedBackend
from .tgi import RETRYABLE_STATUS, TGIBackend

__all__ = [
    "RETRYABLE_STATUS",
    "Backend",
    "BackendError",
    "GenRequest",
    "LocalBackend",
    "ScriptedBackend",
    "TGIBackend",
    "collect",
    "make_backend",
]


def make_backend(spec: str, *, token: str | None = None, timeout_s: float = 60.0) -> Backend:
    """Build a backend from a spec string (see the module docstring)."""
    kind, _, arg = spec.partition(":")
    if kind == "tgi":
        if not arg.startswith(("http://", "https://")):
            raise ValueError(f"tgi backend needs a URL, e.g. tgi:http://127.0.0.1:8080 (got {spec!r})")
        return TGIBackend(arg, token=token, timeout_s=timeout_s)
    if kind in ("local", "local4bit"):
        return LocalBackend(arg or "embedded", load_in_4bit=kind == "local4bit")
    if kind == "scripted":
        return ScriptedBackend(arg.split("|") if arg else ["I see. FINAL DIAGNOSIS: none"])
    raise ValueError(f"unknown backend {spec!r}: use tgi:<url>, local[:<model>], local4bit:<model> or scripted:<a|b>")
