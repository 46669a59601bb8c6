"""State the tabs share: the runtime, the consultations open in this process, the seat choices the forms
offer, and the components more than one tab writes to (the tab switcher, the open session's id)."""

from __future__ import annotations

import asyncio
import inspect
import typing
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import gradio as gr

from dialogue.engine import Consultation
from dialogue.runtime import HUMAN, Runtime
from dialogue.schema import AgentConfig
from dialogue.seats import SeatSpec, SeatSpecError
from dialogue.store.sessions import StoreError

DISCLAIMER = (
    "**Research and education tool, not medical advice.** Patients here are simulated from written cases; "
    "no real patient data is used. Never use it to make decisions about a real person's health."
)
DOCTOR_CHOICES = [
    ("Embedded Gemma 3 270M (local CPU model)", "local"),
    ("Reference history-taker (no LLM)", "reference"),
    ("No-dialogue baseline (no LLM)", "no-dialogue"),
    ("I am the doctor", HUMAN),
    ("TGI / OpenAI-compatible endpoint (URL below)", "tgi"),
    ("Hosted model via HF Inference Providers (model id below; needs CB_HF_TOKEN)", "hf"),
]
PATIENT_CHOICES = [
    ("Grounded (case facts only, no LLM)", "grounded"),
    ("Embedded Gemma 3 270M, grounded prompt", "local"),
    ("TGI / OpenAI-compatible endpoint (URL below)", "tgi"),
    ("Hosted model via HF Inference Providers (model id below; needs CB_HF_TOKEN)", "hf"),
]
STREAMING = "status: streaming…"
MAX_OPEN = 256
"""Consultations kept in memory per process; older ones are dropped (they reload from Redis in ~1 ms)."""

Choices = list[tuple[str, str]]


@dataclass
class AppState:
    """Per-process state: the runtime and the consultations open in this process, with a lock each.

    Bounded (least recently used first out), so a long-running Space does not grow with every session.
    """

    rt: Runtime
    open: OrderedDict[str, Consultation] = field(default_factory=OrderedDict)
    locks: dict[str, asyncio.Lock] = field(default_factory=dict)

    def get(self, sid: str) -> Consultation:
        if not sid:
            raise gr.Error("No session open: start a consultation first.")
        c = self.open.get(sid)
        if c is None:
            try:
                c = self.rt.resume(sid)
            except StoreError as e:  # NotFound included
                raise gr.Error(str(e)) from None
        self.remember(c)
        return c

    def remember(self, c: Consultation) -> None:
        self.open[c.session.id] = c
        self.open.move_to_end(c.session.id)
        for sid in list(self.open)[: max(0, len(self.open) - MAX_OPEN)]:
            lock = self.locks.get(sid)
            if lock is None or not lock.locked():  # never drop one that is streaming
                del self.open[sid]
                self.locks.pop(sid, None)

    def lock(self, sid: str) -> asyncio.Lock:
        return self.locks.setdefault(sid, asyncio.Lock())


@dataclass
class Shared:
    """Components more than one tab writes to."""

    tabs: Any
    sid: Any
    """The open consultation's id, kept in browser storage across reloads."""
    browser: Any
    """This browser's random key (browser storage): the sessions it starts are its own (ui/access.py)."""


def seat_choices(configured: str, offered: Choices) -> Choices:
    """The dropdown's choices: the offered ones, with the configured spec first when it is not among them."""
    if configured in [v for _, v in offered]:
        return list(offered)
    seat = SeatSpec.parse(configured)
    label = f"Configured: {seat.kind} ({seat})" if seat.arg else f"Configured: {seat}"
    return [(label, configured), *offered]


def spec_from(choice: str, url: str) -> str:
    """The seat spec a form's dropdown and URL box make, validated by SeatSpec (its error shown as is)."""
    try:
        spec = SeatSpec(kind=choice, arg=(url or "").strip()) if choice in ("tgi", "hf") else choice  # type: ignore[arg-type]
        return str(SeatSpec.parse(spec))
    except SeatSpecError as e:
        if choice == "tgi":
            raise gr.Error("Enter the endpoint URL (http://host:port) for the TGI / OpenAI-compatible backend.") from e
        if choice == "hf":
            raise gr.Error(
                "Enter a model id (owner/model, e.g. meta-llama/Llama-3.1-8B-Instruct) in the box below."
            ) from e
        raise gr.Error(str(e)) from e


def seat_choice(cfg: AgentConfig, choices: Choices) -> tuple[str | None, str]:
    """The dropdown value and endpoint URL that rebuild a seat (None: not a choice the form offers)."""
    try:
        seat = SeatSpec.parse(cfg.spec)
    except SeatSpecError:
        return None, ""
    if seat.kind in ("tgi", "hf"):
        return seat.kind, seat.arg
    return (str(seat) if str(seat) in [v for _, v in choices] else None), ""


def bound(fn: Callable[..., Any], tab: Any) -> Callable[..., Any]:
    """`fn` with its tab bound, seen by Gradio as a plain handler: the same name (the API endpoint is named after
    it: `/start`, `/send`, ...), the remaining parameters and their type hints (so a `gr.OAuthProfile` or
    `gr.SelectData` parameter is still filled in), and the same kind (function, coroutine, async generator)."""
    hints = typing.get_type_hints(fn)
    params = list(inspect.signature(fn).parameters.values())
    first, rest = params[0].name, params[1:]
    wrapper: Callable[..., Any]
    if inspect.isasyncgenfunction(fn):

        async def wrapper(*a: Any, **k: Any) -> Any:
            async for out in fn(tab, *a, **k):
                yield out

    elif inspect.iscoroutinefunction(fn):

        async def wrapper(*a: Any, **k: Any) -> Any:
            return await fn(tab, *a, **k)

    else:

        def wrapper(*a: Any, **k: Any) -> Any:
            return fn(tab, *a, **k)

    wrapper.__name__ = wrapper.__qualname__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    setattr(wrapper, "__signature__", inspect.Signature(rest))  # noqa: B010 - what inspect.signature reads
    wrapper.__annotations__ = {k: v for k, v in hints.items() if k != first}
    return wrapper
