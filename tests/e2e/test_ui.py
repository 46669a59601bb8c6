"""End to end in a real headless Chromium (Debian's) against the real app, Redis and embedded model.

Screenshots of each view are written to test-artifacts/ (look at them).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from dialogue.content.cases import load_library
from dialogue.store.redis_server import EmbeddedRedis
from tests.e2e.app_process import running_app

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
LONG = 120_000
GENERATION = 480_000
"""Three turns of the embedded 270M doctor on CPU: ~110 s on an idle 2-core machine, far more when it is shared."""


@pytest.fixture(scope="module")
def app_url(redis_server: EmbeddedRedis, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = {
        "REDIS_URL": redis_server.url,
        "CB_MAX_TURNS": "3",
        "CB_DOCTOR": "local",
        "CB_PATIENT": "grounded",
        "CB_ANNOTATORS": "alice:alice-token,bob:bob-token",
    }
    with running_app(env, tmp_path_factory.mktemp("app")) as url:
        ARTIFACTS.mkdir(exist_ok=True)
        yield url


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def start(page: Page, url: str, *, case: str, doctor_label: str) -> None:
    page.goto(url)
    page.locator("#case input").fill(case)
    page.locator("#case input").press("Enter")
    page.locator("#doctor input").click()
    page.get_by_role("option", name=doctor_label).click()
    page.click("#start")


def session_id(page: Page) -> str:
    expect(page.locator("#session-id textarea")).not_to_have_value("", timeout=LONG)
    return page.locator("#session-id textarea").input_value()


@pytest.mark.timeout(900)  # the app starts (module fixture) and the embedded model generates three turns on CPU
def test_watch_mode_with_embedded_defaults(page: Page, app_url: str) -> None:
    page.goto(app_url)
    expect(page.locator("#disclaimer")).to_contain_text("not medical advice")
    page.click("#start")  # embedded Gemma doctor, grounded patient
    expect(page.locator("#status")).to_contain_text("streaming", timeout=LONG)
    expect(page.locator("#start")).to_be_disabled()  # controls disabled while a turn streams
    expect(page.locator("#status")).to_contain_text(re.compile("ended|capped"), timeout=GENERATION)
    expect(page.locator('#chatbot [data-testid="user"]')).to_have_count(3)
    expect(page.locator("#live-score")).to_contain_text("Doctor turns: 3")
    expect(page.locator("#assessment")).to_contain_text("rubric score")
    expect(page.locator("#truth")).to_contain_text("Ground truth")
    shot(page, "consult-watch")


def test_human_doctor_consultation(page: Page, app_url: str) -> None:
    start(page, app_url, case="stye-01", doctor_label="I am the doctor")
    expect(page.locator("#status")).to_contain_text("waiting for the doctor", timeout=LONG)
    expect(page.locator("#truth")).to_have_text("")  # ground truth hidden while live
    evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> When did it start?'
    page.fill("#msg textarea", evil)
    page.click("#send")
    expect(page.locator('#chatbot [data-testid="bot"]')).to_have_count(2, timeout=LONG)
    expect(page.locator('#chatbot [data-testid="bot"]').last).to_contain_text("two days ago")
    expect(page.locator('#chatbot [data-testid="user"]').last).to_contain_text("<script>")  # shown as text
    assert page.evaluate("window.__pwned") is None
    expect(page.locator("#live-score")).to_contain_text("Doctor turns: 1")
    page.locator("#final-dx input").fill("stye")
    page.get_by_role("option", name="stye", exact=True).click()
    page.fill("#msg textarea", "This is an infected lash follicle; use warm compresses.")
    page.click("#submit-dx")
    expect(page.locator("#status")).to_contain_text("ended (ended by doctor)", timeout=LONG)
    expect(page.locator("#assessment")).to_contain_text("diagnosis correct")
    expect(page.locator("#truth")).to_contain_text("Ground truth: stye")
    shot(page, "consult-human")


def test_oversized_message_is_refused_with_a_warning(page: Page, app_url: str) -> None:
    start(page, app_url, case="stye-02", doctor_label="I am the doctor")
    expect(page.locator("#status")).to_contain_text("waiting for the doctor", timeout=LONG)
    page.fill("#msg textarea", "   ")
    page.click("#send")
    expect(page.get_by_text("empty message")).to_be_visible(timeout=LONG)
    expect(page.locator('#chatbot [data-testid="user"]')).to_have_count(0)


def test_reload_resume_open_and_export(page: Page, app_url: str) -> None:
    start(page, app_url, case="caries-02", doctor_label="I am the doctor")
    sid = session_id(page)
    expect(page.locator("#status")).to_contain_text("waiting for the doctor", timeout=LONG)
    page.fill("#msg textarea", "How long have you had the pain?")
    page.click("#send")
    expect(page.locator('#chatbot [data-testid="bot"]')).to_have_count(2, timeout=LONG)
    # the bubble appears as the reply starts streaming: reload only once the turn is written
    expect(page.locator("#status")).to_contain_text("waiting for the doctor", timeout=LONG)
    page.reload()
    expect(page.locator("#session-id textarea")).to_have_value(sid, timeout=LONG)
    expect(page.locator('#chatbot [data-testid="bot"]')).to_have_count(2, timeout=LONG)
    page.fill("#msg textarea", "Any allergies?")
    page.click("#send")
    expect(page.locator('#chatbot [data-testid="bot"]')).to_have_count(3, timeout=LONG)

    page.get_by_role("tab", name="Sessions").click()
    page.locator("#filter-case textarea").fill("caries-02")
    page.click("#refresh-sessions")
    expect(page.locator("#sessions-table")).to_contain_text(sid, timeout=LONG)
    page.locator("#open-id textarea").fill(sid)
    page.click("#open-session")
    expect(page.locator("#session-details")).to_contain_text(sid, timeout=LONG)
    expect(page.locator('#session-chat [data-testid="user"]')).to_have_count(2)
    page.click("#export-jsonl")
    link = page.locator("#export-file a").first
    expect(link).to_be_visible(timeout=LONG)
    body = page.request.get(link.get_attribute("href") or "").text()
    rows = [json.loads(line) for line in body.splitlines()]
    mine = [r for r in rows if r["session"]["id"] == sid]
    assert mine and all(r["session"]["case_id"] == "caries-02" for r in rows)  # the filter applies
    assert len(mine[0]["turns"]) == 5 and mine[0]["turns"][1]["text"] == "How long have you had the pain?"
    shot(page, "sessions")
    page.click("#resume-session")
    expect(page.locator("#session-id textarea")).to_have_value(sid, timeout=LONG)
    expect(page.locator("#status")).to_contain_text("waiting for the doctor", timeout=LONG)


def test_two_annotators_and_agreement(page: Page, app_url: str, redis_server: EmbeddedRedis, tmp_path: Path) -> None:
    # an ended session to annotate, made by the headless CLI against the same Redis
    env = dict(os.environ, REDIS_URL=redis_server.url, CB_DATA_DIR=str(tmp_path))
    cli = [
        sys.executable,
        "-m",
        "dialogue",
        "run",
        "--case",
        "hives-01",
        "--temperament",
        "choleric",
        "--doctor",
        "reference",
    ]
    out = subprocess.run(cli, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=True)
    assert "status: ended" in out.stdout
    page.goto(app_url)
    page.get_by_role("tab", name="Annotate").click()
    for name, answer in (("alice", "yes"), ("bob", "no")):
        page.locator("#annotator textarea").fill(name)
        page.locator("#annotator-token input").fill(f"{name}-token")
        page.click("#next-session")
        expect(page.locator("#annotate-info")).to_contain_text("left in your queue", timeout=LONG)
        expect(page.locator("#assessor-verdicts")).to_have_text("")  # hidden until submit
        for item in (
            "past_history",
            "current_symptoms",
            "reasoning",
            "empathy",
            "wishes",
            "diagnostic_plan",
            "treatment_plan",
        ):
            page.locator(f"#item-{item}").get_by_label(answer, exact=True).check()
        page.locator("#item-competence").get_by_label("satisfactory", exact=True).check()
        page.fill("#annotate-comment textarea", f"scored by {name}")
        page.click("#submit-annotation")
        expect(page.locator("#assessor-verdicts")).to_contain_text("Your scores vs the assessor", timeout=LONG)
    expect(page.locator("#agreement")).to_contain_text("past_history", timeout=LONG)
    expect(page.locator("#agreement")).to_contain_text("2")  # two annotators
    shot(page, "annotate")
    page.get_by_role("tab", name="Results").click()
    page.click("#refresh-results")
    expect(page.locator("#results-summary")).to_contain_text("finished sessions", timeout=LONG)
    shot(page, "results")


def test_reload_while_a_reply_streams_catches_up(page: Page, app_url: str) -> None:
    from dialogue.testing.tgi_server import TGIServer

    reply = "It started a week ago, a dull ache on the lower left side that gets worse with sweet things."
    with TGIServer(lambda _messages: reply, token_delay_s=0.25) as slow_patient:
        page.goto(app_url)
        page.locator("#case input").fill("caries-03")
        page.locator("#case input").press("Enter")
        page.locator("#doctor input").click()
        page.get_by_role("option", name="I am the doctor").click()
        page.locator("#patient input").click()
        page.locator("#patient").get_by_role("option", name=re.compile("TGI")).click()
        page.fill("#patient-url textarea", slow_patient.url())
        page.click("#start")
        sid = session_id(page)
        expect(page.locator("#status")).to_contain_text("waiting for the doctor", timeout=LONG)
        page.fill("#msg textarea", "When did the pain start?")
        page.click("#send")
        expect(page.locator('#chatbot [data-testid="bot"]')).to_have_count(2, timeout=LONG)  # streaming now
        page.reload()
        expect(page.locator("#session-id textarea")).to_have_value(sid, timeout=LONG)
        # the page shows the reply once it ends (or, if the reload cancelled it, says how to go on)
        expect(page.locator("#status")).to_contain_text(re.compile("waiting for the doctor|press Resume"), timeout=LONG)
        if "press Resume" in (page.locator("#status").text_content() or ""):
            page.click("#resume")
            expect(page.locator("#status")).to_contain_text("waiting for the doctor", timeout=LONG)
        expect(page.locator('#chatbot [data-testid="bot"]').last).to_contain_text("sweet things")
        expect(page.locator("#patient-url textarea")).to_have_value(slow_patient.url())  # the form matches
        number = load_library().case_ids.index("caries-03") + 1  # numbered while you are the doctor
        expect(page.locator("#case input")).to_have_value(f"Case {number:03d}")
        shot(page, "consult-reload-mid-stream")


def test_a_script_drives_a_consultation_with_the_page_object(page: Page, app_url: str) -> None:
    """The documented page object (dialogue.testing.playwright) waits on the app's own state, and a human
    doctor never sees a list that names the case before the end."""
    from dialogue.testing.playwright import ConsultPage

    app = ConsultPage(page, app_url).open()
    assert app.status() == "none" and app.session_id() == ""
    sid = app.start(case="shingles-01", doctor="I am the doctor")
    assert sid and app.wait_for("live") == "live"
    reply = app.ask("Where exactly is the rash?")
    assert reply and app.status() == "live"
    live = page.locator("#live-score").inner_text()
    assert "shingles" not in live.lower() and "eye" not in live.lower()  # counts only, no must-ask or red flags
    shown = page.locator("body").inner_text().lower()  # nothing on the page names the diagnosis or the case id
    assert not any(term in shown for term in ("shingles", "zoster")), shown[:400]
    boxes = [page.locator(sel).input_value().lower() for sel in ("#case input", "#session-id textarea")]
    assert not any("shingles" in v for v in boxes), boxes  # the case box shows "Case NNN", not the id
    assert app.diagnose("shingles", "Antivirals today.") == "ended"
    expect(page.locator("#live-score")).to_contain_text("Must-ask item")  # the lists, once it has ended
    assert [seat for seat, _ in app.transcript()][:3] == ["patient", "doctor", "patient"]
