"""Free text (pathology reports, visit notes, PDF pages) -> Facts, each with the exact span it came from.

Every mention passes the ConText check (records/context.py) so that negated, family, hypothetical, planned,
declined and uncertain mentions do not become facts about the patient.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from kidney_navigator.knowledge.loader import PACK_DIR, Pack
from kidney_navigator.knowledge.models import RecordTerms
from kidney_navigator.profile.models import Evidence, Fact, plausible_performance
from kidney_navigator.records.context import (
    EXCLUDING,
    affirmed,
    by_first_char,
    first_literal,
    modifiers,
    sentence_bounds,
)
from kidney_navigator.records.context import rule_data as context_rules
from kidney_navigator.records.dates import find_dates, yearless_slash_dates
from kidney_navigator.records.tstage import refine

KIDNEY_CANCER = re.compile(
    r"renal cell|\brcc\b|kidney (cancer|tumou?r|carcinoma|neoplasm)|renal (carcinoma|neoplasm|tumou?r|mass|cancer)"
    r"|nephrectomy|carcinoma of (the )?kidney|hypernephroma|ccrcc|chromophobe|renal medullary"
    r"|collecting duct carcinoma",
    re.I,
)
# "it had come back in his lungs", "spots in his lungs": the words patients and carers use.
METASTASIS = re.compile(
    r"metasta\w*|\bmets?\b|secondary deposits?|\bdeposits?\b|spread to|involvement|involving|lesions?|nodules?|"
    r"masses|disease in|recurrence|\brelapse[sd]?\b|\b(?:come|came)\s+back\b|\brecurred\b|\bspots?\b", re.I)
STRONG_METASTASIS = re.compile(r"metasta\w*|\bmets?\b|secondary deposits?|spread to|\brelapse\b[^.;]{0,15}:"
                               r"|\b(?:adrenal|liver|hepatic|bone|osseous|lung|pulmonary|nodal|pancreatic) deposits?\b"
                               r"|\b(?:had\s+|has\s+|have\s+)?(?:come|came)\s+back\b|\brecurred\b|\brelapsed\b"
                               r"|recurren\w* of (?:\w+ ){0,2}?(?:cc)?(?:rcc|renal cell carcinoma|kidney cancer)"
                               r" (?:to|in)\b",
                               re.I)
# "Metastatic recurrence: 02/2018 - lungs; later bone (T8, 2021) and pancreas (2023)": every site on a line headed
# by a metastasis label is a metastatic site, though the clauses after ";" do not repeat the word.
METASTASIS_HEADING = re.compile(r"^[ \t*\-\u2022]*(?:[a-z]+ ){0,3}?(?:metasta\w*|mets|sites? of (?:spread|disease))"
                                r"(?: \w+){0,2}\s*:", re.I | re.M)
DOC_DATE = re.compile(
    r"(date of service|service date|visit date|date of visit|encounter date|report date|date reported|"
    r"collection date|date collected|collected|date of procedure|procedure date|signed out|date signed|"
    r"accession date|received|dos|note date|date of consult(?:ation)?|consult(?:ation)? date|letter date|"
    r"date seen|seen on|clinic date|date of clinic|dictated|date dictated|dictation date|visit|"
    r"discharge date|date of discharge)\s*[:#]?\s*", re.I)
# Any other "Date:" label, when no label above names the document's own date ("Admit date" is when the stay began,
# not when the consult was written; a birth date is never the document's).
ANY_DATE_LABEL = re.compile(r"(?<!admit )(?<!admission )(?<!birth )(?<!of birth )\bdate\s*[:#]?\s*", re.I)
GRADE = re.compile(
    r"(fuhrman|isup|who/isup|who|nuclear|nucleolar)[^.:]{0,25}?grade\s*(?:\.{2,}\s*)?(:|is|of)?\s*(?:\[[x\u2713]\]\s*)?"
    r"(?:grade\s*)?g?"
    r"(?P<g>[1-4]|iv|i{1,3})\b"
    r"|\bgrade\s*(:|is)?\s*g?(?P<g2>[1-4]|iv|i{1,3})\s*(/\s*4|of 4|out of 4)?\s*\(?\s*(fuhrman|isup|who)"
    # the grading system named without the word "grade": "clear cell RCC, ISUP 2", "(WHO/ISUP 3, pT3a)", "Fuhrman 3/4"
    r"|\b(?:who/isup|isup|fuhrman)\s*(?:gr(?:ade)?\.?\s*)?[:=]?\s*g?(?P<g3>[1-4]|iv|i{1,3})(?![0-9a-z])"
    r"(?!\s*(?:cm|mm|%))",
    re.I)
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
T_STAGE = re.compile(
    r"(?<![a-z0-9])(?:y?p\s?t|pathologic(?:al)?\s+t(?:\s*stage)?\s*[:=]?\s*p?t?"
    r"|primary tumou?r\s*(?:\(pt\))?\s*[:=]\s*p?t?"
    r"|\bt\s*[:=]\s*p?t?|tnm\s*[:=]?\s*p?t"
    # clinical "cT3a" (never "CT 3 days": no space, and a category right after)
    r"|ct(?=[0-4][abc]?(?![a-z0-9])))\s?(?P<t>[0-4x]|is)\s?(?P<sub>[abc])?(?![a-z0-9])"
    r"|(?<![a-z0-9])t(?P<t2>[0-4])(?P<sub2>[abc])?\s?,?\s?[pc]?n(?P<n2>[0-3xo])(?![a-z0-9])",
    re.I)
N_STAGE = re.compile(r"(?<![a-z0-9])(?:y?p\s?n|c\s?n(?=[0-3x]\b)"
                     r"|regional lymph nodes?\s*(?:\(pn\))?\s*[:=]\s*p?n?|\bn\s*[:=]\s*p?n?)"
                     r"\s?(?P<n>[0-3x])(?P<sub>[ab])?(?![a-z0-9])"
                     r"|(?<![a-z0-9])[pc]?t[0-4][abc]?\s?,?\s?[pc]?n(?P<n2>[0-3xo])(?![a-z0-9])",
                     re.I)
M_STAGE = re.compile(r"(?<![a-z0-9])(?:y?p\s?m|c\s?m|distant metastasis\s*(?:\(pm\))?\s*[:=]\s*p?m?|\bm\s*[:=]\s*p?m?)"
                     r"\s?(?P<m>[01x])(?![a-z0-9])"
                     # "pT3a N0 M1", "cT1b cN0 M1": the clinical prefix may sit on every category
                     r"|(?<![a-z0-9])[pc]?t[0-4][abc]?\s?,?\s?[pc]?n[0-3xo](?:\s*\(\d+\s*/\s*\d+\))?\s?,?\s?[pc]?m(?P<m2>[01xo])"
                     r"(?![a-z0-9])"
                     # "no distant disease on staging CT (M0)": a bare category in brackets
                     r"|\((?-i:M)(?P<m3>[01])\)",
                     re.I)
STAGE_GROUP = re.compile(r"\b(?:ajcc\s+)?(?:prognostic\s+)?stage(?:\s+group)?\s*[:=]?\s*(?P<g>iv|iii|ii|i|[1-4])\b"
                         r"(?!\s*(?:cm|mm|%))", re.I)
# "today", "now", "currently" may sit between the scale and its value ("ECOG performance status today is 1").
_WHEN = r"(?:\s*(?:today|now|currently|at (?:this|today's) visit))?"
# The WHO performance status is the same 0-4 scale as ECOG ("WHO/ECOG 1", "WHO performance status is 2").
# Zubrod is another name for the same scale ("Zubrod PS 1").
ECOG = re.compile(r"\b(?:ecog|zubrod|who(?=\s*(?:performance\s+status|ps)\b))\b"
                  r"(?:\s*(?:ps|performance\s+status|performance\s+score|score|status))?" + _WHEN +
                  r"\s*(?:of|is|was|as|at|:|=|-|(?:[a-z]+\s+)?from)?\s*"
                  r"(?P<v>[0-4])\b"
                  r"|\b(?:perf(?:ormance)?\.?\s+status|ps)[:\s]*\(?\s*(?:ecog|zubrod|(?-i:WHO))\s*\)?" + _WHEN +
                  r"\s*(?:of|is|was|as|:|=)?\s*"
                  r"(?P<v2>[0-4])\b"
                  r"|\b(?:performance status|ps)\s*(?:of|is|:|=)?\s*(?P<v3>[0-4])\s*(?:\(?ecog|\(?zubrod|\(who\))"
                  # a bare "PS: 1" in a vitals line: 0-4 can only be the ECOG scale (Karnofsky counts in tens)
                  r"|(?<![A-Za-z])(?-i:PS)(?:\s*[:=]\s*|[ \t]+)(?P<v4>[0-4])(?![\d.%])(?![ \t]*(?:mm|cm|mg))",
                  re.I)
KPS = re.compile(r"\b(?:karnofsky|kps)(?:\s*(?:performance status|performance score|ps|score|status))?" + _WHEN +
                 r"\s*(?:\(kps\))?\s*(?:of|is|was|:|=|-|at|around|about|(?:[a-z]+\s+)?from)?\s*"
                 r"(?P<v>100|[1-9]0)\s*%?", re.I)
# A change written in one mention: "ECOG 1 -> 2", "KPS 90 → 70", "ECOG went from 1 to 2": the later value is current.
TRANSITION = {"ECOG": re.compile(r"\s*(?:-+>|\u2192|=>|\u27f6)\s*(?:ecog\s*)?(?P<to>[0-4])\b"
                                 r"|\s*\bto\s+(?P<to2>[0-4])\b", re.I),
              "KPS": re.compile(r"\s*(?:-+>|\u2192|=>|\u27f6)\s*(?:kps\s*)?(?P<to>100|[1-9]0)\b"
                                r"|\s*\bto\s+(?P<to2>100|[1-9]0)\b", re.I)}
NUM = r"(?P<value>\d{1,6}(?:[.,]\d+)?)"
UNIT = (r"(?P<unit>g/dl|g/l|mg/dl|mmol/l|umol/l|k/ul|k/mm3|k/µl|x?\s?10\s?[e*]\s?[39]\s?/\s?(?:ul|µl|l)|"
        r"x\s?10\^?\s?3\s?/\s?(?:ul|µl|mm3)|"
        r"x\s?10\^?\s?9\s?/\s?l|10\^?\s?9\s?/\s?l|10\^?\s?3\s?/\s?(?:ul|µl)|thou/ul|"
        # Indian reports count platelets in lakhs (100,000) per cubic millimetre: "2.8 lakhs/cumm"
        r"lakhs?\s?/\s?(?:cumm|mm3|µl|ul)|lakhs?|/cumm|cells/cumm|"
        r"/ul|/µl|/mm3|cells/ul|u/l|iu/l|units/l)?")
RANGE = (r"(?:[ \t]*[\(\[]?[ \t]*(?:ref(?:erence)?(?:[ \t]*range)?|normal|nl|range|rr)?[ \t]*[:=]?[ \t]*"
         r"(?P<low>\d+(?:\.\d+)?)[ \t]*(?:-|–|to)[ \t]*(?P<high>\d+(?:\.\d+)?)[ \t]*(?:[a-z/\^0-9µ]*)?[ \t]*[\)\]]?)?")
LAB_NAMES = {
    # "adjusted calcium" is the UK name of the albumin-corrected calcium
    "corrected_calcium": r"(?:albumin[- ])?(?:corrected|adjusted) (?:serum )?calcium|calcium,? (?:corrected|adjusted)"
                         r"|corr(?:ected)?\.? ca|adj(?:usted)?\.? ca\b|(?:ca|calcium)\s*\((?:corr|adj)\w*\.?(?=\))",
    "hemoglobin": r"ha?emoglobin|\bhgb\b|\bhb\b",
    "platelets": r"platelets?(?: count)?|\bplt\b|\bplts\b",
    "neutrophils": r"absolute neutrophils?(?: count)?|neutrophils?,? \(?(?:absolute|abs)\)?|\banc\b|\babs\.? neut\w*"
                   r"|neutrophils?(?: count)?"
                   r"|neut(?:rophil)?s?\s?#|\bneut abs\b|\bneuts?\b(?!\s*%)",
    # "calcium carbonate 600 mg", "Ca/vit D": a supplement, not a result
    "calcium": r"(?<!corrected )(?<!adjusted )(?<!ionized )calcium(?:,? (?:total|serum))?"
               r"(?!\s*(?:carbonate|citrate|acetate|gluconate|supplement|channel|\+|/\s*vit|and vit))"
               r"|\bca\b(?!\s*19)(?!\s*(?:\+|/)\s*vit)",
    "albumin": r"albumin|\balb\b",
    "ldh": r"\bldh\b|lactate dehydrogenase|\bld\b",
}
PERCENT = re.compile(r"[ \t]*%")
# "the spots in his lungs got bigger" is how patients and carers write progression.
PROGRESSION = re.compile(r"progress\w*|\bpd\b|stopped working|growth of|grew|enlarg\w*|new (lesions?|mets|metasta\w*)"
                         r"|\b(?:got|getting|gotten|became|become|are|were|grown) (?:bigger|larger)\b"
                         r"|refractory|resistan\w*|failed|failure", re.I)
TOXICITY = re.compile(r"toxicit\w*|side[- ]effects?|intoleran\w*|not tolerated|poorly tolerated|adverse|colitis|"
                      r"immune[- ](?:mediated|related)|nephritis|kidney injury|myocarditis|hypophysitis|"
                      r"hepatitis|pneumonitis|hepatotoxicity|transaminitis|rash|diarrh\w*|fatigue|irae", re.I)
# "5 days on, 2 days off" / "2 weeks on, 1 week off" is a dosing schedule, not coming off the drug.
STOP = re.compile(r"stop\w*|discontinu\w*|\bd/c\b|held|ended|until|through|switch\w*|changed"
                  r"|(?<!days )(?<!day )(?<!weeks )(?<!week )off\b|ceased|completed"
                  r"|progress\w*|\bpd\b", re.I)
DATE_RANGE = re.compile(r"\s*(?:-{1,2}|\u2013|\u2014|to)\s*", re.I)
START = re.compile(r"start\w*|began|begin|initiat\w*|commenc\w*|since|from|\bon\b|c1d1|cycle 1", re.I)
SWITCH = re.compile(r"switch\w* to|changed to|transition\w* to|moved to|followed by|then (?:started|began)?|"
                    r"-+>|\u2192|=>|"
                    r"second[- ]line|2nd[- ]line|third[- ]line|3rd[- ]line", re.I)


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


def _evidence(src: TextSource, start: int, end: int) -> Evidence:
    return Evidence(document=src.document, page=src.page, start=start, end=end,
                    text=(src.original or src.text)[start:end])


def _fact(src: TextSource, field: str, value: object, start: int, end: int, date: dt.date | None = None) -> Fact:
    when = date or src.date
    return Fact(field=field, value=value, evidence=_evidence(src, start, end),
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
        found = next(find_dates(line.group(0)), None)
        if found and not line.group(0)[:found[0]].strip() and not line.group(0)[found[1]:].strip():
            return found[2]
    return None


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


@lru_cache(maxsize=4)
def _drug_patterns(pack: Pack) -> tuple[tuple[re.Pattern[str], str], ...]:
    names: dict[str, str] = {}
    for drug in pack.drugs.values():
        generic = drug.generic.lower()
        names[generic] = drug.id
        for brand in drug.brands:
            names[brand.lower()] = drug.id
    for alias, generic in record_terms().drug_aliases.items():
        names.setdefault(alias.lower(), pack.drugs[generic].id if generic in pack.drugs else generic)
    for name, other in record_terms().other_drugs.items():
        names.setdefault(name.lower(), other.generic)
    ordered = sorted(names, key=len, reverse=True)
    return tuple((re.compile(r"(?<![a-z0-9])" + re.escape(n) + r"(?![a-z0-9])", re.I), names[n]) for n in ordered)


@lru_cache(maxsize=4)
def _drug_finder(pack: Pack) -> tuple[re.Pattern[str], dict[str, str]]:
    """Every drug name in one scan (longest name first at each position), and the drug id of each lower-cased name:
    one pattern per name meant a hundred scans of every document."""
    names: dict[str, str] = {}
    alternatives: list[tuple[str | None, str]] = []
    for rx, drug_id in _drug_patterns(pack):
        name = rx.pattern.removeprefix(r"(?<![a-z0-9])").removesuffix(r"(?![a-z0-9])")
        names[re.sub(r"\\(.)", r"\1", name).lower()] = drug_id
        alternatives.append((name[0] if name[0].isalnum() else None, name))
    body = by_first_char(alternatives)
    return re.compile(r"(?<![a-z0-9])(?:" + body + r")(?![a-z0-9])", re.I), names


UNCHECKED = re.compile(r"(?:\[ ?\]|\( ?\)|\u2610)[^\[\]\u2610\u2611\u2612\n]*")
TICKED_LINE = re.compile(r"(?<![.:;])\n(?=[ \t\u00a0]*(?:\[[xX\u2713]\]|\u2611|\u2612))")
FILL = "\u00a0"  # a no-break space: blank to the eye, but not a sentence or table-cell boundary


def blank_unchecked(text: str) -> str:
    """Blank out unticked template options ("[ ] Clear cell") so only ticked ones ("[X] Papillary") are read.

    A line of ticked options continues its heading line ("SARCOMATOID FEATURES / [X] Not identified"). The text
    keeps its length, so evidence offsets still point into the original document.
    """
    blanked = UNCHECKED.sub(lambda m: FILL * len(m.group(0)), text)
    blanked = re.sub(r"(?<=\u00a0)[ \t]+|[ \t]+(?=\u00a0)", lambda m: FILL * len(m.group(0)), blanked)
    return TICKED_LINE.sub(FILL, blanked)


def extract(src: TextSource, pack: Pack, about_kidney_cancer: bool | None = None) -> list[Fact]:
    """All facts found in one text source.

    Cancer facts (type, stage, spread, treatment) come only from documents about kidney cancer, so a breast-cancer
    note never gives "bone metastases"; labs and performance status belong to the person and come from any
    document (a lab printout rarely names the cancer). `about_kidney_cancer` lets a caller decide once for a whole
    multi-page document.
    """
    original = src.original or src.text
    cleaned = join_ocr_splits(blank_unchecked(src.text) if UNCHECKED.search(src.text) else src.text)
    cleaned = join_hyphenated(cleaned, _cue_vocabulary())
    if cleaned != src.text:
        src = TextSource(src.document, cleaned, src.page, src.date, original, src.whole)
    text = src.text
    if about_kidney_cancer is None:
        about_kidney_cancer = is_kidney_cancer_text(text)
    if not about_kidney_cancer:
        return _performance(src) + _labs(src)
    facts: list[Fact] = []
    facts += _histology(src)
    facts += _sarcomatoid(src)
    facts += _grade(src)
    facts += _stage(src)
    facts += _sites(src)
    facts += _performance(src)
    facts += _labs(src)
    facts += _therapies(src, pack)
    facts += _nephrectomy(src)
    facts += _diagnosis_date(src)
    return facts


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


SARCOMATOID = re.compile(r"sarcomatoid([\s.,]+(features?|differentiation|component|change|dedifferentiation|"
                         r"elements?))?", re.I)
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


def join_ocr_splits(text: str) -> str:
    """Blank the stray period OCR puts inside a known term ("CLEAR. CELL TYPE", "Sarcomatoid. features: not
    identified") so that the term and its context are read as one sentence.

    Only a period inside a known term is touched, and only where the next word continues it: a lower-case word,
    or an upper-case word after an upper-case word. "Margins clear. Cells ..." starts a new sentence and is kept.
    Same length, so evidence offsets still point into the original text.
    """
    if ". " not in text and ".\t" not in text:
        return text
    chars: list[str] | None = None
    for term in _known_terms().finditer(text):
        for stray in STRAY_PERIOD.finditer(text, term.start(), term.end()):
            if stray.end() >= term.end():
                continue
            before, after = stray.group("before"), stray.group("after")
            if after[0].islower() or (before.isupper() and after.isupper()):
                chars = chars if chars is not None else list(text)
                chars[stray.end() - 1] = " "
    return "".join(chars) if chars is not None else text


HYPHEN_BREAK = re.compile(r"(?<![A-Za-z-])(?P<a>[A-Za-z]{2,})-[ \t]*\r?\n[ \t]*(?P<b>[a-z]{2,})(?![A-Za-z-])")


@lru_cache(maxsize=1)
def _cue_vocabulary() -> frozenset[str]:
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


@lru_cache(maxsize=1)
def _histology_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((kind, re.compile(ocr_tolerant(p), re.I))
                 for kind, patterns in record_terms().histology.items() for p in patterns)


def _histology(src: TextSource) -> list[Fact]:
    text = src.text
    best: tuple[int, int, int, str] | None = None  # (start, order, end, kind)
    for order, (kind, rx) in enumerate(_histology_patterns()):
        for m in rx.finditer(text):
            if best is not None and m.start() > best[0]:
                break
            if affirmed(text, m.start(), m.end(), frozenset({"historical"})):
                candidate = (m.start(), order, m.end(), kind)
                best = min(best, candidate) if best else candidate
                break
    if best is None:
        return []
    kind = best[3]
    for rule in record_terms().histology_refinements:
        if rule.from_ == kind:
            hit = re.search(ocr_tolerant(rule.when), text, re.I)
            if hit and affirmed(text, hit.start(), hit.end()):
                kind = rule.to
    return [_fact(src, "histology", kind, best[0], best[2])]


def _sarcomatoid(src: TextSource) -> list[Fact]:
    text = src.text
    found: list[Fact] = []
    for m in SARCOMATOID.finditer(text):
        mods = modifiers(text, m.start(), m.end())
        if "negated" in mods:
            found.append(_fact(src, "sarcomatoid", False, m.start(), m.end()))
        elif not mods & {"family", "hypothetical", "uncertain", "planned"}:
            return [_fact(src, "sarcomatoid", True, m.start(), m.end())]
    return found[:1]


def _grade(src: TextSource) -> list[Fact]:
    best: tuple[int, int, int] | None = None
    for m in GRADE.finditer(src.text):
        raw = (m.group("g") or m.group("g2") or m.group("g3") or "").lower()
        value = ROMAN.get(raw) or int(raw)
        if best is None or value > best[0]:
            best = (value, m.start(), m.end())
    return [_fact(src, "grade", best[0], best[1], best[2])] if best else []


# A T category the record writes ("pT2a", "cT3a", "T: 2"), as opposed to one worked out from a size.
STATED_T = re.compile(r"(?<![a-z])[ycp]{0,2}\s?t\s?[0-4x]|\bt\s*[:=]", re.I)


def _stage(src: TextSource) -> list[Fact]:
    text = src.text
    facts: list[Fact] = []
    t = next(iter(T_STAGE.finditer(text)), None)
    stated = None
    if t:
        value = (t.group("t") or t.group("t2") or "").upper()
        sub = (t.group("sub") or t.group("sub2") or "").lower()
        stated = f"T{value}{sub}" if value not in ("X", "IS") else None
    refined = refine(stated, text)
    if refined is not None:
        facts.append(_fact(src, "stage.t", refined.value, refined.start, refined.end))
    elif t and stated:
        facts.append(_fact(src, "stage.t", stated, t.start(), t.end()))
    n = next(iter(N_STAGE.finditer(text)), None)
    if n:
        value = (n.group("n") or n.group("n2") or "").upper().replace("O", "0")  # OCR writes N0 as NO
        facts.append(_fact(src, "stage.n", f"N{value}", n.start(), n.end()))
    m = next(iter(M_STAGE.finditer(text)), None)
    if m:
        value = (m.group("m") or m.group("m2") or m.group("m3") or "").upper().replace("O", "0")
        facts.append(_fact(src, "stage.m", f"M{value}", m.start(), m.end()))
    g = next(iter(STAGE_GROUP.finditer(text)), None)
    if g:
        raw = g.group("g").lower()
        roman = {"1": "I", "2": "II", "3": "III", "4": "IV"}.get(raw, raw.upper())
        facts.append(_fact(src, "stage.group", roman, g.start(), g.end()))
    return facts


@lru_cache(maxsize=1)
def _site_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        (site, re.compile(r"(?<![a-z0-9])(" + "|".join(w.replace(" ", r"\s+") for w in words) + r")(?![a-z0-9])",
                          re.I))
        for site, words in record_terms().metastatic_sites.items()
    )


NODE_COUNT = re.compile(r"(?P<pos>\d{1,2})\s*(?:/|of|out of)\s*(?P<tot>\d{1,2})\s*(?:\w+\s){0,3}?(lymph )?nodes?"
                        r"|(lymph )?nodes?[^.\n]{0,30}?(?P<pos2>\d{1,2})\s*/\s*(?P<tot2>\d{1,2})", re.I)


SITE_LIST_HEAD = re.compile(r"\b(?:(?P<strong>metasta\w*|mets|recurren\w*|relapse[sd]?|spread|secondary deposits?)"
                            r"|(?P<weak>disease|deposits?|lesions?|tumou?rs?))"
                            r"\s+(?:to|in|into|involving|within|at)\s+", re.I)
LIST_SEPARATOR = re.compile(r"\s*(?:,|\band\b|\bor\b|\bas well as\b|&|\bplus\b)\s*", re.I)
LIST_ITEM_LEAD = r"(?:[\w-]+\s+){0,3}?"  # "the", "retroperitoneal", "left adrenal": up to three words before a site


def _site_list(src: TextSource) -> dict[str, Fact]:
    """Every site of a list after a metastasis or recurrence word: "recurrence in retroperitoneal lymph nodes and
    the liver", "metastases to the lungs, mediastinal nodes and the left adrenal gland" (or after "disease in" in a
    sentence that says the cancer spread or came back). The list goes on while
    each item is a site noun phrase (up to three words before the site) and stops at the first item that is not."""
    text = src.text
    found: dict[str, Fact] = {}
    for head in SITE_LIST_HEAD.finditer(text):
        if not affirmed(text, head.start(), head.end(), frozenset({"historical"})):
            continue
        left, right = sentence_bounds(text, head.start(), head.end())
        # "disease in the pancreas and the right lung" is metastatic only where the sentence says the cancer spread
        # or came back ("scans found the cancer had come back, with disease in ...").
        if head.group("weak") and not STRONG_METASTASIS.search(text, left, right):
            continue
        pos = head.end()
        while pos < right:
            sep = LIST_SEPARATOR.search(text, pos, right)
            item_end = sep.start() if sep else right
            item = text[pos:item_end]
            matched = None
            for site, rx in _site_patterns():
                m = re.fullmatch(LIST_ITEM_LEAD + rx.pattern + r"(?:\s*\([^)]*\))?\s*", item, re.I)
                if m:
                    matched = site
                    break
            if matched is None:
                break
            word = dict(_site_patterns())[matched].search(text, pos, item_end)
            if word is not None and affirmed(text, word.start(), word.end(), frozenset({"historical"})):
                found.setdefault(matched, _fact(src, "metastatic_sites", matched, head.start(), item_end))
            if sep is None or sep.end() <= pos:
                break
            pos = sep.end()
    return found


def _sites(src: TextSource) -> list[Fact]:
    text = src.text
    facts: dict[str, Fact] = _site_list(src)
    for site, rx in _site_patterns():
        for m in rx.finditer(text):
            if site in facts:
                break
            left, right = sentence_bounds(text, m.start(), m.end())
            sentence = text[left:right]
            if site == "lymph_node":
                count = NODE_COUNT.search(sentence)
                if count:
                    positive = int(count.group("pos") or count.group("pos2") or 0)
                    if positive > 0 and affirmed(text, m.start(), m.end()):
                        facts[site] = _fact(src, "metastatic_sites", site, left + count.start(), left + count.end())
                    continue
            line_start = text.rfind("\n", 0, m.start()) + 1
            heading = METASTASIS_HEADING.match(text, line_start)
            if heading and heading.end() <= m.start() and affirmed(text, m.start(), m.end(), frozenset({"historical"})):
                facts[site] = _fact(src, "metastatic_sites", site, line_start, m.end())
                continue
            if benign_finding(sentence):
                continue
            meta = [mm for mm in METASTASIS.finditer(sentence)]
            near = [mm for mm in meta if abs((mm.start() + left) - m.start()) < 80]
            strong = any(STRONG_METASTASIS.search(mm.group(0)) for mm in near) or (
                bool(near) and (bool(STRONG_METASTASIS.search(text[max(0, left - 200):right]))
                                or bool(RECURRENCE_HEADING.search(section_heading(text, left))))
            )
            if not near or not strong:
                continue
            if not affirmed(text, m.start(), m.end(), frozenset({"historical"})):
                continue
            if not all(affirmed(text, mm.start() + left, mm.end() + left, frozenset({"historical"})) for mm in near
                       if STRONG_METASTASIS.search(mm.group(0))):
                continue
            # "Liver without focal lesion": the site is named plainly but the lesion word next to it is negated.
            if not any(affirmed(text, mm.start() + left, mm.end() + left, frozenset({"historical"})) for mm in near):
                continue
            start = min(m.start(), *(mm.start() + left for mm in near))
            end = max(m.end(), *(mm.end() + left for mm in near))
            facts[site] = _fact(src, "metastatic_sites", site, start, end)
    return list(facts.values())


# A section about the cancer coming back ("Recurrence and first-line treatment", "METASTATIC DISEASE"): lesions and
# nodules reported under it are the recurrence ("imaging showed ... three new lung nodules").
RECURRENCE_HEADING = re.compile(r"recurren\w*|relapse\w*|metasta\w*", re.I)
HEADING_LINE = re.compile(r"(?:^|\n[ \t]*\n)(?P<h>[^\n.;:!?]{3,60}?):?[ \t]*\n(?=[ \t]*\S)")


def section_heading(text: str, pos: int) -> str:
    """The heading of the paragraph that holds `pos`: a short line, after a blank line, without a full stop, whose
    paragraph runs to `pos` without another blank line; "" when there is none."""
    paragraph = text.rfind("\n\n", 0, pos)
    start = max(0, paragraph)
    m = HEADING_LINE.match(text, start)
    return m.group("h") if m and m.end() <= pos else ""


@lru_cache(maxsize=1)
def _benign_rx() -> re.Pattern[str] | None:
    words = record_terms().benign_site_findings
    return re.compile(r"(?<![a-z])(?:" + "|".join(words) + r")(?![a-z])", re.I) if words else None


def benign_finding(sentence: str) -> bool:
    """The sentence calls what it describes benign ("adrenal nodule ... consistent with an adenoma") and does not
    itself say metastasis: its site is not a metastatic site."""
    rx = _benign_rx()
    return bool(rx and rx.search(sentence)) and not STRONG_METASTASIS.search(sentence)


def _performance(src: TextSource) -> list[Fact]:
    """One score per scale: the latest of the document's affirmed mentions ("ECOG 2 on admission, back to ECOG 1 at
    discharge" -> 1). A date in the mention's own sentence orders mentions; without one, the later mention in the
    text is the later assessment (notes are written in time order), as "newest wins" across documents."""
    text = src.text
    best_by_scale: list[tuple[str, int, bool, Fact]] = []
    baseline: dict[str, list[Fact]] = {}
    for scale, rx in (("KPS", KPS), ("ECOG", ECOG)):
        best: tuple[str, int, bool, Fact] | None = None
        for m in rx.finditer(text):
            if not affirmed(text, m.start(), m.end(), frozenset({"historical"})):
                continue
            value = current_value(scale, m, text)
            if value is None or not plausible_performance(scale, value):
                continue
            # "WHO PS 1 today (PS 0 at the MDT on 29/07/2025)": "today" is the document's date, whatever date is near
            own = src.date if TODAY.match(text, m.end()) or TODAY.search(m.group(0)) else \
                _mention_date(text, m.start(), m.end(), src.date)
            when = own or section_date(text, m.start(), src.date)
            fact = _fact(src, "performance_status", {"scale": scale, "value": value}, m.start(), m.end(), when)
            if not baseline.get(scale) and BASELINE.search(text, *sentence_bounds(text, m.start(), m.end())):
                # "ECOG 0 before treatment": the score the risk models use, whatever came later
                baseline[scale] = [_fact(src, "performance_status.baseline", {"scale": scale, "value": value},
                                         m.start(), m.end(), own)]
            key = (when.isoformat() if when else "", m.start())
            if best is None or key[:2] > best[:2]:
                best = (*key, own is not None, fact)
        if best is not None:
            best_by_scale.append(best)
    if len(best_by_scale) == 2 and not any(b[2] for b in best_by_scale):
        (_, a, _, _), (_, b, _, _) = best_by_scale
        if PARAGRAPH_END.search(text, min(a, b), max(a, b)):
            # Neither says when, and they sit in different paragraphs ("recorded as ECOG 2, KPS 60" in the story,
            # "Performance status: Zubrod 3" in today's exam): the later mention is the later assessment, whichever
            # its scale. Side by side ("ECOG 1, KPS 90", "KPS 70%. ECOG 1.") both stand and Karnofsky is preferred.
            best_by_scale = [max(best_by_scale, key=lambda f: f[1])]
    return [b[3] for b in best_by_scale] + [f for facts in baseline.values() for f in facts]


TODAY = re.compile(r"[ \t,]*\b(?:today|now|currently|at (?:this|today's) visit|this visit)\b", re.I)
BASELINE = re.compile(r"\b(?:before|prior to) (?:starting |the start of |beginning )?(?:any )?(?:systemic )?"
                      r"(?:treatment|therapy|immunotherapy|first[- ]line)\b|\bat baseline\b|\bbaseline\b"
                      r"|\bpre-?treatment\b|\bat (?:the )?start of (?:treatment|therapy)\b", re.I)


def current_value(scale: str, m: re.Match[str], text: str) -> int | None:
    """The score a performance-status mention gives for now: its value, or the value after an arrow ("ECOG 1 -> 2"),
    after "to" when the mention says "from" ("ECOG declined from 1 to 2"), or a later value the same clause gives
    ("KPS 90 in March, now 70"; "ECOG 3 on admission, improved to 2 at discharge"). A range ("ECOG 1-2", "KPS 70-80%")
    is no single score: None."""
    groups = m.groupdict()
    value = int(next(v for v in (groups.get("v"), groups.get("v2"), groups.get("v3"), groups.get("v4")) if v))
    change = TRANSITION[scale].match(text, m.end())
    if change and (change.group("to") or re.search(r"\bfrom\b", m.group(0), re.I)):
        return int(change.group("to") or change.group("to2"))
    if SCORE_RANGE[scale].match(text, m.end()):
        return None
    later = LATER_SCORE[scale].match(text, m.end())
    return int(later.group("to")) if later else value


_SCORES = {"ECOG": r"[0-4]", "KPS": r"(?:100|[1-9]0)"}
SCORE_RANGE = {scale: re.compile(r"[ \t]*%?[ \t]*(?:-|\u2013|to|or)[ \t]*" + v + r"\b(?![ \t]*(?:cm|mm))", re.I)
               for scale, v in _SCORES.items()}
LATER_SCORE = {scale: re.compile(
    r"[^.;\n\d]{0,30}?\b(?:now|currently|today|(?:improv\w*|declin\w*|worsen\w*|deteriorat\w*|fell|dropped|rose"
    r"|increased|decreased|went(?: back)?|back|came back)\s+to)[ \t]*(?:is[ \t]+)?(?:ecog|kps|karnofsky)?[ \t]*"
    r"(?P<to>" + v + r")\b(?![ \t]*(?:cm|mm|mg))", re.I) for scale, v in _SCORES.items()}


def _mention_date(text: str, start: int, end: int, reference: dt.date | None = None) -> dt.date | None:
    """The date written in the same sentence as a mention, nearest to it ("ECOG 2 on 02/10/2025"; with the
    document's date, also "consult 02/12: KPS 60")."""
    left, right = sentence_bounds(text, start, end)
    dates = list(find_dates(text, left, right))
    if not dates and reference is not None:
        dates = yearless_slash_dates(text, left, right, reference)
    found = [(min(abs(ds - end), abs(start - de)), d) for ds, de, d in dates]
    return min(found, key=lambda f: f[0])[1] if found else None


@lru_cache(maxsize=1)
def _lab_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        # the words between a lab's name and its value never cross a sentence end ("Ca/vit D. Dental exam UTD 07/2026");
        # dot leaders ("CALCIUM .... 9.9") are not one
        # nor an arrow ("ANC normal -> 5 factors" is a count of risk factors, not a count of cells)
        # a unit in brackets after the name ("Platelets (10^3/uL)   512") is not the value
        (name, re.compile(r"(?<![a-z])(?:" + names + r")\b(?:[ \t]*\([^()\n]{1,15}\))?"
                          r"(?:(?!(?<=[A-Za-z)])[.;][ \t]|-+>|=>|\u2192)[^\n\d]){0,25}?"
                          r"[ \t]*" + NUM + r"(?![.,]?\d)"
                          + r"(?!\s*(?:mg|mcg|µg|iu|units?)\b(?!\s*/))(?!\s*(?:factors?|points?|criteria)\b)"
                          # "LDH 1.5 x ULN" is a ratio, not a value
                          r"(?!\s*(?:x|×|times)\s*(?:the\s+)?(?:uln|upper|normal|lln))\s*"
                          + UNIT + RANGE, re.I))
        for name, names in LAB_NAMES.items()
    )


def _labs(src: TextSource) -> list[Fact]:
    """One value per lab and date: the first one written for that date (a table before its restatement in prose).
    Several dates give several facts, so the risk models can take the one before treatment and the profile the
    latest."""
    text = src.text
    facts: dict[tuple[str, str], Fact] = {}
    taken: list[tuple[int, int]] = []
    for name, rx in _lab_patterns():
        for m in rx.finditer(text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            if PERCENT.match(text, m.end("value")):
                continue  # "Neutrophils 72.1 %" is the relative count, never the absolute one
            if DATE_TAIL.match(text, m.end("value")):
                continue  # "07/2026", "11/14": a date, not a value
            value = lab_number(m.group("value"))
            unit = (m.group("unit") or "").replace(" ", "")
            low = float(m.group("low")) if m.group("low") else None
            high = float(m.group("high")) if m.group("high") else None
            if low is not None and high is not None and low >= high:
                low = high = None
            line_start = text.rfind("\n", 0, m.start()) + 1
            taken.append((m.start(), m.end()))
            columns = flowsheet_values(text, line_start, m.start("value"), src.date)
            if columns:
                line_end = text.find("\n", m.start())
                tail = text[m.start():line_end if line_end >= 0 else len(text)]
                ref = FLOWSHEET_RANGE.search(tail)
                if ref and low is None:
                    low, high = float(ref.group("low")), float(ref.group("high"))
                    unit = unit or (ref.group("unit") or "")
                readings: list[tuple[dt.date | None, float, int, int]] = list(columns)
                taken.append((m.start(), line_end if line_end >= 0 else len(text)))
            else:
                # "10/05/2025: Ca 10.6 (H)": a date that opens the lab's own line is its date
                own_line = [d for _, _, d in find_dates(text, line_start, m.start())
                            if src.date is None or d <= src.date]
                if not own_line and src.date is not None:  # "Hgb nadir 9.1 on 02/13"
                    own_line = [d for _, _, d in yearless_slash_dates(text, m.end(), min(len(text), m.end() + 12),
                                                                      src.date)
                                if ON_DATE.match(text, m.end())]
                date = (own_line[-1] if own_line else None) or _nearest_date_before(text, line_start, src.date) \
                    or src.date
                readings = [(date, value, m.start(), m.end())]
            for date, reading, start, end in readings:
                lab = {"value": reading, "unit": unit, "low": low, "high": high,
                       "date": date.isoformat() if date else None}
                key = (name, date.isoformat() if date else "")
                if key not in facts:
                    facts[key] = _fact(src, f"labs.{name}", lab, start, end, date)
    return list(facts.values())


FLOWSHEET_RANGE = re.compile(r"(?P<low>\d+(?:\.\d+)?)[ \t]*-[ \t]*(?P<high>\d+(?:\.\d+)?)[ \t]+(?P<unit>\S+)?[ \t]*$")
# a value in a column; never one end of a reference range ("125-220")
FLOWSHEET_NUMBER = re.compile(r"(?<![\w.,\-\u2013])(?:\d{1,3}(?:,\d{3})+|\d{1,6}(?:\.\d+)?)(?![\w.,\-\u2013])")


def flowsheet_values(text: str, line_start: int, value_start: int,
                     reference: dt.date | None = None) -> list[tuple[dt.date, float, int, int]]:
    """A results flowsheet: dates across a header line, one column per draw ("6/3/2025  6/17/2025  7/8/2025").
    For a lab row under it, each value with the date of the column it sits under; [] when the row is not under such
    a header (the nearest header line within 40 lines above, with no blank gap of two lines)."""
    header = _flowsheet_header(text, line_start, reference)
    if header is None:
        return []
    header_start, dates = header
    line_end = text.find("\n", line_start)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    out: list[tuple[dt.date, float, int, int]] = []
    for m in FLOWSHEET_NUMBER.finditer(line):
        col = m.start()
        if line_start + col < value_start:
            continue
        near = [(abs(s - col), d) for s, e, d in dates if s - 3 <= col <= e + 3]
        owner = min(near, key=lambda n: n[0])[1] if near else None  # the nearest column, never the one before
        if owner is not None and all(owner != o[0] for o in out):
            out.append((owner, lab_number(m.group(0)), line_start + m.start(), line_start + m.end()))
    return out if len(out) >= 2 else []


def _flowsheet_header(text: str, line_start: int,
                      reference: dt.date | None = None) -> tuple[int, list[tuple[int, int, dt.date]]] | None:
    pos = line_start
    for _ in range(40):
        if pos <= 0:
            return None
        prev_start = text.rfind("\n", 0, pos - 1) + 1
        line = text[prev_start:pos - 1]
        found = list(find_dates(text, prev_start, pos - 1))
        if len(found) < 2 and reference is not None:  # "SELECTED LABS   02/08   02/11   02/13   02/15"
            found = yearless_slash_dates(text, prev_start, pos - 1, reference)
        dates = [(s - prev_start, e - prev_start, d) for s, e, d in found]
        rest = line
        for s_, e_, _d in reversed(dates):
            rest = rest[:s_] + rest[e_:]
        # a header of dates, perhaps after a short label ("Date:  6/3/2025   6/17/2025"), not prose with two dates
        if len(dates) >= 2 and len(" ".join(rest.split())) <= 30 and all(
                HEADER_NOTE.sub("", line[a[1]:b[0]]).strip() == "" and b[0] - a[1] >= 2
                for a, b in zip(dates, dates[1:], strict=False)):
            return prev_start, dates
        if not line.strip() and not text[max(0, prev_start - 2):prev_start].strip():
            return None  # two blank lines: a new block
        pos = prev_start
    return None


def _nearest_date_before(text: str, pos: int, latest: dt.date | None = None) -> dt.date | None:
    """The last date written before `pos`. A date after the document's own date that is written as a plan
    ("restaging CT early Feb 2027") is never the day a lab was drawn; a later dated section of a running record
    ("== CYCLE 2 DAY 1 == Date: 20/10/2025 ... Pre-cycle bloods 20/10/2025:") is."""
    found = [d for s, _, d in find_dates(text, max(0, pos - 600), pos)
             if latest is None or d <= latest or not PLAN_BEFORE_DATE.search(text, max(0, s - 30), s)]
    return found[-1] if found else None


HEADER_NOTE = re.compile(r"\([^()\n]{1,8}\)")  # "03/02 (adm)   03/06   03/09 (d/c)"
ON_DATE = re.compile(r"[^\n\d]{0,4}\bon\s+\d", re.I)
PLAN_BEFORE_DATE = re.compile(r"\b(?:next|planned|plan|due|scheduled|booked|early|late|mid|repeat|restaging|"
                              r"follow[- ]?up|review|in|by|until|after)\b[^\n]{0,25}$", re.I)


def section_date(text: str, pos: int, default: dt.date | None) -> dt.date | None:
    """The date of the dated section `pos` sits in ("== CYCLE 2 DAY 1 ==  Date: 20/10/2025"), when a record holds
    several; otherwise the document's date."""
    labels = list(SECTION_DATE.finditer(text, 0, pos))
    if not labels or default is None:
        return default
    found = next(find_dates(text, labels[-1].end(), labels[-1].end() + 20), None)
    return found[2] if found and found[2] >= default else default


SECTION_DATE = re.compile(r"^[^\n]*\b(?:date|day 1|d1)\b[ \t]*[:#]?[ \t]*(?=\d)", re.I | re.M)


DATE_TAIL = re.compile(r"[ \t]*/[ \t]*\d")
THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:,\d{3})+")


def lab_number(written: str) -> float:
    """"3,150" is three thousand one hundred and fifty (a comma before exactly three digits groups thousands);
    "12,1" is a decimal comma."""
    if THOUSANDS.fullmatch(written):
        return float(written.replace(",", ""))
    return float(written.replace(",", "."))


COMBO_GAP = re.compile(r"[^.;|]{0,40}?(?:\+|/|&|\band\b|\bwith\b|\bplus\b)[^.;|]{0,15}", re.I)
# "has stopped doing yard work" stops an activity, not a drug: a stop verb followed by a gerund is not a stop
# ("stopped working" is: the drug stopped working).
STOP_VERB = re.compile(r"\bstop(?:ped|s)?\b(?!\s+(?!working\b)[a-z]+ing\b)|discontinu\w*|\bd/c'?d?\b|ceased"
                       r"|came off|taken off|switched", re.I)
PARAGRAPH_END = re.compile(r"\n[ \t]*\n")
TABLE_ROW = re.compile(r"^[^\n]*\|[^\n]*\|[^\n]*$", re.M)
TABLE_HEADER = re.compile(r"\b(start\w*|began|stop\w*|end(?:ed)?|reason\w*)\b", re.I)


def combination_groups(text: str, mentions: list[tuple[int, int, str]]) -> list[int]:
    """For each drug mention, the index of the first mention of its combination ("pembrolizumab + axitinib",
    "nivolumab/ipilimumab", "carboplatin AUC 6 + paclitaxel"): what is said of the regimen applies to each drug."""
    groups: list[int] = []
    for i, (start, _end, _drug) in enumerate(mentions):
        prev_end = mentions[i - 1][1] if i else -1
        joined = i > 0 and bool(COMBO_GAP.fullmatch(text, prev_end, start)) and "\n\n" not in text[prev_end:start]
        groups.append(groups[i - 1] if joined else i)
    return groups


def _table_columns(text: str, row_start: int) -> dict[str, int]:
    """Column index of start / stop / reason in the header row above a pipe-table row, if there is one."""
    header_end = row_start
    for _ in range(12):  # look a few lines up for the header
        prev = text.rfind("\n", 0, max(0, header_end - 1))
        line = text[prev + 1:header_end].rstrip("\n")
        header_end = prev + 1
        if line.count("|") >= 2 and TABLE_HEADER.search(line) and not find_dates_any(line):
            columns: dict[str, int] = {}
            for index, cell in enumerate(line.split("|")):
                word = cell.strip().lower()
                if re.search(r"reason", word):
                    columns.setdefault("reason", index)
                elif re.search(r"stop|end", word):
                    columns.setdefault("stop", index)
                elif re.search(r"start|began|from", word):
                    columns.setdefault("start", index)
            return columns
        if prev < 0:
            break
    return {}


def find_dates_any(text: str) -> bool:
    return next(find_dates(text), None) is not None


def _table_row_therapy(text: str, row_start: int, row_end: int) -> dict[str, object]:
    """Start, stop and stop reason of the drug on one row of a pipe table ("| Nivolumab | 02/04/2019 | 06/21/2021 |
    Immune-related colitis |"); without a header, the first date is the start and the second the stop."""
    row = text[row_start:row_end]
    cells = row.split("|")
    columns = _table_columns(text, row_start)
    dates = [d.isoformat() for _, _, d in find_dates(row)]

    def cell_date(name: str) -> str | None:
        index = columns.get(name)
        found = next(find_dates(cells[index]), None) if index is not None and index < len(cells) else None
        return found[2].isoformat() if found else None

    if columns:
        start, stop = cell_date("start"), cell_date("stop")
    else:
        start, stop = (dates[0] if dates else None), (dates[1] if len(dates) > 1 else None)
    reason_index = columns.get("reason")
    reason_text = cells[reason_index] if reason_index is not None and reason_index < len(cells) else row
    reason = _stop_reason(reason_text + " stopped") if stop else None
    return {"start": start, "stop": stop, "stop_reason": reason}


RULE_LINE = re.compile(r"^[ \t]*-{3,}(?:[ \t]+-{3,})+[ \t]*$|^[ \t]*-{20,}[ \t]*$", re.M)
CLOSING_RULE = re.compile(r"^[ \t]*[-=_]{10,}[ \t]*$")
JOINER_END = re.compile(r"(?:\+|/|&|,|\band|\bwith|\bplus)\s*$", re.I)
NOT_GIVEN_STATUS = re.compile(r"\W*(?:scheduled|planned|ordered|pending|cancel+ed|not given|held)\b", re.I)
COMPLETED_CELL = re.compile(r"^\W*(?:completed?|finished|course complete\w*)\b", re.I)


@dataclass(frozen=True)
class AlignedRow:
    """One logical row of a space-aligned table (a row may wrap over several lines): its span and its cells by
    column name (start / stop / reason)."""

    start: int
    end: int
    cells: dict[str, str]


def _column_name(header: str) -> str | None:
    word = header.strip().lower()
    if "reason" in word:
        return "reason"
    if re.search(r"\b(?:stop\w*|end(?:ed|s)?|until|finish\w*)\b", word):
        return "stop"
    if re.search(r"\b(?:start\w*|began|begin|from)\b", word):
        return "start"
    if re.search(r"^(?:dates?|date range|duration|period|date given|administered)$", word):
        return "dates"  # "02/13/2024-03/18/2025": both ends in one cell (or one dose's date, in a dose record)
    if re.search(r"^(?:comments?|notes?|remarks?)$", word):
        return "comment"
    if re.search(r"^(?:status|dose status|admin(?:istration)? status)$", word):
        return "status"  # "GIVEN", "DEFERRED", "SCHEDULED": what happened to the dose on that row
    return None


def aligned_rows(text: str) -> list[AlignedRow]:
    """Rows of tables drawn with spaces and a dashed rule under the header ("Regimen   Started   Stopped   Reason" /
    "-------   -------   -------   ------"), as letters and PDF text layers print them. A line with text in the
    first column or in a date column opens a row; any other line continues the row above ("+ nivolumab", a reason
    wrapped over three lines), so a combination or a wrapped reason stays with its row. A blank line ends the table."""
    rows: list[AlignedRow] = []
    for rule in RULE_LINE.finditer(text):
        header_end = rule.start() - 1
        header_start = text.rfind("\n", 0, max(0, header_end)) + 1
        header = text[header_start:max(header_start, header_end)]
        line = rule.group(0)
        bounds = [m.start() for m in re.finditer(r"-+", line)]
        if len(bounds) == 1:
            # one unbroken rule: the columns are where the header's words start after a gap of 2+ spaces
            bounds = [m.start() for m in re.finditer(r"\S+(?: \S+)*", header)]
            if len(bounds) < 2:
                continue
        names = [_column_name(header[b:e]) for b, e in zip(bounds, [*bounds[1:], len(header) + 1], strict=True)]
        if sum(1 for n in names if n) < 2:
            continue
        pos = rule.end() + 1
        current: tuple[int, int, dict[str, str]] | None = None
        while pos < len(text):
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            row_line = text[pos:end]
            if not row_line.strip() or CLOSING_RULE.match(row_line):
                break  # a blank line or a closing rule ends the table
            cells = [row_line[b:e] if b < len(row_line) else ""
                     for b, e in zip(bounds, [*bounds[1:], len(row_line) + 1], strict=True)]
            # a first cell that starts indented (" 240 mg IV q3wk x4 with") continues the row above, and so does
            # the line after a first cell that ends with a joiner ("Nivolumab +" / "ipilimumab")
            previous_first = text[current[0]:text.find("\n", current[0])][bounds[0]:bounds[1] if len(bounds) > 1
                                                                             else None] if current else ""
            indented = current is not None and (row_line[bounds[0]:bounds[0] + 1].isspace()
                                                or JOINER_END.search(previous_first) is not None)
            opens = (bool(cells[0].strip()) and not indented) or any(
                cells[i].strip() for i, n in enumerate(names) if n in ("start", "stop", "dates"))
            if opens or current is None:
                if current is not None:
                    rows.append(AlignedRow(*current))
                current = (pos, end, {n: "" for n in names if n})
            current = (current[0], end, current[2])
            for i, n in enumerate(names):
                if n:
                    current[2][n] = (current[2][n] + " " + cells[i].strip()).strip()
            pos = end + 1
        if current is not None:
            rows.append(AlignedRow(*current))
    return rows


PLAN_HEADING = re.compile(r"^[ \t]*(?:\d+[.)][ \t]*)?(?:assessment\s*(?:and|&|/)\s*plan|a\s*/\s*p|a&p|plan|"
                          r"recommendations?|impression\s*(?:and|&)\s*plan|management plan|treatment plan)\b[ \t]*:?",
                          re.I | re.M)
OTHER_HEADING = re.compile(r"^[ \t]*(?:[A-Z][A-Z /&()-]{3,40}[ \t]*:?[ \t]*$|(?:interval |oncologic |past |social |"
                           r"family |treatment )?(?:history|medications?|allergies|labs?|laboratory|imaging|"
                           r"exam\w*|physical exam\w*|review of systems|subjective|objective|data|results?|"
                           r"investigations?|current medications?|medication list)\b[^\n]{0,30}:"
                           # a later note in the same file ends the plan ("Addendum 04/07/2025 (pharmacy): ...")
                           r"|(?:-{2,}|={2,}|(?i:addendum|nursing note|pharmacy note|infusion (?:center|centre|note)))"
                           r")", re.M)
# What a sentence in a plan says when the drug is already being taken ("continue cabozantinib", "C5 nivolumab today",
# "tolerating", "remains on", "hold", "stop").
GIVEN_OR_TAKING = re.compile(r"\bcontinu\w*|\bremains?\s+on\b|\bon\b|\btolerat\w*|\bcycle\s*\d|\bc\d+\s*(?:d\d+)?\b"
                             r"|\bstarted\b|\breceiv\w*|\bgiven\b|\bresum\w*|\bsince\b|\bcurrent\w*|\bhold\b|\bheld\b"
                             r"|\bstop\w*|\bdiscontinu\w*|\bd/c\b|\breduc\w*|\bproceed\b|\bre-?start\w*|\bstill\b"
                             r"|\bbegan\b|\bbegun\b|\btook\b|\btaking\b|\binfused\b|\badministered\b|\bdispensed\b"
                             r"|\bfirst dose\b", re.I)


def in_plan_section(text: str, pos: int) -> bool:
    """True when the last heading before `pos` is a plan ("PLAN", "Assessment and plan:", "Recommendations")."""
    plan = [m.start() for m in PLAN_HEADING.finditer(text, 0, pos)]
    if not plan:
        return False
    others = [m.start() for m in OTHER_HEADING.finditer(text, plan[-1] + 1, pos)
              if not PLAN_HEADING.match(text, m.start())]
    return not others


def _continues_row_above(text: str, rows: list[tuple[int, int]], index: int) -> bool:
    """A pipe-table row with an empty first cell right under another row is that row's continuation."""
    start, end = rows[index]
    return not text[start:end].split("|")[0].strip() and rows[index - 1][1] + 1 == start


def _row_owners(text: str, rows: list[AlignedRow], mentions: list[tuple[int, int, str]]) -> dict[int, str]:
    """The drug each dated table row is about: the first drug named on its first line ("OPDIVO (nivolumab) ... with
    / ipi, then ..." is nivolumab's row; ipilimumab is only its partner there)."""
    owners: dict[int, str] = {}
    for row in rows:
        if not any(find_dates(row.cells.get(n, "")) for n in ("start", "stop", "dates") if row.cells.get(n)):
            continue
        line_end = text.find("\n", row.start)
        first = next((d for s, _e, d in mentions if row.start <= s < (line_end if line_end >= 0 else row.end)), None)
        if first is not None:
            owners[id(row)] = first
    return owners


def aligned_row_therapy(row: AlignedRow) -> dict[str, object]:
    """Start, stop and stop reason of the drugs on one aligned-table row: the reason cell is the reason
    ("PD (new lesion)", "Intolerance (G3 hypertension, proteinuria)", "Completed (17 cycles)"), read only when the
    row has a stop date; "--" or "continuing" is no stop."""
    def first_date(cell: str) -> str | None:
        found = next(find_dates(cell), None)
        return found[2].isoformat() if found else None

    start, stop = first_date(row.cells.get("start", "")), first_date(row.cells.get("stop", ""))
    if "dates" in row.cells:
        ends = [d.isoformat() for _, _, d in find_dates(row.cells["dates"])]
        start = start or (ends[0] if ends else None)
        stop = stop or (ends[1] if len(ends) > 1 else None)
    reason_cell = row.cells.get("reason", "")
    reason = None
    if stop:
        reason = "completed" if COMPLETED_CELL.search(reason_cell) else _stop_reason(reason_cell + " stopped")
    elif "dates" in row.cells and _stop_reason(row.cells.get("comment", "")) == "completed":
        # a dose record's last dose: "Dose 4 of 4 - ipilimumab induction completed"
        stop, reason = start, "completed"
    return {"start": start, "stop": stop, "stop_reason": reason}


def _therapies(src: TextSource, pack: Pack) -> list[Fact]:
    text = src.text
    mentions: list[tuple[int, int, str]] = []
    finder, names = _drug_finder(pack)
    for m in finder.finditer(text):
        mentions.append((m.start(), m.end(), names[m.group(0).lower()]))
    groups = combination_groups(text, mentions)
    rows = [(r.start(), r.end()) for r in TABLE_ROW.finditer(text)]
    aligned = aligned_rows(text)
    owner = _row_owners(text, aligned, mentions)
    by_drug: dict[str, dict[str, object]] = {}
    for i, (start, end, drug_id) in enumerate(mentions):
        if not affirmed(text, start, end, frozenset({"historical"})):
            continue
        regimen = {mentions[j][2] for j in range(len(mentions)) if groups[j] == groups[i]}
        if not_yet_started(text, end, [mentions[j][0] for j in range(i + 1, len(mentions)) if groups[j] != groups[i]],
                           [mentions[j][0] for j in range(i + 1, len(mentions)) if mentions[j][2] not in regimen]):
            continue
        drug = pack.drugs.get(drug_id)
        if drug is not None and "bone_agent" in drug.classes:
            continue  # bone-protecting drugs are supportive care, not a line of cancer therapy
        in_aligned = next((r for r in aligned if r.start <= start < r.end), None)
        if in_aligned is not None and NOT_GIVEN_STATUS.match(in_aligned.cells.get("status", "")):
            continue  # a row for a dose still "SCHEDULED" (or cancelled) is not a dose received
        if in_plan_section(text, start) and not GIVEN_OR_TAKING.search(text, *sentence_bounds(text, start, end)):
            continue  # "PLAN ... 1. nivolumab + ipilimumab x 4, then maintenance": what is planned, not yet given
        record = by_drug.setdefault(drug_id, {"drug": drug.generic if drug else drug_id, "start": None, "stop": None,
                                              "stop_reason": None, "span": (start, end), "group": groups[i],
                                              "continues": False, "own_stop": False})
        row = next(((rs, re_) for rs, re_ in rows if rs <= start < re_), None)
        if in_aligned is not None and owner.get(id(in_aligned)) != drug_id and any(
                owner.get(id(r)) == drug_id for r in aligned if r is not in_aligned):
            continue  # "OPDIVO ... 240 mg IV q3wk x4 with ipi": ipilimumab has a row of its own, read there
        if row is not None or in_aligned is not None:
            if in_aligned is not None:
                found = aligned_row_therapy(in_aligned)
            else:
                assert row is not None
                found = _table_row_therapy(text, *row)
                # "   | axitinib 5 mg PO BID |  |  |" under "1 | pembrolizumab ... + | 09/2021 | 02/2024 | ... PD":
                # a row with an empty first cell and no dates of its own continues the row above
                index = rows.index(row)
                while index > 0 and not any(found.values()) and _continues_row_above(text, rows, index):
                    index -= 1
                    found = _table_row_therapy(text, *rows[index])
            later_row = found["stop"] is not None and record["stop"] is not None and str(found["stop"]) > str(
                record["stop"])
            if later_row:
                # a second row for the same drug ("Nivolumab (maintenance) ... 2025-10-06 ... colitis") ends it later
                record["stop"], record["stop_reason"] = found["stop"], found["stop_reason"] or record["stop_reason"]
            for key in ("start", "stop", "stop_reason"):
                if record[key] is None and found[key] is not None:
                    record[key] = found[key]
            continue
        left, right = sentence_bounds(text, start, end)
        maintenance = is_maintenance(text, start, end)
        if maintenance and record["stop_reason"] == "completed":
            # "ipilimumab/nivolumab induction (4 cycles completed), now on maintenance nivolumab": the induction
            # finished, this drug went on. Its partners keep the completion; this drug's own end is said later.
            _pass_completion(by_drug, record)
        elif maintenance:
            record["continues"] = True  # it does not share its partners' completion either
        prev_end = max([e for s, e, _ in mentions[:i] if s >= left], default=left)
        next_start = min([s for s, e, _ in mentions[i + 1:] if s < right], default=right)
        segment_start, segment_end = prev_end, next_start
        if (prev_end > left and stop_of_previous(text[prev_end:start])) or maintenance:
            segment_start = start  # "pembro stopped for PD) now on cabo": the stop and its reason are pembro's
        elif prev_end > left and (note := DRUG_NOTE.match(text, prev_end)) is not None and note.end() <= start:
            segment_start = note.end()  # "axitinib (PD), nivolumab (colitis)": "(PD)" is axitinib's
        previous_end: int | None = None
        for ds, de, date in find_dates(text, segment_start, segment_end, src.date):
            before = text[max(segment_start, ds - 45):ds]
            iso = date.isoformat()
            # "05/2023 - 11/2024": the second date of a range is when the drug ended
            in_range = previous_end is not None and DATE_RANGE.fullmatch(text, previous_end, ds) is not None
            previous_end = de
            resumed = RESUMED.search(before) is not None and resumed_after_stop(before)
            if in_range or (STOP.search(before) and not resumed and (ds > start or not START.search(before))):
                if record["stop"] is None or iso > str(record["stop"]):
                    record["stop"] = iso
            elif record["start"] is None or iso < str(record["start"]):
                record["start"] = iso
        first_cycle_record = CYCLE_ONE.search(text) is not None and DOSE_EVENT.search(text, start, right)
        if record["start"] is None and (GIVEN.search(text, left, right) or first_cycle_record) \
                and next(find_dates(text, left, right), None) is None:
            # "ADDENDUM - Infusion Center, 10/19/2026 ... C1D1 nivolumab ... administered", or a "Cycle 1 Day 1"
            # infusion record ("09:15 NIVOLUMAB 184 mg ... IV over 30 min - started"): the dose is given on the date
            # of its note section, else of the note
            paragraph = text.rfind("\n\n", 0, left)
            dated = [d for _, _, d in find_dates(text, max(paragraph, left - 600, 0), left)]
            given_on = dated[-1] if dated else src.date if first_cycle_record else None
            if given_on is not None:
                record["start"] = given_on.isoformat()
        if STOP_AFTER_DRUG.match(text, end):
            record["own_stop"] = True  # "nivo d/c'd 3/2025 for ...": its own end, not its partner's completion
        segment = text[segment_start:segment_end]
        # "on nivolumab since June following progression on sunitinib": that progression is the next drug's
        reason = _stop_reason(PROGRESSION_ON_NEXT.sub("", segment) if segment_end < right else segment)
        note = DRUG_NOTE.match(text, end)
        if reason is None and note is not None and PRIOR_LIST.search(text, left, start):
            # "Prior lines: axitinib (PD), nivolumab (colitis)": in a list of past treatments the note after a
            # drug is why it ended
            reason = _stop_reason(note.group(0) + " stopped")
        if reason is None and STOP_VERB.search(text, start, right):
            reason = _cause_before(text, left)
        if CONTINUES.search(segment) and not STOP_VERB.search(segment):
            record["continues"] = True
        if reason and record["stop_reason"] is None:
            record["stop_reason"] = reason
        if record["stop_reason"] is None and (i + 1 == len(mentions) or groups[i + 1] != groups[i]):
            _follow_on_stop(text, right, mentions[i + 1][0] if i + 1 < len(mentions) else len(text), record)
        # "progression ..., switched to X": the reason belongs to the drug before the switch.
        switch = SWITCH.search(text[segment_start:start])
        if switch and i > 0:
            prior_text = text[segment_start:segment_start + switch.start()]
            prior_reason = _stop_reason(prior_text)
            prior_drug = mentions[i - 1][2]
            # "progression in lungs -> axitinib": an arrow does not overwrite a reason the drug before already has
            arrow = switch.group(0).startswith(("-", "\u2192", "="))
            kept = arrow and by_drug.get(prior_drug, {}).get("stop_reason") not in (None, prior_reason)
            if prior_reason and prior_drug in by_drug:
                if record["stop_reason"] == prior_reason and not _stop_reason(text[start:segment_end]):
                    record["stop_reason"] = None
                if not kept:
                    by_drug[prior_drug]["stop_reason"] = prior_reason
                    for _ds, _, date in find_dates(text, segment_start, segment_start + switch.start()):
                        if by_drug[prior_drug]["stop"] is None:
                            by_drug[prior_drug]["stop"] = date.isoformat()
    _share_within_combinations(by_drug)
    facts = []
    for record in by_drug.values():
        span = record.pop("span")
        record.pop("group")
        record.pop("continues")
        record.pop("own_stop")
        assert isinstance(span, tuple)
        facts.append(_fact(src, "therapies", record, span[0], span[1]))
    return facts


# The words right after a drug that say it was stopped: "pembro was d/c'd 11/2024 for PD, he then started cabo".
STOP_AFTER_DRUG = re.compile(r"[\s,)]*(?:x\s?\d+\s+|\d+\s+(?:doses|cycles)\s+)?"
                             r"(?:(?:was|were|is|has been|had been|then|both|also)\s+){0,2}"
                             r"(?:stop(?:ped|s)?\b|discontinu\w*|d/c'?d?\b|ceased|held\b|ended\b|completed\b)",
                             re.I)


def stop_of_previous(between: str) -> bool:
    """True when the text between two drug mentions opens with a stop of the first drug, so whatever reason it
    gives ("for PD", "for colitis") is the first drug's and not the next one's."""
    return bool(STOP_AFTER_DRUG.match(between))


def _follow_on_stop(text: str, sentence_end: int, limit: int, record: dict[str, object]) -> None:
    """Sentences after a regimen, up to the next drug or the end of the paragraph, often say how it ended ("Scans
    showed progression -> both drugs discontinued 09/22/2022"); only a sentence with an explicit stop counts."""
    paragraph = PARAGRAPH_END.search(text, sentence_end)
    limit = min(limit, paragraph.start() if paragraph else len(text))
    pos = sentence_end
    while pos < limit:
        left, right = sentence_bounds(text, min(pos + 1, len(text) - 1), min(pos + 1, len(text)))
        right = min(right, limit)
        sentence = text[max(left, pos):right]
        stop = STOP_VERB.search(sentence)
        if stop and affirmed(text, max(left, pos) + stop.start(), max(left, pos) + stop.end()):
            reason = _stop_reason(sentence)
            if reason:
                record["stop_reason"] = reason
                after = next(find_dates(text, max(left, pos) + stop.end(), right), None)
                if after and record["stop"] is None:
                    record["stop"] = after[2].isoformat()
                return
        if right <= pos:
            break
        pos = right


def _share_within_combinations(by_drug: dict[str, dict[str, object]]) -> None:
    """A regimen starts and stops as a whole unless the record says otherwise: share its start, stop reason and stop
    date across its drugs."""
    members: dict[object, list[dict[str, object]]] = {}
    for record in by_drug.values():
        members.setdefault(record["group"], []).append(record)
    for records in members.values():
        if len(records) < 2:
            continue
        # "started gemcitabine ... with cisplatin ... on 07/04/2025": the regimen's start date is every member's.
        starts = [str(r["start"]) for r in records if r["start"] is not None]
        for r in records:
            if r["start"] is None and starts:
                r["start"] = min(starts)
        known = next((r for r in records if r["stop_reason"] is not None), None)
        if known is None:
            continue
        for r in records:
            if r["continues"] or (r["own_stop"] and known["stop_reason"] == "completed"):
                continue  # "Ipilimumab ... is finished. Nivolumab continues" (or "nivo d/c'd" for its own reason)
            if r["stop_reason"] is None and r["stop"] in (None, known["stop"]):
                r["stop_reason"] = known["stop_reason"]
                r["stop"] = r["stop"] or known["stop"]


# "then nivolumab maintenance", "maintenance nivolumab", "on maintenance with nivolumab": the drug goes on alone.
MAINTENANCE_BEFORE = re.compile(r"\bmaintenance\s+(?:with\s+|on\s+)?$", re.I)
MAINTENANCE_AFTER = re.compile(r"\s+(?:\S+\s+){0,2}?maintenance\b", re.I)


def is_maintenance(text: str, start: int, end: int) -> bool:
    """True when this mention names the drug as maintenance ("maintenance nivolumab", "nivolumab maintenance")."""
    return bool(MAINTENANCE_BEFORE.search(text[max(0, start - 40):start]) or MAINTENANCE_AFTER.match(text, end))


def _pass_completion(by_drug: dict[str, dict[str, object]], record: dict[str, object]) -> None:
    """The induction's "completed" belongs to the partners that stopped, not to the drug continued as maintenance."""
    for other in by_drug.values():
        if other is not record and other["group"] == record["group"] and other["stop_reason"] is None:
            other["stop_reason"], other["stop"] = "completed", other["stop"] or record["stop"]
    record["stop_reason"], record["stop"], record["continues"] = None, None, True


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


CYCLE_ONE = re.compile(r"\b(?:c1\s*d1|cycle\s*(?:#\s*)?1\s*,?\s*day\s*1)\b", re.I)
DOSE_EVENT = re.compile(r"[^\n]{0,120}?\b(?:started|complete[d]?|administered|infused|given)\b", re.I)
FIRST_DOSE_BOOKED = re.compile(r"\b(?:c1d1|cycle 1(?:,? day 1)?|first (?:dose|cycle|infusion|treatment))\s+"
                               r"(?:is\s+|has been\s+)?(?:scheduled|planned|booked|due)\b", re.I)


CONTINUES = re.compile(r"\bcontinu(?:es|ing|ed on)\b|\bongoing\b|\bremains? on\b|\bstill on\b", re.I)


def _cause_before(text: str, sentence_start: int) -> str | None:
    """The reason for a stop written in the clause just before it, in the same paragraph ("CT showed progression
    in the lungs; pembrolizumab and axitinib were both discontinued"): progression or toxicity only."""
    if sentence_start <= 1:
        return None
    prev_left, _ = sentence_bounds(text, sentence_start - 2, sentence_start - 1)
    before = text[prev_left:sentence_start]
    if sentence_start - prev_left > 300 or PARAGRAPH_END.search(before):
        return None
    reason = _stop_reason(before + " stopped")
    return reason if reason in ("progression", "toxicity") else None


GIVEN = re.compile(r"\badministered\b|\binfused\b|\bc1d1\b(?!\s+(?:is\s+)?(?:scheduled|planned|booked))"
                   r"|\bcycle 1,? day 1\b(?!\s+(?:is\s+)?(?:scheduled|planned|booked))"
                   r"|\bfirst (?:dose|infusion) (?:was )?(?:given|administered|received)\b", re.I)
DRUG_NOTE = re.compile(r"[ \t]*\([^()\n]{1,60}\)")
PRIOR_LIST = re.compile(r"\b(?:prior|previous(?:ly)?|past|earlier)\b[^.;]{0,40}?"
                        r"(?:lines?|therap\w*|treatments?|regimens?)"
                        r"|\b(?:treatment|therapy|oncologic) history\b|\bs/p\b", re.I)
PROGRESSION_ON_NEXT = re.compile(r"(?:following|after|due to|because of|for|with)?\s*(?:disease\s+)?"
                                 r"(?:progression|progressive disease|\bpd\b)\s+(?:on|with|while on|through|despite)"
                                 r"\s*$", re.I)
# ("not restarted", "not for rechallenge": no resumption)
RESUMED = re.compile(r"(?<!\bnot )(?<!\bnever )(?<!\bnot be )(?<!\bnot for )(?<!\bwithout )"
                     r"\b(?:resum\w*|restart\w*|re-start\w*|re-?challeng\w*|re-?introduc\w*|re-?initiat\w*"
                     r"|back on|went back on|put back on)\b", re.I)


def resumed_after_stop(segment: str) -> bool:
    """"held x 5 days for G3 diarrhea, restarted 11/14 at 20 mg": the last stop is followed by a restart, so the
    drug goes on (a hold, not a stop)."""
    stops = list(STOP.finditer(segment))
    return bool(stops) and RESUMED.search(segment, stops[-1].end()) is not None


def _stop_reason(segment: str) -> str | None:
    if PROGRESSION.search(segment) and not re.search(r"no (evidence of )?progress|without progress|stable", segment,
                                                       re.I):
        return "progression"
    if TOXICITY.search(segment) and STOP.search(segment) and not resumed_after_stop(segment):
        return "toxicity"
    if re.search(r"\ball (?:\d+|four|two|three|six) (?:\w+ )?(?:doses|cycles|infusions|courses) (?:were )?"
                 r"(?:given|received|administered|done)\b"
                 r"|\bcomplet\w*\s*[-(:,]?\s*(\d+|all|the|a)\b|\bcomplet\w* as planned\b|\bfinished\b"
                 # "ipi x4 completed", "4 doses completed"
                 r"|\bx\s?\d+\s+(?:doses?\s+|cycles?\s+)?complet(?:ed|e)\b|\b\d+\s+(?:doses|cycles)\s+complet(?:ed|e)\b"
                 r"|\b(?:\d+|all) (?:\w+ )?(?:doses|cycles|infusions) (?:were )?(?:given|received) as planned\b"
                 r"|\b(?:induction|course|cycles|doses|treatment)"
                 r"\s+(?:was\s+|were\s+|has\s+been\s+)?complet(?:ed|e)\b", segment, re.I):
        return "completed"
    return None


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


def _nephrectomy(src: TextSource) -> list[Fact]:
    """Done (with its date and type) from the first affirmed mention; not done when the record says so ("has not
    had a nephrectomy", "not a candidate for cytoreductive nephrectomy") and never says it was done."""
    text = src.text
    negated: Fact | None = None
    for start, end, kind in nephrectomy_mentions(text):
        mods = modifiers(text, start, end) - {"historical"}
        if not mods & EXCLUDING:
            left, right = sentence_bounds(text, start, end)
            date = next(find_dates(text, left, right), None)
            value = {"done": True, "date": date[2].isoformat() if date else None, "type": kind}
            return [_fact(src, "nephrectomy", value, start, end, date[2] if date else None)]
        about_operation = not AFTER_NEPHRECTOMY.match(text, end)
        ruled_out = "negated" in mods or (
            "hypothetical" in mods and NOT_CANDIDATE.search(text, *sentence_bounds(text, start, end)) is not None)
        if negated is None and ruled_out and "family" not in mods and about_operation:
            negated = _fact(src, "nephrectomy", {"done": False, "date": None, "type": None}, start, end)
    return [negated] if negated else []


# "Cytoreductive nephrectomy is not recommended - she is not a candidate": the operation will not be done.
NOT_CANDIDATE = re.compile(r"\bnot (?:a )?(?:surgical |operative )?candidate\b|\bnot (?:recommended|suitable|fit)\b"
                           r"|\bunsuitable\b|\bunfit\b", re.I)
TIMELINE_DATE = re.compile(r"[ \t*\-\u2022]*(?P<d>\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2}"
                           r"|\d{1,2}[- ](?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[- ](?:19|20)\d\d)\b",
                           re.I)
DIAGNOSIS = re.compile(r"(initial(ly)? )?(diagnos\w*|dx)\b", re.I)


def _diagnosis_date(src: TextSource) -> list[Fact]:
    text = src.text
    for m in DIAGNOSIS.finditer(text):
        if not affirmed(text, m.start(), m.end(), frozenset({"historical"})):
            continue
        _, right = sentence_bounds(text, m.start(), m.end())
        found = next(find_dates(text, m.end(), min(right, m.end() + 90)), None)
        if found:
            return [_fact(src, "diagnosis_date", found[2].isoformat(), m.start(), found[1], found[2])]
        # A dated timeline ("* 07/30/2019  CT: 5.6 cm renal mass; diagnosed clear cell RCC on biopsy same day"):
        # the date that opens the line is the date of the entry.
        line_start = text.rfind("\n", 0, m.start()) + 1
        lead = TIMELINE_DATE.match(text, line_start, m.start())
        if lead:
            opening = next(find_dates(text, lead.start("d"), lead.end("d")), None)
            if opening:
                return [_fact(src, "diagnosis_date", opening[2].isoformat(), opening[0], m.end(), opening[2])]
        # "Diagnosis:  Metastatic clear cell RCC ... / (indented) Biopsy 26/08/2025. cT3a ...": a labelled block
        # whose continuation lines name the sample and its date
        if LABEL_AFTER.match(text, m.end()):
            block_end = _block_end(text, m.end())
            tissue = TISSUE.search(text, m.end(), block_end)
            dated = next(find_dates(text, tissue.end(), min(block_end, tissue.end() + 40)), None) if tissue else None
            if tissue is not None and dated is not None:
                return [_fact(src, "diagnosis_date", dated[2].isoformat(), tissue.start(), dated[1], dated[2])]
    return _tissue_diagnosis_date(src)


LABEL_AFTER = re.compile(r"[ \t]*[:\-]")


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


BLOCK_LINE = re.compile(r"[ \t]{4,}\S")  # an indented line, bullet or not, under a "Label:" line


TISSUE = re.compile(r"biops\w*|\bfna\b|fine[- ]needle|core needle|resection|nephrectomy|excision"
                    r"|\bpath(?:ology)?\s*:|\breamings?\b|\bcurett\w*|\bhistology\b|\bhpe\b|histopatholog\w*",
                    re.I)
RESULT = re.compile(r"\b(?:showed|shows|showing|revealed|reveals|demonstrat\w*|confirm\w*|consistent with|"
                    r"diagnostic of|positive for|for)\b|:|\s-\s", re.I)
LATER_DISEASE = re.compile(r"metasta\w*|recurren\w*|relapse", re.I)


NEW_DIAGNOSIS = re.compile(r"\bnewly[- ]diagnosed\b|\bnew diagnosis\b|\bde novo\b|\bsynchronous(?:ly)? metasta"
                           r"|\bmetasta\w* at (?:presentation|diagnosis)\b", re.I)
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
            found.append((dates[-1][2], dates[-1][0], m.end()))
    return found


REPORTED_BEFORE = re.compile(r"\b(?:reported|report(?:ed)? dated|authori[sz]ed|signed(?: out)?|verified|received)\b"
                             r"[ \t:]*(?:on[ \t]+)?$", re.I)


AFTER_TISSUE = re.compile(r"[^.;\n]{0,30}?,?\s*(?:s/p|status post|diagnosed (?:on|at|by)|at|on|following|after)\s+"
                          r"(?:(?:l|r|lt|rt|left|right)\.?\s+)?(?:radical\s+|partial\s+|open\s+|robotic\s+)*"
                          r"(?:nephrectomy|biopsy|core biopsy|resection)\b(?:\s+on)?\s*", re.I)


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
        dates = [d for d in find_dates(text, tissue.start(), m.start())] if tissue else []
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
    return [_fact(src, "diagnosis_date", date.isoformat(), start, end, date)]
