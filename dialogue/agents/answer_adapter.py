"""The answer adapter: a learned low-rank map on the sentence embeddings, so a doctor's question lands nearer
the case fact that answers it ("Has your face ever swelled up?" nearer "My eyelids puffed up").

all-MiniLM-L6-v2 places a question nearest to text that reads like it, not to the statement that answers it.
The adapter maps every vector v to v + (v·down)·upᵀ (then unit length), for questions and facts alike, and
the grounding ranker reads the similarity in the mapped space beside the plain one. Its weights are in
`answer_adapter.npz`, written by `bench/train_answer_ranker.py` from the dev item files of
`bench/data/patient_fidelity` only (the held-out files are never read); they hold no case's answer, only a
map of the embedding space. With the lexical matcher (no embedder) the plain similarity stands in.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict

WEIGHTS = Path(__file__).with_name("answer_adapter.npz")


class Adapter(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    up: np.ndarray  # [dim, rank]
    down: np.ndarray  # [dim, rank]
    trained_on: list[str]

    def apply(self, vectors: np.ndarray) -> np.ndarray:
        """The mapped vectors, unit length, row for row."""
        v = np.asarray(vectors, dtype=np.float32)
        y = v + (v @ self.down) @ self.up.T
        return y / np.maximum(np.linalg.norm(y, axis=-1, keepdims=True), 1e-8)

    def similarity(self, queries: np.ndarray, candidates: Sequence[np.ndarray]) -> np.ndarray:
        """[queries, candidates] cosine in the mapped space; a candidate is several vectors, the best counts."""
        q = self.apply(queries)
        sims = np.clip(q @ self.apply(np.concatenate(list(candidates))).T, 0.0, 1.0)
        bounds = np.cumsum([0, *(len(c) for c in candidates)])
        return np.stack([sims[:, a:b].max(axis=1) for a, b in pairwise(bounds)], axis=1)

    def save(self, path: Path = WEIGHTS) -> None:
        np.savez_compressed(
            path,
            up=self.up.astype(np.float16),
            down=self.down.astype(np.float16),
            trained_on=np.array(self.trained_on),
        )


def read_adapter(path: Path) -> Adapter:
    with np.load(path, allow_pickle=False) as z:
        return Adapter(
            up=z["up"].astype(np.float32),
            down=z["down"].astype(np.float32),
            trained_on=[str(s) for s in z["trained_on"]],
        )


@lru_cache(maxsize=1)
def load_adapter() -> Adapter | None:
    """The trained adapter, or None when no weights are written yet (the plain similarity stands in)."""
    return read_adapter(WEIGHTS) if WEIGHTS.exists() else None
