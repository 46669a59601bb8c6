"""The UI without a browser: the pure event-to-view mapping, and each tab's handlers called directly on a
built (not launched) app against a real Redis."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd
import pytest

import ui
from dialogue.content.cases import Library
from dialogue.runtime import Runtime
from dialogue.schema import Assessed as AssessedEvent
from dialogue.schema import Assessment, Delta, Ended, Failed, LiveScore, Retract, Scored, Session, Turn, TurnDone
from ui import annotate, consult, results, sessions
from ui.events import View, apply_event


@pytest.fixture
def app(runtime: Runtime) -> Iterator[ui.App]:
    yield ui.build(runtime)


def chat(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"role": r, "content": c} for r, c in pairs]


# --------------------------------------------------------------------------- events -> view (pure)


def test_deltas_of_one_seat_extend_one_message_and_a_new_seat_opens_another(library: Library) -> None:
    case, rubric = library.cases["stye-01"], library.rubrics["dialogue_quality"]
    v = View(chat=[])
    assert apply_event(v, Delta(seat="doctor", text="How "), case, rubric).panels == {"chat": v.chat}
    apply_event(v, Delta(seat="doctor", text="long?"), case, rubric)
    apply_event(v, TurnDone(turn=Turn(index=1, seat="doctor", text="How long?", by="x")), case, rubric)
    apply_event(v, Delta(seat="patient", text="Two days."), case, rubric)
    assert v.chat == chat(("user", "How long?"), ("assistant", "Two days."))


def test_markup_in_a_delta_is_shown_as_text(library: Library) -> None:
    v = View(chat=[])
    apply_event(
        v, Delta(seat="patient", text="<b>*hi*</b>"), library.cases["stye-01"], library.rubrics["dialogue_quality"]
    )
    assert "<b>" not in v.chat[0]["content"] and "&lt;b&gt;" in v.chat[0]["content"]


def test_a_retract_removes_only_the_streaming_message(library: Library) -> None:
    case, rubric = library.cases["stye-01"], library.rubrics["dialogue_quality"]
    v = View(chat=chat(("user", "Any pain?")))
    apply_event(v, Delta(seat="patient", text="It is a sty"), case, rubric)
    u = apply_event(v, Retract(seat="patient"), case, rubric)
    assert u.panels == {"chat": chat(("user", "Any pain?"))} and v.streaming_seat is None
    apply_event(v, Retract(seat="patient"), case, rubric)  # nothing streaming: the doctor's line stays
    assert v.chat == chat(("user", "Any pain?"))


def test_a_cut_turn_is_marked_and_a_whole_turn_changes_nothing(library: Library) -> None:
    case, rubric = library.cases["stye-01"], library.rubrics["dialogue_quality"]
    v = View(chat=[])
    apply_event(v, Delta(seat="doctor", text="How lo"), case, rubric)
    u = apply_event(v, TurnDone(turn=Turn(index=1, seat="doctor", text="How lo", by="x", cut=True)), case, rubric)
    assert "[cut" in v.chat[-1]["content"] and set(u.panels) == {"chat"}
    ok = apply_event(v, TurnDone(turn=Turn(index=2, seat="doctor", text="Fine", by="x")), case, rubric)
    assert ok.panels == {} and ok.warning is None


def test_scores_assessment_end_and_failure_each_reach_their_own_panel(library: Library) -> None:
    case, rubric = library.cases["stye-01"], library.rubrics["dialogue_quality"]
    v = View(chat=[])
    live = apply_event(v, Scored(score=LiveScore(after_turn=1, doctor_turns=1, coverage=0.5)), case, rubric)
    assert set(live.panels) == {"live"} and "50%" in str(live.panels["live"])
    graded = apply_event(v, AssessedEvent(assessment=Assessment(by="rules", rubric_score=0.75)), case, rubric)
    assert set(graded.panels) == {"assessment"}
    s = Session(id="s1", case_id="stye-01", temperament="phlegmatic", doctor=_cfg(), patient=_cfg(), status="ended")
    end = apply_event(v, Ended(session=s), case, rubric)
    assert set(end.panels) == {"truth"} and "stye" in str(end.panels["truth"])
    failed = apply_event(v, Failed(message="Redis is down"), case, rubric)
    assert failed.panels == {} and failed.warning == "Redis is down"


def _cfg() -> Any:
    from dialogue.schema import AgentConfig

    return AgentConfig(backend="scripted", model="m")


# --------------------------------------------------------------------------- handlers, called directly


async def _drain(gen: Any) -> list[dict[Any, Any]]:
    return [out async for out in gen]


async def test_consult_start_and_run_to_the_end(app: ui.App) -> None:
    t = app.consult
    out = consult.start(t, "stye-01", "phlegmatic", [], "reference", "", "grounded", "")
    sid = out[t.shared.sid]
    assert sid and out[t.status].startswith("status: streaming")
    outs = await _drain(consult.run_session(t, sid))
    assert outs[-1][t.status].startswith("status: ended") and len(outs[-1][t.chatbot]) >= 4


async def test_a_human_doctor_sends_a_message_and_the_patient_answers(app: ui.App) -> None:
    t = app.consult
    sid = consult.start(t, "stye-01", "phlegmatic", [], "human", "", "grounded", "")[t.shared.sid]
    await _drain(consult.run_session(t, sid))  # the patient's opening complaint
    outs = await _drain(consult.send(t, sid, "When did it start?"))
    assert outs[0][t.msg] == ""  # the box is cleared at once
    last = outs[-1][t.chatbot]
    assert last[-2] == {"role": "user", "content": "When did it start?"} and last[-1]["role"] == "assistant"
    assert "waiting for the doctor" in outs[-1][t.status]


async def test_a_refused_human_message_stops_there(app: ui.App) -> None:
    t = app.consult
    sid = consult.start(t, "stye-01", "phlegmatic", [], "human", "", "grounded", "")[t.shared.sid]
    await _drain(consult.run_session(t, sid))
    with pytest.raises(gr.Error, match="empty message"):  # empty after cleaning: refused before anything runs
        await _drain(consult.send(t, sid, "   "))
    assert len(t.state.get(sid).turns) == 1 and t.state.get(sid).next_seat() == "doctor"


def test_bad_seat_choices_are_clear_errors(app: ui.App) -> None:
    with pytest.raises(gr.Error, match="endpoint URL"):
        consult.start(app.consult, "stye-01", "phlegmatic", [], "tgi", "", "grounded", "")
    with pytest.raises(gr.Error, match="unknown case"):
        consult.start(app.consult, "no-such-case", "phlegmatic", [], "reference", "", "grounded", "")


async def test_sessions_list_open_and_resume_in_consult(app: ui.App) -> None:
    t = app.consult
    sid = consult.start(t, "stye-01", "phlegmatic", [], "reference", "", "grounded", "")[t.shared.sid]
    await _drain(consult.run_session(t, sid))
    s = app.sessions
    df = sessions.refresh(s, "ended", "stye", "any", "", 0)
    assert isinstance(df, pd.DataFrame) and df["session"].tolist() == [sid]
    assert sessions.refresh(s, "live", "", "any", "", 0).empty
    opened = sessions.open_session(s, sid)
    assert sid in opened[s.details] and opened[s.chat]
    back = sessions.resume_from_list(s, sid)
    assert back[t.shared.sid] == sid and back[t.case] == "stye-01" and back[t.doctor] == "reference"
    with pytest.raises(gr.Error, match="no session"):
        sessions.open_session(s, "nope")


async def test_annotate_queue_submit_lock_revision_and_agreement(app: ui.App) -> None:
    t = app.consult
    sid = consult.start(t, "stye-01", "phlegmatic", [], "reference", "", "grounded", "")[t.shared.sid]
    await _drain(consult.run_session(t, sid))
    a = app.annotate
    a.state.rt.settings.annotators = {"ann1": "t1"}
    with pytest.raises(gr.Error, match="annotator name"):
        annotate.next_session(a, "  ")
    with pytest.raises(gr.Error, match="wrong token"):
        annotate.next_session(a, "ann1", "guess")
    got = annotate.next_session(a, "ann1", "t1")
    assert got[a.sid] == sid and "stye" in got[a.case]  # the case (with its truth) beside the transcript
    n = len(a.items)
    with pytest.raises(gr.Error, match="missing"):
        annotate.submit_annotation(a, "ann1", "t1", sid, "", None, *([None] * n))
    out = annotate.submit_annotation(a, "ann1", "t1", sid, "fine", None, *(["yes"] * (n - 1) + ["excellent"]))
    assert "Your scores vs the assessor (blind)" in out[a.reveal] and "assessor" in out[a.reveal]
    assert out[a.submit]["interactive"] is False and out[a.items[0]]["interactive"] is False  # locked
    assert out[a.revise]["visible"] is True
    again = annotate.submit_annotation(
        a, "ann1", "t1", sid, "on reflection", None, *(["no"] * (n - 1) + [annotate.CANT_JUDGE])
    )
    assert "revision 1" in again[a.reveal] and "can't judge" in again[a.reveal]
    store = a.state.rt.store
    ((who, first),) = store.annotation_history(sid)  # the blind first submission is kept, not overwritten
    assert who == "ann1" and first.revision == 0 and first.comment == "fine"
    assert store.annotations(sid)["ann1"].ungradable == 1
    assert annotate.next_session(a, "ann1", "t1")[a.sid] == ""  # nothing left for ann1
    assert not annotate.agreement_table(a).empty


async def test_a_logged_in_user_annotates_under_their_login(app: ui.App, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a Space the name box is read-only: the login must be the annotator, on submit too."""
    monkeypatch.setenv("SPACE_ID", "org/consultbench")
    t = app.consult
    sid = consult.start(t, "stye-01", "phlegmatic", [], "reference", "", "grounded", "")[t.shared.sid]
    await _drain(consult.run_session(t, sid))
    a = app.annotate
    login = gr.OAuthProfile({"name": "Hugging User", "preferred_username": "hf-user", "profile": "", "picture": ""})
    with pytest.raises(gr.Error, match="Log in"):
        annotate.next_session(a, "someone", "", [], None)  # a typed name is no identity on a Space
    assert annotate.next_session(a, "", "", [], login)[a.sid] == sid
    annotate.submit_annotation(a, "", "", sid, "", login, *(["yes"] * (len(a.items) - 1) + ["excellent"]))
    assert list(a.state.rt.store.annotations(sid)) == ["hf-user"]


def test_results_with_no_finished_session_is_empty_not_an_error(app: ui.App) -> None:
    """A fresh app (nothing finished yet) opened on the Results tab showed 'Error: doctor'."""
    r = app.results
    out = results.results(r)
    assert out[r.summary].startswith("0 finished sessions") and out[r.by_temperament].empty


async def test_results_count_finished_sessions(app: ui.App) -> None:
    t = app.consult
    sid = consult.start(t, "stye-01", "phlegmatic", [], "reference", "", "grounded", "")[t.shared.sid]
    await _drain(consult.run_session(t, sid))
    r = app.results
    out = results.results(r)
    assert out[r.summary].startswith("1 finished sessions") and len(out[r.overall]) == 1
    assert list(out[r.strategies]["strategy"]) == ["dialogue"] and len(out[r.failures]) == 1
    assert out[r.costs].empty  # nothing ordered: a telemedicine case
    assert out[r.plot_turns].axes[0].get_lines()  # the reference doctor's answer after every turn
    store = r.state.rt.store
    summary = store.summaries()[sid]  # written by the engine as the session ended
    c = t.state.get(sid)
    assert summary.doctor_turns == c.doctor_turns and summary.named and summary.consultation_score is not None
    store.r.delete("cb:summaries", "cb:flag:summaries-complete")  # a store from before summaries existed
    from dialogue import queries

    assert [s.id for s in queries.finished_summaries(store, r.state.rt.library.labels)] == [sid]  # backfilled
    assert sid in store.summaries()


def test_api_endpoints_keep_their_handler_names(app: ui.App) -> None:
    """API clients (gradio_client, the soak test) call the handlers by name: binding a tab keeps it."""
    names = {d.get("api_name") for d in app.demo.get_config_file()["dependencies"]}
    want = {"start", "run_session", "send", "send_dx", "busy", "stopped", "restore", "pick_random", "refresh"}
    want |= {"open_session", "resume_from_list", "export", "download_transcript", "next_session"}
    want |= {"submit_annotation", "agreement_table", "results"}
    assert want <= names, want - names


def test_bound_handlers_still_receive_the_logged_in_user(app: ui.App) -> None:
    """Gradio fills a `gr.OAuthProfile` parameter from the login only if it can see the hint: binding the tab
    must keep it (a bare functools.partial hides it, and every Space annotator was "nobody")."""
    from gradio.utils import get_type_hints

    from ui.state import bound

    fn = bound(annotate.next_session, app.annotate)
    assert get_type_hints(fn).get("profile") == gr.OAuthProfile | None
    assert [p.name for p in inspect.signature(fn).parameters.values()] == ["name", "token", "seen", "profile"]


def test_a_human_doctor_sees_no_list_that_names_the_case_before_the_end(library: Library) -> None:
    case, rubric = library.cases["shingles-01"], library.rubrics["dialogue_quality"]
    v = View(chat=[], human_doctor=True)
    score = LiveScore(after_turn=1, doctor_turns=1, coverage=0.25)
    live = str(apply_event(v, Scored(score=score), case, rubric).panels["live"])
    hidden = [m.item for m in case.must_ask] + [r.description for r in case.red_flags]
    assert "25%" in live and not any(h in live for h in hidden)
    s = Session(id="s1", case_id=case.id, temperament="phlegmatic", doctor=_cfg(), patient=_cfg(), status="ended")
    end = apply_event(v, Ended(session=s), case, rubric)
    assert any(m.item in str(end.panels["live"]) for m in case.must_ask)  # shown once it has ended
    watched = View(chat=[])  # a model doctor: the lists show live
    assert any(
        m.item in str(apply_event(watched, Scored(score=score), case, rubric).panels["live"]) for m in case.must_ask
    )


async def test_a_too_long_message_is_refused_and_kept(app: ui.App) -> None:
    t = app.consult
    sid = consult.start(t, "stye-01", "phlegmatic", [], "human", "", "grounded", "")[t.shared.sid]
    await _drain(consult.run_session(t, sid))
    long_text = "word " * 1000
    with pytest.raises(gr.Error, match=r"too long.*still in the box"):
        await _drain(consult.send(t, sid, long_text))
    assert len(app.consult.state.get(sid).turns) == 1  # nothing sent


# --------------------------------------------------------------------------- access on a public Space


def _login(name: str) -> gr.OAuthProfile:
    return gr.OAuthProfile({"name": name, "preferred_username": name, "profile": "", "picture": ""})


async def test_on_a_space_visitors_see_only_their_sessions_and_admins_see_all(
    app: ui.App, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPACE_ID", "org/consultbench")
    app.consult.state.rt.settings.admins = ["the-admin"]
    t, s = app.consult, app.sessions
    mine = consult.start(t, "stye-01", "phlegmatic", [], "reference", "", "grounded", "", "key-A")[t.shared.sid]
    theirs = consult.start(t, "hives-01", "phlegmatic", [], "reference", "", "grounded", "", "key-B")[t.shared.sid]
    listed = sessions.refresh(s, "any", "", "any", "", 0, "key-A", None)["session"].tolist()
    assert listed == [mine]  # a visitor lists only what this browser started
    assert sid_in(sessions.open_session(s, mine, "key-A", None), s, mine)
    for handler in (sessions.open_session, sessions.resume_from_list, sessions.download_transcript):
        with pytest.raises(gr.Error, match="no session"):
            handler(s, theirs, "key-A", None)  # not theirs: refused like a missing one
    with pytest.raises(gr.Error, match="admins"):
        sessions.export(s, "any", "", "any", "", 0, None)
    with pytest.raises(gr.Error, match="admins"):
        sessions.export(s, "any", "", "any", "", 0, _login("someone-else"))
    admin = _login("the-admin")
    assert set(sessions.refresh(s, "any", "", "any", "", 0, "", admin)["session"]) == {mine, theirs}
    assert sid_in(sessions.open_session(s, theirs, "", admin), s, theirs)
    assert sessions.export(s, "any", "", "any", "", 0, admin).endswith(".jsonl")


def sid_in(out: dict[Any, Any], s: sessions.SessionsTab, sid: str) -> bool:
    return sid in out[s.details]


async def test_locally_the_person_running_the_app_sees_everything(app: ui.App, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SPACE_ID", raising=False)
    t, s = app.consult, app.sessions
    sid = consult.start(t, "stye-01", "phlegmatic", [], "reference", "", "grounded", "", "key-B")[t.shared.sid]
    assert sessions.refresh(s, "any", "", "any", "", 0, "key-A", None)["session"].tolist() == [sid]
    assert sessions.export(s, "any", "", "any", "", 0, None).endswith(".jsonl")


def test_locally_annotation_is_off_without_an_invite_list(app: ui.App, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SPACE_ID", raising=False)
    app.annotate.state.rt.settings.annotators = {}
    with pytest.raises(gr.Error, match="Annotation is off"):
        annotate.next_session(app.annotate, "alice", "anything")


def test_the_form_makes_an_hf_seat_from_a_model_id() -> None:
    from ui.state import spec_from

    assert spec_from("hf", " meta-llama/Llama-3.1-8B-Instruct ") == "hf:meta-llama/Llama-3.1-8B-Instruct"
    with pytest.raises(gr.Error, match="model id"):
        spec_from("hf", "")


async def test_each_session_is_offered_until_k_annotators_have_scored_it(app: ui.App) -> None:
    t, a = app.consult, app.annotate
    sid = consult.start(t, "stye-01", "phlegmatic", [], "reference", "", "grounded", "")[t.shared.sid]
    await _drain(consult.run_session(t, sid))
    settings = a.state.rt.settings
    settings.annotators, settings.annotators_per_session = {"a1": "x", "a2": "y", "a3": "z"}, 2
    scores = ["yes"] * (len(a.items) - 1) + ["excellent"]
    for name, token in (("a1", "x"), ("a2", "y")):
        assert annotate.next_session(a, name, token)[a.sid] == sid
        annotate.submit_annotation(a, name, token, sid, "", None, *scores)
    assert annotate.next_session(a, "a3", "z")[a.sid] == ""  # two annotators already: agreement can be computed
    settings.annotators_per_session = 0
    assert annotate.next_session(a, "a3", "z")[a.sid] == sid  # no limit


def test_a_doctor_turn_is_shown_as_stored_once_it_ends(library: Library) -> None:
    """A model that thinks without an opening <think> tag streams its thoughts before `</think>` tells the
    engine they were hidden: the finished turn replaces what streamed."""
    case, rubric = library.cases["stye-01"], library.rubrics["dialogue_quality"]
    v = View(chat=[])
    apply_event(v, Delta(seat="doctor", text="maybe a stye "), case, rubric)
    u = apply_event(v, TurnDone(turn=Turn(index=1, seat="doctor", text="Any pain?", by="x")), case, rubric)
    assert v.chat == chat(("user", "Any pain?")) and set(u.panels) == {"chat"}


def test_case_sets_can_be_chosen_in_consult(settings, store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from dialogue.content.cases import load_diagnoses, load_library
    from dialogue.content.importers import import_agentclinic, write_cases
    from dialogue.content.labels import LabelSet

    src = Path(__file__).resolve().parent / "data" / "agentclinic" / "agentclinic_nejm.jsonl"
    write_cases(import_agentclinic(src, LabelSet(load_diagnoses())), tmp_path / "nejm")
    rt = Runtime(settings, library=load_library(case_sets=[tmp_path / "nejm"]), store=store)
    try:
        t = ui.build(rt).consult
        update = consult.case_field(t, "reference", "stye-01", "agentclinic-nejm")
        values = [v for _, v in update["choices"]]
        assert len(values) == 15 and all(v.startswith("agentclinic-nejm") for v in values)
        assert update["value"] == values[0]  # the old choice is not in this set
        hidden = consult.case_field(t, "human", values[3], "agentclinic-nejm")
        assert hidden["value"] == values[3] and hidden["choices"][3][0] == "Case 004"  # numbered: no id shown
        assert consult.pick_random(t, "any", "consultbench") in rt.library.cases
        assert rt.library.case_set(consult.pick_random(t, "any", "agentclinic-nejm")).id == "agentclinic-nejm"
    finally:
        rt.close()


async def test_a_strategy_chosen_in_consult_is_the_sessions(app: ui.App) -> None:
    t = app.consult
    out = consult.start(t, "stye-01", "phlegmatic", [], "reference", "", "grounded", "", "", "no-dialogue")
    sid = out[t.shared.sid]
    await _drain(consult.run_session(t, sid))
    s = t.state.rt.store.get(sid)
    assert s.strategy == "no-dialogue" and s.max_doctor_turns == 1 and s.status == "ended"
    assert consult.setup_of(t, t.state.get(sid))[t.strategy] == "no-dialogue"  # reopening shows it
