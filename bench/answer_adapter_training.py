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
    """An adapter trained on the items whose source is in `sources`."""
    torch.manual_seed(seed)
    use = [it for it in items if it.source in sources and it.answers.any()]
    n = max(len(c.vectors) for c in cases)
    dim = cases[0].vectors.shape[-1]
    block = np.zeros((len(cases), n, 2, dim), dtype=np.float32)
    mask = np.zeros((len(cases), n), dtype=bool)
    for i, c in enumerate(cases):
        block[i, : len(c.vectors)] = c.vectors
        mask[i, : len(c.vectors)] = True
    answers = np.zeros((len(use), n), dtype=bool)
    for k, it in enumerate(use):
        answers[k, : len(it.answers)] = it.answers
    facts = torch.tensor(block)
    q = torch.tensor(np.stack([it.question for it in use]), dtype=torch.float32)
    which = torch.tensor([it.case for it in use])
    valid = torch.tensor(mask)[which]
    right = torch.tensor(answers)
    up = torch.zeros(dim, RANK, requires_grad=True)
    down = (torch.randn(dim, RANK) * 0.01).requires_grad_()
    opt = torch.optim.Adam([up, down], lr=LEARNING_RATE)

    def mapped(v: torch.Tensor) -> torch.Tensor:
        y = v + (v @ down) @ up.T
        return y / (y.norm(dim=-1, keepdim=True) + 1e-8)

    for _ in range(STEPS):
        opt.zero_grad()
        fq = mapped(q)
        ff = mapped(facts)[which]  # [parts, n, 2, dim]
        sim = torch.einsum("pd,pnkd->pnk", fq, ff).amax(dim=-1) * TEMPERATURE
        logp = torch.log_softmax(sim.masked_fill(~valid, -1e4), dim=1)
        loss = -torch.logsumexp(logp.masked_fill(~right, -1e4), dim=1).mean()
        loss = loss + DECAY * (up.pow(2).sum() + down.pow(2).sum())
        loss.backward()
        opt.step()
    return Adapter(up=up.detach().numpy(), down=down.detach().numpy(), trained_on=sorted(set(sources)))
