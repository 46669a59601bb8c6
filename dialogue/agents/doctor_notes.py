"""What a doctor writes beside its message to the patient: a hidden reasoning block and a working diagnosis.

A doctor message may carry
- a reasoning block, `<think>...</think>` (emitted by reasoning models, or asked for by the `reasoning`
  strategy). A model that starts thinking without the opening tag and closes it with `</think>` is read
  the same way;
- a last line `WORKING DIAGNOSIS: <label> (<confidence>%)`, or `WORKING DIAGNOSIS: need more information`
  (MediQ-style abstention).

Both are stored with the turn and never reach the patient, the assessor's view of the dialogue or the chat:
the engine keeps only `visible` text in the turn's `text`.
"""

from __future__ import annotations

import re

from dialogue.agents.measurement import REQUEST_LINE
from dialogue.content.labels import LabelSet
from dialogue.schema import Interim

_THINK_BLOCK = re.compile(r"<think>.*?</think>\s*", re.IGNORECASE | re.DOTALL)
_OPEN_THINK = re.compile(r"<think>.*\Z", re.IGNORECASE | re.DOTALL)
_WORKING = re.compile(r"^[ \t>*_`]*WORKING\s+DIAGNOSIS\s*:\s*(?P<said>[^\n]*)\n?", re.IGNORECASE | re.MULTILINE)
_CONFIDENCE = re.compile(r"\(?\s*(?:confidence\s*[:=]?\s*)?(?P<pct>\d{1,3}(?:\.\d+)?)\s*%\s*\)?", re.IGNORECASE)
_ABSTAIN = re.compile(r"\b(need|needs|require)s?\s+more\s+information\b|\bnot\s+sure\s+yet\b|\bunsure\b", re.I)
_MARKERS = ("<think>", "working diagnosis:", "request exam:", "request examination:", "request test:")


def split(raw: str) -> tuple[str, str, str | None]:
    """(visible text, hidden reasoning, the working-diagnosis line as said or None) of a whole message."""
    reasoning: list[str] = []
    text = raw
    head, sep, tail = text.partition("</think>")
    if sep and "<think>" not in head.lower():  # thinking began before the message: no opening tag
        reasoning.append(head.strip())
        text = tail
    for m in _THINK_BLOCK.finditer(text):
        reasoning.append(m.group(0).strip()[len("<think>") : -len("</think>")].strip())
    text = _THINK_BLOCK.sub("", text)
    if cut := _OPEN_THINK.search(text):  # cut off while thinking
        reasoning.append(cut.group(0)[len("<think>") :].strip())
        text = text[: cut.start()]
    working = None
    for m in _WORKING.finditer(text):
        working = m.group("said").strip()
    text = _WORKING.sub("", text)
    return text.strip(), "\n\n".join(r for r in reasoning if r), working


def visible_prefix(raw: str) -> str:
    """What may be shown of a message still streaming: no reasoning, no working-diagnosis line, and nothing of a
    last line that may still turn into one of them."""
    text = _OPEN_THINK.sub("", _THINK_BLOCK.sub("", raw))
    text = REQUEST_LINE.sub("", _WORKING.sub("", text))
    last = text[text.rfind("\n") + 1 :].lstrip(" \t>*_`-").lower()
    if last and any(m.startswith(last) or last.startswith(m) for m in _MARKERS):
        text = text[: text.rfind("\n") + 1]
    return text


def read_interim(working: str | None, visible: str, labels: LabelSet, final: str | None = None) -> Interim | None:
    """The doctor's leading diagnosis after this turn: its final answer, else its working line, else the first
    label its message names (an extractor, for doctors that do not write the line); None when there is none."""
    if final is not None:
        return Interim(said=final, label=labels.normalize(final), source="final")
    if working:
        pct = _CONFIDENCE.search(working)
        said = _CONFIDENCE.sub("", working).strip(" .:-*_`") if pct else working.strip(" .*_`")
        confidence = min(1.0, float(pct.group("pct")) / 100) if pct else None
        if _ABSTAIN.search(said) or labels.normalize(said) is None:
            return Interim(said=working, label=None, confidence=confidence, source="abstain")
        return Interim(said=said, label=labels.normalize(said), confidence=confidence, source="stated")
    named = labels.find_labels(visible)
    if named:
        return Interim(said=named[0], label=named[0], source="extracted")
    return None
