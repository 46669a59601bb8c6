"""Matching a free-text diagnosis to the truth of an open case set: by the label set's synonyms first (done by
`LabelSet.normalize`), then, where a matcher model is configured (`CB_DX_MATCHER`), by asking it; its verdict
is stored with its evidence on the assessment."""

from __future__ import annotations

import json
import re

from pydantic import BaseModel

from dialogue.backends import Backend, BackendError, GenRequest, collect

MATCH_PROMPT = (
    "You compare two diagnoses. Reference diagnosis: {truth}\nA doctor's answer: {answer}\n"
    "Do they name the same disease (synonyms, abbreviations and more specific forms of it count; a different "
    "disease, a broader category or a symptom does not)? Answer JSON only: "
    '{{"same": true or false, "evidence": "one sentence why"}}'
)


class DiagnosisMatch(BaseModel):
    """A matcher model's verdict on an open-set answer."""

    by: str
    answer: str
    truth: str
    same: bool | None
    """None: the matcher gave no usable verdict (the answer then stays a miss)."""
    evidence: str = ""


async def llm_match(backend: Backend, truth: str, answer: str) -> DiagnosisMatch:
    req = GenRequest(
        messages=[{"role": "user", "content": MATCH_PROMPT.format(truth=truth, answer=answer)}],
        max_tokens=120,
        temperature=0.0,
    )
    try:
        text, _, _ = await collect(backend, req)
    except BackendError as e:
        return DiagnosisMatch(by=backend.model, answer=answer, truth=truth, same=None, evidence=f"failed: {e}")
    m = re.search(r"\{.*\}", text, re.DOTALL)
    try:
        data = json.loads(m.group(0)) if m else {}
        same = data.get("same")
        return DiagnosisMatch(
            by=backend.model,
            answer=answer,
            truth=truth,
            same=same if isinstance(same, bool) else None,
            evidence=str(data.get("evidence", ""))[:300],
        )
    except ValueError:
        return DiagnosisMatch(by=backend.model, answer=answer, truth=truth, same=None, evidence=text[:300])
