"""The text being read and what every extractor shares: the source and its facts, the document's date, whether it is
about kidney cancer, and where a position sits (section heading, section date).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from kidney_navigator.knowledge.loader import PACK_DIR
from kidney_navigator.knowledge.models import RecordTerms
from kidney_navigator.profile.models import Evidence, Fact
from kidney_navigator.records.context import affirmed, modifiers, sentence_bounds
from kidney_navigator.records.dates import find_dates

KIDNEY_CANCER = re.compile(
    # a hard wrap may fall between the words ("clear cell renal / cell carcinoma")
    r"renal\s+cell|\brcc\b|kidney (cancer|tumou?r|carcinoma|neoplasm)|renal (carcinoma|neoplasm|tumou?r|mass|cancer)"
    r"|nephrectomy|carcinoma of (the )?kidney|hypernephroma|ccrcc|chromophobe|renal medullary"
    r"|collecting duct carcinoma",
    re.I,
)


DOC_DATE = re.compile(
    r"(date of service|service date|visit date|date of visit|encounter date|report date|date reported|"
    r"collection date|date collected|collected|date of procedure|procedure date|signed out|date signed|"
    r"accession date|received|dos|note date|date of consult(?:ation)?|consult(?:ation)? date|letter date|"
    r"date seen|seen on|clinic date|date of clinic|clinic(?=\s*:)|dictated|date dictated|dictation date|"
    r"visit(?=\s*[:#])|"
    r"discharge date|date of discharge|discharged|discharge(?=\s*:)|arrival(?: date)?|"
    r"(?<![a-z] )sent(?: on)?(?=\s*:)|(?:date )?compiled(?: on)?(?=\s*:)|sample coll(?:ected|ection|\.)?(?: date| on)?"
    r"|procedure(?=\s*:)|reported(?=\s*:))\s*[:#]?\s*",
    re.I)


# Any other "Date:" label, when no label above names the document's own date ("Admit date" is when the stay began,
# not when the consult was written; a birth date is never the document's).
ANY_DATE_LABEL = re.compile(r"(?<!admit )(?<!admission )(?<!birth )(?<!of birth )\bdate(?:\s*(?:/|&|and)\s*time)?"
                            r"\s*[:#]?\s*", re.I)


@lru_cache(maxsize=1)
def record_terms() -> RecordTerms:
    return RecordTerms.model_validate(yaml.safe_load((PACK_DIR / "rules" / "record_terms.yaml").read_text()))


@dataclass
class TextSource:
    """One piece of text to read: a page of a document, or a whole text document."""

    document: str
    text: str
    page: int | None = None
    date: dt.date | None = None
    original: str | None = None  # the text as written, when `text` is a same-length cleaned copy of it
    whole: str | None = None  # the whole document, when this is one page of it (for document-wide context)


def evidence_at(src: TextSource, start: int, end: int) -> Evidence:
    return Evidence(document=src.document, page=src.page, start=start, end=end,
                    text=(src.original or src.text)[start:end])


def fact_at(src: TextSource, field: str, value: object, start: int, end: int, date: dt.date | None = None) -> Fact:
    when = date or src.date
    return Fact(field=field, value=value, evidence=evidence_at(src, start, end),
                date=when.isoformat() if when else None)


LINE = re.compile(r"[^\n]+")


WEEKDAY = re.compile(r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*", re.I)


def document_date(text: str) -> dt.date | None:
    """The date the document was written or the sample taken (from a header line), if it says."""
    for label in (DOC_DATE, ANY_DATE_LABEL):
        for m in label.finditer(text[:3000]):
            found = next(find_dates(text, m.end(), min(len(text), m.end() + 40)), None)
            # "Date: Sun, 20 Sep 2026 21:47:12 -0700" (an e-mail header) has the weekday first
            if found and (found[0] - m.end() <= 3 or WEEKDAY.fullmatch(text, m.end(), found[0])):
                return found[2]
    # a letter's date on a line of its own near the top ("3rd June 2025")
    for line in LINE.finditer(text[:1500]):
        found = next(find_dates(text, line.start(), line.end()), None)  # in the whole text's day/month order
        # "21.11.2025", or with the place it was written: "Freiburg, 21.11.2025"
        if found and PLACE_OR_NOTHING.fullmatch(text, line.start(), found[0]) and not text[found[1]:line.end()].strip():
            return found[2]
    # a note's first line that opens with its date: "18.03.24  Dr S Fa'alogo   CCM (Long Term Conditions) review"
    for line in LINE.finditer(text[:600]):
        found = next(find_dates(text, line.start(), line.end()), None)
        if found and not text[line.start():found[0]].strip() and DOCUMENT_KIND.search(text, found[1], line.end()):
            return found[2]
    # a title line that ends with the date (and time) it was written: "Oncology - Progress note      12/05/2025 10:30"
    for line in LINE.finditer(text[:400]):
        dates = list(find_dates(text, line.start(), line.end()))
        # ... or with its author or kind after it: "ADDENDUM - 20 June 2024 (Dr F. Mackenzie)"
        if dates and DOCUMENT_KIND.search(text, line.start(), dates[-1][0]) \
                and (TIME_ONLY.fullmatch(text, dates[-1][1], line.end())
                     or AUTHOR_AFTER.fullmatch(text, dates[-1][1], line.end())):
            return dates[-1][2]
    return None


PLACE_OR_NOTHING = re.compile(r"\s*(?:[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,2},\s*)?")
DOCUMENT_KIND = re.compile(r"\b(?:note|report|letter|summary|consult\w*|record|encounter|visit|review|addendum)\b",
                           re.I)
AUTHOR_AFTER = re.compile(r"[ \t]*\([^()\n]{1,60}\)[ \t]*")
TIME_ONLY = re.compile(r"\s*(?:@?\s*\d{1,2}:\d{2}(?::\d{2})?\s*(?:am|pm|hrs?)?)?\s*", re.I)


# Another cancer named for the patient ("history of prostate cancer", "metastatic melanoma"): a record that names one
# is never read as being about the kidney cancer on the strength of the person's other records.
OTHER_CANCER = re.compile(
    r"\b(?:breast|prostate|lung|colon|colorectal|rectal|pancreatic|ovarian|cervical|endometrial|uterine|bladder"
    r"|urothelial|thyroid|gastric|stomach|esophageal|oesophageal|hepatocellular|skin|head and neck|testicular"
    r"|brain)\s+(?:cancer|carcinoma|adenocarcinoma|malignancy|tumou?r)\b"
    r"|\bmelanoma\b|\blymphoma\b|\bleuka?emia\b|\bmyeloma\b|\bsarcoma\b|\bglioblastoma\b", re.I)


def names_other_cancer(text: str) -> bool:
    """True when the record names a cancer other than kidney cancer for the patient (not a relative's)."""
    return any(not (modifiers(text, m.start(), m.end()) & {"family", "negated", "hypothetical", "uncertain"})
               for m in OTHER_CANCER.finditer(text))


def is_kidney_cancer_text(text: str) -> bool:
    """Only records about kidney cancer yield facts; a breast-cancer note must not give 'bone metastases'."""
    return any(affirmed(text, m.start(), m.end(), frozenset({"historical"})) for m in KIDNEY_CANCER.finditer(text))


def ocr_tolerant(pattern: str) -> str:
    """Let a space in a pattern (outside a [...] class, or a "[- ]" hyphen-or-space) also match OCR line breaks
    written as '. ' or ', '."""
    pattern = pattern.replace("[- ]", "(?:-| )")
    out, depth = [], 0
    for i, ch in enumerate(pattern):
        escaped = i > 0 and pattern[i - 1] == "\\"
        if ch == "[" and not escaped:
            depth += 1
        elif ch == "]" and not escaped and depth:
            depth -= 1
        out.append(r"[\s.,]+" if ch == " " and depth == 0 else ch)
    return "".join(out)


HEADING_LINE = re.compile(r"(?:^|\n[ \t]*\n)(?P<h>[^\n.;:!?]{3,60}?):?[ \t]*\n(?=[ \t]*\S)")


def section_heading(text: str, pos: int) -> str:
    """The heading of the paragraph that holds `pos`: a short line, after a blank line, without a full stop, whose
    paragraph runs to `pos` without another blank line; "" when there is none."""
    paragraph = text.rfind("\n\n", 0, pos)
    start = max(0, paragraph)
    m = HEADING_LINE.match(text, start)
    return m.group("h") if m and m.end() <= pos else ""


RULED_HEADING = re.compile(r"^[ \t]*[-=_]{10,}[ \t]*\n(?P<h>[^\n]{3,100})\n[ \t]*[-=_]{10,}[ \t]*$", re.M)


def ruled_heading(text: str, pos: int) -> str:
    """The last heading framed by rule lines above `pos` ("-----\n4. IMDC (at relapse, 06/2022, ...)\n-----"), as
    summaries and letters print their sections; "" when there is none."""
    found = ""
    for m in RULED_HEADING.finditer(text, 0, pos):
        found = m.group("h")
    return found


CAPS_HEADING = re.compile(r"^[ \t]*(?P<h>(?-i:[A-Z][A-Z /&-]{3,60})(?:[ \t]*\([^()\n]{0,60}\))?)[ \t]*:?[ \t]*$", re.M)


def caps_heading(text: str, pos: int) -> str:
    """The last capitalised heading line above `pos` ("BASELINE ASSESSMENT (pre-treatment, 04/15/2024)", "CURRENT
    STATUS (visit 09/23/2024)"), which names the section even when a PDF text layer has dropped the blank lines
    around it; "" when there is none."""
    found = ""
    for m in CAPS_HEADING.finditer(text, 0, pos):
        found = m.group("h")
    return found


def section_date(text: str, pos: int, default: dt.date | None) -> dt.date | None:
    """The date of the dated section `pos` sits in ("== CYCLE 2 DAY 1 ==  Date: 20/10/2025"), when a record holds
    several; otherwise the document's date."""
    labels = [(m.end(), False) for m in SECTION_DATE.finditer(text, 0, pos)]
    labels += [(m.end(), True) for m in NOTE_OPENING.finditer(text, 0, pos)]
    if default is None:  # (with a document date, such a heading is read as SECTION_DATE's headings are)
        labels += [(m.end(), True) for m in DATED_HEADING.finditer(text, 0, pos)]
    if not labels:
        return default
    label_end, opens_a_note = max(labels)
    if default is None and not opens_a_note:
        return default
    found = next(find_dates(text, label_end, label_end + 20), None)
    if found is None:
        return default
    return found[2] if default is None or found[2] >= default else default


SECTION_DATE = re.compile(r"^[^\n]*\b(?:date(?: of (?:service|visit|encounter))?|dos|day 1|d1)\b[ \t]*[:#]?[ \t]*"
                          r"(?=\d|(?-i:[A-Z][a-z]{2,8})\.? \d)"
                          # a capitalised section heading with its date: "FINDINGS ON ADMISSION (17.11.2025)"
                          r"|^[ \t]*(?-i:[A-Z][A-Z /&-]{3,60})[ \t]*\((?=\d)"
                          # "Clinic review 18/11/2024 (Dr Iwasaki):", "Ward round 03/02/2025:": an encounter, its date
                          r"|^[ \t]*(?:\w+[ \t]+){0,2}(?:review|visit|round|call|consultation|clinic|appointment"
                          r"|follow-?up|assessment)[ \t]+(?=\d)"
                          # "ADDENDUM - June 20, 2024 (telephone follow-up)": a capitalised heading, a dash, its date
                          r"|^[ \t]*(?-i:[A-Z][A-Z /&]{3,40})[ \t]+[-\u2013:][ \t]*(?=\d|(?-i:[A-Z][a-z]{2,8}\.?) \d)",
                          re.I | re.M)
# A note in a printed series opens with its date, time and title ("12/09/2024 08:30  INFUSION NOTE - nivolumab"):
# its date holds even when the file as a whole has none.
# So does an entry of a running record framed by rules ("---- Entry 2 ----  04/14/2025  (Cycle 4 Day 1)").
NOTE_OPENING = re.compile(r"^[ \t]*(?=\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}[ \t]+\d{1,2}:\d{2}[ \t]+(?-i:[A-Z]{3,}))"
                          r"|^[ \t]*[-=*]{3,}[ \t]*(?:entry|note|visit|encounter|update)\b[^\n]{0,20}?[-=*]{3,}[ \t]*"
                          r"(?=\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4})"
                          # ... and an entry of a monitoring log ("19/03/2024  (week 4)  - N. Brightmore")
                          r"|^[ \t]*(?=\d{1,2}/\d{1,2}/\d{4}[ \t]{2,}(?:\([^()\n]{1,20}\)[ \t]+)?-[ \t]+[A-Z])"
                          # ... and a portal's list of visits ("01/29/2025  Infusion Visit - C1D1 ...")
                          r"|^[ \t]*(?=\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}[ \t]{2,}(?-i:[A-Z])[A-Za-z -]{0,30}?"
                          r"\b(?:visit|note|encounter|consult\w*|call|letter)\b)",
                          re.I | re.M)


# A numbered capitalised section with its visit's date: "4. CURRENT STATUS (clinic visit 2024-12-02)"; it dates what
# it holds even when the document as a whole has no date.
DATED_HEADING = re.compile(r"^[ \t]*\d{1,2}\.[ \t]+(?-i:[A-Z][A-Z /&-]{3,60})[ \t]*\((?:[a-z]+[ \t]+){0,2}(?=\d)",
                           re.M)


PARAGRAPH_END = re.compile(r"\n[ \t]*\n")


def line_end(text: str, pos: int) -> int:
    """Where the line holding `pos` ends (the text's end when it is the last line)."""
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


ON_ADMISSION = re.compile(r"\b(?:on|at|upon) (?:arrival|admission|presentation)\b|\badmission labs\b"
                          r"|\bin the (?:ed|er|emergency (?:department|room))\b", re.I)
ADMITTED = re.compile(r"\b(?:admitted|admission date|date of admission|admit date|date admitted|admission(?=\s*:))"
                      r"[ \t]*[:#]?[ \t]*",
                      re.I)


def admission_date(text: str, start: int, end: int) -> dt.date | None:
    """"Calcium 13.1 mg/dL with albumin 2.7 g/dL on arrival": a value from the day of admission, when the record
    labels that day ("Admitted: 05/08/2026")."""
    if ON_ADMISSION.search(text, *sentence_bounds(text, start, end)) is None:
        return None
    for label in ADMITTED.finditer(text, 0, min(len(text), 3000)):
        found = next(find_dates(text, label.end(), min(len(text), label.end() + 20)), None)
        if found is not None and found[0] - label.end() <= 2:
            return found[2]
    return None
