"""Spoken questions, transcribed, read as typed ones.

A doctor who talks to a voice interface reaches the patient through speech-to-text: "um do you know what his
haemoglobin was", "has he had anything for the pain and uh is he allergic to any medicines", "okay do you, have
you been wearing gel nails", "how's he feeding is he putting the weight on". The question reader
(intent.plain_words) knows typed questions, so the transcript is tidied first: fillers dropped (they hide the word
a question starts with and the "and is he" that parts two questions), a false start given up for what replaced it,
and a run-on cut where its next question starts. Nothing else changes: a typed message passes as it is.
"""

from __future__ import annotations

import re

# Sounds that carry nothing: "um", "uh", "erm", "er", "hmm" (lower case "er" only: "the ER" is a place; never
# "mm", which measures).
_FILLER = re.compile(r"(?:,\s*)?(?<![\w'-])(?:(?i:u+m+|u+h+m*|e+rm+|hm{2,})|er+)(?![\w'-])(?:\s*,)?")
# A question given up for another: "do you, have you been ...", "how does he, how does he cut ...", "when did
# the, sorry, how long ...".
_QWORD = r"(?:do|does|did|have|has|is|are|was|when|what|how|can|could)"
_FALSE_START = re.compile(
    r"(?<![\w'])"
    + _QWORD
    + r"(?:\s+(?:do|does|did|is|are|was|were|have|has|had|you|he|she|they|it|the|long|often|much|many)){0,2}"
    r"\s*,\s*(?:sorry,?\s*|i mean,?\s*)?(?=(?:do|does|did|have|has|is|are|was|were|when|what|how|how's|can|could)\b)"
    r"|(?<![\w'])" + _QWORD + r"\b[^,.?!]{0,30},\s*(?:sorry|i mean)\s*,\s*",
    re.IGNORECASE,
)
# A question broken off at a dash and asked again ("Does anyone in the - sorry, did anyone in your family ...?",
# "how have you - how's it all been going?", "So, er, how have things - sorry, let me start again. How have ..."):
# the broken-off words are dropped. Broken off: a correction follows the dash, or the words before it end on a word
# that cannot end a question ("in the", "do you", "is there any") or the words after it start the same way.
_CORRECTION = (
    r"(?:sorry|i mean|or rather|rather|scratch that|let me (?:start again|start over|rephrase(?: that)?|try again))"
)
_BROKEN_OFF = re.compile(
    r"(?:^|(?<=[.?!:;]\s)|(?<=\n))(?P<head>(?:so|and|right|okay|ok|now|well)?[,\s]*(?P<first>\w+(?:'\w+)?\s+\w+)?[^.?!\n]{0,60}?)"
    r"\s[-–—]+\s*(?P<mark>"
    + _CORRECTION
    + r"(?:\s*[,.]\s*"
    + _CORRECTION
    + r")*\s*[,.]?\s*)?(?=(?P<next>\w+(?:'\w+)?\s+\w+))",
    re.IGNORECASE,
)
_DANGLING = re.compile(
    r"\b(?:the|a|an|any|your|his|her|my|our|their|some|in|of|to|for|with|at|from|have|has|had|do|does|did|is|are|was|"
    r"were|what's|how's|what|how|when|where|which|who|and|or|if)\s*$",
    re.IGNORECASE,
)
# An embedded question may end on its verb: "Do you know what your eye pressure reading was - the exact number?"
_EMBEDDED_END = re.compile(
    r"\b(?:what|how|where|when|which|who|whether|if)\s+(?!(?:is|are|was|were|do|does|did|has|have|had)\b)\w+"
    r"[^.?!]*\s(?:is|are|was|were|has|have|had|does|did)\s*$",
    re.IGNORECASE,
)
# "Do you -", "how have you -": a question's first words, stopped before its verb
_SUBJECT_LEFT = re.compile(
    r"^[\s,]*(?:(?:so|and|right|okay|ok|now|well)[\s,]+)*(?:(?:how|what|when|where|why|which|who)\s+)?"
    r"(?:do|does|did|have|has|had|is|are|was|were|can|could|would|will)\s+(?:you|he|she|they|we|it)\s*$",
    re.IGNORECASE,
)


def _broken_off(m: re.Match[str]) -> str:
    head = m["head"]
    if len(head.split()) > 10 or not re.search(r"\w", head):
        return m.group(0)
    again = m["first"] is not None and m["first"].lower() == m["next"].lower()
    dangling = (_DANGLING.search(head) and not _EMBEDDED_END.search(head)) or _SUBJECT_LEFT.match(head)
    return "" if m["mark"] or dangling or again else m.group(0)


# Where a spoken run-on starts its next question: "... how did you get on with them how often were you doing
# them", "how's he feeding is he putting the weight on".
_RESTART = re.compile(
    r"\s+(?=(?:how(?:\s+(?:often|long|much|many|bad))?|when|what|where|which|why|who)\s+"
    r"(?:do|does|did|is|are|was|were|has|have|had|can|could|would|will)\s+(?:you|he|she|they|it|we|your|his|her|the)\b"
    r"|(?:do|does|did|is|are|was|were|has|have|had|can|could)\s+(?:you|he|she|they|it|there|anyone)\b)",
    re.IGNORECASE,
)
# Words after which a question is part of the one before ("do you know what ...", "if you have ...").
_EMBEDS = re.compile(
    r"\b(?:you|he|she|they|we|i|it|if|whether|that|and|or|what|how|when|where|which|who|why|long|often|much|many|"
    r"there|ever|not|also|know|remember|tell me|wondering|sure|ask|idea|say|think|mean)\s*$",
    re.IGNORECASE,
)

# A run-on's first piece is a question when it starts like one ("okay so is it ...") or has one inside it
# ("so the warm compresses how did you get on with them").
_ASKS_FIRST = re.compile(
    r"\s*(?:(?:okay|ok|so|and|right|alright|now|well)\s+)*(?:do|does|did|is|are|was|were|has|have|had|can|could|any|"
    r"how|how's|when|what|what's|where|which|why|who)\b",
    re.IGNORECASE,
)


def spoken_questions(text: str) -> str:
    """A message spoken without any punctuation, with a question mark where each run-on question ends."""
    if re.search(r"[?.!]", text):
        return text
    out, at = [], 0
    for m in _RESTART.finditer(text):
        before = text[at : m.start()]
        asks = _ASKS_FIRST.match(before) or _RESTART.search(" " + before)
        if len(before.split()) >= 3 and asks and not _EMBEDS.search(before):
            out.append(before.strip() + "?")
            at = m.end()
    return " ".join([*out, text[at:].strip()]) if out else text


# "im" spoken and transcribed lower case ("none near his eyes im guessing"); the other contractions written without
# their apostrophe are read by lexicon.LAY_WORDS, with the text-chat spellings. "IM" (intramuscular) stays.
_IM = re.compile(r"(?<![\w'])im(?![\w'])")


def plain_speech(text: str) -> str:
    """A transcribed question with its fillers and false starts taken out and, where it has no punctuation, a
    question mark after each question of a run-on."""
    text = _FILLER.sub(" ", text)
    text = _FALSE_START.sub("", text)
    text = _BROKEN_OFF.sub(_broken_off, text)
    text = _IM.sub("I'm", text)
    text = re.sub(r"(?<=\bof )you're\b", "your", text, flags=re.IGNORECASE)  # "any of you're teeth loose"
    return spoken_questions(re.sub(r"[ \t]{2,}", " ", text).strip())


# Where a spoken statement starts its next sentence: "... isotretinoin they're acne treatments", "... the redness
# then shorter lukewarm showers", "... shower gel and i'll prescribe a urea cream".
_NEXT_SENTENCE = re.compile(
    r"\s+(?=(?:and then|then|and i'll|and i'd|and we'll|i'll|i'd|i'm|i am|i wouldn't|i won't|i don't|i think|"
    r"we'll|we can|you can|you should|you'll|please|that's|it's|this is|they're|there's|the plan|to be honest|"
    r"about the|as for|so)\b)",
    re.IGNORECASE,
)


def is_spoken(turn: str) -> bool:
    """A turn transcribed from speech: words with no sentence punctuation at all (a "FINAL DIAGNOSIS:" line
    aside). A typed turn ends some sentence with ".", "?" or "!"."""
    said = re.sub(r"(?im)^\s*final diagnosis\s*:.*$", "", turn)
    return len(said.split()) >= 6 and not re.search(r"[?.!]", said)


def spoken_sentences(line: str) -> list[str]:
    """A line of a spoken turn (is_spoken) cut into sentences, each ending in "?" when it asks and "." when it
    tells: "okay so red gums at the front when did you first notice that and does it hurt him at all" is a
    reflection and a question."""
    if re.search(r"[?.!]", line) or len(line.split()) < 6:
        return [line]
    text = plain_speech(line).replace("?", " ")
    cuts = sorted({m.start() for r in (_RESTART, _NEXT_SENTENCE) for m in r.finditer(text)})
    pieces, at = [], 0
    for cut in cuts:
        before = text[at:cut]
        if len(before.split()) >= 3 and not _EMBEDS.search(before):
            pieces.append(before.strip())
            at = cut
    pieces.append(text[at:].strip())
    return [f"{p}?" if _asks(p) else f"{p}." for p in pieces if p]


def _asks(piece: str) -> bool:
    """A spoken sentence asks when it starts like a question or turns into one within its first words ("right so
    since about twelve and can you describe the bumps for me")."""
    opening = " ".join(piece.split()[:8])
    return bool(
        _ASKS_FIRST.match(piece) or _RESTART.search(" " + opening) or re.search(r"\b(can|could) you\b", opening)
    )
