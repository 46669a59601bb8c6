"""The app as a Hugging Face Space runs it (SPACE_ID set, OAuth on), in real Chromium.

Hugging Face's OAuth cannot be reached from here, so a login is simulated the way the Space's own session
middleware would record it: a signed `session` cookie holding the user's profile (Gradio signs it with a key
derived from OAUTH_CLIENT_SECRET, which the test sets). Everything after the cookie is the real app.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from collections.abc import Iterator

import pytest
from itsdangerous import TimestampSigner
from playwright.sync_api import Browser, BrowserContext, Page, expect

from dialogue.store.redis_server import EmbeddedRedis
from dialogue.testing.playwright import ConsultPage
from tests.e2e.app_process import running_app

SECRET = "test-oauth-secret"
LONG = 120_000


@pytest.fixture(scope="module")
def space_url(redis_server: EmbeddedRedis, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = {
        "REDIS_URL": redis_server.url,
        "CB_WARM": "0",
        "SPACE_ID": "test/consultbench",
        "SYSTEM": "spaces",  # what Gradio reads to know it runs on a Space
        "OAUTH_CLIENT_ID": "test-client",
        "OAUTH_CLIENT_SECRET": SECRET,
        "OAUTH_SCOPES": "openid profile",
        "OPENID_PROVIDER_URL": "http://127.0.0.1:9",
        "CB_ADMINS": "the-admin",
    }
    # no CB_DOCTOR: the Space default, the reference doctor
    with running_app(env, tmp_path_factory.mktemp("space"), drop=("CB_DOCTOR",)) as url:
        yield url


def login_cookie(username: str) -> str:
    """The `session` cookie Gradio's SessionMiddleware would set after an HF login of `username`."""
    info = {
        "access_token": "test-token",
        "token_type": "bearer",
        "scope": "openid profile",
        "expires_at": int(time.time()) + 3600,
        "userinfo": {"name": username, "preferred_username": username, "profile": "", "picture": ""},
    }
    key = hashlib.sha256((SECRET + "-v4").encode()).hexdigest()
    data = base64.b64encode(json.dumps({"oauth_info": info}).encode())
    return TimestampSigner(key).sign(data).decode()


def context_for(browser: Browser, url: str, username: str | None) -> BrowserContext:
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    if username:
        ctx.add_cookies([{"name": "session", "value": login_cookie(username), "url": url}])
    return ctx


def annotate(page: Page, url: str, answer: str) -> None:
    page.goto(url)
    page.get_by_role("tab", name="Annotate").click()
    page.click("#next-session")
    expect(page.locator("#annotate-info")).to_contain_text("left in your queue", timeout=LONG)
    for item in ("past_history", "current_symptoms", "reasoning", "empathy", "wishes", "diagnostic_plan"):
        page.locator(f"#item-{item}").get_by_label(answer, exact=True).check()
    page.locator("#item-treatment_plan").get_by_label("can't judge", exact=True).check()
    page.locator("#item-competence").get_by_label("satisfactory", exact=True).check()
    page.click("#submit-annotation")
    expect(page.locator("#assessor-verdicts")).to_contain_text("Your scores vs the assessor (blind)", timeout=LONG)
    expect(page.locator("#submit-annotation")).to_be_disabled()  # locked once the assessor is shown


def test_two_logged_in_annotators_submit_lock_and_see_agreement(browser: Browser, space_url: str) -> None:
    owner = browser.new_context()
    sid = ConsultPage(owner.new_page(), space_url).start(case="stye-01")  # the Space default: reference doctor
    page = owner.pages[0]
    assert ConsultPage(page, space_url).wait_for("ended", "capped") in ("ended", "capped") and sid
    for name, answer in (("alice", "yes"), ("bob", "no")):
        ctx = context_for(browser, space_url, name)
        annotate(ctx.new_page(), space_url, answer)
        ctx.close()
    ctx = context_for(browser, space_url, "alice")
    p = ctx.new_page()
    p.goto(space_url)
    p.get_by_role("tab", name="Annotate").click()
    p.click("#refresh-agreement")
    expect(p.locator("#agreement")).to_contain_text("past_history", timeout=LONG)
    expect(p.locator("#agreement")).to_contain_text("2")  # two annotators, by their logins
    ctx.close()
    owner.close()


def test_a_visitor_cannot_open_or_export_another_session_and_an_admin_can(browser: Browser, space_url: str) -> None:
    owner = browser.new_context()
    app = ConsultPage(owner.new_page(), space_url)
    sid = app.start(case="hives-01")
    app.wait_for("ended", "capped")
    visitor = context_for(browser, space_url, "a-visitor").new_page()
    visitor.goto(space_url)
    visitor.get_by_role("tab", name="Sessions").click()
    visitor.click("#refresh-sessions")
    expect(visitor.locator("#sessions-table")).not_to_contain_text(sid, timeout=LONG)
    visitor.fill("#open-id textarea", sid)
    visitor.click("#open-session")
    expect(visitor.get_by_text("among yours")).to_be_visible(timeout=LONG)
    visitor.click("#export-jsonl")
    expect(visitor.get_by_text("for admins")).to_be_visible(timeout=LONG)
    admin = context_for(browser, space_url, "the-admin").new_page()
    admin.goto(space_url)
    admin.get_by_role("tab", name="Sessions").click()
    admin.fill("#open-id textarea", sid)
    admin.click("#open-session")
    expect(admin.locator("#session-details")).to_contain_text(sid, timeout=LONG)
    admin.click("#export-jsonl")
    expect(admin.locator("#export-file")).to_contain_text(".jsonl", timeout=LONG)
    owner.close()
