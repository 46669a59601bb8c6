"""Seat specs are parsed and checked in one place, with errors that say what is allowed."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from dialogue.batch.spec import BatchSpec
from dialogue.seats import SeatSpec, SeatSpecError
from dialogue.settings import Settings


@pytest.mark.parametrize(
    ("text", "kind", "arg"),
    [
        ("human", "human", ""),
        ("grounded", "grounded", ""),
        ("local", "local", ""),
        ("local:google/gemma-3-1b-it", "local", "google/gemma-3-1b-it"),
        ("tgi:http://127.0.0.1:8080", "tgi", "http://127.0.0.1:8080"),
        ("scripted:a|b", "scripted", "a|b"),
        (" reference ", "reference", ""),
        ("replay:bench/results/answers.jsonl", "replay", "bench/results/answers.jsonl"),
    ],
)
def test_good_specs_round_trip(text: str, kind: str, arg: str) -> None:
    seat = SeatSpec.parse(text)
    assert (seat.kind, seat.arg) == (kind, arg)
    assert SeatSpec.parse(str(seat)) == seat


@pytest.mark.parametrize(
    ("text", "seat", "says"),
    [
        ("gpt5", None, "unknown seat"),
        ("tgi:localhost:8080", None, "needs an endpoint URL"),
        ("grounded:extra", None, "takes no argument"),
        ("local4bit", None, "needs a model id"),
        ("record", None, "needs a file"),
        ("grounded", "doctor", "cannot play the doctor"),
        ("reference", "patient", "cannot play the patient"),
    ],
)
def test_bad_specs_say_what_is_allowed(text: str, seat: str | None, says: str) -> None:
    with pytest.raises(SeatSpecError, match=says):
        SeatSpec.parse(text, seat=seat)  # type: ignore[arg-type]


def test_settings_and_batch_specs_refuse_a_bad_seat_at_load() -> None:
    with pytest.raises(ValidationError, match="unknown seat"):
        Settings.from_env({"CB_DOCTOR": "gtp4"})
    with pytest.raises(ValidationError, match="cannot play the patient"):
        Settings.from_env({"CB_PATIENT": "reference"})
    assert Settings.from_env({"CB_DOCTOR": "tgi:https://x.example/v1"}).doctor == "tgi:https://x.example/v1"
    with pytest.raises(ValidationError, match="needs an endpoint URL"):
        BatchSpec(cases=["stye-01"], doctors=["tgi:nohost"])


def test_assessor_specs_name_their_judges() -> None:
    from dialogue.seats import judge_specs

    assert judge_specs("rules") == [] and judge_specs("") == []
    assert judge_specs("tgi:http://a:1") == ["tgi:http://a:1"]
    assert judge_specs("panel:tgi:http://a:1; local") == ["tgi:http://a:1", "local"]
    with pytest.raises(SeatSpecError, match="must be a model backend"):
        judge_specs("panel:local;grounded")


def test_a_space_defaults_to_a_doctor_that_reaches_a_diagnosis() -> None:
    """Issue 13: a Space visitor got the embedded 270M model (minutes of text, no diagnosis) by default."""
    assert Settings.from_env({"SPACE_ID": "org/consultbench"}).doctor == "reference"
    assert Settings.from_env({"SPACE_ID": "org/consultbench", "CB_DOCTOR": "local"}).doctor == "local"
    assert Settings.from_env({}).doctor == "local"  # locally the embedded model stays the default
