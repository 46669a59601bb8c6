"""Training of the answer adapter (dialogue/agents/answer_adapter.py), used by bench/train_answer_ranker.py.

For each dev question part with a labelled answer, the adapter is taught to place the part nearest to a fact
that answers it among its case's facts: a softmax over the case's facts (cosine in the mapped space, the best
of the fact's statement and words), the loss is minus the log of the answering facts' share, plus a small
weight decay that keeps the map near the identity. Low rank (48) and few steps keep it from learning cases.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from dialogue.agents.answer_adapter import Adapter

RANK = 48
STEPS = 150
LEARNING_RATE = 0.01
DECAY = 1e-3
TEMPERATURE = 10.0


@dataclass
class AdapterItem:
    """One question part: its vector, its case (an index into the case blocks) and which facts answer it."""

    source: str
    question: np.ndarray  # [dim]
    case: int
    answers: np.ndarray  # [n facts of the case], bool


@dataclass
class CaseBlock:
    """A case's facts as vectors: [n facts, 2 (statement, words), dim]."""

    vectors: np.ndarray


def train_adapter(items: list[AdapterItem], cases: list[CaseBlock], sources: list[str], seed: int = 0) -> Adapter:
    """An adapter trained on the items whose source is in `sources`.

    The items are grouped by case, so each question part is compared with its own case's facts only (a padded
    [cases, parts, facts] block) rather than with a copy of its case's facts per part."""
    torch.manual_seed(seed)
    use = [it for it in items if it.source in sources and it.answers.any()]
    used = sorted({it.case for it in use})
    row = {c: i for i, c in enumerate(used)}
    by_case: dict[int, list[AdapterItem]] = {}
    for it in use:
        by_case.setdefault(it.case, []).append(it)
    n = max(len(cases[c].vectors) for c in used)
    m = max(len(v) for v in by_case.values())
    dim = cases[0].vectors.shape[-1]
    block = np.zeros((len(used), n, 2, dim), dtype=np.float32)
    valid = np.zeros((len(used), n), dtype=bool)
    qs = np.zeros((len(used), m, dim), dtype=np.float32)
    asked = np.zeros((len(used), m), dtype=bool)
    right = np.zeros((len(used), m, n), dtype=bool)
    for c, group in by_case.items():
        i, vecs = row[c], cases[c].vectors
        block[i, : len(vecs)] = vecs
        valid[i, : len(vecs)] = True
        for k, it in enumerate(group):
            qs[i, k] = it.question
            asked[i, k] = True
            right[i, k, : len(it.answers)] = it.answers
    facts, q = torch.tensor(block), torch.tensor(qs)
    valid_t, asked_t, right_t = torch.tensor(valid)[:, None, :], torch.tensor(asked), torch.tensor(right)
    up = torch.zeros(dim, RANK, requires_grad=True)
    down = (torch.randn(dim, RANK) * 0.01).requires_grad_()
    opt = torch.optim.Adam([up, down], lr=LEARNING_RATE)

    def mapped(v: torch.Tensor) -> torch.Tensor:
        y = v + (v @ down) @ up.T
        return y / (y.norm(dim=-1, keepdim=True) + 1e-8)

    for _ in range(STEPS):
        opt.zero_grad()
        sim = torch.einsum("cmd,cnkd->cmnk", mapped(q), mapped(facts)).amax(dim=-1) * TEMPERATURE
        logp = torch.log_softmax(sim.masked_fill(~valid_t, -1e4), dim=2)
        loss = -torch.logsumexp(logp.masked_fill(~right_t, -1e4), dim=2)[asked_t].mean()
        loss = loss + DECAY * (up.pow(2).sum() + down.pow(2).sum())
        loss.backward()
        opt.step()
    return Adapter(up=up.detach().numpy(), down=down.detach().numpy(), trained_on=sorted(set(sources)))
