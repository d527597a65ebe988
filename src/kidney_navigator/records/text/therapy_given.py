"""Whether a named drug reached the patient, and the words that date a first dose: never received, not yet started,
booked, given in a first-cycle record, taken in the next sentence."""

from __future__ import annotations

import re
from functools import lru_cache

from kidney_navigator.records.context import affirmed, sentence_bounds
from kidney_navigator.records.text.source import PARAGRAPH_END, record_terms
from kidney_navigator.records.text.therapy_words import STOP_VERB

NEVER_RECEIVED = re.compile(r"\bnever (?:took|taken|started|given|received|dispensed|filled|got|had)\b"
                            r"|\bnot yet (?:started|begun|received|given|dispensed|taken)\b"
                            r"|\b(?:did not|didn't|has not|hasn't|have not) (?:take|start|receive|get|taken|started"
                            r"|received)\b|\bnot dispensed\b"
                            r"|\b(?:insurance|insurer|convênio|convenio|payer|plan)\b[^.;\n]{0,25}?"
                            r"\b(?:said no|denied|refused|declined|rejected)\b"
                            # "entered on outside home med list in error": a list entry that was a mistake
                            r"|\b(?:entered|listed|recorded|documented|added|charted)\b[^.;]{0,100}?\bin error\b",
                            re.I)



def never_received(text: str, end: int, other_drugs: list[int]) -> bool:
    """True when the rest of the mention's sentence, or the clause right after it, says the drug never reached the
    patient, before any other drug is named ("... but denied by her private insurer; never dispensed, never
    taken")."""
    _, right = sentence_bounds(text, end - 1, end)
    limit = sentence_bounds(text, min(right + 1, len(text) - 1), min(right + 1, len(text)))[1] if right < len(text) \
        else right
    limit = min([limit, *(s for s in other_drugs if s > end)])
    paragraph = PARAGRAPH_END.search(text, end, limit)
    never = NEVER_RECEIVED.search(text, end, paragraph.start() if paragraph else limit)
    # "IPILIMUMAB PERMANENTLY DISCONTINUED ...; doses 3 and 4 never given": some doses, not the drug
    return never is not None and not STOP_VERB.search(text, end, never.start()) \
        and not SOME_DOSES.search(text[max(end, never.start() - 30):never.start()])



SOME_DOSES = re.compile(r"\b(?:doses?|cycles?|infusions?)\b[^.;\n]{0,20}$", re.I)



@lru_cache(maxsize=1)
def _not_started_rx() -> re.Pattern[str] | None:
    words = record_terms().not_yet_started
    return re.compile("|".join(f"(?:{w})" for w in words), re.I) if words else None



FUTURE_START = re.compile(r"[ \t,]*(?:starts|begins|arrives|is started|gets started)\b", re.I)



def not_yet_started(text: str, end: int, later_mentions: list[int], later_other_drugs: list[int] | None = None) -> bool:
    """The rest of the drug's sentence (";" does not end it here) says its first dose is still to come ("She has
    chosen X plus Y; the first cycle is scheduled for ..., pending insurance authorisation"). The clause stops at the
    next drug of another regimen, so "X was stopped; Y pending approval" leaves X received."""
    if FUTURE_START.match(text, end):
        return True  # "before lenvatinib starts", "once cabo arrives": the present tense of a start still to come
    rx = _not_started_rx()
    if rx is None:
        return False
    stop = re.compile(r"(?<=[A-Za-z0-9)\]%])\.(?:\s|$)|\n[ \t]*\n").search(text, end)
    limit = min([stop.start() if stop else len(text), *[s for s in later_mentions if s > end]])
    if rx.search(text, end, limit):
        return True
    # "we chose ipilimumab + nivolumab ... Consent signed. C1D1 scheduled 10/19/2026.": the first dose booked later
    # in the same paragraph (before any other regimen, and with no dose given in between)
    paragraph = PARAGRAPH_END.search(text, end)
    others = later_mentions if later_other_drugs is None else later_other_drugs
    limit = min([paragraph.start() if paragraph else len(text), *[s for s in others if s > end]])
    booked = FIRST_DOSE_BOOKED.search(text, end, limit)
    return booked is not None and not GIVEN.search(text, end, booked.start())



TIMED_ENTRY = re.compile(r"[ \t]*\d{1,2}:\d{2}(?:[ \t]*h(?:rs?)?)?[ \t]+")



NOT_GIVEN_LINE = re.compile(r"\b(?:held|hold|not given|omitted|deferred|cancel+ed|refused|declined|missed)\b", re.I)



FIRST_DOSE_TAKEN = re.compile(
    # "took first dose of loperamide": a named other drug is not this one's
    r"\b(?:took|taken|swallowed|received|had)\s+(?:(?:the|his|her|their)\s+)?first\s+(?:dose|tablet|capsule|pill)\b"
    r"(?!\s+of\b)"
    r"|\bfirst\s+(?:dose|tablet|capsule|pill|infusion)\s+(?:was\s+)?(?:taken|swallowed|given|administered|infused)\b"
    r"|\b(?:c1\s*d1|cycle\s*1,?\s*day\s*1)\s+(?:was\s+)?(?:given|administered|infused|completed)\b"
    # a verified order's "Start date 02/10/2025."
    r"|^\W*start(?:ed)?\s+(?:date|on)\s*[:=]?\s*(?=\d)", re.I)



def first_dose_next(text: str, right: int, mention_starts: list[int]) -> tuple[int, int] | None:
    """One of the two sentences after the drug's when, in the same paragraph and naming no drug of their own, it says
    the first dose was taken or given ("Axitinib 5 mg PO BID dispensed. Patient took first dose in clinic at 13:45";
    "started nivolumab + ipilimumab; C1D1 given inpatient 03/08/2025"; "Regimen verified: ... First-line therapy.
    Start date 02/10/2025.")."""
    for _ in range(2):
        if right >= len(text) or "\n\n" in text[right:right + 3]:
            return None
        nxt = right + len(text[right:]) - len(text[right:].lstrip(" .;\t\n"))
        if nxt >= len(text):
            return None
        left, end = sentence_bounds(text, nxt, nxt + 1)
        if "\n\n" in text[right:left + 1] or any(left <= s < end for s in mention_starts):
            return None
        found = FIRST_DOSE_TAKEN.search(text[left:end])
        if found is not None and affirmed(text, left + found.start(), left + found.end()):
            return left, end
        right = end
    return None



CYCLE_ONE = re.compile(r"\b(?:c1\s*d1|cycle\s*(?:#\s*)?1\s*,?\s*day\s*1)\b", re.I)



DOSE_EVENT = re.compile(r"[^\n]{0,120}?\b(?:started|complete[d]?|administered|infused|given)\b", re.I)



# "C1D1 scheduled 10/19", "C1D1 ipi/nivo scheduled 06/26/2023": the regimen may sit between
_REGIMEN_WORDS = r"(?:[\w/+.-]+\s+){0,3}?"
FIRST_DOSE_BOOKED = re.compile(r"\b(?:c1d1|cycle 1(?:,? day 1)?|first (?:dose|cycle|infusion|treatment))\s+"
                               + _REGIMEN_WORDS + r"(?:is\s+|has been\s+)?(?:scheduled|planned|booked|due)\b", re.I)



# "axitinib oral, self-administered - not recorded here" says who gives a drug, not that a dose was given
GIVEN = re.compile(r"(?<!self-)\badministered\b|\binfused\b"
                   r"|\bc1d1\b(?!\s+" + _REGIMEN_WORDS + r"(?:is\s+)?(?:scheduled|planned|booked|due))"
                   r"|\bcycle 1,? day 1\b(?!\s+" + _REGIMEN_WORDS + r"(?:is\s+)?(?:scheduled|planned|booked|due))"
                   r"|\bfirst (?:dose|infusion) (?:was )?(?:given|administered|received)\b", re.I)
