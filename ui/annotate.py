"""The Annotate tab: score ended consultations blind with the assessor's rubric; agreement per item."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import gradio as gr
import pandas as pd

from dialogue import queries, views
from dialogue.schema import Assessment, ItemVerdict, Rubric
from dialogue.scoring import report
from dialogue.scoring.metrics import rubric_score

from .state import AppState, bound

Out = dict[Any, Any]
INTRO = (
    "Score ended consultations with the same rubric the assessor uses. The assessor's verdicts stay "
    "hidden until you submit. Your scores are stored under your name; you can only change your own."
)


@dataclass
class AnnotateTab:
    state: AppState
    annotator: Any
    next: Any
    sid: Any
    info: Any
    chat: Any
    items: list[Any]
    comment: Any
    submit: Any
    reveal: Any
    agreement_btn: Any
    agreement: Any

    @property
    def rubric(self) -> Rubric:
        return self.state.rt.library.rubrics["dialogue_quality"]


def build(state: AppState) -> AnnotateTab:
    rubric = state.rt.library.rubrics["dialogue_quality"]
    on_space = bool(os.environ.get("SPACE_ID"))
    gr.Markdown(INTRO)
    c: dict[str, Any] = {}
    with gr.Row():
        if on_space:
            gr.LoginButton(elem_id="login")
        c["annotator"] = gr.Textbox(label="Your name (annotator id)", elem_id="annotator", interactive=not on_space)
        c["next"] = gr.Button("Next session to annotate", elem_id="next-session", variant="primary")
    c["sid"] = gr.State("")
    c["info"] = gr.Markdown("", elem_id="annotate-info")
    c["chat"] = gr.Chatbot(
        label="Transcript", elem_id="annotate-chat", height=360, sanitize_html=True, line_breaks=True
    )
    c["items"] = [
        gr.Radio(
            ["yes", "no"] if item.kind == "yes_no" else list(item.scale),
            label=item.criterion,
            elem_id=f"item-{item.id}",
        )
        for item in rubric.items
    ]
    c["comment"] = gr.Textbox(label="Comment", lines=2, elem_id="annotate-comment")
    c["submit"] = gr.Button("Submit scores", elem_id="submit-annotation", variant="primary")
    c["reveal"] = gr.Markdown("", elem_id="assessor-verdicts")
    gr.Markdown("### Agreement per item (assessor vs humans, human vs human)")
    c["agreement_btn"] = gr.Button("Refresh agreement", elem_id="refresh-agreement")
    c["agreement"] = gr.Dataframe(interactive=False, elem_id="agreement")
    return AnnotateTab(state=state, **c)


# --------------------------------------------------------------------------- handlers


def who(name: str, profile: gr.OAuthProfile | None) -> str:
    if profile is not None:
        return str(profile.username)
    name = (name or "").strip()
    if not name:
        raise gr.Error("Enter your name (or log in) before annotating.")
    if len(name) > 64:
        raise gr.Error("Annotator name is too long (64 characters at most).")
    return name


def next_session(t: AnnotateTab, name: str, profile: gr.OAuthProfile | None = None) -> Out:
    me = who(name, profile)
    store = t.state.rt.store
    todo = queries.annotation_queue(store, me)
    if not todo:
        gr.Info("Nothing left to annotate: every ended session has your scores.")
        return {t.sid: "", t.info: "_Queue empty._", t.chat: [], t.reveal: ""}
    s = todo[0]
    info = f"Session `{s.id}` · {len(todo)} left in your queue · case {s.case_id} · {s.temperament}"
    return {
        t.sid: s.id,
        t.info: info,
        t.chat: views.chat_messages(store.turns(s.id)),
        t.reveal: "",
        t.comment: "",
        **{i: None for i in t.items},
    }


def submit_annotation(t: AnnotateTab, name: str, sid: str, note: str, *values: str | None) -> str:
    me = who(name, None)
    if not sid:
        raise gr.Error("Load a session first (Next session to annotate).")
    rubric = t.rubric
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
    store = t.state.rt.store
    store.set_annotation(sid, me, a)
    gr.Info("Scores saved.")
    return "### Your scores vs the assessor\n\n" + views.assessment_panel(store.assessment(sid), rubric)


def agreement_table(t: AnnotateTab) -> pd.DataFrame:
    df = report.agreement(queries.annotated_records(t.state.rt.store), t.rubric)
    return df if not df.empty else pd.DataFrame({"item": [], "note": []})


def wire(t: AnnotateTab) -> None:
    t.next.click(bound(next_session, t), t.annotator, [t.sid, t.info, t.chat, t.reveal, t.comment, *t.items])
    t.submit.click(bound(submit_annotation, t), [t.annotator, t.sid, t.comment, *t.items], t.reveal).success(
        bound(agreement_table, t), None, t.agreement
    )
    t.agreement_btn.click(bound(agreement_table, t), None, t.agreement)
