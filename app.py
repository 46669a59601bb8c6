"""ConsultBench web app: live consultations, a human-doctor seat, the session browser, the annotator
workspace and results. One `gr.Blocks` built by `build_app(runtime)`; no module-level state.

Run: `python app.py` (embedded defaults) — see README.md for every setting.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from dialogue import report, views
from dialogue.engine import Consultation
from dialogue.runtime import HUMAN, Runtime
from dialogue.schema import (
    TEMPERAMENTS,
    AgentConfig,
    Assessed,
    Assessment,
    Delta,
    Ended,
    Failed,
    ItemVerdict,
    Retract,
    Scored,
    TurnDone,
)
from dialogue.scoring import rubric_score
from dialogue.seats import SeatSpec, SeatSpecError
from dialogue.settings import Settings
from dialogue.store import NotFound, StoreError

log = logging.getLogger("consultbench.app")

DISCLAIMER = (
    "**Research and education tool, not medical advice.** Patients here are simulated from written cases; "
    "no real patient data is used. Never use it to make decisions about a real person's health."
)
DOCTOR_CHOICES = [
    ("Embedded Gemma 3 270M (local CPU model)", "local"),
    ("Reference history-taker (no LLM)", "reference"),
    ("No-dialogue baseline (no LLM)", "no-dialogue"),
    ("I am the doctor", HUMAN),
    ("TGI / OpenAI-compatible endpoint (URL below)", "tgi"),
]
PATIENT_CHOICES = [
    ("Grounded (case facts only, no LLM)", "grounded"),
    ("Embedded Gemma 3 270M, grounded prompt", "local"),
    ("TGI / OpenAI-compatible endpoint (URL below)", "tgi"),
]


STREAMING = "status: streaming…"
MAX_OPEN = 256
"""Consultations kept in memory per process; older ones are dropped (they reload from Redis in ~1 ms)."""


@dataclass
class AppState:
    """Per-process state: the runtime and the consultations open in this process, with a lock each.

    Bounded (least recently used first out), so a long-running Space does not grow with every session.
    """

    rt: Runtime
    open: OrderedDict[str, Consultation] = field(default_factory=OrderedDict)
    locks: dict[str, asyncio.Lock] = field(default_factory=dict)

    def get(self, sid: str) -> Consultation:
        if not sid:
            raise gr.Error("No session open: start a consultation first.")
        c = self.open.get(sid)
        if c is None:
            try:
                c = self.rt.resume(sid)
            except NotFound as e:
                raise gr.Error(str(e)) from None
            except StoreError as e:
                raise gr.Error(str(e)) from None
        self.remember(c)
        return c

    def remember(self, c: Consultation) -> None:
        self.open[c.session.id] = c
        self.open.move_to_end(c.session.id)
        for sid in list(self.open)[: max(0, len(self.open) - MAX_OPEN)]:
            lock = self.locks.get(sid)
            if lock is None or not lock.locked():  # never drop one that is streaming
                del self.open[sid]
                self.locks.pop(sid, None)

    def lock(self, sid: str) -> asyncio.Lock:
        return self.locks.setdefault(sid, asyncio.Lock())


def spec_from(choice: str, url: str) -> str:
    """The seat spec a form's dropdown and URL box make, validated by SeatSpec (its error shown as is)."""
    text = f"tgi:{(url or '').strip()}" if choice == "tgi" else choice
    try:
        return str(SeatSpec.parse(text))
    except SeatSpecError as e:
        if choice == "tgi":
            raise gr.Error("Enter the endpoint URL (http://host:port) for the TGI / OpenAI-compatible backend.") from e
        raise gr.Error(str(e)) from e


# --------------------------------------------------------------------------- consult view helpers


@dataclass
class View:
    """What the consult view shows; rebuilt from events, rendered by `outputs()`."""

    chat: list[dict[str, str]]
    status: str = ""
    live: str = ""
    assessment: str = ""
    truth: str = ""
    busy: bool = False
    human_doctor: bool = False
    streaming_seat: str | None = None

    def apply_delta(self, seat: str, text: str) -> None:
        role = views.ROLE[seat]
        if self.streaming_seat == seat and self.chat and self.chat[-1]["role"] == role:
            self.chat[-1]["content"] += views.escape(text)
        else:
            self.chat.append({"role": role, "content": views.escape(text)})
            self.streaming_seat = seat

    def retract(self, seat: str) -> None:
        if self.streaming_seat == seat and self.chat:
            self.chat.pop()
        self.streaming_seat = None


def view_of(state: AppState, c: Consultation) -> View:
    rt = state.rt
    waiting = c.next_seat() if c.live else None
    scores = rt.store.live_scores(c.session.id)
    return View(
        chat=views.chat_messages(c.turns),
        status=views.status_line(c.session, waiting),
        live=views.live_panel(scores[-1] if scores else None, c.case),
        assessment=views.assessment_panel(rt.store.assessment(c.session.id), rt.library.rubrics["dialogue_quality"]),
        truth=views.truth_panel(c.session, c.case),
        human_doctor=c.doctor is None,
    )


def case_image(c: Consultation) -> tuple[str | None, str]:
    """What the doctor side sees: the image (if any) and its description for text-only doctors."""
    note = f"**Photo from the patient:** {views.escape(c.case.image_description)}" if c.case.image_description else ""
    return c.case.image, note


def seat_choice(cfg: AgentConfig, choices: list[tuple[str, str]]) -> tuple[str | None, str]:
    """The dropdown value and endpoint URL that rebuild a seat (None: not a choice the form offers)."""
    try:
        seat = SeatSpec.parse(cfg.spec)
    except SeatSpecError:
        return None, ""
    if seat.kind == "tgi":
        return "tgi", seat.arg
    return (str(seat) if str(seat) in [v for _, v in choices] else None), ""


# --------------------------------------------------------------------------- app


def build_app(rt: Runtime) -> gr.Blocks:
    state = AppState(rt)
    lib = rt.library
    rubric = lib.rubrics["dialogue_quality"]
    case_ids = lib.case_ids
    doctor_choices = list(DOCTOR_CHOICES)
    if rt.settings.doctor not in [v for _, v in doctor_choices]:
        doctor_choices.insert(
            0, (f"Configured: {rt.settings.doctor.split(':', 1)[0]} ({rt.settings.doctor})", rt.settings.doctor)
        )
    patient_choices = list(PATIENT_CHOICES)
    if rt.settings.patient not in [v for _, v in patient_choices]:
        patient_choices.insert(0, (f"Configured: {rt.settings.patient}", rt.settings.patient))
    on_space = bool(os.environ.get("SPACE_ID"))

    # delete_cache: exported files and transcripts are dropped from Gradio's cache after a day
    with gr.Blocks(title="ConsultBench", delete_cache=(3600, 86400)) as demo:
        sid_state = gr.BrowserState("", storage_key="consultbench_session")
        gr.Markdown("# ConsultBench — simulated patient consultations")
        gr.Markdown(DISCLAIMER, elem_id="disclaimer")
        with gr.Tabs(selected="consult", elem_id="tabs") as tabs:
            # ------------------------------------------------------------------ consult
            with gr.Tab("Consult", id="consult", elem_id="tab-consult"):
                with gr.Row():
                    case_dd = gr.Dropdown(case_ids, value=case_ids[0], label="Case", elem_id="case", scale=2)
                    split = gr.Radio(["dev", "heldout", "any"], value="dev", label="Random from split", elem_id="split")
                    random_btn = gr.Button("Random case", elem_id="random-case", scale=0)
                    temperament = gr.Dropdown(
                        list(TEMPERAMENTS), value="phlegmatic", label="Temperament", elem_id="temperament"
                    )
                    axes = gr.CheckboxGroup(sorted(lib.axes), label="Extra patient axes (one per kind)", elem_id="axes")
                with gr.Row():
                    doctor_dd = gr.Dropdown(doctor_choices, value=rt.settings.doctor, label="Doctor", elem_id="doctor")
                    doctor_url = gr.Textbox(
                        label="Doctor endpoint URL", placeholder="http://127.0.0.1:8080", elem_id="doctor-url"
                    )
                    patient_dd = gr.Dropdown(
                        patient_choices, value=rt.settings.patient, label="Patient", elem_id="patient"
                    )
                    patient_url = gr.Textbox(
                        label="Patient endpoint URL", placeholder="http://127.0.0.1:8080", elem_id="patient-url"
                    )
                with gr.Row():
                    start_btn = gr.Button("Start consultation", variant="primary", elem_id="start")
                    stop_btn = gr.Button("Stop", elem_id="stop")
                    resume_btn = gr.Button("Resume", elem_id="resume")
                status = gr.Markdown("status: no session", elem_id="status")
                with gr.Row():
                    with gr.Column(scale=3):
                        chatbot = gr.Chatbot(
                            label="Consultation (doctor on the right, patient on the left)",
                            elem_id="chatbot",
                            height=460,
                            sanitize_html=True,
                            render_markdown=True,
                            line_breaks=True,
                        )
                        with gr.Row():
                            msg = gr.Textbox(
                                label="Your message as the doctor",
                                placeholder="Ask the patient one question at a time…",
                                elem_id="msg",
                                scale=4,
                                max_length=rt.settings.max_message_chars,
                            )
                            send_btn = gr.Button("Send", elem_id="send", scale=1)
                        with gr.Row():
                            final_dx = gr.Dropdown(
                                lib.labels.labels,
                                value=None,
                                label="Final diagnosis",
                                elem_id="final-dx",
                                scale=3,
                                info="Choose one of the 34 labels; nothing is chosen until you do.",
                            )
                            submit_dx = gr.Button("Submit diagnosis", elem_id="submit-dx", scale=1)
                    with gr.Column(scale=2):
                        image = gr.Image(
                            label="Photo (doctor's view)", elem_id="case-image", height=180, interactive=False
                        )
                        image_note = gr.Markdown("", elem_id="image-note")
                        gr.Markdown("### Live scores")
                        live_md = gr.Markdown(views.live_panel(None, lib.cases[case_ids[0]]), elem_id="live-score")
                        gr.Markdown("### Final assessment")
                        assess_md = gr.Markdown(views.assessment_panel(None, rubric), elem_id="assessment")
                        truth_md = gr.Markdown("", elem_id="truth")
                session_box = gr.Textbox(label="Session id", interactive=False, elem_id="session-id")

            # ------------------------------------------------------------------ sessions
            with gr.Tab("Sessions", id="sessions", elem_id="tab-sessions"):
                with gr.Row():
                    f_status = gr.Dropdown(
                        ["any", "live", "ended", "capped", "error"],
                        value="any",
                        label="Status",
                        elem_id="filter-status",
                    )
                    f_case = gr.Textbox(label="Case contains", elem_id="filter-case")
                    f_temp = gr.Dropdown(
                        ["any", *TEMPERAMENTS], value="any", label="Temperament", elem_id="filter-temperament"
                    )
                    f_model = gr.Textbox(label="Doctor model contains", elem_id="filter-model")
                    f_days = gr.Number(
                        value=0, label="Only the last N days (0 = all)", elem_id="filter-days", precision=0
                    )
                    refresh_btn = gr.Button("Refresh", elem_id="refresh-sessions")
                sessions_df = gr.Dataframe(interactive=False, elem_id="sessions-table", wrap=True)
                with gr.Row():
                    open_id = gr.Textbox(label="Session id", elem_id="open-id", scale=3)
                    open_btn = gr.Button("Open (read-only)", elem_id="open-session")
                    resume_open_btn = gr.Button("Resume in Consult", elem_id="resume-session")
                with gr.Row():
                    export_btn = gr.Button("Export listed sessions as JSONL", elem_id="export-jsonl")
                    transcript_btn = gr.Button("Download transcript", elem_id="download-transcript")
                    export_file = gr.File(label="Download", elem_id="export-file", interactive=False)
                session_md = gr.Markdown("", elem_id="session-details")
                session_chat = gr.Chatbot(
                    label="Transcript", elem_id="session-chat", height=380, sanitize_html=True, line_breaks=True
                )

            # ------------------------------------------------------------------ annotate
            with gr.Tab("Annotate", id="annotate", elem_id="tab-annotate"):
                gr.Markdown(
                    "Score ended consultations with the same rubric the assessor uses. The assessor's verdicts stay "
                    "hidden until you submit. Your scores are stored under your name; you can only change your own."
                )
                with gr.Row():
                    if on_space:
                        gr.LoginButton(elem_id="login")
                    annotator = gr.Textbox(
                        label="Your name (annotator id)", elem_id="annotator", interactive=not on_space
                    )
                    next_btn = gr.Button("Next session to annotate", elem_id="next-session", variant="primary")
                annot_sid = gr.State("")
                annot_info = gr.Markdown("", elem_id="annotate-info")
                annot_chat = gr.Chatbot(
                    label="Transcript", elem_id="annotate-chat", height=360, sanitize_html=True, line_breaks=True
                )
                item_inputs = []
                for item in rubric.items:
                    choices = ["yes", "no"] if item.kind == "yes_no" else list(item.scale)
                    item_inputs.append(gr.Radio(choices, label=item.criterion, elem_id=f"item-{item.id}"))
                comment = gr.Textbox(label="Comment", lines=2, elem_id="annotate-comment")
                submit_annot = gr.Button("Submit scores", elem_id="submit-annotation", variant="primary")
                reveal_md = gr.Markdown("", elem_id="assessor-verdicts")
                gr.Markdown("### Agreement per item (assessor vs humans, human vs human)")
                agreement_btn = gr.Button("Refresh agreement", elem_id="refresh-agreement")
                agreement_df = gr.Dataframe(interactive=False, elem_id="agreement")

            # ------------------------------------------------------------------ results
            with gr.Tab("Results", id="results", elem_id="tab-results"):
                results_btn = gr.Button("Refresh results", elem_id="refresh-results")
                results_md = gr.Markdown("", elem_id="results-summary")
                results_overall = gr.Dataframe(
                    interactive=False,
                    elem_id="results-table",
                    label="Leaderboard: doctor models by weighted F1 (95% CI; paired on case x temperament x seed)",
                )
                results_temp = gr.Dataframe(interactive=False, elem_id="results-temperament", label="By temperament")
                with gr.Row():
                    plot_f1 = gr.Plot(elem_id="plot-f1")
                    plot_items = gr.Plot(elem_id="plot-rubric")
                with gr.Accordion("How far the assessor and the patient can be trusted", open=False):
                    gr.Markdown(views.validity_panel(), elem_id="validity")

        consult_controls = [start_btn, send_btn, submit_dx, resume_btn, random_btn]
        consult_outputs = [chatbot, status, live_md, assess_md, truth_md, *consult_controls]

        def controls(busy: bool, human_doctor: bool) -> dict[Any, Any]:
            idle = not busy
            return {
                start_btn: gr.update(interactive=idle),
                send_btn: gr.update(interactive=idle and human_doctor),
                submit_dx: gr.update(interactive=idle and human_doctor),
                resume_btn: gr.update(interactive=idle),
                random_btn: gr.update(interactive=idle),
            }

        def busy_view(c: Consultation) -> dict[Any, Any]:
            """Controls off and "streaming…": what shows while a turn of `c` streams."""
            return {status: STREAMING, **controls(True, c.doctor is None)}

        def outputs(v: View) -> dict[Any, Any]:
            return {
                chatbot: v.chat,
                status: v.status,
                live_md: v.live,
                assess_md: v.assessment,
                truth_md: v.truth,
                **controls(v.busy, v.human_doctor),
            }

        async def stream(sid: str, text: str | None = None) -> AsyncIterator[dict[Any, Any]]:
            """Advance a session (a human doctor's `text` first, if given) and stream every event."""
            c = state.get(sid)
            lock = state.lock(sid)
            if lock.locked():
                gr.Warning("This session is already streaming in another tab.")
                return
            async with lock:
                # Each yield sends only what changed: a token costs one chatbot diff, not a re-render of every
                # panel. Nothing is sent before the first token (the callers' own first output already shows
                # "streaming…" and disables the controls): a yield there adds ~15 ms to the time to first
                # token (bench/streaming_overhead.py). The first event repeats it, for API callers.
                v = View(chat=views.chat_messages(c.turns))  # only its chat is used while streaming
                pending: dict[Any, Any] = busy_view(c)
                gens = [c.step(text), c.run()] if text is not None else [c.run()]
                refused = False
                for gen in gens:
                    async for ev in gen:
                        if isinstance(ev, Delta):
                            v.apply_delta(ev.seat, ev.text)
                            yield {**pending, chatbot: v.chat}
                            pending = {}
                        elif isinstance(ev, Retract):
                            v.retract(ev.seat)
                            yield {chatbot: v.chat}
                        elif isinstance(ev, TurnDone):
                            v.streaming_seat = None
                            if ev.turn.cut and v.chat:
                                v.chat[-1] = views.chat_message(ev.turn.seat, ev.turn.text, cut=True)
                                yield {chatbot: v.chat}
                        elif isinstance(ev, Scored):
                            yield {live_md: views.live_panel(ev.score, c.case)}
                        elif isinstance(ev, Assessed):
                            yield {assess_md: views.assessment_panel(ev.assessment, rubric)}
                        elif isinstance(ev, Ended):
                            yield {truth_md: views.truth_panel(ev.session, c.case)}
                        elif isinstance(ev, Failed):
                            gr.Warning(ev.message)
                            refused = gen is gens[0] and text is not None  # a refused human message
                    if refused:
                        break
            yield outputs(view_of(state, c))  # the stored state, whole: what a reload would show

        # ---------------------------------------------------------------- consult handlers

        def start(case_id: str, temp: str, ax: list[str], doc: str, doc_url: str, pat: str, pat_url: str):  # type: ignore[no-untyped-def]
            try:
                c = rt.new_consultation(
                    case_id, temp, axes=ax or [], doctor=spec_from(doc, doc_url), patient=spec_from(pat, pat_url)
                )
            except (ValueError, NotFound) as e:
                raise gr.Error(str(e)) from None
            except StoreError as e:
                raise gr.Error(str(e)) from None
            state.remember(c)
            img, note = case_image(c)
            v = view_of(state, c)
            v.busy = True
            v.status = STREAMING
            return {sid_state: c.session.id, session_box: c.session.id, image: img, image_note: note, **outputs(v)}

        def busy(sid: str) -> dict[Any, Any]:
            """What a button shows at once, before its stream starts."""
            return busy_view(state.get(sid))

        async def run_session(sid: str) -> AsyncIterator[dict[Any, Any]]:
            async for out in stream(sid):
                yield out

        async def send(sid: str, text: str) -> AsyncIterator[dict[Any, Any]]:
            c = state.get(sid)
            if c.doctor is not None:
                raise gr.Error("A model holds the doctor's seat in this session.")
            if c.next_seat() != "doctor" or not c.live:
                raise gr.Error(f"It is not the doctor's turn ({views.status_line(c.session, c.next_seat())}).")
            yield {msg: "", **busy(sid)}
            async for out in stream(sid, text):
                yield out

        async def send_dx(sid: str, dx: str | None, text: str) -> AsyncIterator[dict[Any, Any]]:
            if not dx:
                raise gr.Error("Choose a final diagnosis first.")
            note = (text or "").strip()
            async for out in send(sid, f"{note}\nFINAL DIAGNOSIS: {dx}".strip()):
                yield out

        def pick_random(which: str) -> str:
            pool = [c.id for c in lib.cases.values() if which == "any" or c.split == which]
            return random.choice(pool)

        setup_fields = [case_dd, temperament, axes, doctor_dd, doctor_url, patient_dd, patient_url]

        def setup_of(c: Consultation) -> dict[Any, Any]:
            """The form as it was when this session started, so what the page shows matches the session."""
            doc, doc_url = seat_choice(c.session.doctor, doctor_choices)
            pat, pat_url = seat_choice(c.session.patient, patient_choices)
            out: dict[Any, Any] = {case_dd: c.case.id, temperament: c.session.temperament, axes: c.session.axes}
            if doc is not None:
                out |= {doctor_dd: doc, doctor_url: doc_url}
            if pat is not None:
                out |= {patient_dd: pat, patient_url: pat_url}
            return out

        async def restore(sid: str) -> AsyncIterator[dict[Any, Any]]:
            """On page load: reopen the session kept in browser storage.

            A reload can land while a turn of this session is still streaming (the old connection's event
            goes on, or is cancelled and discards its turn). Show what is stored, then wait for the stream
            to finish and show the result, so the page never sits on a stale transcript.
            """
            if not sid:
                yield {status: "status: no session"}
                return
            try:
                c = state.get(sid)
            except gr.Error:
                yield {status: "status: no session", sid_state: ""}
                return
            img, note = case_image(c)
            v = view_of(state, c)
            lock = state.lock(sid)
            streaming = lock.locked()
            if streaming:
                v.busy = True
                v.status = "status: streaming in another connection… (the page updates when the turn ends)"
            yield {
                session_box: sid,
                image: img,
                image_note: note,
                **setup_of(c),
                **outputs(v),
            }
            if streaming:
                async with lock:
                    pass
                v = view_of(state, c)
                yield outputs(v)
            if c.live and not lock.locked() and not c.waiting_for_human():
                yield {status: f"{v.status} — press Resume to continue"}  # a model's turn, and nothing runs it

        start_ev = start_btn.click(
            start,
            [case_dd, temperament, axes, doctor_dd, doctor_url, patient_dd, patient_url],
            [sid_state, session_box, image, image_note, *consult_outputs],
        )
        run_ev = start_ev.success(run_session, sid_state, consult_outputs)
        send_ev = gr.on([send_btn.click, msg.submit], send, [sid_state, msg], [msg, *consult_outputs])
        dx_ev = submit_dx.click(send_dx, [sid_state, final_dx, msg], [msg, *consult_outputs])
        resume_ev = resume_btn.click(busy, sid_state, consult_outputs).success(run_session, sid_state, consult_outputs)

        def stopped(sid: str):  # type: ignore[no-untyped-def]
            if not sid:
                return {status: "status: no session"}
            c = state.get(sid)
            v = view_of(state, c)
            v.status = "status: stopped — press Resume to continue (the turn in progress was discarded)"
            return outputs(v)

        stop_btn.click(stopped, sid_state, consult_outputs, cancels=[run_ev, send_ev, dx_ev, resume_ev])
        random_btn.click(pick_random, split, case_dd)
        demo.load(restore, sid_state, [sid_state, session_box, image, image_note, *setup_fields, *consult_outputs])

        # ---------------------------------------------------------------- sessions handlers

        def list_sessions(st: str, case_q: str, temp: str, model_q: str, days: float | None) -> pd.DataFrame:
            heads = rt.store.headers(rt.store.list_ids(limit=5000))
            cutoff = time.time() - float(days) * 86400 if days else 0
            rows = [
                {
                    "session": s.id,
                    "created (UTC)": time.strftime("%Y-%m-%d %H:%M", time.gmtime(s.created_at)),
                    "status": s.status,
                    "case": s.case_id,
                    "temperament": s.temperament,
                    "axes": ",".join(s.axes),
                    "doctor": s.doctor.model,
                    "final dx": s.final_diagnosis or "",
                }
                for s in heads
                if (st == "any" or s.status == st)
                and (not case_q or case_q.lower() in s.case_id.lower())
                and (temp == "any" or s.temperament == temp)
                and (not model_q or model_q.lower() in s.doctor.model.lower())
                and s.created_at >= cutoff
            ]
            return pd.DataFrame(
                rows,
                columns=["session", "created (UTC)", "status", "case", "temperament", "axes", "doctor", "final dx"],
            )

        filters = [f_status, f_case, f_temp, f_model, f_days]

        def refresh(*args: Any) -> pd.DataFrame:
            try:
                return list_sessions(*args)
            except StoreError as e:
                raise gr.Error(str(e)) from None

        refresh_btn.click(refresh, filters, sessions_df)

        def pick_row(evt: gr.SelectData, df: pd.DataFrame) -> str:
            row = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
            return str(df.iloc[int(row)]["session"]) if len(df) else ""

        sessions_df.select(pick_row, sessions_df, open_id)

        def open_session(sid: str):  # type: ignore[no-untyped-def]
            sid = (sid or "").strip()
            try:
                rec = rt.store.record(sid)
            except (NotFound, StoreError) as e:
                raise gr.Error(str(e)) from None
            s = rec.session
            truth = views.truth_panel(s, rt.case(s.case_id))
            details = (
                f"**{s.id}** · case `{s.case_id}` · {s.temperament} · axes {', '.join(s.axes) or 'none'} · "
                f"doctor {views.escape(s.doctor.model)} · patient {views.escape(s.patient.model)} · "
                f"{views.status_line(s)} · leak-guard events {s.leak_events}\n\n{truth}\n\n"
                + views.assessment_panel(rec.assessment, rubric)
            )
            return {session_md: details, session_chat: views.chat_messages(rec.turns)}

        open_btn.click(open_session, open_id, [session_md, session_chat])

        def resume_from_list(sid: str):  # type: ignore[no-untyped-def]
            sid = (sid or "").strip()
            state.open.pop(sid, None)
            c = state.get(sid)
            img, note = case_image(c)
            v = view_of(state, c)
            v.busy = c.live and not c.waiting_for_human()
            if v.busy:
                v.status = STREAMING
            return {
                tabs: gr.Tabs(selected="consult"),
                sid_state: sid,
                session_box: sid,
                image: img,
                image_note: note,
                **setup_of(c),
                **outputs(v),
            }

        resume_open_btn.click(
            resume_from_list,
            open_id,
            [tabs, sid_state, session_box, image, image_note, *setup_fields, *consult_outputs],
        ).success(run_session, sid_state, consult_outputs)

        def export(*args: Any) -> str:
            df = list_sessions(*args)
            fd, path = tempfile.mkstemp(prefix="consultbench-", suffix=".jsonl")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                for line in rt.store.export_jsonl(df["session"].tolist()):
                    f.write(line + "\n")
            gr.Info(f"Exported {len(df)} session(s).")
            return path

        export_btn.click(export, filters, export_file)

        def download_transcript(sid: str) -> str:
            try:
                rec = rt.store.record((sid or "").strip())
            except (NotFound, StoreError) as e:
                raise gr.Error(str(e)) from None
            path = Path(tempfile.mkdtemp()) / f"consultation-{rec.session.id}.md"
            path.write_text(views.transcript_markdown(rec), encoding="utf-8")
            return str(path)

        transcript_btn.click(download_transcript, open_id, export_file)

        # ---------------------------------------------------------------- annotate handlers

        def who(name: str, profile: gr.OAuthProfile | None) -> str:
            if profile is not None:
                return str(profile.username)
            name = (name or "").strip()
            if not name:
                raise gr.Error("Enter your name (or log in) before annotating.")
            if len(name) > 64:
                raise gr.Error("Annotator name is too long (64 characters at most).")
            return name

        def next_session(name: str, profile: gr.OAuthProfile | None = None):  # type: ignore[no-untyped-def]
            me = who(name, profile)
            done = rt.store.annotated_by(me)
            heads = rt.store.headers(rt.store.list_ids(newest_first=False, limit=100_000))
            todo = [s for s in heads if s.status in ("ended", "capped") and s.id not in done]
            if not todo:
                gr.Info("Nothing left to annotate: every ended session has your scores.")
                return {annot_sid: "", annot_info: "_Queue empty._", annot_chat: [], reveal_md: ""}
            s = todo[0]
            turns = rt.store.turns(s.id)
            info = f"Session `{s.id}` · {len(todo)} left in your queue · case {s.case_id} · {s.temperament}"
            return {
                annot_sid: s.id,
                annot_info: info,
                annot_chat: views.chat_messages(turns),
                reveal_md: "",
                comment: "",
                **{i: None for i in item_inputs},
            }

        next_btn.click(next_session, annotator, [annot_sid, annot_info, annot_chat, reveal_md, comment, *item_inputs])

        def submit_annotation(name: str, sid: str, note: str, *values: str | None):  # type: ignore[no-untyped-def]
            me = who(name, None)
            if not sid:
                raise gr.Error("Load a session first (Next session to annotate).")
            missing = [item.id for item, val in zip(rubric.items, values, strict=True) if val is None]
            if missing:
                raise gr.Error(f"Score every item before submitting (missing: {', '.join(missing)}).")
            verdicts = [
                ItemVerdict(item_id=item.id, value=(val == "yes") if item.kind == "yes_no" else val, by=f"human:{me}")
                for item, val in zip(rubric.items, values, strict=True)
            ]
            a = Assessment(
                by=f"human:{me}",
                verdicts=verdicts,
                rubric_score=rubric_score(rubric.items, verdicts),
                comment=(note or "")[:2000],
            )
            rt.store.set_annotation(sid, me, a)
            judge = rt.store.assessment(sid)
            gr.Info("Scores saved.")
            return "### Your scores vs the assessor\n\n" + views.assessment_panel(judge, rubric)

        submit_annot.click(submit_annotation, [annotator, annot_sid, comment, *item_inputs], reveal_md).success(
            lambda: agreement_table(), None, agreement_df
        )

        def agreement_table() -> pd.DataFrame:
            ids = rt.store.list_ids(limit=100_000)
            recs = [rt.store.record(i) for i in ids if rt.store.annotations(i)]
            df = report.agreement(recs, rubric)
            return df if not df.empty else pd.DataFrame({"item": [], "note": []})

        agreement_btn.click(agreement_table, None, agreement_df)

        # ---------------------------------------------------------------- results handlers

        def results():  # type: ignore[no-untyped-def]
            ids = rt.store.list_ids(limit=100_000)
            recs = [r for r in (rt.store.record(i) for i in ids) if r.session.status in ("ended", "capped")]
            truths = {c.id: c.diagnosis for c in lib.cases.values()}
            df = report.session_rows(recs, lib.labels, truths)
            overall = report.leaderboard(df) if not df.empty else pd.DataFrame()
            by_temp = report.summary(df, "temperament") if not df.empty else pd.DataFrame()
            means = report.item_means(recs, rubric)
            return {
                results_md: f"{len(df)} finished sessions. Weighted F1 follows 3MDBench (none-answers excluded, hedges penalized).",
                results_overall: overall,
                results_temp: by_temp,
                plot_f1: report.plot_f1_by(df, "temperament"),
                plot_items: report.plot_items(means),
            }

        results_btn.click(results, None, [results_md, results_overall, results_temp, plot_f1, plot_items])
    return demo


def warm_models(rt: Runtime) -> None:
    """Load the embedded model and the embedding model in the background so the first turn is fast."""

    def go() -> None:
        try:
            rt.warm_embeddings()
            for spec in {rt.settings.doctor, rt.settings.patient}:
                if SeatSpec.parse(spec).kind in ("local", "local4bit"):  # an endpoint is warm already
                    rt.warm(spec)
        except Exception as e:
            log.warning("model warm-up failed: %s", e)

    threading.Thread(target=go, daemon=True).start()


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings.from_env()
    rt = Runtime(settings)
    if os.environ.get("CB_WARM", "1") != "0":
        warm_models(rt)
    demo = build_app(rt)
    port = int(os.environ.get("GRADIO_SERVER_PORT", os.environ.get("PORT", "7860")))
    print(
        f"ConsultBench on http://127.0.0.1:{port}  ({len(rt.library.cases)} cases; Redis {rt.store.url.split('@')[-1]})"
    )
    demo.queue(default_concurrency_limit=settings.concurrency, max_size=1000).launch(
        server_name=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"),
        server_port=port,
        share=False,
        root_path=os.environ.get("GRADIO_ROOT_PATH") or None,
        show_error=True,
        # Gradio keeps each browser session's last outputs in memory (10,000 sessions by default); the
        # sessions themselves live in Redis, so keep as many as this process keeps consultations open
        state_session_capacity=MAX_OPEN,
    )


if __name__ == "__main__":
    main()
