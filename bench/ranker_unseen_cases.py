"""How the answer ranker does on cases it has never seen: a leave-case-fold-out check on the dev half.

The held-out half is written over cases that no dev part uses, while `train_answer_ranker.py --check` leaves out one
dev *part* at a time, whose cases the other parts share. Here the dev cases are dealt into folds; each fold's
questions are scored by a ranker trained on the other folds' rows, with features from an adapter that never saw the
fold's cases. Two ways of making the ranker's training rows are compared on the same test features:

- by part (as `train_answer_ranker.py` does): each row's adapter left out the row's own part only;
- by case: each row's adapter left out the row's whole fold of cases (how far an adapter can be trusted on a case it
  has not seen, which is what the held-out half asks of it).

`--without FEATURES` adds a row for a ranker trained and scored without those features (an ablation on the same
rows: what the features add on unseen cases), e.g. `--without asked_similarity,asked_gap,asked_most_similar`.

The held-out files are never read; nothing is written.

    .venv/bin/python bench/ranker_unseen_cases.py [--folds 8] [--without FEATURES]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import random  # noqa: E402
from dataclasses import replace  # noqa: E402

import numpy as np  # noqa: E402
from answer_adapter_training import AdapterItem, train_adapter  # noqa: E402
from patient_fidelity import DATA  # noqa: E402
from train_answer_ranker import PartRows, _adapter_data, _labelled_parts, figures, fit, pick  # noqa: E402

from dialogue.agents import grounding as g  # noqa: E402
from dialogue.agents.answer_adapter import Adapter  # noqa: E402
from dialogue.agents.answer_ranker import RANK_FEATURES  # noqa: E402
from dialogue.content.cases import Library, load_library  # noqa: E402
from dialogue.matching import Matcher, default_matcher  # noqa: E402

Rows = list[tuple[str, PartRows]]  # (case id, the rows of one question part)


def _rows(lib: Library, m: Matcher, parts: list[str], adapter_for: dict[tuple[str, str], Adapter]) -> Rows:
    """Every labelled dev part's rows, each with the features of the adapter given for its (part, case)."""
    out: Rows = []
    for source in parts:
        for case, items, qparts, keys in _labelled_parts(lib, source):
            implied, unnamed = g.implied_places(case), g.unnamed_conditions(case)
            sims = g.similarity_rows(m, qparts, items, adapter_for[(source, case.id)])
            for p, key, sim in zip(qparts, keys, sims, strict=True):
                ans = set(key.answer) if key else set()
                ok = ans | set(key.also_ok if key else [])
                row = PartRows(
                    source=source,
                    x=g.rank_features(p, items, sim, m.kind, implied),
                    answers=np.array([i.id in ans for i in items]),
                    acceptable=np.array([i.id in ok for i in items]),
                    absent=key is None,
                    allowed=g.answerable(p, items, unnamed),
                )
                out.append((case.id, row))
    return out


def _scored(train: Rows, test: Rows, fold: dict[str, int], folds: int) -> str:
    rows: list[PartRows] = []
    picks: list[int | None] = []
    for k in range(folds):
        ranker = fit([r for c, r in train if fold[c] != k], with_fallback=False)
        left_out = [r for c, r in test if fold[c] == k]
        rows += left_out
        picks += [pick(ranker, r) for r in left_out]
    return figures(rows, picks)


def _without(rows: Rows, names: list[str]) -> Rows:
    """The rows with the named features zeroed (a ranker fitted on them gives them no weight; the columns the
    choice reads by position stay where they are)."""
    drop = [i for i, f in enumerate(RANK_FEATURES) if f in names]
    out: Rows = []
    for c, r in rows:
        x = r.x.copy()
        x[:, drop] = 0.0
        out.append((c, replace(r, x=x)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds", type=int, default=8)
    ap.add_argument("--without", default="", help="comma-separated features to leave out in an extra row")
    args = ap.parse_args()
    ablated = [f for f in args.without.split(",") if f]
    if unknown := set(ablated) - set(RANK_FEATURES):
        ap.error(f"unknown features {sorted(unknown)}; the ranker reads {', '.join(RANK_FEATURES)}")
    lib, m = load_library(), default_matcher()
    parts = sorted(p.stem for p in DATA.glob("dev*.yaml"))
    items, blocks = _adapter_data(lib, m, parts)
    seen = [(s, case.id) for s in parts for case, *_ in _labelled_parts(lib, s)]  # in the adapter data's order
    pairs = sorted(set(seen))
    cases = sorted({c for _, c in pairs})
    random.Random(0).shuffle(cases)
    fold = {c: i % args.folds for i, c in enumerate(cases)}
    block_case = dict(enumerate(dict.fromkeys(c for _, c in seen)))  # the adapter data's case blocks
    by_fold = [AdapterItem(f"fold{fold[block_case[it.case]]}", it.question, it.case, it.answers) for it in items]
    names = [f"fold{k}" for k in range(args.folds)]
    case_ad = {k: train_adapter(by_fold, blocks, [n for n in names if n != f"fold{k}"]) for k in range(args.folds)}
    part_ad = {s: train_adapter(items, blocks, [o for o in parts if o != s]) for s in parts}
    unseen = _rows(lib, m, parts, {(s, c): case_ad[fold[c]] for s, c in pairs})
    by_part = _rows(lib, m, parts, {(s, c): part_ad[s] for s, c in pairs})
    print(f"{len(cases)} dev cases in {args.folds} folds, {len(unseen)} question parts")
    print("| ranker trained on rows made | answered | wrong-topic | absent → no |")
    print("|---|---|---|---|")
    print(f"| by part (as committed) | {_scored(by_part, unseen, fold, args.folds)} |")
    print(f"| by case | {_scored(unseen, unseen, fold, args.folds)} |")
    if ablated:
        less = _without(unseen, ablated)
        print(f"| by case, without {', '.join(ablated)} | {_scored(less, less, fold, args.folds)} |")
    print(f"| hand-set rules | {figures([r for _, r in unseen], [r.rule for _, r in unseen])} |")


if __name__ == "__main__":
    main()
