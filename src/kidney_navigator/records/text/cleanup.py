"""Same-length clean-ups before reading: unticked template boxes blanked, OCR splits and line-end hyphens joined, so
evidence offsets still point into the original.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kidney_navigator.records.context import by_first_char, first_literal
from kidney_navigator.records.context import rule_data as context_rules
from kidney_navigator.records.text.disease import SARCOMATOID
from kidney_navigator.records.text.source import ocr_tolerant, record_terms

UNCHECKED = re.compile(r"(?:\[ ?\]|\( ?\)|\u2610)[^\[\]\u2610\u2611\u2612\n]*")


TICKED_LINE = re.compile(r"(?<![.:;])\n(?=[ \t\u00a0]*(?:\[[xX\u2713]\]|\u2611|\u2612))")


FILL = "\u00a0"  # a no-break space: blank to the eye, but not a sentence or table-cell boundary


# "E2  Prior nephrectomy < 28 d before randomization        [ ]    N/A - no nephrectomy": an empty box in an answer
# column after the item (spaced off on both sides) answers No for that item; it is not an unticked option.
# A line of options has several boxes ("[X] Clear cell  [ ] Papillary"); an answer column has one per line.
ANSWER_BOX = re.compile(r"\[ ?\](?:[ \t]{2,}|[ \t]*$)", re.M)
ITEM_BEFORE = re.compile(r"[^\s\]\u2610-\u2612][ \t]{2,}$")
ANY_BOX = re.compile(r"\[[ xX\u2713]?\]|[\u2610-\u2612]")


def _answer_box(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    return ANSWER_BOX.match(text, start) is not None and ITEM_BEFORE.search(text, line_start, start) is not None \
        and len(ANY_BOX.findall(line)) == 1


def blank_unchecked(text: str) -> str:
    """Blank out unticked template options ("[ ] Clear cell") so only ticked ones ("[X] Papillary") are read.

    A line of ticked options continues its heading line ("SARCOMATOID FEATURES / [X] Not identified"). The text
    keeps its length, so evidence offsets still point into the original document.
    """
    blanked = UNCHECKED.sub(lambda m: m.group(0) if _answer_box(text, m.start()) else FILL * len(m.group(0)), text)
    blanked = re.sub(r"(?<=\u00a0)[ \t]+|[ \t]+(?=\u00a0)", lambda m: FILL * len(m.group(0)), blanked)
    return TICKED_LINE.sub(FILL, blanked)


STRAY_PERIOD = re.compile(r"(?P<before>[A-Za-z]+)\.(?=[ \t]+(?P<after>[A-Za-z]+))")


@lru_cache(maxsize=1)
def _known_terms() -> re.Pattern[str]:
    """Multi-word terms the extractor reads (histologic types, "sarcomatoid features", site names, context cues),
    each allowed to be broken by an OCR period."""
    parts = [ocr_tolerant(p) for patterns in record_terms().histology.values() for p in patterns]
    parts.append(SARCOMATOID.pattern)
    # The site words and cues are plain phrases (tried after the regexes above, in their own order), so they can be
    # grouped by first character without changing what matches (see context.by_first_char).
    words = [w for ws in record_terms().metastatic_sites.values() for w in ws if " " in w]
    cues = [c for m in context_rules().modifiers for c in m.cues if " " in c.strip()]
    phrases = [(first_literal(w), ocr_tolerant(w)) for w in words] + [
        (None if c[0].isspace() else c[0], ocr_tolerant(re.escape(c).replace("\\ ", " "))) for c in cues]
    body = "|".join(f"(?:{p})" for p in parts)
    return re.compile(body + "|" + by_first_char(phrases) if phrases else body, re.I)


def _continues(stray: re.Match[str]) -> bool:
    """The word after the period carries on the one before it: lower case, or upper case after upper case."""
    before, after = stray.group("before"), stray.group("after")
    return after[0].islower() or (before.isupper() and after.isupper())


def join_ocr_splits(text: str) -> str:
    """Blank the stray period OCR puts inside a known term ("CLEAR. CELL TYPE", "Sarcomatoid. features: not
    identified") so that the term and its context are read as one sentence.

    Only a period inside a known term is touched, and only where the next word continues it: a lower-case word,
    or an upper-case word after an upper-case word. "Margins clear. Cells ..." starts a new sentence and is kept.
    Same length, so evidence offsets still point into the original text.
    """
    if ". " not in text and ".\t" not in text:
        return text
    if not any(_continues(m) for m in STRAY_PERIOD.finditer(text)):
        return text  # no period that a term could run through: skip the slow scan for known terms
    chars: list[str] | None = None
    for term in _known_terms().finditer(text):
        for stray in STRAY_PERIOD.finditer(text, term.start(), term.end()):
            if stray.end() < term.end() and _continues(stray):
                chars = chars if chars is not None else list(text)
                chars[stray.end() - 1] = " "
    return "".join(chars) if chars is not None else text


HYPHEN_BREAK = re.compile(r"(?<![A-Za-z-])(?P<a>[A-Za-z]{2,})-[ \t]*\r?\n[ \t]*(?P<b>[a-z]{2,})(?![A-Za-z-])")


@lru_cache(maxsize=1)
def cue_vocabulary() -> frozenset[str]:
    """The words of the context cues ("identified", "involved", "metastatic" ...), which a hyphenated line break
    must not hide."""
    data = context_rules()
    phrases = [c for m in data.modifiers for c in m.cues] + data.pseudo + data.terminators
    return frozenset(w.lower() for p in phrases for w in re.findall(r"[A-Za-z]{4,}", p))


def join_hyphenated(text: str, vocabulary: frozenset[str] = frozenset()) -> str:
    """Re-join a word hyphenated across a line break ("[x] Not identi- / fied") when the joined word is a known
    cue word or is written whole elsewhere in the document; a real compound ("clear-/cell") stays as it is.

    The joined word is followed by blanks up to the original line break, so the text keeps its length and every
    offset after the break is unchanged.
    """
    if "-\n" not in text and "- \n" not in text and "-\r\n" not in text:
        return text
    words = vocabulary | {w.lower() for w in re.findall(r"[A-Za-z]{4,}", text)}

    def join(m: re.Match[str]) -> str:
        joined = m.group("a") + m.group("b")
        if joined.lower() not in words:
            return m.group(0)
        return joined + " " * (len(m.group(0)) - len(joined) - 1) + "\n"

    return HYPHEN_BREAK.sub(join, text)


# Dictation transcribed word for word ("... on 02/04/2025 full stop. Grade 1 rash only comma managed with ...").
SPOKEN = re.compile(r"[ \t]*\bfull stop\b|[ \t]+\bcomma\b|\bnew paragraph\b", re.I)


def spoken_punctuation(text: str) -> str:
    """Spoken punctuation of a dictation written out ("full stop", "comma", "new paragraph"), turned into the marks
    themselves, padded with spaces so every offset stays where it was. Only in a text that dictates at least two
    full stops: elsewhere the words mean what they say."""
    if len(re.findall(r"\bfull stop\b", text, re.I)) < 2:
        return text

    def mark(m: re.Match[str]) -> str:
        word = m.group(0).strip().lower()
        sign = "." if word == "full stop" else "," if word == "comma" else "\n\n"
        return sign + " " * (len(m.group(0)) - len(sign))

    return SPOKEN.sub(mark, text)
