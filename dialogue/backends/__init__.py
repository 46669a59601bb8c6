"""Model backends behind one small async streaming protocol.

    backend.stream(request) -> AsyncIterator[str]   # text pieces as they arrive

`tgi` (any TGI / HF Inference Endpoint / OpenAI-compatible URL, via huggingface_hub.AsyncInferenceClient),
`hf` (a hosted model through Hugging Face Inference Providers: the same client, pointed at the router),
`local` (transformers in-process, see local.py) and `scripted` (fixed lines). Every failure becomes
one `BackendError` carrying the URL, the HTTP status, whether it is retryable and whether the stream was
cut after text had been shown. A spec string picks a backend: `tgi:http://host:8080`, `local`,
`local:/path/or/hub-id`, `local4bit:...`, `scripted:line one|line two`.
"""

from __future__ import annotations

from dialogue.backends.base import Backend, BackendError, GenRequest, collect
from dialogue.backends.local import LocalBackend
from dialogue.backends.recorded import RecordingBackend, ReplayBackend
from dialogue.backends.scripted import ScriptedBackend
from dialogue.backends.tgi import RETRYABLE_STATUS, TGIBackend
from dialogue.seats import SeatSpec, SeatSpecError

__all__ = [
    "HF_ROUTER",
    "RETRYABLE_STATUS",
    "Backend",
    "BackendError",
    "GenRequest",
    "LocalBackend",
    "RecordingBackend",
    "ReplayBackend",
    "ScriptedBackend",
    "TGIBackend",
    "collect",
    "make_backend",
]


HF_ROUTER = "https://router.huggingface.co/v1"
"""Hugging Face Inference Providers' OpenAI-compatible router (CB_HF_ROUTER overrides it, e.g. in tests)."""


def make_backend(
    spec: str | SeatSpec, *, token: str | None = None, timeout_s: float = 60.0, hf_router: str = HF_ROUTER
) -> Backend:
    """Build the backend a model seat spec names (see dialogue/seats.py); a bad spec raises SeatSpecError."""
    seat = SeatSpec.parse(spec)
    if seat.kind == "tgi":
        return TGIBackend(seat.arg, token=token, timeout_s=timeout_s)
    if seat.kind == "hf":  # the same client, pointed at the Inference Providers router, the model in the request
        if not token:
            raise SeatSpecError(f"{seat} needs a Hugging Face token: set CB_HF_TOKEN (or HF_TOKEN)")
        return TGIBackend(hf_router, token=token, model_name=seat.arg, timeout_s=timeout_s)
    if seat.kind in ("local", "local4bit"):
        return LocalBackend(seat.arg or "embedded", load_in_4bit=seat.kind == "local4bit")
    if seat.kind == "record":
        return RecordingBackend(seat.arg)
    if seat.kind == "replay":
        return ReplayBackend(seat.arg)
    if seat.kind == "scripted":
        return ScriptedBackend(seat.arg.split("|") if seat.arg else ["I see. FINAL DIAGNOSIS: none"])
    raise SeatSpecError(
        f"{str(seat)!r} is not played by a model backend: use tgi:<url>, local[:<model>], "
        "local4bit:<model> or scripted:<a|b>"
    )
