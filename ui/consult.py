"""The Consult tab: set up a consultation, watch it stream, or take the doctor's seat.

`build()` lays out the components, `wire()` binds the module-level handlers below to them; each handler takes
the tab (`ConsultTab`: its components and the shared state) first, so it can be called without a browser.
"""

from __future__ import annotations

import html
import os
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import gradio as gr

from dialogue import views
from dialogue.engine import Consultation, InputError, clean_human_text
from dialogue.runtime import HUMAN
from dialogue.schema import STRATEGIES, TEMPERAMENTS, Rubric
from dialogue.store.sessions import StoreError

from .access import owner_of
from .events import View, apply_event, stored_view
from .state import (
    DOCTOR_CHOICES,
    PATIENT_CHOICES,
    STREAMING,
    AppState,
    Choices,
    Shared,
    bound,
    seat_choice,
    seat_choices,
    spec_from,
)

Out = dict[Any, Any]
# Example set-ups: labels that say what happens, never which diagnosis the case has.
EXAMPLES = [
    ["shingles-01", "melancholic", [], "reference", "", "grounded", ""],
    ["hives-01", "choleric", ["self-diagnosis-assertive"], "no-dialogue", "", "grounded", ""],
    ["stye-02", "sanguine", [], "human", "", "grounded", ""],
]
EXAMPLE_LABELS = [
    "Watch: a worried patient and the reference history-taker",
    "Watch: an impatient patient sure of their own diagnosis, and the no-dialogue baseline",
    "Be the doctor: a talkative parent",
]
HOW_TO = """\
1. **Pick a case** (or *Random case*): a written patient with a hidden diagnosis, one of 34 skin, eye, mouth
   and nail conditions (3MDBench's labels).
2. **Pick how the patient behaves.** *Temperament* (3MDBench's four): **phlegmatic** answers briefly and calmly,
   **sanguine** chats and adds detail, **choleric** is impatient and wants a quick fix, **melancholic** worries
   and asks whether it is serious. *Axes* add one trait each: limited health literacy, vague recall, or a
   patient who arrives with their own (wrong) self-diagnosis.
3. **Pick the seats.** The *doctor* is the model under test: the **reference history-taker** (no LLM, fast),
   the **no-dialogue baseline**, the embedded small model (slow on a CPU), an endpoint URL (TGI, vLLM,
   SGLang), or **you** ("I am the doctor": type questions, then submit a diagnosis). The *patient* is
   **grounded** (answers only from the case's facts, no LLM) or an LLM given the same facts. The *strategy*
   is how the doctor works: **dialogue** (default), **no-dialogue** and **full-information** (one answer from
   the complaint alone, or from every case fact: the floor and the ceiling), **text-only** (no photo),
   **reasoning** (it may think in a hidden block), **hints** (a classifier's top-3 labels).
4. **Start.** The consultation streams; live scores update after each doctor turn, and the final assessment
   (diagnosis, history taking, safety, the 3MDBench rubric) and the true diagnosis appear when it ends.
"""


@dataclass
class ConsultTab:
    state: AppState
    shared: Shared
    doctor_choices: Choices
    patient_choices: Choices
    case: Any
    case_set: Any
    split: Any
    random: Any
    temperament: Any
    axes: Any
    doctor: Any
    doctor_url: Any
    patient: Any
    patient_url: Any
    strategy: Any
    start: Any
    stop: Any
    resume: Any
    status: Any
    state_tag: Any
    chatbot: Any
    msg: Any
    send: Any
    msg_count: Any
    final_dx: Any
    submit_dx: Any
    image: Any
    image_note: Any
    live: Any
    assessment: Any
    truth: Any
    session_box: Any

    @property
    def rubric(self) -> Rubric:
        return self.state.rt.library.rubrics["dialogue_quality"]

    @property
    def controls(self) -> list[Any]:
        return [self.start, self.send, self.submit_dx, self.resume, self.random]

    @property
    def outputs(self) -> list[Any]:
        """Components a whole view fills (`render`)."""
        return [self.chatbot, self.status, self.state_tag, self.live, self.assessment, self.truth, *self.controls]

    @property
    def setup_fields(self) -> list[Any]:
        return [self.case, self.temperament, self.axes, self.doctor, self.doctor_url, self.patient, self.patient_url]

    @property
    def opened(self) -> list[Any]:
        """Components filled when a session is opened in the tab (`opened_view`)."""
        return [
            self.shared.sid,
            self.session_box,
            self.image,
            self.image_note,
            *self.setup_fields,
            self.strategy,
            *self.outputs,
        ]

    @property
    def panels(self) -> dict[str, Any]:
        return {"chat": self.chatbot, "live": self.live, "assessment": self.assessment, "truth": self.truth}


# --------------------------------------------------------------------------- layout


def build(state: AppState, shared: Shared) -> ConsultTab:
    rt = state.rt
    lib = rt.library
    doctors = seat_choices(rt.settings.doctor, DOCTOR_CHOICES)
    patients = seat_choices(rt.settings.patient, PATIENT_CHOICES)
    c: dict[str, Any] = {}
    with gr.Accordion("How to use this (30 seconds)", open=bool(os.environ.get("SPACE_ID")), elem_id="how-to"):
        gr.Markdown(HOW_TO)
    with gr.Row():
        c["case_set"] = gr.Dropdown(
            ["all", *sorted(lib.sets)],
            value="all",
            label="Case set",
            visible=len(lib.sets) > 1,  # shown when imported sets are loaded (CB_CASE_SETS)
            elem_id="case-set",
        )
        c["case"] = gr.Dropdown(
            case_choices(state, hidden=False), value=lib.case_ids[0], label="Case", elem_id="case", scale=2
        )
        c["split"] = gr.Radio(["dev", "heldout", "any"], value="dev", label="Random from split", elem_id="split")
        c["random"] = gr.Button("Random case", elem_id="random-case", scale=0)
        c["temperament"] = gr.Dropdown(
            list(TEMPERAMENTS), value="phlegmatic", label="Temperament", elem_id="temperament"
        )
        c["axes"] = gr.CheckboxGroup(sorted(lib.axes), label="Extra patient axes (one per kind)", elem_id="axes")
    with gr.Row():
        c["doctor"] = gr.Dropdown(doctors, value=rt.settings.doctor, label="Doctor", elem_id="doctor")
        c["strategy"] = gr.Dropdown(
            list(STRATEGIES),
            value="dialogue",
            label="Strategy",  # no-dialogue and full-information answer at once: the floor and the ceiling
            elem_id="strategy",
        )
        c["doctor_url"] = gr.Textbox(
            label="Doctor endpoint URL (or hf model id)", placeholder="http://127.0.0.1:8080", elem_id="doctor-url"
        )
        c["patient"] = gr.Dropdown(patients, value=rt.settings.patient, label="Patient", elem_id="patient")
        c["patient_url"] = gr.Textbox(
            label="Patient endpoint URL (or hf model id)", placeholder="http://127.0.0.1:8080", elem_id="patient-url"
        )
    with gr.Row():
        c["start"] = gr.Button("Start consultation", variant="primary", elem_id="start")
        c["stop"] = gr.Button("Stop", elem_id="stop")
        c["resume"] = gr.Button("Resume", elem_id="resume")
    c["status"] = gr.Markdown("status: no session", elem_id="status")
    c["state_tag"] = gr.HTML(state_html("status: no session", ""), elem_id="state", padding=False)
    with gr.Row():
        with gr.Column(scale=3):
            c |= _chat_column(state)
        with gr.Column(scale=2):
            c |= _side_column(state)
    c["session_box"] = gr.Textbox(label="Session id", interactive=False, elem_id="session-id")
    fields = [c[k] for k in ("case", "temperament", "axes", "doctor", "doctor_url", "patient", "patient_url")]
    gr.Examples(EXAMPLES, fields, label="Try one (fills the form; then press Start)", example_labels=EXAMPLE_LABELS)
    return ConsultTab(state=state, shared=shared, doctor_choices=doctors, patient_choices=patients, **c)


def _chat_column(state: AppState) -> dict[str, Any]:
    c: dict[str, Any] = {}
    c["chatbot"] = gr.Chatbot(
        label="Consultation (doctor on the right, patient on the left)",
        elem_id="chatbot",
        height=460,
        sanitize_html=True,
        render_markdown=True,
        line_breaks=True,
    )
    with gr.Row():
        c["msg"] = gr.Textbox(
            label="Your message as the doctor",
            placeholder="Ask the patient one question at a time…",
            elem_id="msg",
            scale=4,
            info=f"At most {state.rt.settings.max_message_chars:,} characters: a longer message is refused, never cut.",
        )
        c["send"] = gr.Button("Send", elem_id="send", scale=1)
    c["msg_count"] = gr.HTML(
        f'<span id="msg-count" data-limit="{state.rt.settings.max_message_chars}">'
        f"0 / {state.rt.settings.max_message_chars:,} characters</span>",
        elem_id="msg-counter",
    )
    with gr.Row():
        c["final_dx"] = gr.Dropdown(
            state.rt.library.closed_labels,  # an open set's diagnoses are typed (listing them would give it away)
            value=None,
            label="Final diagnosis",
            elem_id="final-dx",
            scale=3,
            allow_custom_value=len(state.rt.library.sets) > 1,
            info="Choose one of the 34 labels (or, for a case of an open set, type the diagnosis); nothing is "
            "chosen until you do."
            if len(state.rt.library.sets) > 1
            else "Choose one of the 34 labels; nothing is chosen until you do.",
        )
        c["submit_dx"] = gr.Button("Submit diagnosis", elem_id="submit-dx", scale=1)
    return c


def _side_column(state: AppState) -> dict[str, Any]:
    lib = state.rt.library
    c: dict[str, Any] = {}
    c["image"] = gr.Image(
        label="Photo (doctor's view)", elem_id="case-image", height=180, interactive=False, visible=False
    )
    c["image_note"] = gr.Markdown("", elem_id="image-note")
    gr.Markdown("### Live scores")
    c["live"] = gr.Markdown(views.live_panel(None, lib.cases[lib.case_ids[0]]), elem_id="live-score")
    gr.Markdown("### Final assessment")
    c["assessment"] = gr.Markdown(views.assessment_panel(None, lib.rubrics["dialogue_quality"]), elem_id="assessment")
    c["truth"] = gr.Markdown("", elem_id="truth")
    return c


# --------------------------------------------------------------------------- rendering


def controls(t: ConsultTab, busy: bool, human_doctor: bool) -> Out:
    idle = not busy
    return {
        t.start: gr.update(interactive=idle),
        t.send: gr.update(interactive=idle and human_doctor),
        t.submit_dx: gr.update(interactive=idle and human_doctor),
        t.resume: gr.update(interactive=idle),
        t.random: gr.update(interactive=idle),
    }


def busy_view(t: ConsultTab, c: Consultation) -> Out:
    """Controls off and "streaming…": what shows while a turn of `c` streams."""
    return {**status(t, STREAMING, c.session.id), **controls(t, True, c.doctor is None)}


def state_html(text: str, sid: str) -> str:
    """The app's state alone, for scripts to wait on: `#cb-state[data-status=ended]`, `[data-session-id]`."""
    word = text.removeprefix("status: ").split(" ")[0].rstrip("…").strip() or "none"
    word = "none" if word == "no" else word
    return f'<span id="cb-state" data-status="{word}" data-session-id="{html.escape(sid)}">{word}</span>'


def status(t: ConsultTab, text: str, sid: str = "") -> Out:
    """The status line and the script-friendly state element, always together."""
    return {t.status: text, t.state_tag: state_html(text, sid)}


def render(t: ConsultTab, v: View) -> Out:
    return {
        t.chatbot: v.chat,
        **status(t, v.status, v.sid),
        t.live: v.live,
        t.assessment: v.assessment,
        t.truth: v.truth,
        **controls(t, v.busy, v.human_doctor),
    }


def case_image(c: Consultation) -> tuple[str | None, str]:
    """What the doctor side sees: the image (if any) and its description for text-only doctors."""
    note = f"**Photo from the patient:** {views.escape(c.case.image_description)}" if c.case.image_description else ""
    return c.case.image, note


def case_choices(state: AppState, *, hidden: bool, case_set: str = "all") -> list[tuple[str, str]]:
    """The case dropdown's choices (of one case set, or all). When you are the doctor, cases are numbered: an
    id like `caries-02` would give the diagnosis away (the truth panel names it when the consultation ends)."""
    lib = state.rt.library
    ids = [c for c in lib.case_ids if case_set in ("all", "", None) or lib.case_set(c).id == case_set]
    return [(f"Case {i:03d}" if hidden else cid, cid) for i, cid in enumerate(ids, 1)]


def case_field(t: ConsultTab, doctor: str, case: str, case_set: str = "all") -> Any:
    """The case dropdown for the doctor and case set chosen: numbered for a human doctor, by id otherwise."""
    choices = case_choices(t.state, hidden=doctor == HUMAN, case_set=case_set)
    values = [v for _, v in choices]
    return gr.update(choices=choices, value=case if case in values else (values[0] if values else None))


def setup_of(t: ConsultTab, c: Consultation) -> Out:
    """The form as it was when this session started, so what the page shows matches the session."""
    doc, doc_url = seat_choice(c.session.doctor, t.doctor_choices)
    pat, pat_url = seat_choice(c.session.patient, t.patient_choices)
    out: Out = {
        t.case: c.case.id,
        t.temperament: c.session.temperament,
        t.axes: c.session.axes,
        t.strategy: c.session.strategy,
    }
    if doc is not None:
        out |= {t.doctor: doc, t.doctor_url: doc_url}
    if pat is not None:
        out |= {t.patient: pat, t.patient_url: pat_url}
    return out


def opened_view(t: ConsultTab, c: Consultation, v: View, *, with_setup: bool = True) -> Out:
    """What `opened` shows for session `c` in state `v` (the set-up form too, unless it made the session)."""
    img, note = case_image(c)
    sid = c.session.id
    setup = setup_of(t, c) if with_setup else {}
    photo = gr.update(value=img, visible=img is not None)  # no empty photo box for a case without one
    return {t.shared.sid: sid, t.session_box: sid, t.image: photo, t.image_note: note, **setup, **render(t, v)}


# --------------------------------------------------------------------------- handlers


async def stream(t: ConsultTab, sid: str, text: str | None = None) -> AsyncIterator[Out]:
    """Advance a session (a human doctor's `text` first, if given) and stream every event."""
    c = t.state.get(sid)
    lock = t.state.lock(sid)
    if lock.locked():
        gr.Warning("This session is already streaming in another tab.")
        return
    async with lock:
        # Each yield sends only what changed: a token costs one chatbot diff, not a re-render of every panel.
        # Nothing is sent before the first token (the callers' own first output already shows "streaming…" and
        # disables the controls): a yield there adds ~15 ms to the time to first token
        # (bench/streaming_overhead.py). The first change repeats it, for API callers.
        v = View(chat=views.chat_messages(c.turns), human_doctor=c.doctor is None)
        pending = busy_view(t, c)
        gens = [c.step(text), c.run()] if text is not None else [c.run()]
        for i, gen in enumerate(gens):
            refused = False
            async for out in _changes(t, v, c, gen):
                if out is None:
                    refused = refused or (i == 0 and text is not None)  # a refused human message: stop there
                    continue
                yield {**pending, **out}
                pending = {}
            if refused:
                break
    yield render(t, stored_view(t.state.rt.store, c, t.rubric))  # the stored state, whole: what a reload shows


async def _changes(t: ConsultTab, v: View, c: Consultation, events: AsyncIterator[Any]) -> AsyncIterator[Out | None]:
    """The component updates of each event; None after a failure (shown as a warning)."""
    async for ev in events:
        u = apply_event(v, ev, c.case, t.rubric)
        if u.warning is not None:
            gr.Warning(u.warning)
            yield None
        elif u.panels:
            yield {t.panels[k]: val for k, val in u.panels.items()}


def start(
    t: ConsultTab,
    case_id: str,
    temp: str,
    ax: list[str],
    doc: str,
    doc_url: str,
    pat: str,
    pat_url: str,
    browser: str = "",
    strategy: str = "dialogue",
) -> Out:
    try:
        c = t.state.rt.new_consultation(
            case_id,
            temp,
            axes=ax or [],
            doctor=spec_from(doc, doc_url),
            patient=spec_from(pat, pat_url),
            owner=owner_of(browser),
            strategy=strategy or "dialogue",
        )
    except (ValueError, StoreError) as e:
        raise gr.Error(str(e)) from None
    t.state.remember(c)
    v = stored_view(t.state.rt.store, c, t.rubric)
    v.busy, v.status = True, STREAMING
    return opened_view(t, c, v, with_setup=False)


def busy(t: ConsultTab, sid: str) -> Out:
    """What a button shows at once, before its stream starts."""
    return busy_view(t, t.state.get(sid))


async def run_session(t: ConsultTab, sid: str) -> AsyncIterator[Out]:
    async for out in stream(t, sid):
        yield out


async def send(t: ConsultTab, sid: str, text: str) -> AsyncIterator[Out]:
    c = t.state.get(sid)
    if c.doctor is not None:
        raise gr.Error("A model holds the doctor's seat in this session.")
    if c.next_seat() != "doctor" or not c.live:
        raise gr.Error(f"It is not the doctor's turn ({views.status_line(c.session, c.next_seat())}).")
    try:  # refused before the box is cleared: a message that is too long stays there to be shortened
        clean_human_text(text, c.max_message_chars)
    except InputError as e:
        raise gr.Error(f"{e}. Your message is still in the box.") from None
    yield {t.msg: "", **busy(t, sid)}
    async for out in stream(t, sid, text):
        yield out


async def send_dx(t: ConsultTab, sid: str, dx: str | None, text: str) -> AsyncIterator[Out]:
    if not dx:
        raise gr.Error("Choose a final diagnosis first.")
    note = (text or "").strip()
    async for out in send(t, sid, f"{note}\nFINAL DIAGNOSIS: {dx}".strip()):
        yield out


def pick_random(t: ConsultTab, which: str, case_set: str = "all") -> str:
    lib = t.state.rt.library
    pool = [
        c.id
        for c in lib.cases.values()
        if (which == "any" or c.split == which) and (case_set in ("all", "", None) or lib.case_set(c.id).id == case_set)
    ]
    return random.choice(pool or lib.case_ids)


async def restore(t: ConsultTab, sid: str) -> AsyncIterator[Out]:
    """On page load: reopen the session kept in browser storage.

    A reload can land while a turn of this session is still streaming (the old connection's event goes on,
    or is cancelled and discards its turn). Show what is stored, then wait for the stream to finish and show
    the result, so the page never sits on a stale transcript.
    """
    if not sid:
        yield status(t, "status: no session")
        return
    try:
        c = t.state.get(sid)
    except gr.Error:
        yield {**status(t, "status: no session"), t.shared.sid: ""}
        return
    v = stored_view(t.state.rt.store, c, t.rubric)
    lock = t.state.lock(sid)
    streaming = lock.locked()
    if streaming:
        v.busy = True
        v.status = "status: streaming in another connection… (the page updates when the turn ends)"
    yield opened_view(t, c, v)
    if streaming:
        async with lock:
            pass
        v = stored_view(t.state.rt.store, c, t.rubric)
        yield render(t, v)
    if c.live and not lock.locked() and not c.waiting_for_human():
        yield status(t, f"{v.status} — press Resume to continue", v.sid)  # a model's turn, and nothing runs it


def stopped(t: ConsultTab, sid: str) -> Out:
    if not sid:
        return status(t, "status: no session")
    v = stored_view(t.state.rt.store, t.state.get(sid), t.rubric)
    v.status = "status: stopped — press Resume to continue (the turn in progress was discarded)"
    return render(t, v)


def wire(t: ConsultTab, demo: gr.Blocks) -> None:
    sid = t.shared.sid
    start_ev = t.start.click(
        bound(start, t),
        [*t.setup_fields, t.shared.browser, t.strategy],
        [sid, t.session_box, t.image, t.image_note, *t.outputs],
    )
    run_ev = start_ev.success(bound(run_session, t), sid, t.outputs)
    send_ev = gr.on([t.send.click, t.msg.submit], bound(send, t), [sid, t.msg], [t.msg, *t.outputs])
    dx_ev = t.submit_dx.click(bound(send_dx, t), [sid, t.final_dx, t.msg], [t.msg, *t.outputs])
    resume_ev = t.resume.click(bound(busy, t), sid, t.outputs).success(bound(run_session, t), sid, t.outputs)
    t.stop.click(bound(stopped, t), sid, t.outputs, cancels=[run_ev, send_ev, dx_ev, resume_ev])
    t.random.click(bound(pick_random, t), [t.split, t.case_set], t.case)
    t.doctor.change(bound(case_field, t), [t.doctor, t.case, t.case_set], t.case)
    t.case_set.change(bound(case_field, t), [t.doctor, t.case, t.case_set], t.case)
    demo.load(bound(restore, t), sid, t.opened)
