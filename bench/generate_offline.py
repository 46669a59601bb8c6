"""Answer recorded requests with the embedded model, in batches, on whatever accelerator this machine has.

The middle step of an offline run (dialogue/backends/recorded.py): a bench run with `record:<file>` writes the
requests; this script answers them; the same bench run with `replay:<answers>` scores them. Batches are
left-padded and grouped by length; each answer is cut at its first stop string, as the local backend cuts it.
Greedy requests (temperature 0) give the local backend's answers up to batching's rounding; sampled ones are
sampled here with the request's temperature and top-p, not with its seed.

    python bench/generate_offline.py requests.jsonl[.gz] answers.jsonl [--batch 64] [--gguf model.gguf]
        [--expect reference.jsonl]

`--expect` names a few greedy answers made on the reference machine (this script with `--batch 1` on the CPU
where the CPU figures were measured): they are answered first, in one batch, and the run stops unless most come
out the same. A first run on an H200 (transformers 5.17, bf16) gave garbled text where the CPU gave sentences;
`--dtype float32` with the same transformers as the reference machine is the setting to try there. A batch that
does not fit in the accelerator's memory is halved until it does.

`--gguf` names the embedded model's GGUF file where its PyPI package is not installed (a bare accelerator machine).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import gzip  # noqa: E402
import os  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402

from dialogue.backends.local import EMBEDDED, cache_dir, convert_gguf, load  # noqa: E402
from dialogue.backends.recorded import OfflineAnswer, OfflineRequest  # noqa: E402


def cut(text: str, stops: list[str]) -> str:
    for s in stops:
        if s and s in text:
            text = text.split(s)[0]
    return text


def batches(reqs: list[OfflineRequest], size: int) -> list[list[OfflineRequest]]:
    """Same sampling settings in a batch, similar prompt lengths together."""
    groups: dict[tuple[int, float, float, tuple[str, ...]], list[OfflineRequest]] = {}
    for r in reqs:
        groups.setdefault((r.max_tokens, r.temperature, r.top_p, tuple(r.stops)), []).append(r)
    out: list[list[OfflineRequest]] = []
    for group in groups.values():
        group.sort(key=lambda r: len(r.prompt))
        out += [group[i : i + size] for i in range(0, len(group), size)]
    return out


def answer(tok: Any, model: Any, batch: list[OfflineRequest]) -> list[str]:
    import torch

    first = batch[0]
    enc = tok([r.prompt for r in batch], return_tensors="pt", padding=True).to(model.device)
    kwargs: dict[str, Any] = dict(
        max_new_tokens=first.max_tokens,
        do_sample=first.temperature > 0,
        repetition_penalty=1.15,
        remove_invalid_values=True,
        stop_strings=first.stops or None,
        tokenizer=tok,
        pad_token_id=tok.pad_token_id,
    )
    if first.temperature > 0:
        kwargs.update(temperature=first.temperature, top_p=first.top_p)
    with torch.inference_mode():
        out = model.generate(**enc, **kwargs)
    new = out[:, enc["input_ids"].shape[1] :]
    return [cut(t, r.stops) for t, r in zip(tok.batch_decode(new, skip_special_tokens=True), batch, strict=True)]


def answer_fitting(tok: Any, model: Any, batch: list[OfflineRequest]) -> list[str]:
    """`answer`, halving a batch that does not fit in the accelerator's memory."""
    import torch

    try:
        return answer(tok, model, batch)
    except torch.OutOfMemoryError:
        if len(batch) == 1:
            raise
        torch.cuda.empty_cache()
        half = len(batch) // 2
        print(f"out of memory at {len(batch)}: halving", flush=True)
        return answer_fitting(tok, model, batch[:half]) + answer_fitting(tok, model, batch[half:])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("requests", type=Path)
    ap.add_argument("answers", type=Path)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--gguf", type=Path, default=None, help="the embedded model's GGUF file, converted once")
    ap.add_argument("--check", type=int, default=0, help="answer N greedy requests alone too and compare")
    ap.add_argument("--expect", type=Path, default=None, help="reference answers (JSONL) this machine must match")
    ap.add_argument("--dtype", default="", help="float32 or bfloat16 (default: the local backend's, CB_LOCAL_DTYPE)")
    args = ap.parse_args(argv)
    if args.dtype:
        os.environ["CB_LOCAL_DTYPE"] = args.dtype
    if args.gguf and not (cache_dir() / "gemma3-270m-bf16" / "model.safetensors").exists():
        cache_dir().mkdir(parents=True, exist_ok=True)
        convert_gguf(args.gguf, cache_dir() / "gemma3-270m-bf16")
    raw = args.requests.read_bytes()
    text = gzip.decompress(raw).decode() if args.requests.suffix == ".gz" else raw.decode()
    reqs = [OfflineRequest.model_validate_json(x) for x in text.splitlines() if x.strip()]
    done = set()
    if args.answers.exists():
        done = {OfflineAnswer.model_validate_json(x).key for x in args.answers.read_text().splitlines() if x.strip()}
    todo = [r for r in reqs if r.key not in done]
    t0 = time.perf_counter()
    tok, model = load(EMBEDDED)
    tok.padding_side = "left"
    print(
        f"model on {model.device} in {time.perf_counter() - t0:.1f} s; {len(todo)} of {len(reqs)} to answer", flush=True
    )
    if args.expect and not matches_reference(tok, model, {r.key: r for r in reqs}, args.expect):
        return 3
    t0 = time.perf_counter()
    with args.answers.open("a", encoding="utf-8") as f:
        for i, batch in enumerate(batches(todo, args.batch)):
            for r, text in zip(batch, answer_fitting(tok, model, batch), strict=True):
                f.write(OfflineAnswer(key=r.key, text=text).model_dump_json() + "\n")
            f.flush()
            print(f"batch {i + 1}: {len(batch)} answered, {time.perf_counter() - t0:.1f} s", flush=True)
    print(f"{len(todo)} answers in {time.perf_counter() - t0:.1f} s", flush=True)
    if args.check:
        check_alone(tok, model, [r for r in todo if r.temperature == 0][: args.check], args.answers)
    return 0


def matches_reference(tok: Any, model: Any, by_key: dict[str, OfflineRequest], path: Path) -> bool:
    """Answer the reference machine's requests here, in one batch; most must come out word for word the same."""
    ref = [OfflineAnswer.model_validate_json(x) for x in path.read_text().splitlines() if x.strip()]
    ref = [a for a in ref if a.key in by_key]
    got = answer(tok, model, [by_key[a.key] for a in ref]) if ref else []
    same = sum(g == a.text for g, a in zip(got, ref, strict=True))
    print(f"reference answers reproduced: {same} of {len(ref)}", flush=True)
    for g, a in list(zip(got, ref, strict=True))[:3]:
        print(f"  here: {g[:70]!r}\n  ref:  {a.text[:70]!r}", flush=True)
    if ref and same * 2 < len(ref):
        print(
            "not answering: this machine does not reproduce the reference (model conversion, dtype or library version)"
        )
        return False
    return bool(ref)


def check_alone(tok: Any, model: Any, reqs: list[OfflineRequest], answers: Path) -> None:
    """Batching pads and rounds differently: how many greedy answers come out the same one at a time."""
    batched = {a.key: a.text for a in map(OfflineAnswer.model_validate_json, answers.read_text().splitlines())}
    same = sum(answer(tok, model, [r])[0] == batched[r.key] for r in reqs)
    print(f"greedy answers identical alone and batched: {same} of {len(reqs)}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
