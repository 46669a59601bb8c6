"""The consultation loop end to end against real Redis (and the TGI-protocol server where named)."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from dialogue.agents.doctor import parse_final_diagnosis
from dialogue.agents.patient import SAFE_REPLY, LeakGuard, LLMPatient, PatientContext, has_break
from dialogue.backends import ScriptedBackend
from dialogue.engine import Consultation
from dialogue.runtime import Runtime
from dialogue.schema import TEMPERAMENTS, Assessed, Delta, Ended, Event, Failed, Retract, Scored, TurnDone
from dialogue.testing.tgi_server import TGIServer


async def drain(c: Consultation, text: str | None = None, *, step: bool = False) -> list[Event]:
    gen = c.step(text) if step else c.run()
    return [ev async for ev in gen]


async def test_full_consultation_is_persisted(runtime: Runtime) -> None:
    c = runtime.new_consultation("stye-01", "melancholic", doctor="reference")
    events = await drain(c)
    ended = [e for e in events if isinstance(e, Ended)]
    assert ended and ended[0].session.status == "ended" and ended[0].session.ended_by == "doctor"
    rec = runtime.store.record(c.session.id)
    assert rec.turns[0].seat == "patient" and rec.turns[0].text.startswith(c.case.general_complaint)
    assert [t.index for t in rec.turns] == list(range(len(rec.turns)))
    doctor_turns = sum(1 for t in rec.turns if t.seat == "doctor")
    assert len(rec.live_scores) == doctor_turns == sum(1 for e in events if isinstance(e, Scored))
    assert rec.session.final_diagnosis == "stye" and rec.assessment is not None
    assert rec.session.doctor.system_prompt is not None and rec.session.seed == runtime.settings.seed
    assert any(isinstance(e, Assessed) for e in events)


async def test_tgi_doctor_streams_tokens(runtime: Runtime, tgi: TGIServer) -> None:
    tgi.token_delay_s = 0.01
    c = runtime.new_consultation("stye-01", "choleric", doctor=f"tgi:{tgi.url()}")
    events = await drain(c)
    doctor_deltas = [e for e in events if isinstance(e, Delta) and e.seat == "doctor"]
    doctor_turns = [e.turn for e in events if isinstance(e, TurnDone) and e.turn.seat == "doctor"]
    assert len(doctor_turns) == 3 and len(doctor_deltas) > 3 * len(doctor_turns)
    assert c.session.status == "ended" and c.session.final_diagnosis == "stye"
    first_user = tgi.requests[0]["body"]["messages"][1]
    assert "[Photo attached by the patient:" in first_user["content"] and c.session.image_sent == "description"
    # the patient's answer reached the doctor's next request
    assert tgi.requests[1]["body"]["messages"][-1]["role"] == "user"


async def test_session_survives_redis_restart(runtime: Runtime, redis_server) -> None:  # type: ignore[no-untyped-def]
    c = runtime.new_consultation("tonsillitis-01", "sanguine", doctor="reference")
    await drain(c)
    before = runtime.store.record(c.session.id)
    redis_server.restart()
    after = runtime.store.record(c.session.id)
    assert after == before and len(after.turns) > 10


async def test_killing_redis_mid_run_loses_no_completed_turn(runtime: Runtime, redis_server) -> None:  # type: ignore[no-untyped-def]
    c = runtime.new_consultation("stye-01", "phlegmatic", doctor="reference")
    for _ in range(5):
        await drain(c, step=True)
    written = [t.model_copy() for t in c.turns]
    redis_server.kill()
    events = await drain(c, step=True)
    failed = [e for e in events if isinstance(e, Failed)]
    assert len(failed) == 1 and "Redis unavailable" in failed[0].message and "resume" in failed[0].message
    assert len(c.turns) == len(written)
    redis_server.start()
    assert runtime.store.turns(c.session.id) == written
    resumed = runtime.resume(c.session.id)
    await drain(resumed)
    assert resumed.session.status == "ended"
    turns = runtime.store.turns(c.session.id)
    assert turns[: len(written)] == written and [t.index for t in turns] == list(range(len(turns)))


async def test_cut_doctor_turn_is_kept_marked_and_resumable(runtime: Runtime, tgi: TGIServer) -> None:
    c = runtime.new_consultation("stye-01", "phlegmatic", doctor=f"tgi:{tgi.url('cutx1')}")
    events = await drain(c)
    assert any(isinstance(e, Failed) and "finish reason" in e.message for e in events)
    assert c.session.status == "error"
    stored = runtime.store.turns(c.session.id)
    assert stored[-1].seat == "doctor" and stored[-1].cut and stored[-1].text
    resumed = runtime.resume(c.session.id)
    assert resumed.next_seat() == "doctor"
    await drain(resumed)
    assert resumed.session.status == "ended"
    turns = runtime.store.turns(c.session.id)
    assert turns[1].cut and not turns[2].cut and turns[2].seat == "doctor"


def _scripted_patient(runtime: Runtime, c: Consultation, lines: list[str]) -> None:
    ctx = PatientContext(c.case, runtime.library.personas["sanguine"], [], None, 1)
    c.patient = LLMPatient(ctx, ScriptedBackend(lines), runtime.matcher)


async def test_leak_guard_withdraws_and_falls_back(runtime: Runtime) -> None:
    c = runtime.new_consultation("stye-01", "sanguine", doctor="human")
    _scripted_patient(runtime, c, ["I think it's a stye, doctor, my sister had one."])
    events = await drain(c, step=True)  # patient opening leaks every time
    assert sum(isinstance(e, Retract) for e in events) == 3
    assert c.turns[-1].text == SAFE_REPLY and c.session.leak_events == 3
    shown = "".join(e.text for e in events if isinstance(e, Delta))
    assert "stye" not in shown.lower()
    assert runtime.store.get(c.session.id).leak_events == 3


async def test_break_ends_as_whole_token_only(runtime: Runtime) -> None:
    assert has_break("Thanks a lot! BREAK") and has_break("BREAK")
    assert not has_break("I had BREAKFAST late") and not has_break("a breakdown")
    c = runtime.new_consultation("stye-01", "sanguine", doctor="human")
    _scripted_patient(runtime, c, ["My eyelid hurts after BREAKFAST.", "Thank you doctor! BREAK"])
    await drain(c, step=True)
    assert c.live and "BREAKFAST" in c.turns[0].text
    await drain(c, "Use warm compresses.", step=True)
    events = await drain(c, step=True)
    assert c.session.status == "ended" and c.session.ended_by == "patient"
    assert c.turns[-1].text == "Thank you doctor!" and any(isinstance(e, Ended) for e in events)


async def test_human_doctor_input_is_checked(runtime: Runtime) -> None:
    c = runtime.new_consultation("stye-01", "phlegmatic", doctor="human")
    await drain(c)  # patient opens, then waits for the human
    assert c.waiting_for_human() and len(c.turns) == 1
    for bad, why in [("", "empty"), ("   \x00\x07 ", "empty"), ("x" * 100_000, "too long")]:
        ev = await drain(c, bad, step=True)
        assert isinstance(ev[0], Failed) and why in ev[0].message
    assert len(runtime.store.turns(c.session.id)) == 1  # nothing written
    html = "<script>alert(1)</script> When did it <b>start</b>?"
    await drain(c, html, step=True)
    assert runtime.store.turns(c.session.id)[1].text == html  # stored verbatim, rendered as text by the UI
    await drain(c, step=True)
    await drain(c, "This is an infected lash follicle.\nFINAL DIAGNOSIS: hordeolum", step=True)
    s = runtime.store.get(c.session.id)
    assert s.status == "ended" and s.ended_by == "doctor"
    assert s.final_diagnosis_raw == "hordeolum" and s.final_diagnosis == "stye"


async def test_turn_cap_marks_capped(runtime: Runtime) -> None:
    c = runtime.new_consultation("stye-01", "phlegmatic", doctor="scripted:Tell me more.", max_turns=3)
    await drain(c)
    assert c.session.status == "capped" and c.session.ended_by == "cap" and c.doctor_turns == 3


def test_parse_final_diagnosis() -> None:
    assert parse_final_diagnosis("blah\nFINAL DIAGNOSIS: **Stye**.") == "Stye"
    assert parse_final_diagnosis("final diagnosis: a\nFINAL DIAGNOSIS: b") == "b"
    assert parse_final_diagnosis("no line here") is None


async def test_diagnosis_never_in_a_patient_prompt(runtime: Runtime) -> None:
    """Over every case, temperament and axis, with every fact the patient could be given, the label stays out."""
    lib = runtime.library
    axis_choices = [[], *[[a] for a in lib.axes]]
    for case in lib.cases.values():
        guard = LeakGuard(lib.labels, case.diagnosis)
        all_facts = [*case.facts, *case.pertinent_negatives]
        for temperament, axes in itertools.product(TEMPERAMENTS, axis_choices):
            belief = runtime.belief_for(case, axes, 3)
            ctx = PatientContext(case, lib.personas[temperament], [lib.axes[a] for a in axes], belief, 3)
            p = LLMPatient(ctx, ScriptedBackend(["ok"]), runtime.matcher)
            text = " ".join(m["content"] for m in p.messages([], all_facts))
            assert not guard.leaks(text), (case.id, temperament, axes, guard.leaks(text))
            assert case.diagnosis not in p.config.system_prompt


def test_unknown_temperament_or_axis_is_refused(runtime: Runtime) -> None:
    with pytest.raises(ValueError, match="unknown temperament"):
        runtime.new_consultation("stye-01", "grumpy")
    with pytest.raises(ValueError, match="unknown axes"):
        runtime.new_consultation("stye-01", "sanguine", axes=["nope"])
    with pytest.raises(ValueError, match="at most one value per axis"):
        runtime.new_consultation("stye-01", "sanguine", axes=["recall-sharp", "recall-vague"])


async def test_every_case_runs_with_every_temperament_and_axis(runtime: Runtime) -> None:
    """One case of every label (every 4th id), cycling temperaments and extra axes, through the engine.

    test_diagnosis_never_in_a_patient_prompt covers every case x temperament x axis prompt."""
    lib = runtime.library
    axis_sets = [[], *[[a] for a in sorted(lib.axes)]]
    for i, case_id in enumerate(lib.case_ids[::4]):
        temperament = TEMPERAMENTS[i % 4]
        axes = axis_sets[i % len(axis_sets)]
        c = runtime.new_consultation(case_id, temperament, axes=axes, doctor="no-dialogue")
        events = [e async for e in c.run()]
        assert c.session.status == "ended" and not any(isinstance(e, Failed) for e in events), case_id
        assert c.session.axes == sorted(axes) and c.session.final_diagnosis in lib.labels.labels
        assert not LeakGuard(lib.labels, c.case.diagnosis).leaks(c.turns[0].text), case_id


class _CharPieces:
    """A backend that streams a fixed reply three characters at a time (terms split across pieces)."""

    name = "scripted"
    model = "char-pieces"
    accepts_images = False

    def __init__(self, text: str):
        self.text = text

    async def stream(self, req):  # type: ignore[no-untyped-def]
        for i in range(0, len(self.text), 3):
            yield self.text[i : i + 3]


@pytest.mark.parametrize(
    ("reply", "leaks"),
    [("I like styles and styling.", 0), ("My sister said it is a st ye", 0), ("It is a stye, I think.", 3)],
)
async def test_guard_on_pieces_split_mid_word(runtime: Runtime, reply: str, leaks: int) -> None:
    c = runtime.new_consultation("stye-01", "sanguine", doctor="human")
    ctx = PatientContext(c.case, runtime.library.personas["sanguine"], [], None, 1)
    c.patient = LLMPatient(ctx, _CharPieces(reply), runtime.matcher)  # type: ignore[arg-type]
    events = await drain(c, step=True)
    assert sum(isinstance(e, Retract) for e in events) == leaks
    assert c.turns[-1].text == (reply if not leaks else SAFE_REPLY)


def test_the_session_owns_its_status(runtime: Runtime) -> None:
    s = runtime.new_consultation("stye-01", "phlegmatic").session
    assert not s.reopen() and s.status == "live"  # only a failed session reopens
    s.fail("endpoint down")
    assert (s.status, s.ended_by, s.error) == ("error", "error", "endpoint down")
    assert s.reopen() and (s.status, s.ended_by, s.error) == ("live", None, None)
    s.end("cap")
    assert (s.status, s.ended_by) == ("capped", "cap")
    s.end("doctor")
    assert s.status == "ended" and not s.reopen()


async def test_a_refused_write_ends_the_run_without_calling_the_endpoint_again(
    runtime: Runtime,
    redis_server,  # type: ignore[no-untyped-def]
    tgi: TGIServer,
) -> None:
    """Issue 13: with Redis gone, run() regenerated the doctor turn on the endpoint for ever (the session stayed
    live). Now the first refused write ends the run, the session is interrupted, and resume picks it up."""
    c = runtime.new_consultation("stye-01", "phlegmatic", doctor=f"tgi:{tgi.url()}")
    await drain(c, step=True)  # the patient's opening complaint is written
    redis_server.kill()
    events = await asyncio.wait_for(drain(c), timeout=30)  # returns, instead of looping
    assert sum(isinstance(e, Failed) for e in events) == 1
    assert len(tgi.requests) == 1  # one doctor turn generated, never regenerated
    assert c.session.status == "error" and "interrupted" in (c.session.error or "")
    redis_server.start()
    resumed = runtime.resume(c.session.id)
    assert resumed.live and [t.index for t in resumed.turns] == [0]
