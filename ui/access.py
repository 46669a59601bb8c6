"""Who may see what in the web app. Pure rules, no Gradio state.

- Locally (not on a Hugging Face Space) the person running the app owns it: everyone is an admin.
- On a Space, an admin is a logged-in user named in `CB_ADMINS`; everyone else is a visitor.
- A visitor lists, opens, resumes and downloads only the sessions started in their own browser (a random key
  kept in browser storage, stored on the session as a hash); exporting is for admins only.
"""

from __future__ import annotations

import hashlib
import os
import secrets

from dialogue.schema import Session


def on_space() -> bool:
    return bool(os.environ.get("SPACE_ID"))


def is_admin(username: str | None, admins: list[str], *, space: bool | None = None) -> bool:
    if not (on_space() if space is None else space):
        return True
    return bool(username) and username in admins


def new_browser_key() -> str:
    return secrets.token_urlsafe(24)


def owner_of(browser_key: str) -> str:
    """What a session stores about the browser that started it (never the key itself)."""
    return hashlib.sha256(browser_key.encode()).hexdigest()[:24] if browser_key else ""


def can_open(s: Session, browser_key: str, admin: bool) -> bool:
    return admin or (bool(browser_key) and s.owner == owner_of(browser_key))
