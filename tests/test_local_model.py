"""The embedded default model (Gemma 3 270M from PyPI) loads offline and streams tokens."""

from __future__ import annotations

import time

import pytest

from dialogue.backends import GenRequest
from dialogue.backends.local import LocalBackend, transcript_prompt
from dialogue.runtime import Runtime
from dialogue.schema import Delta, Ended

pytestmark = pytest.mark.slow


def test_transcript_prompt_for_a_base_model() -> None:
    req = GenRequest(
        messages=[
            {"role": "system", "content": "A patient talks to a doctor."},
            {"role": "user", "content": "When did it start?"},
            {"role": "assistant", "content": "Two days ago."},
            {"role": "user", "content": "Does it hurt?"},
        ],
        speaker="Patient",
        listener="Doctor",
    )
    assert transcript_prompt(req).endswith(
        "Doctor: When did it start?\nPatient: Two days ago.\nDoctor: Does it hurt?\nPatient:"
    )


async def test_embedded_model_streams_tokens() -> None:
    b = LocalBackend()
    await b.warm()
    req = GenRequest(
        messages=[
            {"role": "system", "content": "A patient with a sore eyelid talks to a doctor."},
            {"role": "user", "content": "Hello, what brings you in?"},
        ],
        speaker="Patient",
        listener="Doctor",
        max_tokens=12,
        temperature=0.0,
    )
    t0 = time.perf_counter()
    stamps = []
    async for piece in b.stream(req):
        stamps.append((time.perf_counter() - t0, piece))
    assert len(stamps) >= 3 and "".join(p for _, p in stamps).strip()
    assert "\n" not in "".join(p for _, p in stamps)  # stops at the end of the patient's line


async def test_consultation_with_the_embedded_doctor(runtime: Runtime) -> None:
    c = runtime.new_consultation("stye-01", "phlegmatic", doctor="local", max_turns=2)
    events = [e async for e in c.run()]
    assert any(isinstance(e, Delta) and e.seat == "doctor" for e in events)
    assert any(isinstance(e, Ended) for e in events) and c.session.status in ("capped", "ended")
    assert c.session.doctor.model.startswith("gemma-3-270m")
    assert len(runtime.store.turns(c.session.id)) >= 3
