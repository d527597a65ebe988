"""Primary tumour category (pT) from a pathology report: stated, or worked out from size and extent (AJCC 7/8).

Many reports never write "pT"; the category follows from the largest tumour dimension (T1a <= 4 cm, T1b <= 7,
T2a <= 10, T2b > 10, when limited to the kidney) and from how far it reaches (renal vein, sinus or perinephric fat
-> T3a; vena cava below the diaphragm -> T3b, above -> T3c; beyond Gerota's fascia or into the adrenal -> T4).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kidney_navigator.records.context import modifiers

MEASURE = re.compile(
    r"(?<![\d:.,])(?P<a>\d{1,2}(?:[.,]\d{1,2})?)\s*(?:cm\s*)?(?:[x×*]\s*(?P<b>\d{1,2}(?:[.,]\d{1,2})?)\s*(?:cm\s*)?)?"
    r"(?:[x×*]\s*(?P<c>\d{1,2}(?:[.,]\d{1,2})?)\s*)?cm\b", re.I)
TUMOUR_WORDS = re.compile(r"tumou?r|neoplasm|mass|carcinoma|lesion|nodule|\brcc\b", re.I)
NOT_TUMOUR = re.compile(r"specimen|piece|portion|attached|cortex|parenchyma|fet\b|kidney (?:weighs|measures|is|with)|"
                        r"ureter|fragment|gram|vein (?:measures|is)|"
                        r"adrenal gland (?:measures|is)|fat (?:measures|is)|cyst|lymph node|margin|from the|"
                        r"distance|away|cm of|segment", re.I)
DEFINITION = re.compile(r"(<=?|≤|>=?|≥|less than|greater than|more than|up to|over)\s*$", re.I)
EXTENT = [
    ("T4", re.compile(r"gerota'?s?\s*fascia|beyond (?:the )?gerota|ipsilateral adrenal (?:gland )?(?:invasion|"
                      r"involvement)|(?:invad\w*|extend\w*|direct(?:ly)? (?:invad\w*|extension)) (?:into )?(?:the )?"
                      r"(?:ipsilateral )?adrenal", re.I)),
    ("T3c", re.compile(r"above (?:the )?diaphragm|supradiaphragmatic|wall of (?:the )?(?:inferior )?vena cava", re.I)),
    ("T3b", re.compile(r"vena\s*cava\w*|\bcaval\b|\bivc\b", re.I)),
    ("T3a", re.compile(r"renal vein|segmental (?:vein|branch\w*)|peri-?\s?nephric|peri-?\s?renal|renal sinus|sinus "
                       r"(?:fat|adipose)|pelvicalyceal|pelvi-?caliceal|collecting system|blood vessels? (?:with)?in "
                       r"(?:the )?(?:renal )?sinus|hilar fat|perihilar fat", re.I)),
]
INVASION = re.compile(r"invad\w*|invasion|extend\w*|extension|involv\w*|infiltrat\w*|present within|"
                      r"thromb\w*|penetrat\w*|breach\w*|(tumou?r|carcinoma) (is )?present (in|within)|"
                      r"positive for (tumou?r|carcinoma)|through (the )?(renal )?capsule", re.I)
NEGATION = re.compile(r"\b(no|not|without|free of|uninvolved|absent|does not|did not|doesn't|nor|confined|limited)"
                      r"\b[^:;]*$", re.I)
NEGATED_AFTER = re.compile(r"[^.;:]{0,40}?(:\s*)?\b(negative|not (identified|involved|present|seen)|uninvolved|"
                           r"free of tumou?r|absent|is not|does not (involve|extend|invade))\b", re.I)
HEADING = re.compile(r"[\w ,'/()-]{0,30}?:\s*")
HEADING_YES = re.compile(r"^\s*(present|positive|yes|involved|identified|tumou?r (extends|invades|present|involves)|"
                         r"(extends|invades|involves)|carcinoma (extends|invades|present))", re.I)
NEGATION_WORDS = re.compile(r"\b(no|not|negative|absent|free|uninvolved)\b", re.I)
ORDER = ["T1a", "T1b", "T2a", "T2b", "T3a", "T3b", "T3c", "T4"]


@dataclass(frozen=True)
class TFinding:
    value: str
    start: int
    end: int


def largest_tumour_size(text: str) -> TFinding | None:
    """The largest dimension (cm) stated for the tumour, with its span."""
    best: tuple[float, int, int] | None = None
    for m in MEASURE.finditer(text):
        before = text[max(0, m.start() - 70):m.start()]
        after = text[m.end():m.end() + 25]
        tumour_before = list(TUMOUR_WORDS.finditer(before))
        not_before = list(NOT_TUMOUR.finditer(before))
        near_tumour = (tumour_before and (not not_before or not_before[-1].start() < tumour_before[-1].start())) \
            or TUMOUR_WORDS.search(after[:20])
        if not near_tumour or NOT_TUMOUR.search(after[:12]) or DEFINITION.search(before[-12:]):
            continue
        dims = [float(g.replace(",", ".")) for g in (m.group("a"), m.group("b"), m.group("c")) if g]
        size = max(dims)
        if 0.1 <= size <= 40 and (best is None or size > best[0]):
            best = (size, m.start(), m.end())
    if best is None:
        return None
    size = best[0]
    value = "T1a" if size <= 4 else "T1b" if size <= 7 else "T2a" if size <= 10 else "T2b"
    return TFinding(value, best[1], best[2])


def extent(text: str) -> TFinding | None:
    """The furthest affirmed extension of the tumour."""
    for value, rx in EXTENT:
        for m in rx.finditer(text):
            heading = HEADING.match(text, m.end())
            if heading:
                # Synoptic line "Perirenal fat: <value>": only the value after the colon counts.
                answer = text[heading.end():heading.end() + 80].split(";")[0].split(". ")[0]
                if not HEADING_YES.search(answer) or NEGATED_AFTER.match(answer) or NEGATION_WORDS.search(answer):
                    continue
                if re.search(r"capsule", answer, re.I) and not re.search(r"through|beyond|fat|adipose", answer, re.I):
                    continue  # invading the capsule only is still organ-confined
                return TFinding(value, m.start(), heading.end() + len(answer))
            window = text[max(0, m.start() - 80):m.end() + 60]
            if not INVASION.search(window):
                continue
            if modifiers(text, m.start(), m.end()) & {"negated", "uncertain", "hypothetical", "family"}:
                continue
            # OCR breaks sentences at line ends, so look at raw text on both sides for a negation.
            if NEGATION.search(text[max(0, m.start() - 60):m.start()]) or NEGATED_AFTER.match(text, m.end()):
                continue
            return TFinding(value, m.start(), m.end())
    return None


def refine(stated: str | None, text: str) -> TFinding | None:
    """Combine a stated pT (maybe without sub-letter) with size and extent found in the text."""
    size, reach = largest_tumour_size(text), extent(text)
    inferred = reach if reach else size
    if stated is None:
        return inferred
    if stated in ("T1", "T2", "T3") and inferred and inferred.value.startswith(stated):
        return inferred
    return None
