"""Primary tumour category (pT) from a pathology report: stated, or worked out from size and extent (AJCC).

Many reports never write "pT"; the category follows from the largest tumour dimension (cut-offs as data in
rules/record_terms.yaml, t_size_categories) and from how far it reaches. AJCC 7th/8th editions (the default): renal
vein, sinus or perinephric fat -> T3a; vena cava below the diaphragm -> T3b, above -> T3c; beyond Gerota's fascia or
into the ipsilateral adrenal -> T4. A report staged by the 6th edition (2002) uses that edition's rules: a single T2
(> 7 cm), adrenal or perinephric invasion -> T3a, renal vein or infradiaphragmatic cava -> T3b.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kidney_navigator.records.context import modifiers
from kidney_navigator.records.text.source import record_terms

MEASURE = re.compile(
    r"(?<![\d:.,])(?P<a>\d{1,2}(?:[.,]\d{1,2})?)\s*(?:cm\s*)?(?:[x×*]\s*(?P<b>\d{1,2}(?:[.,]\d{1,2})?)\s*(?:cm\s*)?)?"
    r"(?:[x×*]\s*(?P<c>\d{1,2}(?:[.,]\d{1,2})?)\s*)?cm\b", re.I)
TUMOUR_WORDS = re.compile(r"tumou?r|neoplasm|mass|carcinoma|lesion|nodule|\brcc\b", re.I)
NOT_TUMOUR = re.compile(r"specimen|piece|portion|attached|cortex|parenchyma|fet\b|kidney (?:weighs|measures|is|with)|"
                        r"ureter|fragment|gram|vein (?:measures|is)|"
                        r"adrenal gland (?:measures|is)|fat (?:measures|is)|cyst|lymph node|margin|from the|"
                        r"distance|away|cm of|segment", re.I)
DEFINITION = re.compile(r"(<=?|≤|>=?|≥|less than|greater than|more than|up to|over)\s*$", re.I)
# A space in an extent phrase also matches a line break ("renal\nvein" in a wrapped PDF line).
EXTENT = [(key, re.compile(rx.pattern.replace(" ", r"\s+"), rx.flags)) for key, rx in [
    ("T4", re.compile(r"gerota'?s?\s*fascia|beyond (?:the )?gerota", re.I)),
    ("adrenal", re.compile(r"ipsilateral adrenal (?:gland )?(?:invasion|involvement)"
                           r"|(?:invad\w*|extend\w*|direct(?:ly)? "
                           r"(?:invad\w*|extension)) (?:into )?(?:the )?(?:ipsilateral )?adrenal", re.I)),
    ("T3c", re.compile(r"above (?:the )?diaphragm|supradiaphragmatic|wall of (?:the )?(?:inferior )?vena cava", re.I)),
    ("T3b", re.compile(r"vena\s*cava\w*|\bcaval\b|\bivc\b", re.I)),
    ("vein", re.compile(r"renal vein|segmental (?:vein|branch\w*)", re.I)),
    ("T3a", re.compile(r"peri-?\s?nephric|peri-?\s?renal|renal sinus|sinus "
                       r"(?:fat|adipose)|pelvicalyceal|pelvi-?caliceal|collecting system|blood vessels? (?:with)?in "
                       r"(?:the )?(?:renal )?sinus|hilar fat|perihilar fat"
                       r"|through[\s.]+(?:the[\s.]+)?(?:renal[\s.]+)?capsule", re.I)),
]]
# What each finding means in each edition (AJCC 6th ed. 2002; 7th ed. 2010 and 8th ed. 2017 agree on these).
EDITION_VALUE = {
    "7": {"adrenal": "T4", "vein": "T3a"},
    "6": {"adrenal": "T3a", "vein": "T3b"},
}
SIXTH_EDITION = re.compile(r"\b6th\.?\s*(?:ed\b|edition)|sixth edition|ajcc[^.]{0,30}2002", re.I)
INVASION = re.compile(r"invad\w*|invasion|extend\w*|extension|involv\w*|infiltrat\w*|present within|"
                      r"thromb\w*|penetrat\w*|breach\w*|(tumou?r|carcinoma) (is )?present (in|within)|"
                      r"positive for (tumou?r|carcinoma)|through (the )?(renal )?capsule", re.I)
NEGATION = re.compile(r"\b(no|not|without|free of|uninvolved|absent|does not|did not|doesn't|nor|confined|limited)"
                      r"\b[^:;]*$", re.I)
NEGATED_AFTER = re.compile(r"[^.;:]{0,40}?(:\s*)?\b(negative|not (identified|involved|present|seen)|uninvolved|"
                           r"free\b|absent|is not|does not (involve|extend|invade))", re.I)
SENTENCE_START = re.compile(r"\.\s+(?=[A-Z])")
DISTANCE_BEFORE = re.compile(r"\bfrom (?:the )?$", re.I)
HEADING = re.compile(r"[\w ,'/()-]{0,30}?:\s*")
HEADING_YES = re.compile(r"^\s*(present|positive|yes|involved|identified|tumou?r (extends|invades|present|involves)|"
                         r"(extends|invades|involves)|carcinoma (extends|invades|present))", re.I)
NEGATION_WORDS = re.compile(r"\b(no|not|negative|absent|free|uninvolved)\b", re.I)
ORDER = ["T1a", "T1b", "T2", "T2a", "T2b", "T3a", "T3b", "T3c", "T4"]


@dataclass(frozen=True)
class TFinding:
    value: str
    start: int
    end: int


def edition(text: str) -> str:
    """"6" when the report says it is staged by the AJCC 6th edition, else "7" (7th and 8th share these rules)."""
    return "6" if SIXTH_EDITION.search(text) else "7"


def size_category(size_cm: float, ed: str = "7") -> str:
    """pT of a tumour limited to the kidney from its largest dimension (cut-offs from record_terms.yaml)."""
    for category in record_terms().t_size_categories:
        if size_cm <= category.up_to_cm:
            return "T2" if ed == "6" and category.t.startswith("T2") else category.t
    return "T2" if ed == "6" else "T2b"


def tumour_sizes(text: str) -> list[tuple[float, int, int]]:
    """Every largest dimension (cm) stated for a tumour, with its span (not specimens, fat, margins, distances)."""
    found = []
    for m in MEASURE.finditer(text):
        before = text[max(0, m.start() - 70):m.start()]
        after = text[m.end():m.end() + 25]
        tumour_before = list(TUMOUR_WORDS.finditer(before))
        not_before = list(NOT_TUMOUR.finditer(before))
        tumour_after = TUMOUR_WORDS.search(after[:20])
        # "... 5.0 cm. The tumor is 0.2 cm away": a tumour word after a sentence break is not this measure's noun.
        if tumour_after and re.search(r"[.;]\s", after[:tumour_after.start()]):
            tumour_after = None
        near_tumour = (tumour_before and (not not_before or not_before[-1].start() < tumour_before[-1].start())) \
            or tumour_after
        if not near_tumour or NOT_TUMOUR.search(after[:12]) or DEFINITION.search(before[-12:]) \
                or re.match(r"\s*(?:to|from) the\b", after):
            continue  # "2.6 cm to the renal vein" is a distance, not a size
        dims = [float(g.replace(",", ".")) for g in (m.group("a"), m.group("b"), m.group("c")) if g]
        size = max(dims)
        if 0.1 <= size <= 40:
            found.append((size, m.start(), m.end()))
    return found


def largest_tumour_size(text: str, ed: str = "7") -> TFinding | None:
    """The pT that the largest tumour dimension gives, with the span of that measure."""
    sizes = tumour_sizes(text)
    if not sizes:
        return None
    size, start, end = max(sizes, key=lambda s: s[0])
    return TFinding(size_category(size, ed), start, end)


def _negated_before(text: str, start: int) -> bool:
    """A negation earlier in the same sentence; OCR breaks lines with ". " + lower case, so only ". " + a capital
    starts a new sentence here."""
    before = text[max(0, start - 100):start]
    cut = list(SENTENCE_START.finditer(before))
    if cut:
        before = before[cut[-1].end():]
    return bool(NEGATION.search(before)) or bool(DISTANCE_BEFORE.search(before))


def extent(text: str, ed: str = "7") -> TFinding | None:
    """The furthest affirmed extension of the tumour, as a pT of the report's edition."""
    hits: list[TFinding] = []
    for key, rx in EXTENT:
        value = EDITION_VALUE[ed].get(key, key)
        for m in rx.finditer(text):
            heading = HEADING.match(text, m.end())
            if heading:
                # Synoptic line "Perirenal fat: <value>": only the value after the colon counts.
                answer = text[heading.end():heading.end() + 80].split(";")[0].split(". ")[0]
                if not HEADING_YES.search(answer) or NEGATED_AFTER.match(answer) or NEGATION_WORDS.search(answer):
                    continue
                if re.search(r"capsule", answer, re.I) and not re.search(r"through|beyond|fat|adipose", answer, re.I):
                    continue  # invading the capsule only is still organ-confined
                hits.append(TFinding(value, m.start(), heading.end() + len(answer)))
                break
            window = text[max(0, m.start() - 80):m.end() + 60]
            if not INVASION.search(window):
                continue
            if modifiers(text, m.start(), m.end()) & {"negated", "uncertain", "hypothetical", "family"}:
                continue
            # OCR breaks sentences at line ends, so look at raw text on both sides for a negation.
            if _negated_before(text, m.start()) or NEGATED_AFTER.match(text, m.end()):
                continue
            hits.append(TFinding(value, m.start(), m.end()))
            break
    return max(hits, key=lambda h: ORDER.index(h.value)) if hits else None


def refine(stated: str | None, text: str) -> TFinding | None:
    """Combine a stated pT (maybe without sub-letter) with size and extent found in the text.

    A stated "pT1" or "pT2" gets its sub-letter from the largest tumour size that fits the stated category (a
    clinical-history size outside it is not the tumour the pathologist staged).
    """
    ed = edition(text)
    reach = extent(text, ed)
    if stated is None:
        return reach if reach else largest_tumour_size(text, ed)
    if stated in ("T1", "T2", "T3") and reach and reach.value.startswith(stated):
        return reach
    if stated in ("T1", "T2") and not (ed == "6" and stated == "T2"):
        fitting = [(size, s, e) for size, s, e in tumour_sizes(text) if size_category(size, ed).startswith(stated)]
        if fitting:
            size, s, e = max(fitting)
            return TFinding(size_category(size, ed), s, e)
    return None
