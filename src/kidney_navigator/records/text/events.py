"""Dated events of the illness: the nephrectomy (done, type, date) and the date of diagnosis (the first
tissue proof).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from kidney_navigator.profile.models import Fact
from kidney_navigator.records.context import EXCLUDING, affirmed, modifiers, sentence_bounds
from kidney_navigator.records.dates import find_dates, yearless_slash_dates
from kidney_navigator.records.text.source import (
    KIDNEY_CANCER,
    PARAGRAPH_END,
    TextSource,
    fact_at,
    line_end,
    record_terms,
)

NEPHRECTOMY = re.compile(r"(?P<type>radical|partial|cytoreductive|simple)?\s*(?:laparoscopic |robotic |open |"
                         r"robot-assisted )?(?P<type2>radical |partial )?nephrectomy", re.I)


# "no recurrence in the nephrectomy bed" negates the recurrence, not the operation.
AFTER_NEPHRECTOMY = re.compile(r"[ \t]*(?:site|bed|fossa|scar|specimen|defect|margin|sample|pathology|report)", re.I)


@lru_cache(maxsize=1)
def _nephrectomy_phrases() -> tuple[tuple[str | None, re.Pattern[str]], ...]:
    return tuple((None if kind == "any" else kind, re.compile(p, re.I))
                 for kind, patterns in record_terms().nephrectomy_phrases.items() for p in patterns)


def nephrectomy_mentions(text: str) -> list[tuple[int, int, str | None]]:
    """(start, end, type) of every nephrectomy mention: the word itself, or an abbreviation or lay phrase
    (rules/record_terms.yaml `nephrectomy_phrases`), in text order."""
    found = [(m.start(), m.end(), (m.group("type") or m.group("type2") or "").strip().lower() or None)
             for m in NEPHRECTOMY.finditer(text)]
    for kind, rx in _nephrectomy_phrases():
        found += [(m.start(), m.end(), kind) for m in rx.finditer(text)]
    return sorted(found)


def nephrectomy_facts(src: TextSource) -> list[Fact]:
    """Done (with its date and type) from the first affirmed mention; not done when the record says so ("has not
    had a nephrectomy", "not a candidate for cytoreductive nephrectomy") and never says it was done."""
    text = src.text
    negated: Fact | None = None
    for start, end, kind in nephrectomy_mentions(text):
        mods = modifiers(text, start, end) - {"historical"}
        left, right = sentence_bounds(text, start, end)
        # "cytoreductive nephrectomy is not planned": the operation named, then ruled out; and a topic label
        # ("2. Nephrectomy: not recommending upfront cytoreductive nephrectomy") takes the verdict after it
        verdict_end = line_end(text, end) if TOPIC_LABEL.match(text, end) else right
        ruled_out_after = NOT_CANDIDATE.search(text, end, max(right, verdict_end)) is not None
        if not mods & EXCLUDING and not ruled_out_after:
            # the date nearest the operation ("(from outside records, scanned 09/24/2025): / - 03/14/2017  L radical
            # nephrectomy": the scan is not the operation)
            date = min(find_dates(text, left, right), key=lambda d: min(abs(d[0] - end), abs(start - d[1])),
                       default=None)
            value = {"done": True, "date": date[2].isoformat() if date else None, "type": kind}
            return [fact_at(src, "nephrectomy", value, start, end, date[2] if date else None)]
        about_operation = not AFTER_NEPHRECTOMY.match(text, end)
        ruled_out = "negated" in mods or ruled_out_after or (
            "hypothetical" in mods and NOT_CANDIDATE.search(text, left, right) is not None)
        if negated is None and ruled_out and "family" not in mods and about_operation:
            negated = fact_at(src, "nephrectomy", {"done": False, "date": None, "type": None}, start, end)
    return [negated] if negated else []


# "Cytoreductive nephrectomy is not recommended - she is not a candidate": the operation will not be done.
NOT_CANDIDATE = re.compile(r"\bnot (?:a )?(?:surgical |operative )?candidate\b"
                           r"|\bnot (?:being |currently )?(?:recommended|recommending|suitable|fit|advised|planned"
                           r"|indicated|offered)\b"
                           r"|\b(?:do|does|would) not recommend\b|\bunsuitable\b|\bunfit\b", re.I)
TOPIC_LABEL = re.compile(r"[ \t]*:")



TIMELINE_DATE = re.compile(r"[ \t*\-\u2022]*(?P<d>\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2}"
                           r"|\d{1,2}[- ](?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[- ](?:19|20)\d\d)\b",
                           re.I)


DIAGNOSIS = re.compile(r"(initial(ly)? )?(diagnos\w*|dx)\b", re.I)


# "Date of diagnosis 18/06/2019", "Diagnosis date:\n   2022-08-03": a labelled date, even across a line break
DATE_OF_DIAGNOSIS = re.compile(r"\b(?:date of (?:initial |original |first )?diagnosis|(?:initial |original )?diagnosis"
                               r" date|dx date|date of dx)\b[ \t]*[:#=\-]?\s*", re.I)


# "Bx 11/18/2024 (CT-guided core L renal mass) = date of dx": the date named before the label
DATE_OF_DIAGNOSIS_AFTER = re.compile(r"[ \t]*(?:\([^()\n]{0,80}\)[ \t]*)?(?:=|is|was)[ \t]*(?:the[ \t]+)?"
                                     r"(?:date[ \t\n]+of[ \t\n]+(?:dx|diagnosis)|diagnosis[ \t]+date)\b", re.I)


def diagnosis_date_facts(src: TextSource) -> list[Fact]:
    text = src.text
    for ds, de, date in find_dates(text):
        label = DATE_OF_DIAGNOSIS_AFTER.match(text, de)
        if label is not None:
            return [fact_at(src, "diagnosis_date", date.isoformat(), ds, label.end(), date)]
    for m in DATE_OF_DIAGNOSIS.finditer(text):
        found = next(find_dates(text, m.end(), min(len(text), m.end() + 30)), None)
        if found is not None and found[0] == m.end() and affirmed(text, m.start(), m.end(), frozenset({"historical"})):
            return [fact_at(src, "diagnosis_date", found[2].isoformat(), m.start(), found[1], found[2])]
    for m in DIAGNOSIS.finditer(text):
        if not affirmed(text, m.start(), m.end(), frozenset({"historical"})):
            continue
        _, right = sentence_bounds(text, m.start(), m.end())
        if OTHER_ILLNESS.match(text, m.end()):
            continue  # "Dx immune-mediated hepatitis": another illness's diagnosis
        in_reach = list(find_dates(text, m.end(), min(right, m.end() + 90)))
        found = in_reach[0] if in_reach else None
        # "Diagnosed May 2021: right radical nephrectomy 18/05/2021": the day the month-only date stands for
        same_month = [d for d in in_reach[1:] if found and found[2].day == 1 and d[2].day != 1
                      and (d[2].year, d[2].month) == (found[2].year, found[2].month)]
        found = same_month[0] if same_month else found
        wrapped = WRAPPED_DATE.match(text, right) if found is None and right - m.end() <= 90 else None
        if wrapped is not None and not re.search(r"[.;:]\s*$", text[m.end():right]):
            # "clear cell RCC diagnosed at L radical nephrectomy\n09/14/2016 (Fuhrman grade 2 ...)": a hard wrap
            # put the date at the start of the next line
            found = next(find_dates(text, wrapped.end(), wrapped.end() + 12), None)
            found = found if found is not None and found[0] == wrapped.end() else None
        if found:
            return [fact_at(src, "diagnosis_date", found[2].isoformat(), m.start(), found[1], found[2])]
        # A dated timeline ("* 07/30/2019  CT: 5.6 cm renal mass; diagnosed clear cell RCC on biopsy same day"):
        # the date that opens the line is the date of the entry.
        line_start = text.rfind("\n", 0, m.start()) + 1
        lead = TIMELINE_DATE.match(text, line_start, m.start())
        if lead:
            opening = next(find_dates(text, lead.start("d"), lead.end("d")), None)
            if opening:
                return [fact_at(src, "diagnosis_date", opening[2].isoformat(), opening[0], m.end(), opening[2])]
        # "Diagnosis:  Metastatic clear cell RCC ... / (indented) Biopsy 26/08/2025. cT3a ...": a labelled block
        # whose continuation lines name the sample and its date
        if LABEL_AFTER.match(text, m.end()):
            block_end = _block_end(text, m.end())
            tissue = TISSUE.search(text, m.end(), block_end)
            dated = next(find_dates(text, tissue.end(), min(block_end, tissue.end() + 40)), None) if tissue else None
            # (a sample that showed metastasis dates a later event: "biopsy of a left lower lobe nodule 2026-02-10:
            # metastatic clear cell RCC")
            if tissue is not None and dated is not None \
                    and not LATER_DISEASE.search(text, tissue.start(), line_end(text, dated[1])):
                return [fact_at(src, "diagnosis_date", dated[2].isoformat(), tissue.start(), dated[1], dated[2])]
    return _tissue_diagnosis_date(src)


# "Diagnosis:" or a label in a column of its own ("Diagnosis      Chromophobe renal cell carcinoma"), or a heading
# over an indented block ("DIAGNOSIS" / "  Clear cell renal cell carcinoma ... - core biopsy 08/07/2024.")
LABEL_AFTER = re.compile(r"[ \t]*[:\-]|[ \t]{3,}(?=[A-Z])|[ \t]*\n(?=[ \t]{2,}\S)")
WRAPPED_DATE = re.compile(r"[ \t]*\n[ \t]*(?=\d)")
OTHER_ILLNESS = re.compile(r"\s*(?:\w+[- ]){0,2}?(?:hepatitis|colitis|pneumonitis|thyroiditis|nephritis|myocarditis"
                           r"|pneumonia|infection|sepsis|diabetes|hypothyroidism|hypertension|dvt|pulmonary embolism"
                           r"|uti|c\.? ?diff)\b", re.I)


def _block_end(text: str, pos: int) -> int:
    """The end of a labelled block: its own line and the indented lines that continue it."""
    end = text.find("\n", pos)
    while end != -1:
        nxt = text.find("\n", end + 1)
        line = text[end + 1:nxt if nxt != -1 else len(text)]
        if not BLOCK_LINE.match(line):
            return end
        end = nxt
    return len(text)


BLOCK_LINE = re.compile(r"[ \t]{2,}\S")  # an indented line, bullet or not, under a "Label:" line


TISSUE = re.compile(r"biops\w*|\bfna\b|fine[- ]needle|core needle|resection|nephrectomy|excision"
                    r"|\bpath(?:ology)?\s*:|\breamings?\b|\bcurett\w*|\bhistology\b|\bhpe\b|histopatholog\w*",
                    re.I)


RESULT = re.compile(r"\b(?:showed|shows|showing|revealed|reveals|demonstrat\w*|confirm\w*|consistent with|"
                    r"diagnostic of|positive for|for)\b|:|\s-\s|\s(?:-+>|=>|\u2192)\s", re.I)  # "biopsy ... -> RCC"


LATER_DISEASE = re.compile(r"metasta\w*|recurren\w*|relapse", re.I)


NEW_DIAGNOSIS = re.compile(r"\bnewly[- ]diagnosed\b|\bnew diagnosis\b|\bde novo\b|\bsynchronous(?:ly)? metasta"
                           r"|\bmetasta\w* at (?:presentation|diagnosis)\b"
                           # metastatic with the kidney still in place: a clinical stage with M1, or the question of a
                           # cytoreductive nephrectomy
                           r"|\bcM1\b|\bcytoreductive nephrectomy\b|\bprimary (?:tumou?r )?in situ\b", re.I)


RECURRENCE = re.compile(r"recurren\w*|recurred|relapse\w*|came back", re.I)


def wrapped_left(text: str, left: int) -> int:
    """The start of a sentence that a hard wrap cut in two ("core biopsy ... 2026-02-10: metastatic clear cell /
    RCC (PAX8 positive)"): when the line before ends without punctuation, it is the same sentence."""
    before = text[:left].rstrip(" \t")
    if before.endswith("\n") and before[:-1].rstrip()[-1:].isalnum():
        return sentence_bounds(text, len(before) - 2, len(before) - 1)[0]
    return left


def _first_proof_of_metastasis(text: str) -> list[tuple[dt.date, int, int]]:
    """Cancer found already spread ("newly diagnosed metastatic ...; core biopsy of a lung nodule 2026-02-10:
    metastatic clear cell RCC"): the biopsy that first proved it is the diagnosis."""
    found: list[tuple[dt.date, int, int]] = []
    for m in KIDNEY_CANCER.finditer(text):
        left = wrapped_left(text, sentence_bounds(text, m.start(), m.end())[0])
        tissue = TISSUE.search(text, left, m.start())
        if tissue is None or not affirmed(text, m.start(), m.end(), frozenset({"historical"})):
            continue
        dates = list(find_dates(text, tissue.start(), m.start()))
        if dates and RESULT.search(text, dates[-1][1], m.start()):
            # "liver biopsy 09/01/2025 (path report WB25-00117, reported 13/01/2025): METASTATIC RCC": the sample's
            # date, not the report's
            sampled = [d for d in dates if not REPORTED_BEFORE.search(text, max(0, d[0] - 24), d[0])] or dates
            found.append((sampled[-1][2], sampled[-1][0], m.end()))
    return found


REPORTED_BEFORE = re.compile(r"\b(?:reported|report(?:ed)? dated|authori[sz]ed|signed(?: out)?|verified|received)\b"
                             r"[ \t:]*(?:on[ \t]+)?$", re.I)


AFTER_TISSUE = re.compile(r"[^.;\n]{0,30}?,?\s*(?:s/p|status post|diagnosed (?:on|at|by)|at|on|following|after)\s+"
                          r"(?:(?:l|r|lt|rt|left|right)\.?\s+)?(?:radical\s+|partial\s+|open\s+|robotic\s+)*"
                          r"(?:nephrectomy|biopsy|core biopsy|resection)\b(?:\s+on)?\s*", re.I)


PATHOLOGY_DATED = re.compile(r"\W*(?:path(?:ology)?|histo(?:logy|pathology)|hpe)\b[ \t]*[:#]?[ \t]*(?=\d)", re.I)
NEXT_SENTENCE = re.compile(r"[^.;:\n]{0,40}[.;][ \t]+[\w -]{0,25}")


def entry_start(text: str, pos: int) -> int:
    """The first line of the list entry that `pos` is in: an indented line with no bullet of its own continues the
    entry above ("- 11-Feb-2020: R radical nephrectomy ... Path:" / "  clear cell RCC, ISUP grade 3")."""
    start = text.rfind("\n", 0, pos) + 1
    for _ in range(4):
        line = text[start:text.find("\n", start) if text.find("\n", start) >= 0 else len(text)]
        if start == 0 or not CONTINUATION.match(line) or text[start - 2:start] == "\n\n":
            break
        start = text.rfind("\n", 0, start - 1) + 1
    return start


# "IR core biopsy R renal mass 03/04. Path (..., final 03/06): clear cell RCC": a month/day with no year that ends
# the sample's own sentence is when it was taken. Only there: elsewhere "3/4 cores" is a fraction.
SAMPLE_SENTENCE_END = re.compile(r"[ \t](?:on[ \t]+)?(\d{1,2}/\d{1,2})[ \t]*[.;:]?[ \t]*$")


def _yearless_sample_date(text: str, tissue_start: int, reference: dt.date) -> list[tuple[int, int, dt.date]]:
    left, right = sentence_bounds(text, tissue_start, tissue_start + 1)
    end = SAMPLE_SENTENCE_END.search(text, tissue_start, right)
    if end is None:
        return []
    return yearless_slash_dates(text, end.start(1), end.end(1), reference)


CONTINUATION = re.compile(r"[ \t]{2,}(?![-*\u2022\d])\S")


def _tissue_diagnosis_date(src: TextSource) -> list[Fact]:
    """Without a "diagnosed on" date, the date of the first biopsy or operation that showed the kidney cancer
    ("biopsy of the L renal mass on 11/05/2024 showed clear cell renal cell carcinoma") is the diagnosis date. A
    sample that showed metastasis or recurrence dates a later event, not the diagnosis."""
    text = src.text
    found: list[tuple[dt.date, int, int]] = []
    for m in KIDNEY_CANCER.finditer(text):
        left, right = sentence_bounds(text, m.start(), m.end())
        if LATER_DISEASE.search(text, left, right):
            continue
        if not affirmed(text, m.start(), m.end(), frozenset({"historical"})):
            continue
        tissue = TISSUE.search(text, left, m.start())
        if tissue is None and left > 1 and RESULT.search(text, left, m.start()):
            # "He had a CT-guided core biopsy of the right renal mass on 2025-02-10. Pathology (...) shows clear
            # cell renal cell carcinoma": the sample and its date in the sentence before the result
            prev_left = sentence_bounds(text, left - 2, left - 1)[0]
            if not PARAGRAPH_END.search(text, prev_left, left):
                tissue = TISSUE.search(text, prev_left, left)
        dates = [d for d in find_dates(text, tissue.start(), m.start())] if tissue else []
        labelled = PATHOLOGY_DATED.match(text, left)
        if not dates and labelled is not None:
            # "Path 01/08/2025 (CT-guided core bx R renal mass, ...): clear cell renal cell carcinoma": the
            # pathology label and its date open the sentence, the sample follows in brackets
            first = next(find_dates(text, labelled.end(), m.start()), None)
            if first is not None and first[0] == labelled.end():
                found.append((first[2], first[0], m.end()))
                continue
        if not dates and tissue is not None and src.date is not None:
            dates = _yearless_sample_date(text, tissue.start(), src.date)
        if not dates:
            # "hx of R clear cell RCC, s/p R radical nephrectomy 3/14/2022": the operation and its date follow
            after = AFTER_TISSUE.match(text, m.end())
            if after is not None and after.end() <= right:
                dated = next(find_dates(text, after.end(), min(right, after.end() + 16)), None)
                if dated is not None and dated[0] - after.end() <= 3:
                    found.append((dated[2], m.start(), dated[1]))
                    continue
        if not dates:
            # "- 03/15/2022  L radical nephrectomy (Dr. H, St. Brendan's). Path: clear cell RCC": in a dated
            # timeline entry the operation and its result are one event, whatever the sentences
            line_start = entry_start(text, m.start())
            if LATER_DISEASE.search(text, line_start, m.start()):
                continue
            lead = TIMELINE_DATE.match(text, line_start, m.start())
            if lead is not None:
                tissue = TISSUE.search(text, lead.end(), m.start())
                dates = [d for d in find_dates(text, lead.start("d"), lead.end("d"))]
            else:
                # "2) USG-guided biopsy from right renal mass done on 02/09/2025. / HPE (...): Renal cell carcinoma":
                # one numbered entry, the sample and its date first, the result on the next line
                tissue = TISSUE.search(text, line_start, m.start())
                dates = list(find_dates(text, tissue.start(), m.start())) if tissue else []
            if tissue is None or not dates:
                continue
            # "  2019-03-14  Right radical nephrectomy (Dr. M. Tremblay). / (indented) Clear cell renal cell
            # carcinoma, ...": the result opens the entry's next line, with no "Path:" before it
            own_line = text[text.rfind("\n", 0, m.start()) + 1:m.start()]
            result_line = lead is not None and len(own_line.strip()) <= 40 and not re.search(r"[.;:]", own_line) \
                and text.rfind("\n", 0, m.start()) > tissue.end()
            # "2014-06-11  Right radical nephrectomy (Hull). Clear cell RCC, Fuhrman/ISUP grade 2": the result is
            # the entry's next sentence
            next_sentence = lead is not None and NEXT_SENTENCE.fullmatch(text, tissue.end(), m.start()) is not None
            if result_line or next_sentence:
                found.append((dates[-1][2], dates[-1][0], m.end()))
                continue
        if not dates or tissue is None or not RESULT.search(text, max(dates[-1][1], tissue.start()), m.start()):
            continue
        # "biopsy 26/08/2025 (reported 02/09/2025)": the sample's date, not the report's
        sampled = [d for d in dates if not REPORTED_BEFORE.search(text, max(0, d[0] - 24), d[0])] or dates
        found.append((sampled[-1][2], sampled[-1][0], m.end()))
    whole = src.whole or text
    if not found and NEW_DIAGNOSIS.search(whole) and not RECURRENCE.search(whole):
        found = _first_proof_of_metastasis(text)
    if not found:
        return []
    date, start, end = min(found)
    return [fact_at(src, "diagnosis_date", date.isoformat(), start, end, date)]
