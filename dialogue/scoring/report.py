"""Reports over a set of sessions: tables (by temperament, axis, label group, doctor model), rubric item
means, judge-human agreement, plots, and a markdown/HTML report (`python -m dialogue report`).
"""

from __future__ import annotations

import argparse
import base64
import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from dialogue.content.labels import LabelSet
from dialogue.queries import summarize
from dialogue.schema import Rubric, SessionRecord, SessionSummary
from dialogue.scoring import information as info
from dialogue.scoring.figures import blank
from dialogue.scoring.metrics import (
    CI,
    cohen_kappa,
    gwet_ac1,
    krippendorff_alpha,
    mean_ci,
    none_rate,
    raw_agreement,
    weighted_f1,
    weighted_f1_ci,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SLICES = {"temperament": "temperament", "axes": "axes", "group": "group", "doctor": "doctor"}


def session_rows(records: Sequence[SessionRecord], labels: LabelSet, truths: dict[str, str]) -> pd.DataFrame:
    """One row per session; `truths` maps case id -> ground-truth label (from the case library, never the session)."""
    return summary_rows([summarize(r, labels) for r in records], labels, truths)


def summary_rows(summaries: Sequence[SessionSummary], labels: LabelSet, truths: dict[str, str]) -> pd.DataFrame:
    """One row per session summary (what Results reads from Redis), truth joined from the case library."""
    rows = []
    normalized: dict[str | None, list[str]] = {}  # answers repeat: normalise each once
    for s in summaries:
        truth = truths.get(s.case_id, "?")
        named = s.named
        if named is None:
            named = labels.find_labels(s.last_doctor)
            if s.final and s.final in named:
                named.remove(s.final)
                named.insert(0, s.final)
        if s.final_raw not in normalized:
            normalized[s.final_raw] = labels.normalize_all(s.final_raw)
        rows.append(
            {
                "session": s.id,
                "run": s.run_id,
                "case": s.case_id,
                "truth": truth,
                "group": labels.by_label[truth].group if truth in labels.by_label else "other",
                "temperament": s.temperament,
                "axes": ",".join(s.axes) or "none",
                "doctor": entry(s.doctor, s.strategy),
                "model": s.doctor,
                "strategy": s.strategy,
                "patient": s.patient,
                "status": s.status,
                "final": s.final,
                "preds": normalized[s.final_raw],
                "correct": bool(s.final == truth),
                "top3": truth in named[:3],
                "turns": s.turns,
                "doctor_turns": s.doctor_turns,
                "rubric": s.rubric,
                "coverage": s.coverage,
                "red_flag_points": s.red_flag_points,
                "ungradable": s.ungradable,
                "sim_flags": s.sim_flags,
                "leaks": s.leak_events,
                "tokens": s.tokens,
                "seed": s.seed,
                "consultation": s.consultation_score,
                "safety_failures": s.safety_failures,
                "annotators": s.annotators,
                "closed": s.diagnosis_space == "closed",
                "case_set": s.case_set,
                "tests": s.tests,
                "test_cost": s.test_cost,
                "interims": s.interims,
                "confidences": s.confidences,
                "abstained": s.abstained,
                "asked": s.asked,
            }
        )
    return pd.DataFrame(rows)


def entry(model: str, strategy: str) -> str:
    """A leaderboard entry: a model under one strategy (a strategy other than dialogue is named), so tables
    by doctor never pool strategies."""
    return model if strategy == "dialogue" else f"{model} [{strategy}]"


def f1_ci(truths: list[str], preds: list[list[str]], reps: int = 500) -> CI:
    """Weighted F1 with a bootstrap CI over sessions."""

    return weighted_f1_ci(truths, preds, reps=reps)


def closed_f1(g: pd.DataFrame, reps: int = 500) -> CI:
    """3MDBench's weighted F1 over the sessions of closed case sets only (it means nothing over free-text
    diagnoses); no value when there are none."""
    closed = g[g["closed"]] if "closed" in g else g
    return f1_ci(closed["truth"].tolist(), closed["preds"].tolist(), reps) if not closed.empty else CI(None, None, None)


def summary(df: pd.DataFrame, by: str | None = None, *, reps: int = 500) -> pd.DataFrame:
    """Diagnostic and dialogue metrics per slice, with bootstrap 95% CIs for weighted F1."""
    if df.empty:
        return pd.DataFrame()
    groups = [("all", df)] if by is None else list(df.groupby(by, sort=True))
    out = []
    for key, g in groups:
        preds = g["preds"].tolist()
        ci = closed_f1(g, reps)
        out.append(
            {
                (by or "slice"): key,
                "n": len(g),
                "weighted F1": ci.fmt(),
                "accuracy": round(100 * g["correct"].mean(), 1),
                "top-3": round(100 * g["top3"].mean(), 1),
                "none-rate": round(100 * (none_rate(preds) or 0), 1),
                "capped-rate": round(100 * (g["status"] == "capped").mean(), 1),
                "mean doctor turns": round(g["doctor_turns"].mean(), 1),
                "rubric (%)": _pct(g["rubric"]),
                "must-ask coverage (%)": _pct(g["coverage"]),
                "leaks": int(g["leaks"].sum()),
            }
        )
    return pd.DataFrame(out)


def _pct(col: pd.Series) -> float | None:
    m = _mean(col)
    return None if m is None else round(100 * m, 1)


def _mean(col: pd.Series) -> float | None:
    vals = pd.to_numeric(col, errors="coerce").dropna()
    return None if vals.empty else round(float(vals.mean()), 3)


def f1_value(df: pd.DataFrame) -> float | None:
    return weighted_f1(df["truth"].tolist(), df["preds"].tolist()) if not df.empty else None


def item_means(records: Sequence[SessionRecord], rubric: Rubric) -> pd.DataFrame:
    """Share of 'yes' per rubric item, by doctor model (scale items: mean position 0..1)."""
    return summary_item_means([summarize(r) for r in records], rubric)


def summary_item_means(summaries: Sequence[SessionSummary], rubric: Rubric) -> pd.DataFrame:
    """Share of 'yes' per rubric item, by doctor model (scale items: mean position 0..1); ungradable left out."""
    rows = []
    by_id = {i.id: i for i in rubric.items}
    for s in summaries:
        for item_id, value in s.items.items():
            item = by_id.get(item_id)
            if item is None or value is None:
                continue
            val = (
                float(value is True)
                if item.kind == "yes_no"
                else item.scale.index(str(value)) / max(1, len(item.scale) - 1)
            )
            rows.append({"doctor": s.doctor, "item": item_id, "value": val})
    if not rows:
        return pd.DataFrame()
    return pd.DataFrame(rows).pivot_table(index="item", columns="doctor", values="value", aggfunc="mean").round(3)


def agreement(records: Sequence[SessionRecord], rubric: Rubric) -> pd.DataFrame:
    """Per rubric item: assessor vs humans and human vs human agreement (kappa, Gwet's AC1, alpha, raw, n), who
    judged it, and whether the assessor can be trusted on it."""
    rows = []
    for item in rubric.items:
        judge: list[object] = []
        humans: dict[str, list[object]] = {}
        annotated = [r for r in records if r.annotations]
        names = sorted({n for r in annotated for n in r.annotations})
        for r in annotated:
            jv = {v.item_id: v.value for v in r.assessment.verdicts} if r.assessment else {}
            judge.append(jv.get(item.id))
            for n in names:
                a = r.annotations.get(n)
                hv = {v.item_id: v.value for v in a.verdicts} if a else {}
                humans.setdefault(n, []).append(hv.get(item.id))
        if not annotated:
            continue
        kappas = [k for n in names if (k := cohen_kappa(judge, humans[n])) is not None]
        ac1s = [k for n in names if (k := gwet_ac1(judge, humans[n])) is not None]
        hh_ac1 = [
            k for i, a in enumerate(names) for b in names[i + 1 :] if (k := gwet_ac1(humans[a], humans[b])) is not None
        ]
        n_pairs = sum(
            1 for n in names for x, y in zip(judge, humans[n], strict=True) if x is not None and y is not None
        )
        raws = [x for n in names if (x := raw_agreement(judge, humans[n])) is not None]
        hh = [
            k
            for i, a in enumerate(names)
            for b in names[i + 1 :]
            if (k := cohen_kappa(humans[a], humans[b])) is not None
        ]
        rows.append(
            {
                "item": item.id,
                "sessions": len(annotated),
                "annotators": len(names),
                "kappa judge-human": _r(float(np.mean(kappas))) if kappas else None,
                "raw judge-human": _r(float(np.mean(raws))) if raws else None,
                "kappa human-human": _r(float(np.mean(hh))) if hh else None,
                "AC1 judge-human": _r(float(np.mean(ac1s))) if ac1s else None,
                "AC1 human-human": _r(float(np.mean(hh_ac1))) if hh_ac1 else None,
                "n (judge-human pairs)": n_pairs,
                "alpha (all raters)": _r(krippendorff_alpha([judge, *humans.values()])),
                "trust the assessor": trust_verdict(ac1s, hh_ac1, n_pairs),
                "judged by": _judged_by(records, item.id),
            }
        )
    df = pd.DataFrame(rows)
    if not df.empty:
        df = df.sort_values("raw judge-human", na_position="last")  # most disagreement first
    return df


MIN_PAIRS_FOR_TRUST = 10


def trust_verdict(judge_human: list[float], human_human: list[float], n: int) -> str:
    """An item is trusted only when assessor-human agreement (AC1) reaches human-human agreement, on enough
    pairs; otherwise say why not."""
    if n < MIN_PAIRS_FOR_TRUST:
        return f"not yet: {n} pair(s) < {MIN_PAIRS_FOR_TRUST}"
    if not judge_human:
        return "no: no agreement figure"
    jh = float(np.mean(judge_human))
    if not human_human:
        return "unknown: one annotator (no human-human baseline)" if jh < 0.8 else "likely (AC1 >= 0.8; one annotator)"
    hh = float(np.mean(human_human))
    return "yes" if jh >= hh - 0.05 else f"no: AC1 {jh:.2f} < humans {hh:.2f}"


def _judged_by(records: Sequence[SessionRecord], item_id: str) -> str:
    """Who judged this item in the assessments shown: an LLM (model names) or the rules."""
    bys = sorted(
        {
            v.by or (r.assessment.by if r.assessment else "")
            for r in records
            if r.assessment
            for v in r.assessment.verdicts
            if v.item_id == item_id
        }
    )
    return ", ".join(b for b in bys if b) or "—"


def _r(x: float | None) -> float | None:
    return None if x is None or np.isnan(x) else round(float(x), 3)


# --------------------------------------------------------------------------- plots


def plot_f1_by(df: pd.DataFrame, by: str) -> Figure:
    """Weighted F1 by `by`, one bar group per doctor model (doctors are never pooled); a slice without a
    diagnosis is marked n/a, not drawn as 0."""
    open_only = not df.empty and "closed" in df and not bool(df["closed"].any())
    fig, ax = blank(
        df.empty or open_only, "no sessions yet" if df.empty else "open case sets: no weighted F1 (see accuracy)"
    )
    if df.empty or open_only:
        return fig
    keys = sorted(df[by].astype(str).unique())
    doctors = sorted(df["doctor"].unique())
    width = 0.8 / max(1, len(doctors))
    x = np.arange(len(keys))
    for i, doctor in enumerate(doctors):
        for j, key in enumerate(keys):
            g = df[(df["doctor"] == doctor) & (df[by].astype(str) == key)]
            ci = closed_f1(g, 300) if not g.empty else None
            pos = x[j] + i * width
            if ci is None or ci.value is None:
                ax.text(pos, 2, "n/a", ha="center", fontsize=7, rotation=90)
                continue
            v = 100 * ci.value
            err = None if ci.low is None or ci.high is None else [[v - 100 * ci.low], [100 * ci.high - v]]
            ax.bar(pos, v, width, yerr=err, capsize=3, color=f"C{i}", label=str(doctor)[:30] if j == 0 else None)
    ax.set_xticks(x + width * (len(doctors) - 1) / 2, [k[:24] for k in keys], rotation=20)
    ax.set_ylabel("weighted F1 (%)")
    ax.set_ylim(0, 100)
    ax.set_title(f"Diagnostic F1 by {by} and doctor (95% bootstrap CI)")
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


def plot_items(means: pd.DataFrame) -> Figure:
    fig, ax = blank(means.empty, "no assessments yet")
    if means.empty:
        return fig
    width = 0.8 / max(1, len(means.columns))
    x = np.arange(len(means.index))
    for i, col in enumerate(means.columns):
        vals = 100 * means[col]
        ax.bar(x + i * width, vals, width, label=str(col)[:30])  # NaN (no gradable verdict) draws no bar
        for j in np.flatnonzero(vals.isna().to_numpy()):
            ax.text(x[j] + i * width, 2, "n/a", ha="center", fontsize=7, rotation=90)
    ax.set_xticks(x + width * (len(means.columns) - 1) / 2, means.index, rotation=30, ha="right")
    ax.set_ylim(0, 100)
    ax.set_ylabel("share met (%)")
    ax.set_title("Rubric items by doctor model")
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


def _png(fig: Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return base64.b64encode(buf.getvalue()).decode()


# --------------------------------------------------------------------------- report


def build_report(
    records: Sequence[SessionRecord],
    labels: LabelSet,
    rubric: Rubric,
    truths: dict[str, str],
    *,
    title: str = "ConsultBench report",
) -> tuple[str, dict[str, Figure]]:
    """(markdown text, figures by file stem)."""
    df = session_rows(records, labels, truths)
    parts = [
        f"# {title}",
        "",
        f"{len(df)} sessions. Weighted F1 follows the 3MDBench conventions (see dialogue/scoring/metrics.py).",
        "",
    ]
    if df.empty:
        return "\n".join(parts), {}
    parts += ["## Leaderboard", "", leaderboard(df).to_markdown(index=False), ""]
    for by in (None, "temperament", "axes", "group"):
        tab = summary(df, by)
        parts += [f"## {'Overall' if by is None else 'By ' + by}", "", tab.to_markdown(index=False), ""]
    means = item_means(records, rubric)
    if not means.empty:
        parts += ["## Rubric items by doctor model", "", means.to_markdown(), ""]
    agr = agreement(records, rubric)
    if not agr.empty:
        parts += ["## Judge-human agreement per item (most disagreement first)", "", agr.to_markdown(index=False), ""]
    info_parts, info_figs = information_sections(df)
    parts += info_parts
    figs = {"f1_by_temperament": plot_f1_by(df, "temperament"), "rubric_by_model": plot_items(means), **info_figs}
    return "\n".join(parts), figs


def information_sections(df: pd.DataFrame) -> tuple[list[str], dict[str, Figure]]:
    """Strategies, information gathering, repeatability, temperament effect and failure causes (markdown and
    figures); definitions in dialogue/scoring/information.py."""
    strategies = info.strategy_table(df)
    deltas = info.temperament_deltas(df)
    curves = info.accuracy_by_turn(df)
    tables = [
        ("Strategies (accuracy; Δ paired against dialogue on the same jobs)", strategies.drop(columns="_ci")),
        ("Gap closed by dialogue (no-dialogue → full-information)", info.gap_closed(df)),
        ("Information gathering", info.information_table(df)),
        (
            "Accuracy by turn (the doctor's answer so far)",
            curves.pivot_table(index="turn", columns="doctor", values="accuracy (%)") if not curves.empty else curves,
        ),
        ("Repeatability across seeds (pass^k, flip rate)", info.pass_hat_k(df)),
        (
            "Temperament effect (paired on case x axes x seed)",
            deltas.drop(columns="_ci") if not deltas.empty else deltas,
        ),
        ("Interim answers: abstention and calibration", info.calibration_table(df)),
        ("Why sessions failed", info.failure_table(df)),
        ("Exams and tests ordered (measurement seat) and their cost", info.cost_table(df)),
    ]
    parts: list[str] = []
    for title, table in tables:
        if not table.empty:
            index = title.startswith("Accuracy by turn")
            parts += [f"## {title}", "", table.to_markdown(index=index), ""]
    costs = info.cost_table(df)
    by_temperament = info.accuracy_by_turn(df, ("doctor", "temperament"))
    per_temperament = by_temperament.groupby(["doctor", "temperament"]).ngroups if not by_temperament.empty else 0
    figs = {  # a curve per model and temperament while that stays readable
        "accuracy_by_turn": info.plot_accuracy_by_turn(by_temperament if 1 < per_temperament <= 12 else curves),
        **({"accuracy_vs_cost": info.plot_cost(costs)} if not costs.empty else {}),
        "strategies": info.plot_ci_bars(
            strategies, ["model", "strategy"], "Accuracy by strategy (95% CI)", "accuracy (%)"
        ),
        "temperament_deltas": info.plot_ci_bars(
            deltas,
            ["doctor", "temperament"],
            "Temperament effect vs baseline (paired, 95% CI)",
            "Δ accuracy (points)",
            signed=True,
        ),
    }
    return parts, figs


def write_report(
    records: Sequence[SessionRecord],
    labels: LabelSet,
    rubric: Rubric,
    truths: dict[str, str],
    out: Path,
    *,
    fmt: str = "md",
) -> Path:
    text, figs = build_report(records, labels, rubric, truths)
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "html":
        import html as _html

        import markdown_it

        body = markdown_it.MarkdownIt().enable("table").render(text)
        imgs = "".join(
            f'<h2>{_html.escape(k)}</h2><img src="data:image/png;base64,{_png(f)}">' for k, f in figs.items()
        )
        path = out / "report.html"
        path.write_text(
            f"<!doctype html><meta charset=utf-8><title>ConsultBench report</title><body style='font-family:sans-serif;max-width:960px;margin:auto'>{body}{imgs}</body>",
            encoding="utf-8",
        )
        return path
    for name, fig in figs.items():
        fig.savefig(out / f"{name}.png")
        text += f"\n![{name}]({name}.png)\n"
    path = out / "report.md"
    path.write_text(text, encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m dialogue report", description="markdown/HTML report over stored sessions"
    )
    ap.add_argument("--run", default=None, help="only sessions of this batch run id")
    ap.add_argument("--out", type=Path, default=Path("report"))
    ap.add_argument("--format", choices=["md", "html"], default="md")
    args = ap.parse_args(argv)
    from dialogue import queries
    from dialogue.runtime import Runtime
    from dialogue.settings import Settings

    rt = Runtime(Settings.from_env())
    try:
        records = queries.records(rt.store, args.run)
        path = write_report(
            records,
            rt.library.labels,
            rt.library.rubrics["dialogue_quality"],
            queries.truths(rt.library),
            args.out,
            fmt=args.format,
        )
        print(f"wrote {path} ({len(records)} sessions)")
        return 0
    finally:
        rt.close()


if __name__ == "__main__":
    sys.exit(main())


# --------------------------------------------------------------------------- leaderboard


def paired_difference(df: pd.DataFrame, a: str, b: str, *, reps: int = 1000) -> tuple[int, CI]:
    """Accuracy of doctor a minus doctor b on identical case x temperament x axes x seed (bootstrap CI)."""
    keys = ["case", "temperament", "axes", "seed"]
    side = {d: df[df["doctor"] == d].set_index(keys)["correct"] for d in (a, b)}
    return info.paired(side[a], side[b], reps=reps)


MIN_RANK_N = 3
"""A doctor with fewer finished sessions is listed but not ranked: one lucky session must not lead the board."""


def leaderboard(df: pd.DataFrame, *, reps: int = 500) -> pd.DataFrame:
    """Doctor models ranked by weighted F1 (only those with at least MIN_RANK_N sessions), with 95% CIs, the
    rubric and consultation scores in %, and paired comparisons against the leader."""
    if df.empty:
        return pd.DataFrame()
    by_f1 = "closed" not in df or bool(df["closed"].any())  # open case sets only: ranked by accuracy
    rows = []
    for doctor, g in df.groupby("doctor"):
        f1 = closed_f1(g, reps)
        rub = pd.to_numeric(g["rubric"], errors="coerce").dropna().to_numpy()
        overall = pd.to_numeric(g.get("consultation", pd.Series(dtype=float)), errors="coerce").dropna().to_numpy()
        small = len(g) < MIN_RANK_N
        rows.append(
            {
                "doctor": doctor,
                "n": len(g),
                "_rank": (0 if small else 1, (f1.value or 0.0) if by_f1 else float(g["correct"].mean())),
                "weighted F1 (%)": (f1.fmt() if f1.value is not None else "n/a (open set)")
                + (" (n too small)" if small else ""),
                "accuracy (%)": round(100 * g["correct"].mean(), 1),
                "consultation score (%)": mean_ci(overall, reps).fmt() if overall.size else "n/a",
                "rubric (%)": mean_ci(rub, reps).fmt() if rub.size else "n/a",
                "capped (%)": round(100 * (g["status"] == "capped").mean(), 1),
            }
        )
    board = pd.DataFrame(rows)
    board = board.iloc[sorted(range(len(board)), key=lambda i: board.loc[i, "_rank"], reverse=True)]
    board = board.reset_index(drop=True)
    ranked = [n >= MIN_RANK_N for n in board["n"]]
    leader = board.loc[0, "doctor"] if ranked[0] else None
    paired = []
    for doctor in board["doctor"]:
        if leader is None or doctor == leader:
            paired.append("leader" if doctor == leader else "—")
            continue
        n, ci = paired_difference(df, str(doctor), str(leader), reps=reps)
        paired.append(f"{ci.fmt()} (n={n})" if n else "no paired sessions")
    rank, k = [], 0
    for r in ranked:
        k += r
        rank.append(str(k) if r else "—")
    board.insert(0, "rank", rank)
    board["Δ accuracy vs leader (paired, points)"] = paired
    return board.drop(columns="_rank")
