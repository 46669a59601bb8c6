"""A page object for scripting the ConsultBench UI with Playwright (sync API).

    from playwright.sync_api import sync_playwright
    from dialogue.testing.playwright import ConsultPage

    with sync_playwright() as p:
        page = p.chromium.launch().new_page()
        app = ConsultPage(page, "http://127.0.0.1:7860")
        app.start(case="stye-01", doctor="I am the doctor")
        app.wait_for("live")
        reply = app.ask("When did it start?")
        app.diagnose("stye", "Warm compresses; no antibiotics needed.")
        assert app.status() == "ended"

It waits on the app's own state element (`#cb-state`, whose `data-status` is `none`, `streaming`, `live`,
`ended`, `capped`, `error` or `stopped`, and whose `data-session-id` is the open session), never on timers or
on text that Gradio decorates. Selectors are listed in the README ("Scripting the UI").
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

STATE = "#cb-state"
DOCTOR_MESSAGES = '#chatbot [data-testid="user"]'
PATIENT_MESSAGES = '#chatbot [data-testid="bot"]'
SESSION_ROWS = "#sessions-table table tbody tr"
HUMAN_DOCTOR = "I am the doctor"
REFERENCE_DOCTOR = "Reference history-taker (no LLM)"


class ConsultPage:
    """The Consult tab of a running app, driven through `page` (a playwright.sync_api.Page)."""

    def __init__(self, page: Any, url: str, *, timeout_ms: float = 120_000) -> None:
        self.page, self.url, self.timeout = page, url, timeout_ms

    def open(self) -> ConsultPage:
        self.page.goto(self.url)
        self.page.wait_for_selector(STATE, state="attached", timeout=self.timeout)
        return self

    def status(self) -> str:
        return str(self.page.get_attribute(STATE, "data-status"))

    def session_id(self) -> str:
        return str(self.page.get_attribute(STATE, "data-session-id") or "")

    def wait_for(self, *statuses: str) -> str:
        """Wait until the app's state is one of `statuses` (e.g. "live", "ended", "capped"); returns it."""
        wanted = ",".join(f'{STATE}[data-status="{s}"]' for s in statuses)
        self.page.wait_for_selector(wanted, state="attached", timeout=self.timeout)
        return self.status()

    def start(self, *, case: str, doctor: str | None = None, temperament: str | None = None) -> str:
        """Choose a case (by id), optionally a doctor (by its label) and a temperament, and press Start;
        returns the new session's id once the app has made it."""
        if not self.page.url.startswith(self.url):
            self.open()
        before = self.session_id()
        if self.page.locator("#doctor input").input_value() == HUMAN_DOCTOR:
            self._doctor(REFERENCE_DOCTOR)  # cases are numbered while you are the doctor: pick by id first
        self._choose("#case", case)
        if temperament:
            self._choose("#temperament", temperament)
        if doctor:
            self._doctor(doctor)
        self.page.click("#start")
        self.page.wait_for_function(
            "([sel, old]) => { const e = document.querySelector(sel);"
            " return e && e.dataset.sessionId && e.dataset.sessionId !== old; }",
            arg=[STATE, before],
            timeout=self.timeout,
        )
        return self.session_id()

    def ask(self, text: str) -> str:
        """As the human doctor: send `text`, wait for the patient's reply, return it."""
        replies = self.page.locator(PATIENT_MESSAGES)
        n = replies.count()
        self.page.fill("#msg textarea", text)
        self.page.click("#send")
        self.page.wait_for_function(
            "([sel, n]) => document.querySelectorAll(sel).length > n", arg=[PATIENT_MESSAGES, n], timeout=self.timeout
        )
        self.wait_for("live", "ended", "capped", "error")
        return str(replies.last.inner_text())

    def diagnose(self, label: str, note: str = "") -> str:
        """As the human doctor: choose a final diagnosis label, submit it (with an optional closing note)."""
        self._choose("#final-dx", label)
        self.page.wait_for_function(
            "([sel, v]) => document.querySelector(sel)?.value === v", arg=["#final-dx input", label], timeout=10_000
        )
        if note:
            self.page.fill("#msg textarea", note)
        self.page.click("#submit-dx")
        return self.wait_for("ended", "capped", "error")

    def transcript(self) -> list[tuple[str, str]]:
        """(seat, text) for every message shown, in order."""
        rows = self.page.locator('#chatbot [data-testid="user"], #chatbot [data-testid="bot"]')
        out = []
        for i in range(rows.count()):
            el = rows.nth(i)
            seat = "doctor" if el.get_attribute("data-testid") == "user" else "patient"
            out.append((seat, str(el.inner_text())))
        return out

    def _doctor(self, label: str) -> None:
        self.page.locator("#doctor input").click()
        self.page.get_by_role("option", name=label).click()

    def _choose(self, dropdown: str, value: str) -> None:
        """Fill the dropdown's input to filter its list, then click the option (or take the first match)."""
        box = self.page.locator(f"{dropdown} input")
        box.fill(value)
        option = self.page.get_by_role("option", name=value, exact=True).first
        try:
            option.wait_for(state="visible", timeout=5_000)
            option.click()
        except PlaywrightTimeoutError:  # a list that names its options differently (numbered cases): Enter
            box.press("Enter")
        self.page.wait_for_function(  # the choice has landed before anything reads the form
            "([sel, v]) => { const e = document.querySelector(sel); return e && e.value !== '' && "
            "(e.value === v || !e.matches(':focus')); }",
            arg=[f"{dropdown} input", value],
            timeout=10_000,
        )
