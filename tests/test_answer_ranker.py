"""The answer ranker: its weights match the features the code computes and were learned from dev items only."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dialogue.agents import answer_ranker
from dialogue.agents.answer_adapter import Adapter, load_adapter
from dialogue.agents.answer_ranker import RANK_FEATURES, Ranker, load_ranker

DATA = Path(__file__).resolve().parent.parent / "bench" / "data" / "patient_fidelity"


def test_weights_are_for_these_features_and_trained_on_dev_parts_only() -> None:
    ranker = load_ranker()
    assert ranker is not None
    assert tuple(ranker.features) == RANK_FEATURES
    dev_parts = {p.stem for p in DATA.glob("dev*.yaml")}
    assert set(ranker.trained_on) <= dev_parts
    assert not any(name.startswith("heldout") for name in ranker.trained_on)


def test_adapter_was_trained_on_dev_parts_only_and_keeps_unit_length() -> None:
    adapter = load_adapter()
    assert adapter is not None
    assert set(adapter.trained_on) <= {p.stem for p in DATA.glob("dev*.yaml")}
    assert not any(name.startswith("heldout") for name in adapter.trained_on)
    v = np.random.default_rng(0).normal(size=(3, adapter.up.shape[0]))
    assert np.allclose(np.linalg.norm(adapter.apply(v), axis=1), 1.0, atol=1e-5)


def test_adapted_similarity_takes_a_candidate_s_best_phrasing() -> None:
    dim = 4
    identity = Adapter(up=np.zeros((dim, 1)), down=np.zeros((dim, 1)), trained_on=[])
    q = np.eye(dim)[:1]
    sims = identity.similarity(q, [np.eye(dim)[[1, 0]], np.eye(dim)[[2]]])
    assert sims.shape == (1, 2)
    assert sims[0, 0] == pytest.approx(1.0) and sims[0, 1] == pytest.approx(0.0)


def test_probability_rises_with_a_positive_weight() -> None:
    ranker = Ranker(features=["a", "b"], coef=[2.0, -1.0], intercept=0.0, threshold=0.5, trained_on=[], n_parts=0)
    p = ranker.probability(np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]))
    assert p[1] > p[0] > p[2]
    assert p[0] == pytest.approx(0.5)


def test_weights_for_other_features_say_to_retrain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = Ranker(features=["score"], coef=[1.0], intercept=0.0, threshold=0.3, trained_on=["dev"], n_parts=1)
    path = tmp_path / "answer_ranker.json"
    path.write_text(stale.model_dump_json(), encoding="utf-8")
    monkeypatch.setattr(answer_ranker, "WEIGHTS", path)
    load_ranker.cache_clear()
    try:
        with pytest.raises(ValueError, match="retrain"):
            load_ranker()
    finally:
        load_ranker.cache_clear()


def test_patient_fidelity_smoke_on_a_dev_part() -> None:
    """The fidelity bench (bench/patient_fidelity.py, items by an independent hand) in small: one dev part, one
    temperament, the grounded patient with the trained ranker. Floors well under today's figures (dev7: answered
    about 89%, wrong-topic about 7%), so a ranker or grounding change that breaks fact choice fails here first."""
    import asyncio
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from patient_fidelity import load_items, run

    from dialogue.content.cases import load_library
    from dialogue.matching import default_matcher

    results = asyncio.run(run(load_library(), load_items("dev", "dev7"), default_matcher(), None, 0, ["phlegmatic"]))
    answered = [r.answered for r in results if r.answered is not None]
    absent = [r.absent_ok for r in results if r.absent_ok is not None]
    assert sum(answered) / len(answered) >= 0.8
    assert sum(r.wrong_topic for r in results) / len(results) <= 0.12
    assert sum(absent) / len(absent) >= 0.8
