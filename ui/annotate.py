"""The Annotate tab: score ended consultations blind with the assessor's rubric; agreement per item.

The case (truth, facts, must-ask items, red flags, actions and harms) sits beside the transcript, as the
assessor sees it. A submission locks the scores and reveals the assessor's verdicts beside them; changing them
afterwards is a numbered revision (the blind first submission is kept), never a silent overwrite.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import gradio as gr
import pandas as pd

from dialogue import queries, views
from dialogue.schema import Assessment, ItemVerdict, Rubric, RubricItem, Session
from dialogue.scoring import report
from dialogue.scoring.metrics import rubric_score

from . import access
from .state import AppState, bound

Out = dict[Any, Any]
CANT_JUDGE = "can't judge"
INTRO = (
    "Annotators are invited: on a Space, log in with Hugging Face; locally, use the name and token you were given "
    "(CB_ANNOTATORS). Keys: **n** next, **s** skip, **b** back, **Ctrl+Enter** submit. Score ended consultations with the same rubric the assessor uses. The assessor's verdicts stay hidden until "
    "you submit; then your scores are locked (a later change is recorded as a revision). Choose *can't judge* "
    "when the transcript does not let you decide. Your scores are stored under your name (your Hugging Face "
    "login on a Space); you can only change your own."
)


@dataclass
class AnnotateTab:
    state: AppState
    annotator: Any
    token: Any
    next: Any
    skip: Any
    back: Any
    sid: Any
    seen: Any
    info: Any
    chat: Any
    case: Any
    items: list[Any]
    comment: Any
    submit: Any
    revise: Any
    reveal: Any
    agreement_btn: Any
    agreement: Any

    @property
    def rubric(self) -> Rubric:
        return self.state.rt.library.rubrics["dialogue_quality"]

    @property
    def loaded(self) -> list[Any]:
        """Components a loaded session fills (`load_session`)."""
        return [self.sid, self.seen, self.info, self.chat, self.case, self.reveal, self.comment, *self.items]

    @property
    def load_outputs(self) -> list[Any]:
        return [*self.loaded, self.submit, self.revise]


def choices(item: RubricItem) -> list[str]:
    return [*(["yes", "no"] if item.kind == "yes_no" else list(item.scale)), CANT_JUDGE]


def build(state: AppState) -> AnnotateTab:
    rubric = state.rt.library.rubrics["dialogue_quality"]
    on_space = bool(os.environ.get("SPACE_ID"))
    gr.Markdown(INTRO)
    c: dict[str, Any] = {}
    with gr.Row():
        if on_space:
            gr.LoginButton(elem_id="login")
        c["annotator"] = gr.Textbox(
            label="Your name (annotator id)", elem_id="annotator", interactive=not on_space, visible=not on_space
        )
        c["token"] = gr.Textbox(
            label="Your invite token", type="password", elem_id="annotator-token", visible=not on_space
        )
        c["next"] = gr.Button("Next session to annotate", elem_id="next-session", variant="primary")
        c["skip"] = gr.Button("Skip", elem_id="skip-session")
        c["back"] = gr.Button("Back", elem_id="previous-session")
    c["sid"], c["seen"] = gr.State(""), gr.State([])
    c["info"] = gr.Markdown("", elem_id="annotate-info")
    with gr.Row():
        with gr.Column(scale=3):
            c["chat"] = gr.Chatbot(
                label="Transcript",
                elem_id="annotate-chat",
                height=420,
                sanitize_html=True,
                line_breaks=True,
                autoscroll=False,
            )
        with gr.Column(scale=2), gr.Accordion("The case (truth, facts, what a clinician would do)", open=True):
            c["case"] = gr.Markdown("_Load a session to see its case._", elem_id="annotate-case")
    c["items"] = [
        gr.Radio(choices(item), label=item.criterion, info=item.guidance or None, elem_id=f"item-{item.id}")
        for item in rubric.items
    ]
    c["comment"] = gr.Textbox(label="Comment", lines=2, elem_id="annotate-comment")
    with gr.Row():
        c["submit"] = gr.Button("Submit scores", elem_id="submit-annotation", variant="primary")
        c["revise"] = gr.Button("Change my scores (recorded as a revision)", elem_id="revise-annotation", visible=False)
    c["reveal"] = gr.Markdown("", elem_id="assessor-verdicts")
    gr.Markdown("### Agreement per item (assessor vs humans, human vs human)")
    c["agreement_btn"] = gr.Button("Refresh agreement", elem_id="refresh-agreement")
    c["agreement"] = gr.Dataframe(
        value=pd.DataFrame(columns=["item", "sessions", "annotators", "note"]), interactive=False, elem_id="agreement"
    )
    return AnnotateTab(state=state, **c)


# --------------------------------------------------------------------------- handlers


def who(t: AnnotateTab, name: str, token: str, profile: gr.OAuthProfile | None) -> str:
    try:
        return access.annotator(name, token, profile.username if profile else None, t.state.rt.settings.annotators)
    except access.AccessError as e:
        raise gr.Error(str(e)) from None


def _editable(t: AnnotateTab, on: bool) -> Out:
    return {**{i: gr.update(interactive=on) for i in t.items}, t.comment: gr.update(interactive=on),
            t.submit: gr.update(interactive=on), t.revise: gr.update(visible=not on)}  # fmt: skip


def load_session(t: AnnotateTab, sid: str, seen: list[str], left: int) -> Out:
    """Show session `sid` for scoring, blank and editable."""
    store = t.state.rt.store
    s = store.get(sid)
    info = f"Session `{s.id}` · {left} left in your queue · case {s.case_id} · {s.temperament}"
    return {
        t.sid: s.id,
        t.seen: [*seen, s.id] if not seen or seen[-1] != s.id else seen,
        t.info: info,
        t.chat: views.chat_messages(store.turns(s.id)),
        t.case: views.case_panel(t.state.rt.case(s.case_id)),
        t.reveal: "",
        **_editable(t, True),
        t.comment: gr.update(value="", interactive=True),
        **{i: gr.update(value=None, interactive=True) for i in t.items},
    }


def _queue(t: AnnotateTab, me: str) -> list[Session]:
    return queries.annotation_queue(t.state.rt.store, me, t.state.rt.settings.annotators_per_session)


def _empty(t: AnnotateTab, seen: list[str]) -> Out:
    gr.Info("Nothing left to annotate: every ended session has your scores or enough annotators.")
    return {t.sid: "", t.seen: seen, t.info: "_Queue empty._", t.chat: [], t.case: "", t.reveal: ""}


def next_session(
    t: AnnotateTab, name: str, token: str = "", seen: list[str] | None = None, profile: gr.OAuthProfile | None = None
) -> Out:
    me = who(t, name, token, profile)
    todo = _queue(t, me)
    return load_session(t, todo[0].id, seen or [], len(todo)) if todo else _empty(t, seen or [])


def skip_session(
    t: AnnotateTab, name: str, token: str, sid: str, seen: list[str], profile: gr.OAuthProfile | None = None
) -> Out:
    """The next session in the queue after the ones already shown (the skipped one stays in the queue)."""
    me = who(t, name, token, profile)
    todo = [s for s in _queue(t, me) if s.id not in set(seen) | {sid}]
    return load_session(t, todo[0].id, seen, len(todo)) if todo else _empty(t, seen)


def previous_session(
    t: AnnotateTab, name: str, token: str, seen: list[str], profile: gr.OAuthProfile | None = None
) -> Out:
    me = who(t, name, token, profile)
    if len(seen) < 2:
        raise gr.Error("No earlier session in this sitting.")
    earlier = seen[:-1]
    left = len(_queue(t, me))
    return load_session(t, earlier[-1], earlier[:-1], left)


def submit_annotation(
    t: AnnotateTab, name: str, token: str, sid: str, note: str, profile: gr.OAuthProfile | None, *values: str | None
) -> Out:
    me = who(t, name, token, profile)
    if not sid:
        raise gr.Error("Load a session first (Next session to annotate).")
    rubric = t.rubric
    missing = [item.id for item, val in zip(rubric.items, values, strict=True) if val is None]
    if missing:
        raise gr.Error(f"Score every item before submitting, or choose {CANT_JUDGE!r} (missing: {', '.join(missing)}).")
    verdicts = [_verdict(item, val, me) for item, val in zip(rubric.items, values, strict=True)]
    a = Assessment(
        by=f"human:{me}",
        verdicts=verdicts,
        ungradable=sum(v.value is None for v in verdicts),
        rubric_score=rubric_score(rubric.items, verdicts),
        comment=(note or "")[:2000],
    )
    store = t.state.rt.store
    stored = store.set_annotation(sid, me, a)
    gr.Info(
        "Scores saved." if not stored.revision else f"Revision {stored.revision} saved; the earlier scores are kept."
    )
    return {t.reveal: views.comparison_panel(stored, store.assessment(sid), rubric), **_editable(t, False)}


def _verdict(item: RubricItem, val: str | None, me: str) -> ItemVerdict:
    value: bool | str | None = None if val == CANT_JUDGE else (val == "yes") if item.kind == "yes_no" else val
    return ItemVerdict(item_id=item.id, value=value, explanation=CANT_JUDGE if value is None else "", by=f"human:{me}")


def revise(t: AnnotateTab) -> Out:
    gr.Info("Your change will be stored as a revision; the first, blind scores stay on record.")
    return _editable(t, True)


def agreement_table(t: AnnotateTab) -> pd.DataFrame:
    df = report.agreement(queries.annotated_records(t.state.rt.store), t.rubric)
    return df if not df.empty else pd.DataFrame({"item": [], "note": []})


def wire(t: AnnotateTab) -> None:
    t.next.click(bound(next_session, t), [t.annotator, t.token, t.seen], t.load_outputs)
    t.skip.click(bound(skip_session, t), [t.annotator, t.token, t.sid, t.seen], t.load_outputs)
    t.back.click(bound(previous_session, t), [t.annotator, t.token, t.seen], t.load_outputs)
    edit = [*t.items, t.comment, t.submit, t.revise]
    t.submit.click(
        bound(submit_annotation, t), [t.annotator, t.token, t.sid, t.comment, *t.items], [t.reveal, *edit]
    ).success(bound(agreement_table, t), None, t.agreement)
    t.revise.click(bound(revise, t), None, edit)
    t.agreement_btn.click(bound(agreement_table, t), None, t.agreement)
