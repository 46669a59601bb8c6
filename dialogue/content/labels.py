"""The closed label set: normalizing what a doctor says, and finding diagnosis terms in text."""

from __future__ import annotations

import re
from functools import cached_property, lru_cache

from dialogue.schema import Diagnosis

NONE_ANSWERS = {"", "none", "unknown", "n/a", "not sure", "unsure"}


@lru_cache(maxsize=4096)
def _pattern(term: str) -> re.Pattern[str]:
    # Whole words, case-insensitive; internal spaces match any run of spaces or hyphens.
    body = r"[\s\-]+".join(re.escape(w) for w in term.lower().split())
    return re.compile(rf"(?<![\w]){body}(?![\w])", re.IGNORECASE)


def find_terms(text: str, terms: list[str]) -> list[str]:
    """Terms (from `terms`) that occur in `text` as whole words, in the order given."""
    return [t for t in terms if _pattern(t).search(text)]


def split_brackets(term: str) -> tuple[str, list[str]]:
    """ "Acute myeloid leukemia (AML)" -> ("Acute myeloid leukemia", ["AML"]): the name without its bracketed
    alternatives, and those alternatives (abbreviations, other names)."""
    inside = [s.strip() for s in re.findall(r"\(([^)]+)\)", term) if s.strip()]
    return re.sub(r"\s*\([^)]*\)", "", term).strip() or term, inside


class LabelSet:
    """The 34 diagnoses with synonyms; one place that knows how an answer maps to a label."""

    def __init__(self, diagnoses: list[Diagnosis]):
        self.diagnoses = diagnoses
        self.by_label = {d.label: d for d in diagnoses}

    @property
    def labels(self) -> list[str]:
        return [d.label for d in self.diagnoses]

    def terms_for(self, label: str) -> list[str]:
        """The label and its synonyms (what a patient of this label must never say)."""
        d = self.by_label.get(label)
        return [label] if d is None else [d.label, *d.synonyms]

    @cached_property
    def all_terms(self) -> list[str]:
        return [t for d in self.diagnoses for t in (d.label, *d.synonyms)]

    @cached_property
    def _term_index(self) -> list[tuple[re.Pattern[str], str, str]]:
        pairs = [(t, d.label) for d in self.diagnoses for t in (d.label, *d.synonyms)]
        pairs.sort(key=lambda p: -len(p[0]))  # longest first: "allergic contact dermatitis" before "dermatitis"
        return [(_pattern(t), t, lab) for t, lab in pairs]

    def find_labels(self, text: str) -> list[str]:
        """Every label mentioned in `text`, in order of first mention; longer terms win overlaps."""
        spans: list[tuple[int, int, str]] = []
        for pat, _term, label in self._term_index:
            for m in pat.finditer(text):
                if any(m.start() < e and s < m.end() for s, e, _ in spans):
                    continue
                spans.append((m.start(), m.end(), label))
        seen: list[str] = []
        for _s, _e, label in sorted(spans):
            if label not in seen:
                seen.append(label)
        return seen

    def normalize(self, answer: str | None) -> str | None:
        """Map a free-text diagnosis onto one label.

        None or a "none"-like answer gives None. An answer naming exactly one label gives that label.
        An answer outside the set (or naming several) is kept as said, stripped and lower-cased,
        and counts as a miss wherever it is scored.
        """
        if answer is None:
            return None
        said = answer.strip().strip(".").strip()
        if said.lower() in NONE_ANSWERS:
            return None
        found = self.find_labels(said)
        if len(found) == 1:
            return found[0]
        return said.lower()

    def normalize_all(self, answer: str | None) -> list[str]:
        """3MDBench convention: several equally-confident answers become several predictions."""
        if answer is None or answer.strip().lower() in NONE_ANSWERS:
            return []
        found = self.find_labels(answer)
        return found or [answer.strip().lower()]
