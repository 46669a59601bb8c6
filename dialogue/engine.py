"""The consultation loop: turns as async event streams, every completed turn written to the store.

Front ends only consume events (`Delta`, `Retract`, `TurnDone`, `Scored`, `Assessed`, `Ended`, `Failed`):
the CLI prints deltas, the Gradio app draws them, the batch runner ignores them. A seat with no agent
(a human doctor or patient) is driven by passing its text to `step(text=...)`.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import unicodedata
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, TypeVar

from dialogue.agents import doctor_notes
from dialogue.agents.doctor import parse_final_diagnosis
from dialogue.agents.measurement import answer, results_text, take_requests
from dialogue.agents.patient import SAFE_REPLY, LeakGuard, has_break, strip_break
from dialogue.backends import BackendError
from dialogue.content.labels import LabelSet
from dialogue.matching import Matcher
from dialogue.queries import summarize
from dialogue.schema import (
    Assessed,
    Assessment,
    Case,
    Delta,
    Ended,
    Event,
    Fact,
    Failed,
    Negative,
    Request,
    Retract,
    Scored,
    Seat,
    Session,
    SessionRecord,
    Turn,
    TurnDone,
)
from dialogue.scoring.live import live_score
from dialogue.store.sessions import SessionStore, StoreError, TurnConflict

T = TypeVar("T")

MAX_LEAK_RETRIES = 2
EMPTY_PATIENT_REPLY = "Sorry, I'm not sure what you mean."


class TurnWriteFailed(Exception):
    """The store refused a turn (a conflicting writer, or Redis down); the message says what to do.

    Raised by `Consultation._save`; `Consultation.step` turns it into one `Failed` event.
    """


class InputError(ValueError):
    """A human message was refused (empty, too long); nothing was written."""


def clean_human_text(text: str | None, limit: int) -> str:
    """Strip control characters and normalize Unicode; refuse empty and oversized messages."""
    if text is None:
        raise InputError("empty message")
    text = unicodedata.normalize("NFC", text)
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    text = text.strip()
    if not text:
        raise InputError("empty message")
    if len(text) > limit:
        raise InputError(f"message too long: {len(text):,} characters (limit {limit:,})")
    return text


class DoctorAgent(Protocol):
    def stream(self, turns: list[Turn]) -> AsyncIterator[str]: ...


class PatientAgent(Protocol):
    def facts_for(self, turns: list[Turn]) -> list[Fact | Negative]: ...

    def stream(self, turns: list[Turn], facts: list[Fact | Negative], attempt: int = 0) -> AsyncIterator[str]: ...


Assess = Callable[[Session, list[Turn]], Awaitable[Assessment]]


@dataclass
class Consultation:
    store: SessionStore
    session: Session
    case: Case
    labels: LabelSet
    matcher: Matcher
    doctor: DoctorAgent | None
    """None: a human takes the doctor's seat."""
    patient: PatientAgent | None
    """None: a human takes the patient's seat."""
    turns: list[Turn] = field(default_factory=list)
    assess: Assess | None = None
    max_message_chars: int = 4000
    in_person: bool = False
    """The case set lets the doctor request examinations and tests (telemedicine declines them)."""
    watched: bool = True
    """Someone follows the stream (the app, the CLI): text is checked and shown word by word. A batch run sets
    it False: a turn's text is handled once, when it is complete (the leak guard still reads all of it)."""
    _pending_break: bool = field(default=False, init=False, repr=False)

    # ---------------------------------------------------------------- state

    @property
    def doctor_turns(self) -> int:
        return sum(1 for t in self.turns if t.seat == "doctor" and not t.cut)

    @property
    def live(self) -> bool:
        return self.session.status == "live"

    def next_seat(self) -> Seat:
        """Patient opens; doctor and patient alternate; a doctor turn with requests is answered by the
        measurement seat first (then the patient, if the doctor also said something to them)."""
        if not self.turns:
            return "patient"
        last = self.turns[-1]
        if last.cut:
            return last.seat  # a cut turn is spoken again
        if last.seat == "doctor":
            return "measurement" if last.requests else "patient"
        if last.seat == "measurement":
            asked = next((t for t in reversed(self.turns) if t.seat == "doctor" and not t.cut), None)
            return "patient" if asked is not None and asked.text.strip() else "doctor"
        return "doctor"

    def waiting_for_human(self) -> bool:
        seat = self.next_seat()
        if seat == "measurement":
            return False
        return self.live and (self.doctor if seat == "doctor" else self.patient) is None

    def history(self, seat: Seat = "doctor") -> list[Turn]:
        """What an agent sees: every completed turn (cut turns are kept in the store, not shown to models); the
        patient never sees the measurement seat's results."""
        return [t for t in self.turns if not t.cut and (seat != "patient" or t.seat != "measurement")]

    # ---------------------------------------------------------------- running

    async def run(self) -> AsyncIterator[Event]:
        """Step until the session ends, fails, or waits for a human. A failure ends the run: it never retries
        by itself (a refused write would otherwise regenerate the same turn on the endpoint for ever)."""
        while self.live and not self.waiting_for_human():
            async for ev in self.step():
                yield ev
                if isinstance(ev, Failed):
                    return

    async def step(self, text: str | None = None) -> AsyncIterator[Event]:
        """One turn by the next seat (a human's `text` when that seat is human)."""
        if not self.live:
            yield Failed(message=f"session is {self.session.status}, not live")
            return
        seat = self.next_seat()
        if seat == "doctor" and self.doctor_turns >= self.session.max_doctor_turns:
            async for ev in self.finish("cap"):
                yield ev
            return
        human = seat != "measurement" and (self.doctor if seat == "doctor" else self.patient) is None
        if human:
            try:
                text = clean_human_text(text, self.max_message_chars)
            except InputError as e:
                yield Failed(message=str(e))
                return
        elif text is not None:
            yield Failed(message=f"the {seat} seat is played by a model, not a human")
            return
        if seat == "measurement":
            gen = self._measurement_turn()
        else:
            gen = self._doctor_turn(text) if seat == "doctor" else self._patient_turn(text)
        try:
            async for ev in gen:
                yield ev
        except TurnWriteFailed as e:  # every refused write of this turn ends here, as one event
            self.session.fail(f"interrupted: {e}")  # resumable: resume() reopens it from its last written turn
            with contextlib.suppress(StoreError):
                await self._db(self.store.save_header, self.session)
            yield Failed(message=str(e))

    async def _doctor_turn(self, text: str | None) -> AsyncIterator[Event]:
        if text is not None:
            said, asked = take_requests(text)
            turn = self._new_turn("doctor", said, by="human")
            turn.interim = doctor_notes.read_interim(None, said, self.labels, parse_final_diagnosis(said))
            turn.requests = self._answer(asked)
            await self._save(turn)
            yield Delta(seat="doctor", text=text)
            yield TurnDone(turn=turn)
        else:
            assert self.doctor is not None
            turn_or_none = None
            async for ev in self._stream("doctor", self.doctor.stream(self.history()), by=self.session.doctor.model):
                if isinstance(ev, TurnDone):
                    turn_or_none = ev.turn
                yield ev
            if turn_or_none is None:
                return
            turn = turn_or_none
        score = await asyncio.to_thread(live_score, self.case, self.history(), self.matcher)
        score.interim = turn.interim
        try:
            await self._db(self.store.add_live_score, self.session.id, score)
        except StoreError as e:
            yield Failed(message=str(e))
            return
        yield Scored(score=score)
        answer = parse_final_diagnosis(turn.text)
        if answer is not None:
            async for ev in self.finish("doctor"):
                yield ev

    async def _patient_turn(self, text: str | None) -> AsyncIterator[Event]:
        if text is not None:
            turn = self._new_turn("patient", strip_break(text) or text, by="human")
            await self._save(turn)
            yield Delta(seat="patient", text=turn.text)
            yield TurnDone(turn=turn)
            if has_break(text):
                async for ev in self.finish("patient"):
                    yield ev
            return
        assert self.patient is not None
        guard = LeakGuard(self.labels, self.case.diagnosis)
        history = self.history("patient")
        facts = await asyncio.to_thread(self.patient.facts_for, history)  # embedding work off the event loop
        for attempt in range(MAX_LEAK_RETRIES + 1):  # attempt k follows k withdrawn (leaking) replies
            done: Turn | None = None
            leaked = False
            async for ev in self._stream(
                "patient",
                self.patient.stream(history, facts, attempt),
                by=self.session.patient.model,
                guard=guard,
                facts=[f.id for f in facts],
                leak_events=attempt,
            ):
                if isinstance(ev, Retract):
                    leaked = True
                if isinstance(ev, TurnDone):
                    done = ev.turn
                yield ev
            if not leaked:
                break
            self.session.leak_events += 1
        else:
            fallback = self._emit_fixed("patient", SAFE_REPLY, by="leak-guard", leak_events=MAX_LEAK_RETRIES + 1)
            async for ev in fallback:
                if isinstance(ev, TurnDone):
                    done = ev.turn
                yield ev
        if done is None:
            return
        if self._pending_break:
            self._pending_break = False
            async for ev in self.finish("patient"):
                yield ev

    def _answer(self, asked: list[tuple[str, str]]) -> list[Request]:
        """The measurement seat's answers to a doctor's requests (from the case; never the patient)."""
        return [answer(self.case, kind, what, in_person=self.in_person) for kind, what in asked]

    async def _measurement_turn(self) -> AsyncIterator[Event]:
        asked = next(t for t in reversed(self.turns) if t.seat == "doctor" and not t.cut)
        async for ev in self._emit_fixed("measurement", results_text(asked.requests), by="measurement"):
            yield ev

    async def _emit_fixed(self, seat: Seat, text: str, by: str, leak_events: int = 0) -> AsyncIterator[Event]:
        turn = self._new_turn(seat, text, by=by)
        turn.leak_events = leak_events
        await self._save(turn)
        yield Delta(seat=seat, text=text)
        yield TurnDone(turn=turn)

    async def _stream(
        self,
        seat: Seat,
        pieces: AsyncIterator[str],
        *,
        by: str,
        guard: LeakGuard | None = None,
        facts: list[str] | None = None,
        leak_events: int = 0,
    ) -> AsyncIterator[Event]:
        """Consume a model stream into one turn: deltas out, leak check, then the turn is written."""
        started = time.time()
        first: float | None = None
        raw = ""
        shown = ""
        n = 0
        error: BackendError | None = None
        try:
            async for piece in pieces:
                if first is None:
                    first = time.time() - started
                n += 1
                raw += piece
                if not self.watched or not (" " in piece or "\n" in piece):
                    continue  # nobody watches (checked once, at the end), or no new whole word to check and show
                # Only complete words are checked and shown: the last partial word is held back, so a term
                # split across pieces is caught and a prefix ("sty" of "styles") is not a false alarm.
                cut_at = max(raw.rfind(" "), raw.rfind("\n"))
                if guard is not None and cut_at >= 0 and guard.leaks(raw[:cut_at]):
                    await pieces.aclose()  # type: ignore[attr-defined]
                    yield Retract(seat=seat)
                    return
                visible = self._showable(seat, raw[: cut_at + 1]) if cut_at >= 0 else ""
                if visible.startswith(shown) and len(visible) > len(shown):
                    yield Delta(seat=seat, text=visible[len(shown) :])
                    shown = visible
        except BackendError as e:
            error = e
        if guard is not None and guard.leaks(raw):  # the last word, now complete
            yield Retract(seat=seat)
            return
        reasoning, working = "", None
        asked: list[tuple[str, str]] = []
        if seat == "doctor":  # reasoning, working-diagnosis and request lines leave the dialogue here
            raw, reasoning, working = doctor_notes.split(raw)
            raw, asked = take_requests(raw)  # before whitespace is folded: requests are whole lines
        text = strip_break(raw)
        if seat == "patient" and has_break(raw):
            self._pending_break = True
            if not text:
                text = "Thank you."
        if len(text) > len(shown) and text.startswith(shown):
            yield Delta(seat=seat, text=text[len(shown) :])
        if error is None and not text:
            if seat == "patient":
                text = EMPTY_PATIENT_REPLY  # a tiny model may answer with a bare newline: stay in the dialogue
            elif not asked:  # a message of exam and test requests only is a message
                error = BackendError("the model returned an empty reply", url=by)
        turn = self._new_turn(seat, text, by=by, started=started, first=first, tokens=n, facts=facts or [])
        turn.leak_events = leak_events
        if seat == "doctor":
            turn.reasoning = reasoning
            turn.requests = self._answer(asked)
            turn.interim = doctor_notes.read_interim(working, turn.text, self.labels, parse_final_diagnosis(turn.text))
        if error is not None:
            turn.cut = True
            if text:
                with contextlib.suppress(TurnWriteFailed):
                    await self._save(turn)  # keep what arrived, marked as cut
            self.session.fail(str(error))
            try:
                await self._db(self.store.save_header, self.session)
            except StoreError:
                pass
            yield Failed(message=f"{seat} backend failed: {error}")
            return
        await self._save(turn)
        yield TurnDone(turn=turn)

    @staticmethod
    def _showable(seat: Seat, text: str) -> str:
        """What of a streaming message may be shown: never a doctor's hidden reasoning or working line."""
        return strip_break(doctor_notes.visible_prefix(text) if seat == "doctor" else text)

    def _new_turn(
        self,
        seat: Seat,
        text: str,
        *,
        by: str,
        started: float | None = None,
        first: float | None = None,
        tokens: int = 0,
        facts: list[str] | None = None,
    ) -> Turn:
        now = time.time()
        return Turn(
            index=len(self.turns),
            seat=seat,
            text=text,
            by=by,
            started_at=started or now,
            ended_at=now,
            first_token_s=first,
            tokens=tokens or len(text.split()),
            facts_used=facts or [],
        )

    @staticmethod
    async def _db(fn: Callable[..., T], *args: Any) -> T:
        """A Redis call off the event loop: a write waits for the AOF fsync, and other sessions must not."""
        return await asyncio.to_thread(fn, *args)

    async def _save(self, turn: Turn) -> None:
        """Append `turn` to the store, then to this consultation; TurnWriteFailed when the store refuses."""
        try:
            await self._db(self.store.append_turn, self.session, turn)
        except TurnConflict as e:
            self.turns = await self._db(self.store.turns, self.session.id)
            raise TurnWriteFailed(
                f"{e}: another tab or worker wrote to this session first; reopen it to continue."
            ) from None
        except StoreError as e:
            raise TurnWriteFailed(
                f"{e}. Turns written before this one are safe; resume the session when Redis is back."
            ) from None
        self.turns.append(turn)

    # ---------------------------------------------------------------- ending

    async def finish(self, ended_by: Literal["doctor", "patient", "cap", "user"]) -> AsyncIterator[Event]:
        s = self.session
        s.end(ended_by)
        for t in reversed(self.history()):
            if t.seat == "doctor" and (dx := parse_final_diagnosis(t.text)):
                s.record_diagnosis(dx, self.labels.normalize(dx))
                break
        try:
            await self._db(self.store.save_header, s)
        except StoreError as e:
            yield Failed(message=str(e))
            return
        a: Assessment | None = None
        if self.assess is not None:
            try:
                a = await self.assess(s, self.turns)
                await self._db(self.store.set_assessment, s.id, a)
                await self._db(self.store.save_header, s)  # the assessor may fill in an extracted diagnosis
                yield Assessed(assessment=a)
            except StoreError as e:
                yield Failed(message=str(e))
            except BackendError as e:
                yield Failed(message=f"assessment failed: {e}")
        try:  # what the Results view reads: one summary per finished session
            await self._db(
                self.store.save_summary,
                summarize(SessionRecord(session=s, turns=self.turns, assessment=a), self.labels),
            )
        except StoreError as e:
            yield Failed(message=str(e))
        yield Ended(session=s)
