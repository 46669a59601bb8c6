"""How a doctor gathers information, and how its answers hold up across strategies, seeds and temperaments.

Every function takes the per-session table of `report.summary_rows` (one row per finished session, truth
joined from the case library) and returns a small table. Definitions (pinned by tests/test_information.py
on hand-computed sessions):

- **answer at turn k**: the doctor's interim answer after its k-th message (its WORKING DIAGNOSIS line, or
  the first label it names); a turn without one keeps the previous answer, an abstention is no answer; after
  the session ends, its final answer stands.
- **turns to correct**: the first doctor turn from which every answer, the final one included, is the truth
  (a correct and stable answer); none when the final answer is wrong.
- **questions before correct**: doctor turns that asked something before that turn.
- **pass^k**: per job without its seed (doctor, strategy, case, temperament, axes) with n seeds of which c
  are right, C(c, k) / C(n, k) (the chance that k seeds drawn are all right), averaged over jobs.
- **flip rate**: the share of jobs with two or more seeds whose final answers are not all the same.
- **gap closed**: per model, over cases run in all three strategies,
  (acc(dialogue) - acc(no-dialogue)) / (acc(full-information) - acc(no-dialogue)); undefined when the
  ceiling is not above the floor.
- **failure cause** of a wrong or unfinished session, first that applies: backend failed; the judge could not
  grade it; (full-information: it had every fact, so it chose wrong); the patient withheld or distorted (simulator flags, leak events); the doctor never asked for the
  deciding facts (no dialogue, or must-ask coverage under one half); the doctor had them and chose wrong.
"""

from __future__ import annotations

from math import comb
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from dialogue.scoring.metrics import CI, bootstrap_ci, mean_ci

if TYPE_CHECKING:
    from matplotlib.figure import Figure

JOB = ["doctor", "case", "temperament", "axes"]
"""A job without its seed: what pass^k and the flip rate repeat over."""
CAUSES = (
    "backend failed",
    "judge could not grade",
    "patient withheld or distorted",
    "never asked for the deciding facts",
    "had the facts, chose wrong",
)
MIN_COVERAGE = 0.5


def _list(x: object) -> list:  # type: ignore[type-arg]
    """A list cell as a list (parquet and pandas may hand back arrays or NaN)."""
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return []
    return list(x)  # type: ignore[call-overload]


def answers_by_turn(interims: list[str | None], abstained: list[bool], final: str | None, turns: int) -> list:  # type: ignore[type-arg]
    """The doctor's answer after each of turns 1..`turns` (see the module doc)."""
    out: list[str | None] = []
    current: str | None = None
    for k in range(turns):
        if k < len(interims):
            if k < len(abstained) and abstained[k]:
                current = None
            elif interims[k] is not None:
                current = interims[k]
        else:
            current = final
        out.append(current)
    return out


def turns_to_correct(interims: list[str | None], abstained: list[bool], final: str | None, truth: str) -> int | None:
    if final != truth:
        return None
    answers = answers_by_turn(interims, abstained, final, len(interims))
    k = len(answers)
    while k > 0 and answers[k - 1] == truth:
        k -= 1
    return k + 1


def questions_before(asked: list[bool], turn: int | None) -> int | None:
    return None if turn is None else int(sum(bool(a) for a in asked[: turn - 1]))


def accuracy_by_turn(df: pd.DataFrame, by: tuple[str, ...] = ("doctor",)) -> pd.DataFrame:
    """Accuracy of the answer after each doctor turn, per slice (`by`), up to the longest session."""
    if df.empty:
        return pd.DataFrame(columns=[*by, "turn", "accuracy (%)", "n"])
    rows = []
    for key, g in df.groupby(list(by), sort=True):
        key = key if isinstance(key, tuple) else (key,)
        longest = int(max(len(_list(x)) for x in g["interims"])) or 1
        hits = np.zeros(longest)
        for r in g.itertuples():
            answers = answers_by_turn(_list(r.interims), _list(r.abstained), r.final, longest)
            hits += np.array([a == r.truth for a in answers], dtype=float)
        for k in range(longest):
            rows.append(
                {
                    **dict(zip(by, key, strict=True)),
                    "turn": k + 1,
                    "accuracy (%)": round(100 * hits[k] / len(g), 1),
                    "n": len(g),
                }
            )
    return pd.DataFrame(rows)


def information_table(df: pd.DataFrame) -> pd.DataFrame:
    """Per doctor: how soon it is right and stable, and after how many questions."""
    if df.empty:
        return pd.DataFrame()
    rows = []
    for doctor, g in df.groupby("doctor", sort=True):
        ttc = [turns_to_correct(_list(r.interims), _list(r.abstained), r.final, r.truth) for r in g.itertuples()]
        qs = [questions_before(_list(r.asked), t) for r, t in zip(g.itertuples(), ttc, strict=True)]
        reached = [t for t in ttc if t is not None]
        rows.append(
            {
                "doctor": doctor,
                "n": len(g),
                "right and stable (%)": round(100 * len(reached) / len(g), 1),
                "turns to correct (mean)": round(float(np.mean(reached)), 2) if reached else None,
                "questions before correct (mean)": round(float(np.mean([q for q in qs if q is not None])), 2)
                if reached
                else None,
                "mean doctor turns": round(float(g["doctor_turns"].mean()), 2),
            }
        )
    return pd.DataFrame(rows)


def pass_hat_k(df: pd.DataFrame) -> pd.DataFrame:
    """pass^k for k = 1..the most seeds any job has, and the flip rate, per doctor."""
    if df.empty:
        return pd.DataFrame()
    rows = []
    for doctor, g in df.groupby("doctor", sort=True):
        jobs = g.groupby(JOB[1:], sort=False).agg(n=("correct", "size"), c=("correct", "sum"), finals=("final", list))
        most = int(jobs["n"].max())
        row: dict[str, object] = {"doctor": doctor, "jobs": len(jobs), "seeds (max)": most}
        for k in range(1, most + 1):
            usable = jobs[jobs["n"] >= k]
            vals = [comb(int(c), k) / comb(int(n), k) for n, c in zip(usable["n"], usable["c"], strict=True)]
            row[f"pass^{k} (%)"] = round(100 * float(np.mean(vals)), 1) if vals else None
        row["flip rate (%)"] = flip_rate(jobs)
        rows.append(row)
    return pd.DataFrame(rows)


def flip_rate(jobs: pd.DataFrame) -> float | None:
    """Share of jobs (with `n` seeds and their `finals`) whose seeds did not all give the same answer."""
    repeated = jobs[jobs["n"] >= 2]
    if repeated.empty:
        return None
    flips = [len({str(f) for f in finals}) > 1 for finals in repeated["finals"]]
    return round(100 * float(np.mean(flips)), 1)


def gap_closed(df: pd.DataFrame, *, reps: int = 500) -> pd.DataFrame:
    """Per model: the share of the no-dialogue -> full-information gap that dialogue closes (bootstrap over
    the cases run in all three strategies)."""
    need = ["dialogue", "no-dialogue", "full-information"]
    rows = []
    for model, g in df.groupby("model", sort=True):
        per_case = g[g["strategy"].isin(need)].pivot_table(
            index="case", columns="strategy", values="correct", aggfunc="mean"
        )
        if any(s not in per_case.columns for s in need):
            continue
        per_case = per_case[need].dropna().astype(float)
        if per_case.empty:
            continue
        m = per_case.to_numpy()

        def stat(idx: np.ndarray, m: np.ndarray = m) -> float | None:
            d, n, f = m[idx].mean(axis=0)
            return None if f - n <= 0 else float((d - n) / (f - n))

        ci = bootstrap_ci(len(m), stat, reps=reps)
        d, n, f = m.mean(axis=0)
        rows.append(
            {
                "model": model,
                "cases": len(m),
                "no-dialogue (%)": round(100 * n, 1),
                "dialogue (%)": round(100 * d, 1),
                "full-information (%)": round(100 * f, 1),
                "gap closed (%)": ci.fmt() if ci.value is not None else "n/a (ceiling not above floor)",
            }
        )
    return pd.DataFrame(rows)


def paired(left: pd.Series, right: pd.Series, *, reps: int = 500) -> tuple[int, CI]:
    """Mean of left - right (booleans indexed by job) on the jobs both have, with a bootstrap CI."""
    both = left.to_frame("a").join(right.to_frame("b"), how="inner").dropna()
    if both.empty:
        return 0, CI(None, None, None)
    return len(both), mean_ci((both["a"].astype(float) - both["b"].astype(float)).to_numpy(), reps)


def strategy_table(df: pd.DataFrame, *, reps: int = 500) -> pd.DataFrame:
    """Per model and strategy: accuracy with its CI, and the paired difference against `dialogue` on identical
    case x temperament x axes x seed."""
    keys = ["case", "temperament", "axes", "seed"]
    rows = []
    for (model, strategy), g in df.groupby(["model", "strategy"], sort=True):
        ci = mean_ci(g["correct"].astype(float).to_numpy(), reps)
        base = df[(df["model"] == model) & (df["strategy"] == "dialogue")]
        delta = "—"
        if strategy != "dialogue" and not base.empty:
            n, d = paired(g.set_index(keys)["correct"], base.set_index(keys)["correct"], reps=reps)
            delta = f"{d.fmt()} (n={n})" if n else "no paired sessions"
        rows.append(
            {
                "model": model,
                "strategy": strategy,
                "n": len(g),
                "accuracy (%)": ci.fmt(),
                "Δ vs dialogue (paired)": delta,
                "_ci": ci,
            }
        )
    return pd.DataFrame(rows)


def temperament_deltas(df: pd.DataFrame, *, reps: int = 500) -> pd.DataFrame:
    """Per doctor: each temperament's accuracy minus the baseline temperament's (the first present, in
    3MDBench's order) on identical case x axes x seed: the temperament effect, isolated."""
    from dialogue.schema import TEMPERAMENTS

    keys = ["case", "axes", "seed"]
    rows = []
    for doctor, g in df.groupby("doctor", sort=True):
        present = [t for t in TEMPERAMENTS if t in set(g["temperament"])]
        if len(present) < 2:
            continue
        base = g[g["temperament"] == present[0]].set_index(keys)["correct"]
        for t in present[1:]:
            n, ci = paired(g[g["temperament"] == t].set_index(keys)["correct"], base, reps=reps)
            rows.append(
                {
                    "doctor": doctor,
                    "temperament": t,
                    "vs": present[0],
                    "n": n,
                    "Δ accuracy (points)": ci.fmt(),
                    "_ci": ci,
                }
            )
    return pd.DataFrame(rows)


def failure_cause(row: pd.Series) -> str | None:
    """Why a session failed (None when it was right); see the module doc for the order."""
    if row["correct"] and row["status"] != "error":
        return None
    if row["status"] == "error":
        return CAUSES[0]
    if pd.isna(row.get("rubric")) and pd.isna(row.get("consultation")):
        return CAUSES[1]
    if row.get("strategy") == "full-information":  # it was given every fact: nothing to withhold or to ask
        return CAUSES[4]
    if row.get("sim_flags", 0) or row.get("leaks", 0):
        return CAUSES[2]
    coverage = row.get("coverage")
    if row.get("strategy") == "no-dialogue" or (
        coverage is not None and not pd.isna(coverage) and coverage < MIN_COVERAGE
    ):
        return CAUSES[3]
    return CAUSES[4]


def failure_table(df: pd.DataFrame) -> pd.DataFrame:
    """Per doctor: how many sessions failed, and the share of each cause."""
    if df.empty:
        return pd.DataFrame()
    causes = df.apply(failure_cause, axis=1)
    rows = []
    for doctor, g in df.groupby("doctor", sort=True):
        c = causes[g.index].dropna()
        row: dict[str, object] = {"doctor": doctor, "sessions": len(g), "failed": len(c)}
        for cause in CAUSES:
            row[cause] = f"{int((c == cause).sum())} ({100 * (c == cause).mean():.0f}%)" if len(c) else "0"
        rows.append(row)
    return pd.DataFrame(rows)


def calibration_table(df: pd.DataFrame, bins: int = 5) -> pd.DataFrame:
    """Per doctor, over its interim answers: how often it abstained, how often its committed answers were
    right, and how well its stated confidence matched (Brier score, expected calibration error)."""
    rows = []
    for doctor, g in df.groupby("doctor", sort=True):
        turns = abstain = 0
        stated: list[tuple[float, bool]] = []
        committed: list[bool] = []
        for r in g.itertuples():
            labels, conf, abst = _list(r.interims), _list(r.confidences), _list(r.abstained)
            for k, label in enumerate(labels):
                turns += 1
                if k < len(abst) and abst[k]:
                    abstain += 1
                    continue
                if label is None:
                    continue
                committed.append(label == r.truth)
                c = conf[k] if k < len(conf) else None
                if c is not None and not pd.isna(c):
                    stated.append((float(c), label == r.truth))
        if not turns:
            continue
        p = np.array([c for c, _ in stated])
        y = np.array([float(ok) for _, ok in stated])
        ece = None
        if stated:
            idx = np.minimum((p * bins).astype(int), bins - 1)
            ece = float(
                sum(abs(p[idx == b].mean() - y[idx == b].mean()) * (idx == b).mean() for b in set(idx.tolist()))
            )
        rows.append(
            {
                "doctor": doctor,
                "interim answers": turns,
                "abstained (%)": round(100 * abstain / turns, 1),
                "committed right (%)": round(100 * float(np.mean(committed)), 1) if committed else None,
                "with confidence": len(stated),
                "mean confidence (%)": round(100 * float(p.mean()), 1) if stated else None,
                "Brier": round(float(((p - y) ** 2).mean()), 3) if stated else None,
                "ECE": None if ece is None else round(ece, 3),
            }
        )
    return pd.DataFrame(rows)


def cost_table(df: pd.DataFrame) -> pd.DataFrame:
    """Per doctor, where it ordered anything from the measurement seat: tests per session, their cost, and
    accuracy (the accuracy-cost trade-off)."""
    if df.empty or "tests" not in df or not df["tests"].any():
        return pd.DataFrame()
    rows = []
    for doctor, g in df.groupby("doctor", sort=True):
        rows.append(
            {
                "doctor": doctor,
                "sessions": len(g),
                "requests per session": round(float(g["tests"].mean()), 2),
                "cost per session ($)": round(float(g["test_cost"].mean()), 0),
                "accuracy (%)": round(100 * float(g["correct"].mean()), 1),
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- plots


def plot_cost(table: pd.DataFrame) -> Figure:
    """Accuracy against the mean cost of what each doctor ordered."""
    from dialogue.scoring.figures import blank

    fig, ax = blank(table.empty, "no exams or tests ordered")
    if table.empty:
        return fig
    for i, r in table.reset_index(drop=True).iterrows():
        ax.scatter(r["cost per session ($)"], r["accuracy (%)"], color=f"C{int(i) % 10}", label=str(r["doctor"])[:40])
    ax.set_xlabel("cost of exams and tests per session ($)")
    ax.set_ylabel("accuracy (%)")
    ax.set_ylim(0, 100)
    ax.set_title("Accuracy vs cost")
    ax.legend(fontsize=6)
    fig.tight_layout()
    return fig


def _common_start(names: list[str]) -> str:
    """The characters every name starts with."""
    first, last = min(names), max(names)
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    return first[:n]


def plot_accuracy_by_turn(curves: pd.DataFrame) -> Figure:
    """One line per slice of `accuracy_by_turn` (doctor, or doctor and temperament)."""
    from dialogue.scoring.figures import blank

    fig, ax = blank(curves.empty, "no interim answers yet")
    if curves.empty:
        return fig
    slices = [c for c in curves.columns if c not in ("turn", "accuracy (%)", "n")]
    for i, (key, g) in enumerate(curves.groupby(slices, sort=True)):
        name = " · ".join(map(str, key if isinstance(key, tuple) else (key,)))
        ax.plot(g["turn"], g["accuracy (%)"], marker="o", ms=3, color=f"C{i % 10}", label=name[:40])
    ax.set_xlabel("doctor turn")
    ax.set_ylabel("accuracy of the answer so far (%)")
    ax.set_ylim(0, 100)
    ax.set_title("Accuracy by turn")
    ax.legend(fontsize=6)
    fig.tight_layout()
    return fig


def plot_ci_bars(
    table: pd.DataFrame, label_cols: list[str], title: str, ylabel: str, *, signed: bool = False
) -> Figure:
    """Bars with 95% CIs from a table's `_ci` column (strategy_table, temperament_deltas)."""
    from dialogue.scoring.figures import blank

    fig, ax = blank(table.empty, "nothing to compare yet")
    if table.empty:
        return fig
    varying = [c for c in label_cols if table[c].nunique() > 1] or label_cols[-1:]  # a shared part goes in the title
    shared = [str(table[c].iloc[0]) for c in label_cols if c not in varying]
    names = [" · ".join(str(r[c]) for c in varying) for _, r in table.iterrows()]
    common = _common_start(names) if len(names) > 1 else ""
    if len(common) > 8:  # one model under several strategies: name it once, in the title
        shared.append(common.strip(" ·"))
        names = [n[len(common) :].strip(" ·") or n for n in names]
    names = [n[-36:] for n in names]
    title = f"{title}\n{' · '.join(shared)[:60]}" if shared else title
    for i, ci in enumerate(table["_ci"]):
        if ci.value is None:
            ax.text(i, 0, "n/a", ha="center", fontsize=7)
            continue
        v = 100 * ci.value
        err = None if ci.low is None or ci.high is None else [[v - 100 * ci.low], [100 * ci.high - v]]
        ax.bar(i, v, 0.7, yerr=err, capsize=3, color=f"C{i % 10}")
    ax.set_xticks(range(len(names)), names, rotation=25, ha="right", fontsize=7)
    if signed:
        ax.axhline(0, color="black", lw=0.8)
    else:
        ax.set_ylim(0, 100)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    fig.tight_layout()
    return fig
