"""The Results tab: the leaderboard over finished sessions, per-doctor plots, agreement with annotators, and
how far the numbers can be trusted. Loaded when the tab opens, from the per-session summaries kept in Redis
(one read, not every session's turns: bench/results_view.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr
import pandas as pd

from dialogue import queries, views
from dialogue.scoring import information as info
from dialogue.scoring import report

from .state import AppState, bound

Out = dict[Any, Any]
BOARD_COLUMNS = ["rank", "doctor", "n", "weighted F1 (%)", "accuracy (%)", "consultation score (%)", "rubric (%)"]


@dataclass
class ResultsTab:
    state: AppState
    refresh: Any
    summary: Any
    overall: Any
    by_temperament: Any
    plot_f1: Any
    plot_items: Any
    agreement: Any
    strategies: Any
    failures: Any
    repeats: Any
    plot_turns: Any
    plot_strategies: Any
    plot_temperaments: Any
    costs: Any

    @property
    def outputs(self) -> list[Any]:
        return [
            self.summary,
            self.overall,
            self.by_temperament,
            self.plot_f1,
            self.plot_items,
            self.agreement,
            self.strategies,
            self.failures,
            self.repeats,
            self.plot_turns,
            self.plot_strategies,
            self.plot_temperaments,
            self.costs,
        ]


def build(state: AppState) -> ResultsTab:
    c: dict[str, Any] = {}
    c["refresh"] = gr.Button("Refresh results", elem_id="refresh-results")
    c["summary"] = gr.Markdown("", elem_id="results-summary")
    c["overall"] = gr.Dataframe(
        value=pd.DataFrame(columns=BOARD_COLUMNS),
        interactive=False,
        elem_id="results-table",
        label=f"Leaderboard: doctor models by weighted F1 [95% CI]; a doctor is ranked once it has {report.MIN_RANK_N} sessions; "
        "Δ paired on case x temperament x axes x seed",
    )
    c["by_temperament"] = gr.Dataframe(
        value=pd.DataFrame(columns=["doctor", "temperament", "n", "weighted F1", "accuracy"]),
        interactive=False,
        elem_id="results-temperament",
        label="By doctor and temperament",
    )
    with gr.Row():
        c["plot_f1"] = gr.Plot(elem_id="plot-f1")
        c["plot_items"] = gr.Plot(elem_id="plot-rubric")
    c["agreement"] = gr.Dataframe(
        value=pd.DataFrame(columns=["item", "sessions", "annotators", "note"]),
        interactive=False,
        elem_id="results-agreement",
        label="Assessor vs human annotators, per rubric item (from the Annotate tab)",
    )
    with gr.Accordion("Strategies, information gathering and why sessions failed", open=False):
        c["strategies"] = gr.Dataframe(
            interactive=False,
            elem_id="results-strategies",
            label="Accuracy by model and strategy [95% CI]; Δ paired against dialogue on the same jobs",
        )
        with gr.Row():
            c["plot_turns"] = gr.Plot(elem_id="plot-turns")
            c["plot_strategies"] = gr.Plot(elem_id="plot-strategies")
        c["plot_temperaments"] = gr.Plot(elem_id="plot-temperaments")
        c["repeats"] = gr.Dataframe(
            interactive=False, elem_id="results-repeats", label="Repeatability across seeds: pass^k and flip rate"
        )
        c["failures"] = gr.Dataframe(
            interactive=False, elem_id="results-failures", label="Why sessions failed (wrong or unfinished), per doctor"
        )
        c["costs"] = gr.Dataframe(
            interactive=False,
            elem_id="results-costs",
            label="Exams and tests ordered from the measurement seat (in-person case sets), their cost and accuracy",
        )
    with gr.Accordion("How far the assessor and the patient can be trusted", open=False):
        gr.Markdown(views.validity_panel(), elem_id="validity")
    return ResultsTab(state=state, **c)


def by_doctor_and(df: pd.DataFrame, by: str) -> pd.DataFrame:
    """The summary table per doctor model and slice: doctors are never pooled."""
    if df.empty or "doctor" not in df:  # no finished session yet: an empty table, not an error
        return pd.DataFrame(columns=["doctor", by])
    parts = []
    for doctor, g in df.groupby("doctor", sort=True):
        t = report.summary(g, by, reps=200)
        t.insert(0, "doctor", doctor)
        parts.append(t)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def results(t: ResultsTab) -> Out:
    rt = t.state.rt
    summaries = queries.finished_summaries(rt.store, rt.library.labels)
    df = report.summary_rows(summaries, rt.library.labels, queries.truths(rt.library))
    annotated = queries.annotated_records(rt.store)  # a summary's count is as of the session's end: read it now
    agreement = report.agreement(annotated, rt.library.rubrics["dialogue_quality"])
    return {
        t.summary: f"{len(df)} finished sessions, {len(annotated)} with human annotations. Weighted F1 follows 3MDBench "
        "(none-answers excluded, hedges penalized); every figure is in %; n/a = nothing to measure, never 0.",
        t.overall: report.leaderboard(df, reps=300) if not df.empty else pd.DataFrame(columns=BOARD_COLUMNS),
        t.by_temperament: by_doctor_and(df, "temperament"),
        t.plot_f1: report.plot_f1_by(df, "temperament"),
        t.plot_items: report.plot_items(report.summary_item_means(summaries, rt.library.rubrics["dialogue_quality"])),
        t.agreement: agreement if not agreement.empty else pd.DataFrame({"item": [], "note": []}),
        **strategy_panels(t, df),
    }


def strategy_panels(t: ResultsTab, df: pd.DataFrame) -> Out:
    """Strategy comparison, repeatability, failure causes and their plots (dialogue/scoring/information.py)."""
    strategies = info.strategy_table(df, reps=300) if not df.empty else pd.DataFrame()
    deltas = info.temperament_deltas(df, reps=300) if not df.empty else pd.DataFrame()
    gaps = info.gap_closed(df, reps=300) if not df.empty else pd.DataFrame()
    table = strategies.drop(columns="_ci") if not strategies.empty else pd.DataFrame({"strategy": []})
    if not gaps.empty:  # the gap dialogue closes, beside each model's dialogue row
        gap = gaps.set_index("model")["gap closed (%)"]
        table["gap closed by dialogue (%)"] = [
            gap.get(m, "") if s == "dialogue" else "" for m, s in zip(table["model"], table["strategy"], strict=True)
        ]
    return {
        t.strategies: table,
        t.repeats: info.pass_hat_k(df) if not df.empty else pd.DataFrame({"doctor": []}),
        t.failures: info.failure_table(df) if not df.empty else pd.DataFrame({"doctor": []}),
        t.costs: costs if not (costs := info.cost_table(df)).empty else pd.DataFrame({"doctor": [], "note": []}),
        t.plot_turns: info.plot_accuracy_by_turn(info.accuracy_by_turn(df)),
        t.plot_strategies: info.plot_ci_bars(
            strategies, ["model", "strategy"], "Accuracy by strategy (95% CI)", "accuracy (%)"
        ),
        t.plot_temperaments: info.plot_ci_bars(
            deltas, ["doctor", "temperament"], "Temperament effect (paired, 95% CI)", "Δ accuracy (points)", signed=True
        ),
    }


def wire(t: ResultsTab, tab: Any) -> None:
    t.refresh.click(bound(results, t), None, t.outputs)
    tab.select(bound(results, t), None, t.outputs)  # loaded when the tab opens
