"""Train the answer adapter and ranker (dialogue/agents/answer_adapter.npz, answer_ranker.json) on the dev half
of the patient-fidelity set.

Every question part whose split matches the item's labelled parts (same count, in order) gives one row per
case fact: the grounding features of (part, fact) and whether the fact answers the part. Questions about
what the case lacks give rows with no answer, which teach the threshold. The held-out files are never read.

    .venv/bin/python bench/train_answer_ranker.py            # leave-one-part-out check, then write the weights
    .venv/bin/python bench/train_answer_ranker.py --check    # the check only
    .venv/bin/python bench/train_answer_ranker.py --parts dev,dev2,dev3   # train on these dev parts only

The adapter is cross-fitted: each dev part's rows read the adapted similarity of an adapter trained on the
other parts, so the ranker learns how far an adapter can be trusted on text it has not seen; the adapter
written is trained on all dev parts. The check trains the ranker on all dev parts but one and scores the one
left out, for every part, beside the hand-set rules (which were tuned on those same parts, so the comparison
flatters the rules). Its left-out part's features come from an adapter that never saw it; the ranker's own
training rows come from adapters that did see it (a mild leak into the ranker's weights, none into the test
features).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from dataclasses import dataclass  # noqa: E402

import numpy as np  # noqa: E402
from answer_adapter_training import AdapterItem, CaseBlock, train_adapter  # noqa: E402
from patient_fidelity import DATA, PartKey, load_items  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

from dialogue.agents import grounding as g  # noqa: E402
from dialogue.agents.answer_adapter import WEIGHTS as ADAPTER_WEIGHTS  # noqa: E402
from dialogue.agents.answer_adapter import Adapter  # noqa: E402
from dialogue.agents.answer_ranker import ASKED_FEATURES, RANK_FEATURES, WEIGHTS, Ranker  # noqa: E402
from dialogue.agents.intent import Part, parts_of  # noqa: E402
from dialogue.content.cases import Library, load_library  # noqa: E402
from dialogue.matching import Matcher, default_matcher  # noqa: E402
from dialogue.schema import Case  # noqa: E402

THRESHOLD = 0.5
C = 1.0


@dataclass
class PartRows:
    source: str
    x: np.ndarray
    answers: np.ndarray  # the fact answers the part
    acceptable: np.ndarray  # ... or is an acceptable, on-topic answer
    absent: bool
    allowed: np.ndarray  # items that may answer at all

    @property
    def rule(self) -> int | None:
        """The hand-set rules' choice (a column of the features)."""
        hit = np.flatnonzero(self.x[:, RANK_FEATURES.index("rules_choice")])
        return int(hit[0]) if hit.size else None


def _labelled_parts(lib: Library, source: str) -> Iterator[tuple[Case, list[g.Item], list[Part], list[PartKey | None]]]:
    """(case, its items, the question's grounding parts, their keys: None for a question about what is absent)."""
    for c in load_items("dev", source).cases:
        case = lib.cases[c.case]
        for q in c.questions:
            if q.kind in ("open", "ice", "unknowable"):
                continue
            parts = [p for p in g.targeted_parts(case, parts_of(q.text)) if not p.measurement]
            keys: list[PartKey | None] = [None] * len(parts) if q.kind == "absent" else list(q.parts)
            if parts and len(keys) == len(parts):
                yield case, g.case_items(case), parts, keys


def _adapter_data(lib: Library, m: Matcher, sources: list[str]) -> tuple[list[AdapterItem], list[CaseBlock]]:
    """Every labelled part of the dev files as vectors, for training the adapter."""
    assert m.embedder is not None, "the adapter is trained on the embedding matcher"
    blocks: dict[str, int] = {}
    cases: list[CaseBlock] = []
    items: list[AdapterItem] = []
    for source in sources:
        for case, facts, parts, keys in _labelled_parts(lib, source):
            if case.id not in blocks:
                vecs = m.embedder.encode([t for f in facts for t in (f.statement, f.patient_says)])
                blocks[case.id] = len(cases)
                cases.append(CaseBlock(vecs.reshape(len(facts), 2, -1)))
            qv = m.embedder.encode([p.text for p in parts])
            for k, key in enumerate(keys):
                if key is not None:
                    ans = np.array([f.id in set(key.answer) for f in facts])
                    items.append(AdapterItem(source, qv[k], blocks[case.id], ans))
    return items, cases


def _rows(lib: Library, m: Matcher, source: str, adapter: Adapter | None) -> list[PartRows]:
    """The rows of one dev part, built as the patient builds them (grounding's parts, similarities, features)."""
    out: list[PartRows] = []
    for case, items, parts, keys in _labelled_parts(lib, source):
        implied, unnamed = g.implied_places(case), g.unnamed_conditions(case)
        for p, key, sim in zip(parts, keys, g.similarity_rows(m, parts, items, adapter), strict=True):
            ans = set(key.answer) if key else set()
            ok = ans | set(key.also_ok if key else [])
            out.append(
                PartRows(
                    source=source,
                    x=g.rank_features(p, items, sim, m.kind, implied),
                    answers=np.array([i.id in ans for i in items]),
                    acceptable=np.array([i.id in ok for i in items]),
                    absent=key is None,
                    allowed=g.answerable(p, items, unnamed),
                )
            )
    return out


def fit(rows: list[PartRows], with_fallback: bool = True) -> Ranker:
    """The ranker fitted on `rows`, with the fit that leaves the written-question features out (for cases without
    them) as its fallback."""
    x = np.vstack([r.x for r in rows])
    y = np.concatenate([r.answers for r in rows])
    fallback = None
    if with_fallback:
        plain = x.copy()
        plain[:, [RANK_FEATURES.index(f) for f in ASKED_FEATURES]] = 0.0
        fallback = _fitted(plain, y, rows)
    return _fitted(x, y, rows).model_copy(update={"without_asked": fallback})


def _fitted(x: np.ndarray, y: np.ndarray, rows: list[PartRows]) -> Ranker:
    clf = LogisticRegression(C=C, max_iter=5000)
    clf.fit(x, y)
    return Ranker(
        features=list(RANK_FEATURES),
        coef=[round(float(v), 6) for v in clf.coef_[0]],
        intercept=round(float(clf.intercept_[0]), 6),
        threshold=THRESHOLD,
        trained_on=sorted({r.source for r in rows}),
        n_parts=len(rows),
    )


def pick(ranker: Ranker, r: PartRows) -> int | None:
    return g.ranker_choice(ranker, r.x, r.allowed)  # exactly as the patient chooses


def figures(rows: list[PartRows], picks: list[int | None]) -> str:
    answerable = [(r, j) for r, j in zip(rows, picks, strict=True) if not r.absent]
    absent = [(r, j) for r, j in zip(rows, picks, strict=True) if r.absent]
    answered = sum(j is not None and bool(r.answers[j]) for r, j in answerable)
    wrong = sum(j is not None and not r.acceptable[j] for r, j in zip(rows, picks, strict=True))
    plain = sum(j is None for _, j in absent)
    return (
        f"{100 * answered / max(1, len(answerable)):.1f}% | {100 * wrong / max(1, len(rows)):.1f}% "
        f"| {100 * plain / max(1, len(absent)):.1f}%"
    )


def check(by_part: dict[str, list[PartRows]]) -> str:
    lines = [
        "| part left out | parts | ranker: answered | wrong-topic | absent → no "
        "| rules (tuned on it): answered | wrong-topic | absent → no |",
        "|---|---|---|---|---|---|---|---|",
    ]
    all_rows: list[PartRows] = []
    all_picks: list[int | None] = []
    for name, rows in by_part.items():
        ranker = fit([r for other, rs in by_part.items() if other != name for r in rs], with_fallback=False)
        picks = [pick(ranker, r) for r in rows]
        all_rows += rows
        all_picks += picks
        lines.append(f"| {name} | {len(rows)} | {figures(rows, picks)} | {figures(rows, [r.rule for r in rows])} |")
    rules = [r.rule for r in all_rows]
    lines.append(f"| **all** | {len(all_rows)} | {figures(all_rows, all_picks)} | {figures(all_rows, rules)} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="leave-one-part-out check only; write nothing")
    ap.add_argument("--parts", default="", help="comma-separated dev parts to train on (default: all of them)")
    args = ap.parse_args()
    lib, m = load_library(), default_matcher()
    parts = sorted(p.stem for p in DATA.glob("dev*.yaml"))
    if args.parts:
        chosen = [p.strip() for p in args.parts.split(",") if p.strip()]
        if unknown := sorted(set(chosen) - set(parts)):
            ap.error(f"no such dev parts: {', '.join(unknown)}")
        parts = sorted(chosen)
    adapter_items, adapter_cases = _adapter_data(lib, m, parts)
    crossed = {n: train_adapter(adapter_items, adapter_cases, [o for o in parts if o != n]) for n in parts}
    by_part = {name: _rows(lib, m, name, crossed[name]) for name in parts}
    print(check(by_part))
    if not args.check:
        ranker = fit([r for rs in by_part.values() for r in rs])
        WEIGHTS.write_text(ranker.model_dump_json(indent=1) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS.relative_to(ROOT)} ({ranker.n_parts} parts from {', '.join(ranker.trained_on)})")
        adapter = train_adapter(adapter_items, adapter_cases, parts)
        adapter.save(ADAPTER_WEIGHTS)
        print(f"wrote {ADAPTER_WEIGHTS.relative_to(ROOT)} (rank {adapter.up.shape[1]}, from {', '.join(parts)})")


if __name__ == "__main__":
    main()
