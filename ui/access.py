"""Who may see what in the web app. Pure rules, no Gradio state.

- Locally (not on a Hugging Face Space) the person running the app owns it: everyone is an admin.
- On a Space, an admin is a logged-in user named in `CB_ADMINS`; everyone else is a visitor.
- A visitor lists, opens, resumes and downloads only the sessions started in their own browser (a random key
  kept in browser storage, stored on the session as a hash); exporting is for admins only.
"""

from __future__ import annotations

import hashlib
import hmac
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


class AccessError(Exception):
    """Not allowed; the message says what would be."""


def annotator(name: str, token: str, login: str | None, invites: dict[str, str], *, space: bool | None = None) -> str:
    """Who is annotating. On a Space: the HF login (listed in `invites` when there is a list). Locally: a name
    from the invite list with its token; with no list, annotation is off."""
    if on_space() if space is None else space:
        if not login:
            raise AccessError("Log in with Hugging Face to annotate.")
        if invites and login not in invites:
            raise AccessError(f"{login} is not on this Space's annotator list (CB_ANNOTATORS).")
        return login
    if not invites:
        raise AccessError(
            "Annotation is off here: start the app with CB_ANNOTATORS=name:token,... to invite annotators."
        )
    name = (name or "").strip()
    if not name:
        raise AccessError("Enter your annotator name and token.")
    if name not in invites or not hmac.compare_digest(invites[name], (token or "").strip()):
        raise AccessError("Unknown annotator name or wrong token (see CB_ANNOTATORS).")
    return name
