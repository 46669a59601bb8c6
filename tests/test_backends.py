"""The tgi backend over real HTTP against a server speaking TGI's SSE protocol; the scripted backend."""

from __future__ import annotations

import asyncio
import time

import pytest

from dialogue.backends import BackendError, GenRequest, ScriptedBackend, TGIBackend, make_backend
from dialogue.runtime import Runtime
from dialogue.seats import SeatSpec, SeatSpecError
from dialogue.testing.tgi_server import TGIServer

REQ = GenRequest(messages=[{"role": "user", "content": "Hello doctor"}], seed=7, max_tokens=50)


async def pieces(backend, req=REQ):  # type: ignore[no-untyped-def]
    out: list[tuple[float, str]] = []
    async for p in backend.stream(req):
        out.append((time.perf_counter(), p))
    return out


async def test_tokens_arrive_as_streamed(tgi: TGIServer) -> None:
    tgi.token_delay_s = 0.05
    got = await pieces(TGIBackend(tgi.url()))
    assert "".join(p for _, p in got).startswith("Hello, I am sorry")
    assert len(got) > 5
    assert got[-1][0] - got[0][0] > 0.2  # spread over time, not delivered at once
    body = tgi.requests[-1]["body"]
    assert body["stream"] is True and body["seed"] == 7 and body["max_tokens"] == 50
    assert tgi.requests[-1]["path"] == "/ok/v1/chat/completions"


async def test_token_is_sent_as_bearer(tgi: TGIServer) -> None:
    await pieces(TGIBackend(tgi.url(), token="hf_secret"))
    assert tgi.requests[-1]["headers"].get("authorization") == "Bearer hf_secret"


async def test_503_then_success_is_retried(tgi: TGIServer) -> None:
    got = await pieces(TGIBackend(tgi.url("fail503x2"), backoff_s=0.01))
    assert got and tgi.hits["fail503x2"] == 3


async def test_retries_are_bounded(tgi: TGIServer) -> None:
    with pytest.raises(BackendError) as e:
        await pieces(TGIBackend(tgi.url("always503"), max_retries=2, backoff_s=0.01))
    assert e.value.status == 503 and "always503" in e.value.url
    assert tgi.hits["always503"] == 3


async def test_connection_refused_is_a_clear_error() -> None:
    with pytest.raises(BackendError, match="cannot reach endpoint") as e:
        await pieces(TGIBackend("http://127.0.0.1:9", max_retries=1, backoff_s=0.01))
    assert e.value.url == "http://127.0.0.1:9" and not e.value.cut


async def test_dropped_stream_is_marked_cut(tgi: TGIServer) -> None:
    got: list[str] = []
    with pytest.raises(BackendError, match="without a finish reason") as e:
        async for p in TGIBackend(tgi.url("cut")).stream(REQ):
            got.append(p)
    assert e.value.cut and got  # text was shown, then the stream dropped
    assert tgi.hits["cut"] == 1  # never retried once tokens were shown


async def test_stall_mid_stream_times_out_as_cut(tgi: TGIServer) -> None:
    with pytest.raises(BackendError, match="stalled") as e:
        await pieces(TGIBackend(tgi.url("stall"), timeout_s=0.5))
    assert e.value.cut and tgi.hits["stall"] == 1


async def test_slow_first_token_times_out(tgi: TGIServer) -> None:
    with pytest.raises(BackendError, match="timed out before the first token") as e:
        await pieces(TGIBackend(tgi.url("slowfirst"), timeout_s=0.3, max_retries=1, backoff_s=0.01))
    assert not e.value.cut and tgi.hits["slowfirst"] == 2


@pytest.mark.parametrize("mode", ["badchunk", "midstreamerror"])
async def test_malformed_or_error_chunks_become_backend_errors(tgi: TGIServer, mode: str) -> None:
    with pytest.raises(BackendError) as e:
        await pieces(TGIBackend(tgi.url(mode)))
    assert e.value.cut


async def test_scripted_backend_answers_by_turn() -> None:
    b = ScriptedBackend(["first", "second line"])
    r1 = GenRequest(messages=[{"role": "user", "content": "x"}])
    r2 = GenRequest(messages=[{"role": "user", "content": "x"}, {"role": "assistant", "content": "first"}])
    assert "".join([p for _, p in await pieces(b, r1)]) == "first"
    assert "".join([p for _, p in await pieces(b, r2)]) == "second line"


def test_make_backend_rejects_bad_specs() -> None:
    with pytest.raises(ValueError, match="needs an endpoint URL"):
        make_backend("tgi:localhost")
    with pytest.raises(ValueError, match="unknown seat"):
        make_backend("gpt5")
    with pytest.raises(ValueError, match="not played by a model backend"):
        make_backend("grounded")


async def test_many_concurrent_streams(tgi: TGIServer) -> None:
    tgi.token_delay_s = 0.01
    results = await asyncio.gather(*(pieces(TGIBackend(tgi.url())) for _ in range(20)))
    assert all(len(r) > 5 for r in results)


async def test_a_hosted_model_through_inference_providers(runtime: Runtime, tgi: TGIServer) -> None:
    """`hf:<model>` sends the chat to the Inference Providers router with the model named in the request and
    the token as bearer; here a local server speaking the same protocol plays the router (CB_HF_ROUTER)."""
    runtime.settings.hf_token = "hf_test_token"
    runtime.settings.hf_router = tgi.url()
    c = runtime.new_consultation("stye-01", "phlegmatic", doctor="hf:meta-llama/Llama-3.1-8B-Instruct")
    [e async for e in c.run()]
    req = tgi.requests[0]
    assert req["body"]["model"] == "meta-llama/Llama-3.1-8B-Instruct"
    assert req["headers"].get("authorization", req["headers"].get("Authorization")) == "Bearer hf_test_token"
    assert c.session.doctor.spec == "hf:meta-llama/Llama-3.1-8B-Instruct" and c.session.status in ("ended", "capped")


def test_a_hosted_model_needs_a_model_id_and_a_token(runtime: Runtime) -> None:
    with pytest.raises(SeatSpecError, match="model id"):
        SeatSpec.parse("hf:llama")
    runtime.settings.hf_token = None
    with pytest.raises(SeatSpecError, match="token"):
        runtime.backend("hf:org/model")


async def test_recorded_requests_are_replayed_from_another_machines_answers(tmp_path) -> None:
    """record: writes each distinct request once and answers nothing; replay: streams the answers written for
    them elsewhere (bench/generate_offline.py), and a request nobody answered is a clear BackendError."""
    from dialogue.backends.recorded import OfflineAnswer, OfflineRequest

    requests, answers = tmp_path / "requests.jsonl", tmp_path / "answers.jsonl"
    recorder = make_backend(f"record:{requests}")
    asked = [GenRequest(messages=[{"role": "user", "content": q}], temperature=0.0) for q in ("Any fever?", "Pets?")]
    for req in [*asked, asked[0]]:
        assert [p async for p in recorder.stream(req)] == []
    written = [OfflineRequest.model_validate_json(x) for x in requests.read_text().splitlines()]
    assert len(written) == 2 and written[0].prompt.endswith("Patient: Any fever?\nDoctor:")
    assert written[0].stops[0] == "\n"  # the embedded base model's reply ends at its line, as the local backend cuts it
    answers.write_text(OfflineAnswer(key=written[0].key, text="No fever.").model_dump_json() + "\n")
    replay = make_backend(f"replay:{answers}")
    assert [p async for p in replay.stream(asked[0])] == ["No fever."]
    with pytest.raises(BackendError, match="no recorded answer"):
        [p async for p in replay.stream(asked[1])]
    with pytest.raises(BackendError, match="cannot read recorded answers"):
        make_backend(f"replay:{tmp_path / 'missing.jsonl'}")
