"""What a question part asks for, read from its meaning: the patient's idea, concern or expectation, or a measurement
the patient could not know.

The grounded patient reads these from cue words first (intent.py). Cue words are written from the phrasings seen,
and a doctor's "I'd be interested to hear what you made of it yourself" or "what did the laboratory report?" has
none of them. A multinomial logistic regression on the part's sentence embedding (all-MiniLM-L6-v2, the matcher's
model) reads the same kinds by meaning; the patient takes its reading where the cues found no kind. Its weights are
in `question_kind.npz`, written by `bench/train_question_kind.py` from the dev item files of
`bench/data/patient_fidelity` only (the held-out files are never read). No case's answer is in it: it reads the
question, never the case.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict

from dialogue.matching import Matcher

WEIGHTS = Path(__file__).with_name("question_kind.npz")
KINDS = ("other", "idea", "concern", "expectation", "unknowable")
"""The classes: the fact category an ideas/concerns/expectations question asks for, a measurement the patient
cannot know, or anything else."""
THRESHOLD = 0.5


class KindModel(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    classes: list[str]
    coef: np.ndarray  # [classes, dim]
    intercept: np.ndarray  # [classes]
    trained_on: list[str]

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """[rows, classes] class probabilities (softmax of the linear scores)."""
        z = np.asarray(vectors, dtype=np.float32) @ self.coef.T + self.intercept
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)

    def kinds(self, vectors: np.ndarray) -> list[str | None]:
        """Each row's kind when it is not "other" and at least THRESHOLD likely, else None."""
        out: list[str | None] = []
        for p in self.probabilities(vectors):
            best = int(np.argmax(p))
            out.append(self.classes[best] if p[best] >= THRESHOLD and self.classes[best] != "other" else None)
        return out

    def save(self, path: Path = WEIGHTS) -> None:
        np.savez_compressed(
            path,
            classes=np.array(self.classes),
            coef=self.coef.astype(np.float32),
            intercept=self.intercept.astype(np.float32),
            trained_on=np.array(self.trained_on),
        )


def read_kind_model(path: Path) -> KindModel:
    with np.load(path, allow_pickle=False) as z:
        classes = [str(c) for c in z["classes"]]
        if set(classes) - set(KINDS):
            raise ValueError(f"{path.name} has classes {classes}; the patient reads {list(KINDS)}")
        return KindModel(
            classes=classes,
            coef=z["coef"].astype(np.float32),
            intercept=z["intercept"].astype(np.float32),
            trained_on=[str(s) for s in z["trained_on"]],
        )


@lru_cache(maxsize=1)
def load_kind_model() -> KindModel | None:
    """The trained model, or None when no weights are written (the cue words alone decide)."""
    return read_kind_model(WEIGHTS) if WEIGHTS.exists() else None


def question_kinds(matcher: Matcher, texts: Sequence[str], model: KindModel | None = None) -> list[str | None]:
    """The kind each text asks for by meaning (None: nothing the cue words would miss); all None without the
    embedding model or the weights."""
    model = model or load_kind_model()
    if not texts or model is None or matcher.embedder is None:
        return [None] * len(texts)
    return model.kinds(matcher.embedder.encode(list(texts)))
