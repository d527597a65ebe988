"""What the cancer is and where it has spread: histology, sarcomatoid features, grade, TNM stage and
metastatic sites.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kidney_navigator.profile.models import Fact
from kidney_navigator.records.context import affirmed, modifiers, sentence_bounds
from kidney_navigator.records.text.source import TextSource, fact_at, ocr_tolerant, record_terms, section_heading
from kidney_navigator.records.tstage import refine

# "it had come back in his lungs", "spots in his lungs": the words patients and carers use.
METASTASIS = re.compile(
    r"metasta\w*|\bmets?\b|secondary deposits?|\bdeposits?\b|\bsecondary (?:malignant )?(?:neoplasms?|malignanc\w+)|"
    r"carcinomatosis|\bmalignant (?:pleural |pericardial |peritoneal )?(?:effusion|ascites)|"
    r"spread to|involvement|involving|lesions?|nodules?|"
    r"masses|disease in|recurrence|\brelapse[sd]?\b|\b(?:come|came)\s+back\b|\brecurred\b|\bspots?\b", re.I)


# "Secondary malignant neoplasm of both lungs (C78.01)" is how ICD-10 names a metastasis in a problem list.
STRONG_METASTASIS = re.compile(r"metasta\w*|\bmets?\b|secondary deposits?|spread to|\brelapse\b[^.;]{0,15}:"
                               r"|\bsecondary (?:malignant )?(?:neoplasms?|malignanc\w+)|carcinomatosis"
                               r"|\bmalignant (?:pleural |pericardial |peritoneal )?(?:effusion|ascites)"
                               r"|\b(?:adrenal|liver|hepatic|bone|osseous|lung|pulmonary|nodal|pancreatic) deposits?\b"
                               r"|\b(?:had\s+|has\s+|have\s+)?(?:come|came)\s+back\b|\brecurred\b|\brelapsed\b"
                               r"|recurren\w* of (?:\w+ ){0,2}?(?:cc)?(?:rcc|renal cell carcinoma|kidney cancer)"
                               r" (?:to|in)\b",
                               re.I)


# "Metastatic recurrence: 02/2018 - lungs; later bone (T8, 2021) and pancreas (2023)": every site on a line headed
# by a metastasis label is a metastatic site, though the clauses after ";" do not repeat the word.
METASTASIS_HEADING = re.compile(r"^[ \t*\-\u2022]*(?:[a-z]+ ){0,3}?(?:metasta\w*|mets|sites? of (?:spread|disease)"
                                r"|disease burden|extent of (?:metastatic )?disease|distant disease)"
                                r"(?: \w+){0,2}\s*:", re.I | re.M)


NOT_HEADING = re.compile(r"\b(?:not|no|non)\b", re.I)


GRADE = re.compile(
    r"(fuhrman|isup|who/isup|who|nuclear|nucleolar)[^.:]{0,25}?grade\s*(?:\.{2,}\s*)?(:|is|of)?\s*(?:\[[x\u2713]\]\s*)?"
    r"(?:at least\s+)?"  # "WHO/ISUP nucleolar grade: at least 4 (sarcomatoid component present)"
    r"(?:grade\s*)?g?"
    r"(?P<g>[1-4]|iv|i{1,3})\b"
    r"|\bgrade\s*(:|is)?\s*g?(?P<g2>[1-4]|iv|i{1,3})\s*(/\s*4|of 4|out of 4)?\s*\(?\s*(fuhrman|isup|who)"
    # the grading system named without the word "grade": "clear cell RCC, ISUP 2", "(WHO/ISUP 3, pT3a)", "Fuhrman 3/4"
    # "WHO/ISUP graad 3" (Dutch), "ISUP Grad 2" (German), "grado 3" (Italian, Spanish), "grau 2" (Portuguese)
    r"|\b(?:who/isup|isup|fuhrman)\)?\s*(?:gr(?:ade|aad|ad|ado|au)?\.?\s*)?[:=]?\s*g?(?P<g3>[1-4]|iv|i{1,3})"
    r"(?![0-9a-z])"
    r"(?!\s*(?:cm|mm|%))"
    # a synoptic line: "Histologic grade (WHO/ISUP): G3", "Nuclear grade: 2"
    r"|\b(?:histologic(?:al)?|nuclear|tumou?r)\s+grade\s*(?:\([^()\n]{0,20}\))?\s*[:=]\s*g?(?P<g4>[1-4])(?![0-9a-z.])"
    # "Pathology said papillary renal cell carcinoma, grade 3": the grade straight after the diagnosis
    r"|\b(?:carcinoma|rcc)\s*,\s*grade\s+(?P<g5>[1-4])\b(?![0-9a-z])",
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
                     # ... with the node count, maybe named: "pT3a pN0 (0/3 nodes), M0"
                     r"|(?<![a-z0-9])[pc]?t[0-4][abc]?\s?,?\s?[pc]?n[0-3xo](?:\s*\(\d+\s*/\s*\d+(?:\s+[a-z]{2,6})?\))?"
                     r"\s*,?\s*[pc]?m(?P<m2>[01xo])"
                     r"(?![a-z0-9])"
                     # "no distant disease on staging CT (M0)": a bare category in brackets
                     r"|\((?-i:M)(?P<m3>[01])\)"
                     # "0/3 LN -> pT3a pN0, clinically M0 at the time"
                     r"|\bclinically\s+(?-i:M)(?P<m4>[01x])\b"
                     # "pT3a pN0, WHO/ISUP grade 3, M0 at / diagnosis"
                     r"|\b(?-i:M)(?P<m5>[01])\s+at\s+(?:(?:the\s+time\s+of\s+)?(?:diagnosis|presentation|surgery"
                     r"|nephrectomy)|(?:that|the)\s+time)\b",
                     re.I)


STAGE_GROUP = re.compile(r"\b(?:ajcc\s+)?(?:prognostic\s+)?stage(?:\s+group)?\s*[:=]?\s*(?P<g>iv|iii|ii|i|[1-4])\b"
                         r"(?!\s*(?:cm|mm|%))", re.I)


# OCR reads O as 0 and i as l or 1 ("SARC0MATOID DIFFERENTIATI0N")
SARCOMATOID = re.compile(r"sarc[o0]mat[o0][il1]d([\s.,]+(features?|d[il1]fferent[il1]at[il1][o0]n|component|change"
                         r"|dedifferentiation|elements?))?", re.I)


@lru_cache(maxsize=1)
def _histology_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((kind, re.compile(ocr_tolerant(p), re.I))
                 for kind, patterns in record_terms().histology.items() for p in patterns)


FIELD_LABEL = re.compile(r"^[ \t]*(?P<label>[A-Za-z][A-Za-z /()-]{2,40}?)[ \t]*:", re.M)
SUPERSEDED = re.compile(r"\b(?:outside|referring|original|previous|prior|submitted|local)\s+(?:diagnosis|report"
                        r"|impression|pathology)\b", re.I)


def _superseded(text: str, pos: int) -> bool:
    """The mention sits under a label for a diagnosis a review replaced ("OUTSIDE DIAGNOSIS:" above "Renal cell
    carcinoma, unclassified", then "CONSULTATION DIAGNOSIS: CLEAR CELL RENAL CELL CARCINOMA")."""
    labels = list(FIELD_LABEL.finditer(text, max(0, pos - 200), pos))
    return bool(labels) and SUPERSEDED.search(labels[-1].group("label")) is not None


def histology_facts(src: TextSource) -> list[Fact]:
    text = src.text
    best: tuple[int, int, int, str] | None = None  # (start, order, end, kind)
    for order, (kind, rx) in enumerate(_histology_patterns()):
        for m in rx.finditer(text):
            if best is not None and m.start() > best[0]:
                break
            if affirmed(text, m.start(), m.end(), frozenset({"historical"})) and not _superseded(text, m.start()):
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
    return [fact_at(src, "histology", kind, best[0], best[2])]


def sarcomatoid_facts(src: TextSource) -> list[Fact]:
    text = src.text
    found: list[Fact] = []
    for m in SARCOMATOID.finditer(text):
        mods = modifiers(text, m.start(), m.end())
        if "negated" in mods:
            found.append(fact_at(src, "sarcomatoid", False, m.start(), m.end()))
        elif not mods & {"family", "hypothetical", "uncertain", "planned"}:
            return [fact_at(src, "sarcomatoid", True, m.start(), m.end())]
    return found[:1]


def grade_facts(src: TextSource) -> list[Fact]:
    best: tuple[int, int, int] | None = None
    for m in GRADE.finditer(src.text):
        raw = (m.group("g") or m.group("g2") or m.group("g3") or m.group("g4") or m.group("g5") or "").lower()
        value = ROMAN.get(raw) or int(raw)
        if best is None or value > best[0]:
            best = (value, m.start(), m.end())
    return [fact_at(src, "grade", best[0], best[1], best[2])] if best else []


# A T category the record writes ("pT2a", "cT3a", "T: 2"), as opposed to one worked out from a size.
STATED_T = re.compile(r"(?<![a-z])[ycp]{0,2}\s?t\s?[0-4x]|\bt\s*[:=]", re.I)


def stage_facts(src: TextSource) -> list[Fact]:
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
        facts.append(fact_at(src, "stage.t", refined.value, refined.start, refined.end))
    elif t and stated:
        facts.append(fact_at(src, "stage.t", stated, t.start(), t.end()))
    n = next(iter(N_STAGE.finditer(text)), None)
    if n:
        value = (n.group("n") or n.group("n2") or "").upper().replace("O", "0")  # OCR writes N0 as NO
        facts.append(fact_at(src, "stage.n", f"N{value}", n.start(), n.end()))
    m = next(iter(M_STAGE.finditer(text)), None)
    if m:
        value = (m.group("m") or m.group("m2") or m.group("m3") or m.group("m4") or m.group("m5") or "").upper() \
            .replace("O", "0")
        facts.append(fact_at(src, "stage.m", f"M{value}", m.start(), m.end()))
    g = next(iter(STAGE_GROUP.finditer(text)), None)
    if g:
        raw = g.group("g").lower()
        roman = {"1": "I", "2": "II", "3": "III", "4": "IV"}.get(raw, raw.upper())
        facts.append(fact_at(src, "stage.group", roman, g.start(), g.end()))
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


# ... or a label that lists where the disease is now: "Current disease: liver (stable), portocaval node (smaller)".
SITE_LIST_HEAD = re.compile(r"\b(?:(?:(?P<strong>metasta\w*|mets|recurren\w*|relapse[sd]?|spread|secondary deposits?)"
                            r"|(?P<weak>disease|deposits?|lesions?|tumou?rs?))"
                            r"\s+(?:to|in|into|involving|within|at)\s+"
                            r"|(?:current|active|residual|measurable|remaining) (?:sites? of )?disease(?: sites?)?"
                            r":\s*"
                            # ... or a dated entry of the story: "- recurrence 03/2024: lung (...) and mediastinal LN"
                            r"|(?P<dated>metasta\w*|recurren\w*|relapse[sd]?)[ \t]+(?:(?:in|on)[ \t]+)?"
                            r"\d{1,4}(?:[/.-]\d{1,4}){1,2}[ \t]*:\s*)",
                            re.I)


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
            # "lung (bilateral, largest 24 mm RLL) and mediastinal nodes": a comma in brackets parts no items
            close = text.find(")", pos, right)
            if sep is not None and text.count("(", pos, sep.start()) > text.count(")", pos, sep.start()) \
                    and close > sep.start():
                sep = LIST_SEPARATOR.search(text, close + 1, right)
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
                found.setdefault(matched, fact_at(src, "metastatic_sites", matched, head.start(), item_end))
            if sep is None or sep.end() <= pos:
                break
            pos = sep.end()
    return found


# The TNM notation for the sites of distant metastasis written after M1: "M1 (PUL, OSS, HEP)". PUL, MAR, OSS, PLE,
# HEP, SKI, BRA, LYM and OTH as listed by SEER's AJCC training page
# (https://training.seer.cancer.gov/staging/systems/ajcc/ajcc-m.html, checked 2026-12-07); ADR (adrenal) and PER
# (peritoneum) as listed with the others at https://sanomedica.com/m-metastases-tnm-system/ (a secondary source,
# checked 2026-12-07; the UICC manual itself was not available to check).
M1_SITE_CODES = re.compile(r"(?<![A-Za-z])[cp]?M1[abc]?[ \t]*\((?P<codes>(?:(?:PUL|OSS|HEP|BRA|LYM|MAR|PLE|PER|ADR"
                           r"|SKI|OTH)[ \t,/;]*)+)\)")
SITE_CODE = {"PUL": "lung", "OSS": "bone", "HEP": "liver", "BRA": "brain", "LYM": "lymph_node", "ADR": "adrenal",
             "MAR": "other", "PLE": "other", "PER": "other", "SKI": "other", "OTH": "other"}


def site_facts(src: TextSource) -> list[Fact]:
    text = src.text
    facts: dict[str, Fact] = _site_list(src)
    for m in M1_SITE_CODES.finditer(text):
        for code in re.findall(r"[A-Z]{3}", m.group("codes")):
            facts.setdefault(SITE_CODE[code], fact_at(src, "metastatic_sites", SITE_CODE[code], m.start(), m.end()))
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
                        facts[site] = fact_at(src, "metastatic_sites", site, left + count.start(), left + count.end())
                    continue
            line_start = text.rfind("\n", 0, m.start()) + 1
            heading = METASTASIS_HEADING.match(text, line_start)
            if heading and NOT_HEADING.search(heading.group(0)):
                continue  # "Not mets  : R adrenal thickening - ... felt benign": listed as not metastatic
            if heading and heading.end() <= m.start() and affirmed(text, m.start(), m.end(), frozenset({"historical"})):
                facts[site] = fact_at(src, "metastatic_sites", site, line_start, m.end())
                continue
            if benign_finding(sentence):
                continue
            meta = [mm for mm in METASTASIS.finditer(sentence)]
            near = [mm for mm in meta if abs((mm.start() + left) - m.start()) < 80]
            strong = any(STRONG_METASTASIS.search(mm.group(0)) for mm in near) or (
                bool(near) and (bool(STRONG_METASTASIS.search(text[max(0, left - 200):right]))
                                or bool(RECURRENCE_HEADING.search(section_heading(text, left))))
            )
            finding = [f for f in FINDING.finditer(text, left, right) if abs(f.start() - m.start()) < 80
                       and affirmed(text, f.start(), f.end(), frozenset({"historical"}))]
            if finding and _next_sentence_proves(text, right) \
                    and affirmed(text, m.start(), m.end(), frozenset({"historical"})):
                # "new bilateral lung nodules ... and enlarged subcarinal and right hilar lymph nodes. EBUS-TBNA
                # 10/30/2024 of station 7: metastatic RCC": the sampling that follows proves what was seen
                facts[site] = fact_at(src, "metastatic_sites", site, m.start(), m.end())
                continue
            if (not near or not strong) and not _entry_says_metastatic(text, m.start()):
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
            facts[site] = fact_at(src, "metastatic_sites", site, start, end)
    return list(facts.values())


FINDING = re.compile(r"\b(?:nodules?|lesions?|masses|mass|enlarged|(?:lymph)?adenopathy|deposits?)\b", re.I)
SAMPLED = re.compile(r"\b(?:biops\w*|bx|ebus\w*|tbna|fna|fine[- ]needle|core)\b", re.I)


def _next_sentence_proves(text: str, sentence_end: int) -> bool:
    """The next sentence of the same paragraph samples a finding and calls it metastatic ("EBUS-TBNA 10/30/2024 of
    station 7: metastatic RCC, clear cell")."""
    nxt = sentence_end + len(text[sentence_end:]) - len(text[sentence_end:].lstrip(" .;\t\n"))
    if nxt >= len(text) or "\n\n" in text[sentence_end:nxt + 1]:
        return False
    left, right = sentence_bounds(text, nxt, nxt + 1)
    if not SAMPLED.search(text, left, right) or benign_finding(text[left:right]):
        return False
    return any(affirmed(text, mm.start(), mm.end(), frozenset({"historical"}))
               for mm in STRONG_METASTASIS.finditer(text, left, right))


BULLET_LINE = re.compile(r"[ \t]*(?:[-*\u2022]|\d{1,2}[.)])[ \t]")
INDENTED = re.compile(r"[ \t]{2,}\S")


def _entry_says_metastatic(text: str, pos: int) -> bool:
    """A bulleted entry that names a finding and, in a later sentence of the same entry, what the biopsy showed
    ("- Aug 2023 surveillance CT: multiple bilateral lung nodules and a 3.2 cm retrocaval lymph node mass.
    CT-guided biopsy of the retrocaval node - metastatic papillary RCC."): the entry is about the spread."""
    start = text.rfind("\n", 0, pos) + 1
    for _ in range(6):
        if BULLET_LINE.match(text, start):
            break
        if start == 0 or not INDENTED.match(text, start):
            return False
        start = text.rfind("\n", 0, start - 1) + 1
    else:
        return False
    end = text.find("\n", start)
    while 0 <= end < len(text) - 1 and INDENTED.match(text, end + 1) and not BULLET_LINE.match(text, end + 1):
        end = text.find("\n", end + 1)
    end = len(text) if end < 0 else end
    for mm in STRONG_METASTASIS.finditer(text, start, end):
        left, right = sentence_bounds(text, mm.start(), mm.end())
        if affirmed(text, mm.start(), mm.end(), frozenset({"historical"})) and not benign_finding(text[left:right]):
            return True
    return False


# A section about the cancer coming back ("Recurrence and first-line treatment", "METASTATIC DISEASE"): lesions and
# nodules reported under it are the recurrence ("imaging showed ... three new lung nodules").
RECURRENCE_HEADING = re.compile(r"recurren\w*|relapse\w*|metasta\w*", re.I)


@lru_cache(maxsize=1)
def _benign_rx() -> re.Pattern[str] | None:
    words = record_terms().benign_site_findings
    return re.compile(r"(?<![a-z])(?:" + "|".join(words) + r")(?![a-z])", re.I) if words else None


def benign_finding(sentence: str) -> bool:
    """The sentence calls what it describes benign ("adrenal nodule ... consistent with an adenoma") and does not
    itself say metastasis: its site is not a metastatic site."""
    rx = _benign_rx()
    # "... reports as a lipid-rich adenoma; this is not felt to be metastatic": a denied metastasis does not count
    return bool(rx and rx.search(sentence)) and not any(
        affirmed(sentence, m.start(), m.end()) for m in STRONG_METASTASIS.finditer(sentence))
