"""An e-consult or triage template's fields read as the questions they are.

A clinician working through a template writes labelled fields, not sentences: "Duration of symptoms: ?",
"Previous episodes - Y/N, when?", "Current treatments (incl. OTC): ____  Allergies - any?", "Occupation / wet
work:". A field asks what its label names: a blank ("____"), a "Y/N" and a colon that nothing follows each end a
question, so the patient's question reader (intent.plain_words) sees "Current treatments (including
over-the-counter)? Allergies - any?". Text that carries none of these marks is returned as it is.
"""

from __future__ import annotations

import re

# A blank to fill in ("____", "...." after a colon) asks the field before it.
_BLANK = re.compile(r"\s*(?::\s*)?(?:_{2,}|(?<=:)\s*\.{3,})\s*")
# "Y/N", "(Y/N)", "yes/no" after a field asks it as a yes/no question ("Itchy - Y/N", "Smoker Y/N, no. per day").
_YES_NO = re.compile(r"\s*[-–:]?\s*\(?\b(?:y\s*/\s*n|yes\s*/\s*no|y or n)\b\)?\s*[?.:;,]?", re.IGNORECASE)
# A colon that ends the message, a line or a field (two spaces before the next) with nothing after it.
_OPEN_COLON = re.compile(r"\s*:\s*(?=$|\n| {2,})")
# A lead-in that introduces a list ("Could you tell me:", "A few quick ones:"), not a field to fill in.
_LEAD_IN = re.compile(
    r"(^|[.?!\n]\s*)(?:[^.?!\n:]*\b(?:tell me|let me know|ask|questions?|ones|things|following|check)\b[^.?!\n:]*)$",
    re.IGNORECASE,
)
_ABBREVIATIONS = (
    (re.compile(r"\bapprox\.?(?=\s)", re.IGNORECASE), "approximately"),
    (re.compile(r"\bincl\.?(?=\s)", re.IGNORECASE), "including"),
    (re.compile(r"\bno\.\s*(?=(?:per|a|of)\b)", re.IGNORECASE), "number "),
    (re.compile(r"\bpt'?s\b", re.IGNORECASE), "patient's"),
)
_LABEL_WORDS = 10
# A slash between a field's words offers alternatives ("Allergies - medicines / salon products:", "Better on days off
# / holidays?"); the fields are told apart by their marks, not by slashes.
_SPACED_SLASH = re.compile(r"\s+/\s+")
_FIELD_END = re.compile(r"\?[ \t]+")
_SPACES = re.compile(r"[ \t]{2,}")
_MARKS = re.compile(r"\?(?:\s*[?.,;:])+")


def _label(text: str, colon: re.Match[str]) -> bool:
    """Whether the words before a colon are a field's label: a few words since the last sentence or line, not a lead-in
    to a list ("Could you tell me:", "Quick ones:"); at a line's end, only when the next line is a field too."""
    before = re.sub(r"\([^)]*\)", " ", re.split(r"[.?!\n]\s*|\s{2,}", text[: colon.start()])[-1])
    after = text[colon.end() :]
    if after.startswith("\n") and not re.match(r"\s*[^\n]*(:|_{2,}|\by\s*/\s*n\b)[ \t]*($|\n)", after, re.IGNORECASE):
        return False  # "I'd like to understand the pain a bit better:\n- Triggers ..." heads a list
    words = re.findall(r"[a-z']+", before, re.IGNORECASE)
    return 0 < len(words) <= _LABEL_WORDS and not _LEAD_IN.search(text[: colon.start()])


def is_form(text: str) -> bool:
    """Whether the text is written as template fields: a blank, a "Y/N", or a label whose colon nothing follows."""
    if _BLANK.search(text) or _YES_NO.search(text):
        return True
    return any(_label(text, m) for m in _OPEN_COLON.finditer(text))


def _field_colon(text: str, m: re.Match[str]) -> str:
    return "?" if _label(text, m) else m.group(0)


def plain_form(text: str) -> str:
    """The fields of a template as questions ("Meds (incl. OTC): ____  Allergies:" → "Meds (incl. OTC)? Allergies?")."""
    if not is_form(text):
        return text
    for pattern, plain in _ABBREVIATIONS:
        text = pattern.sub(plain, text)
    text = _BLANK.sub("? ", text)
    text = _YES_NO.sub(lambda m: ", " if m.group(0).rstrip().endswith(",") else "? ", text)
    text = _OPEN_COLON.sub(lambda m: _field_colon(text, m), text)
    text = _MARKS.sub("?", text)
    text = _SPACED_SLASH.sub(" or ", text)
    return _FIELD_END.sub("?\n", _SPACES.sub(" ", text)).strip()  # a field to a line: each is a question of its own
