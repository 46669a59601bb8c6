"""Chat-model markdown read as plain sentences.

A doctor model often writes its questions and plans as markdown: numbered or bulleted lists, **bold** lead
labels ("- **Allergies:** Are you allergic to any medicines?"), headers ("### Plan"). The patient's question
reader and the assessor's statement reader both read text one sentence or line at a time, so the markup is
taken off first: list markers and emphasis go, a short bold lead label before a sentence of its own goes (the
sentence says the same thing), and every list item stays on its own line so it is read as its own sentence.
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"^[ \t]*#{1,6}[ \t]*", re.M)
_BULLET = re.compile(r"^[ \t]*(?:[-*•+]|\d{1,2}[.)])[ \t]+", re.M)
# "**Allergies:** Are you ...", "__Plan__: Apply ..." at the start of a line
_BOLD_LABEL = re.compile(r"^[ \t]*(\*\*|__)([^*_\n:]{1,40}?)(?::\1|\1[ \t]*:)[ \t]+(?=(\S))", re.M)
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_BOLD_HEADING = re.compile(r"^[ \t]*(\*\*|__)([^*_\n]{1,60})\1[ \t]*:?[ \t]*$", re.M)
# Items lettered or numbered inside one line ("Couple of questions - (a) any fever? (b) anyone at home with it?")
_INLINE_ITEM = re.compile(r"(?:^|(?<=[\s:;,]))(?:\((?:[a-h]|[1-9]|i{1,3}|iv)\)|(?:[a-h]|[1-9])\))[ \t]+", re.M)


def list_item(line: str) -> tuple[str, str] | None:
    """A list item's marker and its text ("- Steroid cream" -> ("- ", "Steroid cream")), or None."""
    m = _BULLET.match(line)
    return (line[: m.end()], line[m.end() :]) if m else None


def is_heading(line: str) -> bool:
    """A header ("### Plan"), a line in bold ("**Options I'm not recommending**") or a short line ending in a colon
    ("If confirmed:"); not a list item."""
    return not _BULLET.match(line) and bool(
        _HEADER.match(line) or _BOLD_HEADING.fullmatch(line) or re.fullmatch(r"[ \t]*[^.?!\n]{3,60}:[ \t]*", line)
    )


def _label(m: re.Match[str]) -> str:
    """A short label before a sentence of its own goes; before a fragment ("**Family history:** anyone?") it
    stays as plain words."""
    return "" if len(m.group(2).split()) <= 5 and m.group(3).isupper() else f"{m.group(2).strip()}: "


# Emoji and emoticons a chatting doctor adds ("Hi again 👋😊 how's the skin been? 🤔", "ok :)") say nothing asked.
_EMOJI_RUN = r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D\u20E3]+"
_EMOJI = re.compile(r"\s*(?:" + _EMOJI_RUN + r"|(?<!\w)[:;=]-?[()DPp](?!\w))")
# An emoji between two sentences typed without a full stop ("while you wait for derm 🛑💊 Don't worry") ends the first.
_EMOJI_BREAK = re.compile(r"(?<=[\w)])\s*" + _EMOJI_RUN + r"(?=\s+[A-Z])")


def plain_text(text: str) -> str:
    """`text` without markdown markup; lines stay lines ("1. **When** did it start?" -> "When did it start?"), and
    two or more items lettered or numbered inside a line go on lines of their own. Emoji are dropped."""
    text = _EMOJI.sub("", _EMOJI_BREAK.sub(".", text))
    if len(_INLINE_ITEM.findall(text)) >= 2:
        text = _INLINE_ITEM.sub("\n", text)
    if not re.search(r"[*_#]|^[ \t]*(?:[-•+]|\d{1,2}[.)])[ \t]", text, re.M):
        return text
    text = _HEADER.sub("", text)
    text = _BULLET.sub("", text)
    text = _BOLD_HEADING.sub(lambda m: m.group(2).strip(), text)
    text = _BOLD_LABEL.sub(_label, text)
    return _EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or "", text)
