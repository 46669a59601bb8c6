"""The Results tab: the leaderboard over finished sessions, plots, and how far the numbers can be trusted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr
import pandas as pd

from dialogue import queries, views
from dialogue.scoring import report

from .state import AppState, bound

Out = dict[Any, Any]


@dataclass
class ResultsTab:
    state: AppState
    refresh: Any
    summary: Any
    overall: Any
    by_temperament: Any
    plot_f1: Any
    plot_items: Any

    @property
    def outputs(self) -> list[Any]:
        return [self.summary, self.overall, self.by_temperament, self.plot_f1, self.plot_items]


def build(state: AppState) -> ResultsTab:
    c: dict[str, Any] = {}
    c["refresh"] = gr.Button("Refresh results", elem_id="refresh-results")
    c["summary"] = gr.Markdown("", elem_id="results-summary")
    c["overall"] = gr.Dataframe(
        value=pd.DataFrame(columns=["rank", "doctor", "n", "weighted F1", "accuracy", "rubric"]),
        interactive=False,
        elem_id="results-table",
        label="Leaderboard: doctor models by weighted F1 (95% CI; paired on case x temperament x seed)",
    )
    c["by_temperament"] = gr.Dataframe(
        value=pd.DataFrame(columns=["temperament", "n", "weighted F1", "accuracy"]),
        interactive=False,
        elem_id="results-temperament",
        label="By temperament",
    )
    with gr.Row():
        c["plot_f1"] = gr.Plot(elem_id="plot-f1")
        c["plot_items"] = gr.Plot(elem_id="plot-rubric")
    with gr.Accordion("How far the assessor and the patient can be trusted", open=False):
        gr.Markdown(views.validity_panel(), elem_id="validity")
    return ResultsTab(state=state, **c)


def results(t: ResultsTab) -> Out:
    rt = t.state.rt
    recs = queries.finished(queries.records(rt.store))
    df = report.session_rows(recs, rt.library.labels, queries.truths(rt.library))
    overall = report.leaderboard(df) if not df.empty else pd.DataFrame()
    by_temp = report.summary(df, "temperament") if not df.empty else pd.DataFrame()
    means = report.item_means(recs, rt.library.rubrics["dialogue_quality"])
    return {
        t.summary: f"{len(df)} finished sessions. Weighted F1 follows 3MDBench (none-answers excluded, hedges penalized).",
        t.overall: overall,
        t.by_temperament: by_temp,
        t.plot_f1: report.plot_f1_by(df, "temperament"),
        t.plot_items: report.plot_items(means),
    }


def wire(t: ResultsTab) -> None:
    t.refresh.click(bound(results, t), None, t.outputs)
