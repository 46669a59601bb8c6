"""What the consult view shows, and how each engine event changes it: pure functions, no Gradio.

`apply_event` is the one mapping from the engine's typed events to panel updates; the consult tab only
translates panel names into its components. Tested without a browser (tests/test_ui_events.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from dialogue import views
from dialogue.engine import Consultation
from dialogue.schema import (
    Assessed,
    Case,
    Delta,
    Ended,
    Event,
    Failed,
    LiveScore,
    Retract,
    Rubric,
    Scored,
    TurnDone,
)
from dialogue.store.sessions import SessionStore

Panel = Literal["chat", "live", "assessment", "truth"]


@dataclass
class View:
    """What the consult view shows; rebuilt from events, rendered by the consult tab."""

    chat: list[dict[str, str]]
    status: str = ""
    sid: str = ""
    live: str = ""
    assessment: str = ""
    truth: str = ""
    busy: bool = False
    human_doctor: bool = False
    streaming_seat: str | None = None
    last_score: LiveScore | None = None

    def apply_delta(self, seat: str, text: str) -> None:
        role = views.ROLE[seat]
        if self.streaming_seat == seat and self.chat and self.chat[-1]["role"] == role:
            self.chat[-1]["content"] += views.escape(text)
        else:
            self.chat.append({"role": role, "content": views.escape(text)})
            self.streaming_seat = seat

    def retract(self, seat: str) -> None:
        if self.streaming_seat == seat and self.chat:
            self.chat.pop()
        self.streaming_seat = None


@dataclass
class Update:
    """The panels one event changed (only those), and a warning to show, if any."""

    panels: dict[Panel, object] = field(default_factory=dict)
    warning: str | None = None


def apply_event(v: View, ev: Event, case: Case, rubric: Rubric) -> Update:
    """Fold one engine event into `v` and say which panels changed. The chat list is `v.chat` itself."""
    if isinstance(ev, Delta):
        v.apply_delta(ev.seat, ev.text)
        return Update({"chat": v.chat})
    if isinstance(ev, Retract):
        v.retract(ev.seat)
        return Update({"chat": v.chat})
    if isinstance(ev, TurnDone):
        streamed, v.streaming_seat = v.streaming_seat == ev.turn.seat, None
        # the turn as stored replaces what streamed: marked when cut, a doctor's notes removed
        if (streamed or ev.turn.cut) and v.chat and v.chat[-1]["role"] == views.ROLE[ev.turn.seat]:
            shown = views.turn_message(ev.turn)
            if shown != v.chat[-1]:
                v.chat[-1] = shown
                return Update({"chat": v.chat})
        elif not streamed and ev.turn.requests:  # a message of requests only: nothing streamed, show them
            v.chat.append(views.turn_message(ev.turn))
            return Update({"chat": v.chat})
        return Update()
    if isinstance(ev, Scored):  # a human doctor sees counts only until the end (the lists name the case)
        v.last_score = ev.score
        v.live = views.live_panel(ev.score, case, lists=not v.human_doctor)
        return Update({"live": v.live})
    if isinstance(ev, Assessed):
        v.assessment = views.assessment_panel(ev.assessment, rubric)
        return Update({"assessment": v.assessment})
    if isinstance(ev, Ended):
        v.truth = views.truth_panel(ev.session, case)
        if v.human_doctor and v.last_score is not None:  # now the lists can be shown
            v.live = views.live_panel(v.last_score, case)
            return Update({"truth": v.truth, "live": v.live})
        return Update({"truth": v.truth})
    if isinstance(ev, Failed):
        return Update(warning=ev.message)
    return Update()


def stored_view(store: SessionStore, c: Consultation, rubric: Rubric) -> View:
    """The view of `c` as stored: what a reload shows."""
    waiting = c.next_seat() if c.live else None
    scores = store.live_scores(c.session.id)
    return View(
        chat=views.chat_messages(c.turns),
        sid=c.session.id,
        status=views.status_line(c.session, waiting),
        live=views.live_panel(scores[-1] if scores else None, c.case, lists=c.doctor is not None or not c.live),
        assessment=views.assessment_panel(store.assessment(c.session.id), rubric),
        truth=views.truth_panel(c.session, c.case),
        human_doctor=c.doctor is None,
    )
