"""The answer ranker: which case fact answers a part of a doctor's question, learned from the dev half.

A logistic regression over the grounding features (RANK_FEATURES: the hand-set score and
choice, the embedding similarity and the topic checks) picks the fact most likely to answer the part; below its
threshold the part is about something the case does not contain. Its weights are in
`answer_ranker.json`, written by `bench/train_answer_ranker.py` from the dev item files of
`bench/data/patient_fidelity` only; the held-out files are never read in training. No case's answer is in
it: the weights are for features of a (question, fact) pair, the same for every case.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
from pydantic import BaseModel

WEIGHTS = Path(__file__).with_name("answer_ranker.json")
# What the ranker reads about one (part, fact) pair (computed by grounding.rank_features), in this order.
RANK_FEATURES = (
    "score",
    "similarity",
    "related",
    "cue_match",
    "id_hint",
    "concept_hits",
    "positive",
    "on_topic",
    "same_body_part",
    "other_body_part",
    "shared_words",
    "presenting",
    "negative",
    "systems_review",
    "history_question",
    "closed",
    "score_gap",
    "similarity_gap",
    "rules_choice",
    "time_for_onset",
    "place_for_location",
    "most_similar",
    "similarity_margin",
    "id_similarity",
    "id_similarity_gap",
    "adapted_similarity",
    "adapted_gap",
    "adapted_most_similar",
    "asked_similarity",
    "asked_gap",
    "asked_most_similar",
)
# The features read from the questions a case author wrote for each fact (Fact.asked).
ASKED_FEATURES = ("asked_similarity", "asked_gap", "asked_most_similar")


class Ranker(BaseModel):
    features: list[str]
    coef: list[float]
    intercept: float
    threshold: float
    trained_on: list[str]
    n_parts: int
    without_asked: Ranker | None = None
    """The same fit with ASKED_FEATURES left out (their weights zero): for a case whose facts carry no written
    questions (an imported case set), where those features would only echo the plain similarity."""

    def probability(self, x: np.ndarray) -> np.ndarray:
        """P(answers the part) for each row of features."""
        z = x @ np.asarray(self.coef) + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def for_case(self, has_questions: bool) -> Ranker:
        """The weights to use for a case with (or without) written questions for its facts."""
        return self if has_questions or self.without_asked is None else self.without_asked


@lru_cache(maxsize=1)
def load_ranker() -> Ranker | None:
    """The trained ranker, or None when no weights are written yet (the hand-set rules answer)."""
    if not WEIGHTS.exists():
        return None
    ranker = Ranker.model_validate_json(WEIGHTS.read_text(encoding="utf-8"))
    if tuple(ranker.features) != RANK_FEATURES or len(ranker.coef) != len(RANK_FEATURES):
        raise ValueError(
            f"{WEIGHTS.name} was trained on features {ranker.features}, the code reads {list(RANK_FEATURES)}: "
            "retrain with `python bench/train_answer_ranker.py`"
        )
    return ranker
