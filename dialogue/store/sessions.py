"""Sessions in Redis: a JSON header, an append-only turn list, live scores, assessments, annotations.

Keys are built only by `key()`. JSON everywhere (never pickle). A sorted set indexes sessions by creation
time (no KEYS). Appending a turn checks the list length inside a WATCH/MULTI transaction, so two writers
(two tabs, two workers) can never interleave or duplicate turns.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from dialogue.schema import Assessment, LiveScore, Session, SessionRecord, SessionSummary, Turn

PREFIX = "cb"


def key(kind: str, ident: str = "") -> str:
    return f"{PREFIX}:{kind}:{ident}" if ident else f"{PREFIX}:{kind}"


class StoreError(RuntimeError):
    """Redis is unreachable or refused a write; the message says which and where."""


class TurnConflict(StoreError):
    """Someone else appended a turn to this session first."""


class NotFound(StoreError):
    pass


class _Retry(Retry):
    """Retry connection errors, but never a wrong password (AuthenticationError is a ConnectionError)."""

    def call_with_retry(self, do: Any, fail: Any, *args: Any, **kwargs: Any) -> Any:
        def guarded(error: Exception) -> None:
            if isinstance(error, redis.exceptions.AuthenticationError):
                raise error
            fail(error)

        return super().call_with_retry(do, guarded, *args, **kwargs)


def connect(url: str, *, retries: int = 4) -> redis.Redis:
    """A client that retries briefly on connection errors (to ride out a Redis restart)."""
    return redis.Redis.from_url(
        url,
        decode_responses=True,
        socket_connect_timeout=2,
        socket_timeout=5,
        retry=_Retry(ExponentialBackoff(cap=1.0, base=0.05), retries),
        retry_on_error=[redis.exceptions.ConnectionError, redis.exceptions.TimeoutError],
        health_check_interval=15,
    )


def _redact(url: str) -> str:
    if "@" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


class SessionStore:
    def __init__(self, url: str):
        self.url = url
        self.r = connect(url)

    def _do(self, what: str, fn: Any) -> Any:
        try:
            return fn()
        except TurnConflict:
            raise
        except redis.exceptions.ConnectionError as e:
            raise StoreError(f"Redis unavailable at {_redact(self.url)} while {what}: {e}") from e
        except redis.exceptions.RedisError as e:
            raise StoreError(f"Redis error at {_redact(self.url)} while {what}: {e}") from e

    def ping(self) -> bool:
        return bool(self._do("pinging", self.r.ping))

    # ---------------------------------------------------------------- sessions

    def create(self, s: Session) -> None:
        def go() -> None:
            with self.r.pipeline(transaction=True) as p:
                p.set(key("session", s.id), s.model_dump_json())
                p.zadd(key("sessions"), {s.id: s.created_at})
                if s.run_id:
                    p.sadd(key("run", s.run_id), s.id)
                p.execute()

        self._do("creating a session", go)

    def save_header(self, s: Session) -> None:
        s.updated_at = time.time()
        self._do("saving a session", lambda: self.r.set(key("session", s.id), s.model_dump_json()))

    def get(self, session_id: str) -> Session:
        raw = self._do("loading a session", lambda: self.r.get(key("session", session_id)))
        if raw is None:
            raise NotFound(f"no session {session_id!r}")
        return Session.model_validate_json(raw)

    def append_turn(self, s: Session, turn: Turn) -> None:
        """Append `turn` (its index must equal the current length) and save the header atomically."""
        s.updated_at = time.time()
        tkey = key("turns", s.id)

        def go() -> None:
            with self.r.pipeline(transaction=True) as p:
                p.watch(tkey)
                n = p.llen(tkey)
                if n != turn.index:
                    p.unwatch()
                    raise TurnConflict(f"session {s.id}: turn {turn.index} conflicts (already {n} turns)")
                p.multi()
                p.rpush(tkey, turn.model_dump_json())
                p.set(key("session", s.id), s.model_dump_json())
                try:
                    p.execute()
                except redis.exceptions.WatchError as e:
                    raise TurnConflict(f"session {s.id}: another writer appended turn {turn.index}") from e

        self._do("writing a turn", go)

    def turns(self, session_id: str) -> list[Turn]:
        raw = self._do("loading turns", lambda: self.r.lrange(key("turns", session_id), 0, -1))
        return [Turn.model_validate_json(x) for x in raw]

    def add_live_score(self, session_id: str, score: LiveScore) -> None:
        self._do("writing a score", lambda: self.r.rpush(key("live", session_id), score.model_dump_json()))

    def live_scores(self, session_id: str) -> list[LiveScore]:
        raw = self._do("loading scores", lambda: self.r.lrange(key("live", session_id), 0, -1))
        return [LiveScore.model_validate_json(x) for x in raw]

    def set_assessment(self, session_id: str, a: Assessment) -> None:
        self._do("writing an assessment", lambda: self.r.set(key("assessment", session_id), a.model_dump_json()))

    def save_summary(self, summary: SessionSummary) -> None:
        self._do("writing a summary", lambda: self.r.hset(key("summaries"), summary.id, summary.model_dump_json()))

    def flag(self, name: str) -> bool:
        return bool(self._do("reading a flag", lambda: self.r.exists(key("flag", name))))

    def set_flag(self, name: str) -> None:
        self._do("writing a flag", lambda: self.r.set(key("flag", name), "1"))

    def summaries(self) -> dict[str, SessionSummary]:
        """Every finished session's summary, by id, in one read."""
        raw = self._do("loading summaries", lambda: self.r.hgetall(key("summaries")))
        return {k: SessionSummary.model_validate_json(v) for k, v in raw.items()}

    def assessment(self, session_id: str) -> Assessment | None:
        raw = self._do("loading an assessment", lambda: self.r.get(key("assessment", session_id)))
        return None if raw is None else Assessment.model_validate_json(raw)

    # ---------------------------------------------------------------- annotations

    def set_annotation(self, session_id: str, annotator: str, a: Assessment) -> Assessment:
        """Annotations are keyed by annotator: one can only ever write its own field. A second submission is a
        revision (numbered; the earlier one is kept in the session's annotation history), never a silent
        overwrite. Returns what was stored."""
        old = self.annotations(session_id).get(annotator)
        if old is not None:
            a = a.model_copy(update={"revision": old.revision + 1})
            entry = json.dumps({"annotator": annotator, "assessment": old.model_dump(mode="json")})
            self._do(
                "keeping the earlier annotation", lambda: self.r.rpush(key("annotation_history", session_id), entry)
            )
        self._do(
            "writing an annotation",
            lambda: self.r.hset(key("annotations", session_id), annotator, a.model_dump_json()),
        )
        self._do("indexing an annotation", lambda: self.r.sadd(key("annotated_by", annotator), session_id))
        return a

    def annotation_history(self, session_id: str) -> list[tuple[str, Assessment]]:
        """Earlier submissions replaced by a revision, oldest first: (annotator, assessment)."""
        raw = self._do(
            "loading annotation history", lambda: self.r.lrange(key("annotation_history", session_id), 0, -1)
        )
        out = []
        for r in raw:
            d = json.loads(r)
            out.append((d["annotator"], Assessment.model_validate(d["assessment"])))
        return out

    def annotations(self, session_id: str) -> dict[str, Assessment]:
        raw = self._do("loading annotations", lambda: self.r.hgetall(key("annotations", session_id)))
        return {k: Assessment.model_validate_json(v) for k, v in raw.items()}

    def annotation_counts(self, session_ids: list[str]) -> dict[str, int]:
        """How many annotators have scored each session (one round trip)."""

        def go() -> list[int]:
            with self.r.pipeline(transaction=False) as p:
                for sid in session_ids:
                    p.hlen(key("annotations", sid))
                return list(p.execute())

        return dict(zip(session_ids, self._do("counting annotations", go) if session_ids else [], strict=True))

    def annotated_by(self, annotator: str) -> set[str]:
        return set(self._do("loading annotations", lambda: self.r.smembers(key("annotated_by", annotator))))

    # ---------------------------------------------------------------- listing and export

    def list_ids(self, *, newest_first: bool = True, limit: int = 1000) -> list[str]:
        fn = self.r.zrevrange if newest_first else self.r.zrange
        return list(self._do("listing sessions", lambda: fn(key("sessions"), 0, limit - 1)))

    def run_ids(self, run_id: str) -> set[str]:
        return set(self._do("listing a run", lambda: self.r.smembers(key("run", run_id))))

    def headers(self, ids: list[str]) -> list[Session]:
        if not ids:
            return []
        raw = self._do("loading sessions", lambda: self.r.mget([key("session", i) for i in ids]))
        return [Session.model_validate_json(x) for x in raw if x is not None]

    def record(self, session_id: str) -> SessionRecord:
        return SessionRecord(
            session=self.get(session_id),
            turns=self.turns(session_id),
            live_scores=self.live_scores(session_id),
            assessment=self.assessment(session_id),
            annotations=self.annotations(session_id),
        )

    def export_jsonl(self, ids: list[str]) -> Iterator[str]:
        for i in ids:
            yield json.dumps(self.record(i).model_dump(mode="json"), ensure_ascii=False)
