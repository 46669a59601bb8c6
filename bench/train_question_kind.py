"""Train the question-kind model (dialogue/agents/question_kind.npz) on the dev half of the patient-fidelity set.

Every dev question is one row: its sentence embedding and what it asks for - the fact an ideas/concerns/expectations
question names first (idea, concern or expectation), "unknowable" for a measurement the patient could not know, or
"other". The held-out files are never read.

    .venv/bin/python bench/train_question_kind.py                       # check on dev72 and dev73, then write
    .venv/bin/python bench/train_question_kind.py --check-only          # the check only: train without the
                                                                        # --check parts (dev72,dev73) and score them
    .venv/bin/python bench/train_question_kind.py --without dev72,dev73 # write weights that never saw those parts

The check reports, for the parts left out, how many ideas/concerns/expectations questions are read as the kind
they ask (and as any of the three), how many unknowable ones, and how many other questions are read as either
(false readings).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402

import numpy as np  # noqa: E402
from patient_fidelity import DATA, load_items  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

from dialogue.agents.question_kind import KINDS, WEIGHTS, KindModel  # noqa: E402
from dialogue.matching import default_matcher  # noqa: E402

C = 4.0
ICE = ("idea", "concern", "expectation")


def _label(kind: str, answer: list[str]) -> str:
    if kind == "ice":
        return answer[0] if answer and answer[0] in ICE else "idea"
    return "unknowable" if kind == "unknowable" else "other"


def load_rows(parts: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(part name, question text, label) for every question of the named dev parts."""
    src, texts, labels = [], [], []
    for name in parts:
        for c in load_items("dev", name).cases:
            for q in c.questions:
                src.append(name)
                texts.append(q.text)
                labels.append(_label(q.kind, q.parts[0].answer if q.parts else []))
    return src, texts, labels


def fit(x: np.ndarray, y: list[str], parts: list[str]) -> KindModel:
    clf = LogisticRegression(C=C, max_iter=5000)
    clf.fit(x, y)
    classes = [str(c) for c in clf.classes_]
    assert set(classes) <= set(KINDS), classes
    return KindModel(classes=classes, coef=clf.coef_, intercept=clf.intercept_, trained_on=sorted(set(parts)))


def check(model: KindModel, x: np.ndarray, y: list[str]) -> str:
    read = model.kinds(x)
    ice = [i for i, t in enumerate(y) if t in ICE]
    unknowable = [i for i, t in enumerate(y) if t == "unknowable"]
    other = [i for i, t in enumerate(y) if t == "other"]
    exact = sum(read[i] == y[i] for i in ice)
    any_ice = sum(read[i] in ICE for i in ice)
    unk = sum(read[i] == "unknowable" for i in unknowable)
    false = sum(read[i] is not None for i in other)
    wrong_kind = sum(read[i] is not None and read[i] not in ICE for i in ice) + sum(
        read[i] is not None and read[i] != "unknowable" for i in unknowable
    )
    return (
        f"ideas/concerns/expectations read as asked {exact}/{len(ice)} (as any of the three {any_ice}); "
        f"unknowable {unk}/{len(unknowable)}; other questions read as a kind {false}/{len(other)}; "
        f"read as the wrong kind {wrong_kind}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", default="dev72,dev73", help="dev parts to leave out and score")
    ap.add_argument("--check-only", action="store_true", help="do not write the weights")
    ap.add_argument("--without", default="", help="dev parts the written weights leave out (a fresh check)")
    args = ap.parse_args()
    parts = sorted(p.stem for p in DATA.glob("dev*.yaml"))
    left_out = [p for p in args.check.split(",") if p]
    if unknown := set(left_out) - set(parts):
        ap.error(f"unknown dev parts {sorted(unknown)}")
    m = default_matcher()
    assert m.embedder is not None, "the question-kind model reads the embedding model"
    src, texts, labels = load_rows(parts)
    x = m.embedder.encode(texts)
    keep = np.array([s not in left_out for s in src])
    if left_out:
        model = fit(x[keep], [t for t, k in zip(labels, keep, strict=True) if k], [s for s in src if s not in left_out])
        held = [t for t, k in zip(labels, keep, strict=True) if not k]
        print(f"left out {', '.join(left_out)}: {check(model, x[~keep], held)}")
    if not args.check_only:
        used = np.array([s not in args.without.split(",") for s in src])
        model = fit(
            x[used],
            [t for t, u in zip(labels, used, strict=True) if u],
            [s for s, u in zip(src, used, strict=True) if u],
        )
        model.save(WEIGHTS)
        print(f"wrote {WEIGHTS.relative_to(ROOT)} ({int(used.sum())} questions, {len(model.trained_on)} dev parts)")


if __name__ == "__main__":
    main()
