"""ConText-style modifiers: is a mention negated, historical, about family, hypothetical, planned or declined?

Rules are data (knowledge/pack/rules/context.yaml); this module only finds cues near a mention, in the same
sentence, within a word window, not across a terminator.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from kidney_navigator.knowledge.loader import PACK_DIR
from kidney_navigator.knowledge.models import ContextRules
from kidney_navigator.records.dates import forget_dates

# OCR'd reports end every broken line with ". ", so every ". " counts as a boundary (narrower scopes are safer).
# A line break followed by a lower-case word is a hard-wrapped sentence going on, not a boundary.
# A line ending in ":" is a heading whose content is on the next line ("LYMPH NODE, PARA-AORTIC, BIOPSY:" /
# "METASTATIC RENAL MEDULLARY CARCINOMA."), so that line break is not a boundary either.
# A line that ends in a word no sentence ends with ("on", "no", "of", "and", "the") is hard-wrapped: "started ... on
# / 07/04/2025", "Brain MRI: no / Metastases".
_OPEN_WORDS = ("on", "in", "at", "of", "to", "for", "from", "by", "with", "without", "and", "or", "nor", "the", "a",
               "an", "no", "not", "than", "since", "until", "into", "onto", "was", "were", "is", "are", "as")
_NOT_AFTER_OPEN_WORD = "".join(rf"(?<![^A-Za-z]{w})" for w in _OPEN_WORDS)
# A title before a name ("Dr. Colquhoun", "Mrs. Marchetti") does not end a sentence.
_TITLES = "".join(rf"(?<!\b{t})" for t in ("Dr", "Mr", "Mrs", "Ms", "Prof", "St", "vs", "Drs",
                                             # dosage forms before a drug name ("Tab. Sunitinib 37.5 mg OD")
                                             "Tab", "Cap", "Inj", "Syp", "Syr"))
# ... nor does an initial after a title or another initial ("Mr A. Lindqvist", "Dr. J. K. Osei").
_TITLES += "".join(rf"(?<!\b{t} [A-Z])" for t in ("Dr", "Mr", "Mrs", "Ms", "Prof", "Dr.", "Mr.", "Mrs.", "Ms.",
                                                     "Prof."))
_TITLES += r"(?<!\b[A-Z]\. [A-Z])"
# ... nor does "e.g." or "i.e." ("a combination (e.g. nivolumab + ipilimumab)").
_TITLES += r"(?<!\be\.g)(?<!\bi\.e)(?<!\bE\.g)(?<!\bI\.e)"
# ... nor does "No." before an identifier ("HPE No. H-4471/25", "Hosp No. 2044").
_TITLES += r"(?!(?<=\bNo)\.\s*[A-Za-z]{0,4}-?\d)"
SENTENCE_END = re.compile(r"(?<=[A-Za-z0-9)\]%])" + _TITLES + r"\.\)?(?:\s+|$)|[;!?]"
                          r"|(?<![:, \t])" + _NOT_AFTER_OPEN_WORD + r"[ \t]*\n(?![ \t]*[a-z(]|[ \t]{8,}"
                          # ("characterised on MRI / 2019-04-15 as a typical haemangioma": a full date that goes on
                          # in lower-case words continues the sentence)
                          r"|[ \t]{0,4}(?:\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})[ \t]+[a-z]{2})"
                          # a wrap before a number that goes on in words ("an adrenal nodule measuring / 8 HU on
                          # the unenhanced images", "nephrectomy / 09/14/2016 (Fuhrman grade 2"): one sentence, when
                          # the line before ends in a lower-case word and the number is not a list marker
                          r"(?<![a-z][ \t]\n)(?<![a-z]\n)"
                          r"|(?<![:, \t])(?<=[a-z])" + _NOT_AFTER_OPEN_WORD + r"[ \t]*\n(?![ \t]*[a-z(]|[ \t]{8,}"
                          # (a PDF text layer may put the number on a line of its own: "due to grade / 3 / immune")
                          r"|[ \t]{0,4}(?!\d{1,2}[.)][ \t])\d[\d/.,:-]*(?:[ \t]|\n[ \t]*)"
                          r"(?:[a-z(]|[A-Z]{1,3}[ \t][a-z]))"
                          # a run of spaces separates table cells, but not a label from its value ("Sarcomatoid
                          # features:          Not identified", "Sarcomatoid features      : Not identified")
                          r"|(?<![\n \t:])[ \t]{3,}(?![ \t]*[:=])"
                          # a bullet opens a new entry however far it is indented ("   - no sarcomatoid
                          # differentiation" / "   - recurrence 03/2024: lung ..."), unless a label introduced it
                          # ("BONE, RIGHT ILIUM, CORE BIOPSY:" / "  - METASTATIC RENAL CELL CARCINOMA")
                          r"|(?<![:\s])[ \t]*\n(?=[ \t]*[-*\u2022][ \t]+\S)")
WORD = re.compile(r"\S+")


def _phrase_rx(phrases: list[str]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    parts = sorted({p.lower() for p in phrases}, key=len, reverse=True)
    return re.compile(by_first_char([
        (p[0], (r"(?<![a-z0-9])" if p[0].isalnum() else "") + _spaced(p) + (r"(?![a-z0-9])" if p[-1].isalnum() else ""))
        for p in parts
    ]), re.I)


def by_first_char(alternatives: list[tuple[str | None, str]]) -> str:
    """An alternation of (first character, regex) pairs, grouped behind a one-character lookahead.

    Python's regex engine tries every alternative at every position; hundreds of cue phrases made the cue scan the
    slowest step of extraction. Alternatives with different first characters can never both match at one position,
    so grouping them keeps exactly the same matches while most positions are rejected after one cheap test per
    group. An alternative whose first character is not known (None) is kept in its place, between groups, so the
    order in which alternatives are tried never changes for any position.
    """
    out: list[str] = []
    groups: dict[str, list[str]] = {}

    def flush() -> None:
        out.extend(f"(?={re.escape(first)})(?:{'|'.join(rxs)})" for first, rxs in groups.items())
        groups.clear()

    for first, rx in alternatives:
        if first is None:
            flush()
            out.append(f"(?:{rx})")
        else:
            groups.setdefault(first.lower(), []).append(rx)
    flush()
    return "|".join(out)


def first_literal(regex: str) -> str | None:
    """The character every match of a simple regex starts with, or None when that is not certain."""
    if not regex or not regex[0].isalnum() or regex[1:2] in ("?", "*", "{"):
        return None
    depth = 0
    for ch in regex:  # a top-level "|" would let another branch start differently
        depth += ch == "("
        depth -= ch == ")"
        if ch == "|" and depth == 0:
            return None
    return regex[0]


def _spaced(phrase: str) -> str:
    """A cue phrase whose spaces also match a hard line break ("could be / considered"). In a long cue, OCR's
    confusions of i, l and 1 after the first letter are allowed ("Not identifled")."""
    words = [re.escape(word) for word in phrase.split(" ")]
    if len(phrase) >= 10 and re.fullmatch(r"[a-z ]+", phrase):
        words = [w[0] + re.sub(r"[il]", "[il1]", w[1:]) for w in words]
    return r"\s+".join(words)


@dataclass(frozen=True)
class _Compiled:
    window: int
    pseudo: re.Pattern[str] | None
    terminators: re.Pattern[str] | None
    cues: tuple[tuple[str, str, re.Pattern[str]], ...]


@lru_cache(maxsize=1)
def rule_data() -> ContextRules:
    """The cues as written in context.yaml (other readers build on the same words)."""
    return ContextRules.model_validate(yaml.safe_load((PACK_DIR / "rules" / "context.yaml").read_text()))


@lru_cache(maxsize=1)
def rules() -> _Compiled:
    data = rule_data()
    cues = tuple(
        (m.category, m.direction, rx) for m in data.modifiers if (rx := _phrase_rx(m.cues)) is not None
    )
    return _Compiled(data.window, _phrase_rx(data.pseudo), _phrase_rx(data.terminators), cues)


# "his father", "the patient's mother": a relative of the patient, even when the writer calls the patient "Dad".
THIRD_PERSON_KIN = re.compile(r"\b(?:his|her|their|patient's|patient’s)\s+$", re.I)
MALE = re.compile(r"\b(?:he|him|his|himself)\b", re.I)
FEMALE = re.compile(r"\b(?:she|her|hers|herself)\b", re.I)


@dataclass(frozen=True)
class Proxy:
    """Who a proxy-written document is about: the kinship words that name the patient, and the spans where the
    writer names themself (their own "daughter" is not a relative's disease either)."""

    patient_words: frozenset[str] = frozenset()
    writer_spans: tuple[tuple[int, int], ...] = ()


@lru_cache(maxsize=1)
def _proxy_rules() -> tuple[tuple[re.Pattern[str], ...], dict[str, dict[str, list[str]]]]:
    data = rule_data().proxy_writer
    if data is None:
        return (), {}
    return tuple(re.compile(p, re.I) for p in data.writer), data.patient_words


def patient_sex(text: str) -> str | None:
    """male / female by the majority of third-person pronouns (a proxy writes about the patient), None on a tie."""
    male, female = len(MALE.findall(text)), len(FEMALE.findall(text))
    return "male" if male > female else "female" if female > male else None


def words_for_patient(relation: str, sex: str | None, table: dict[str, dict[str, list[str]]]) -> frozenset[str]:
    """The words a writer with this relation uses for the patient: fixed by the relation when only one sex fits
    ("my dad"), otherwise by the patient's sex; nothing when the sex is unknown."""
    by_sex = table.get(relation.lower(), {})
    filled = [words for words in by_sex.values() if words]
    if len(filled) == 1:
        return frozenset(w.lower() for w in filled[0])
    return frozenset(w.lower() for w in by_sex.get(sex or "", []))


@lru_cache(maxsize=16)
def proxy(text: str) -> Proxy:
    """Detect a writer who identifies as the patient's relative or carer (rules/context.yaml `proxy_writer`)."""
    patterns, table = _proxy_rules()
    spans: list[tuple[int, int]] = []
    words: set[str] = set()
    sex = None
    for rx in patterns:
        for m in rx.finditer(text):
            relation = next((v for k, v in m.groupdict().items() if k.startswith("relation") and v), None)
            if relation is None:
                continue
            spans.append((m.start(), m.end()))
            sex = sex or patient_sex(text)
            words |= words_for_patient(relation, sex, table)
    return Proxy(frozenset(words), tuple(spans)) if spans else Proxy()


@lru_cache(maxsize=8)
def _sentence_ends(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Every sentence boundary in a document (starts and ends), found once: extraction asks for hundreds of them."""
    matches = list(SENTENCE_END.finditer(text))
    return tuple(m.start() for m in matches), tuple(m.end() for m in matches)


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or line, or clause) around [start, end).

    Boundaries come from the whole text, not text[:start]: the boundary test looks at the next line ("no\nmetastases"
    is one sentence), and a slice would hide that line and split a negation from what it negates.
    """
    starts, ends = _sentence_ends(text)
    i = bisect.bisect_right(ends, start)  # boundaries that end at or before the mention
    left = ends[i - 1] if i else 0
    j = bisect.bisect_left(starts, end)  # the first boundary at or after the mention's end
    return left, starts[j] if j < len(starts) else len(text)


# A marker name: a token with a digit ("PAX8", "TTF-1", "CK7", "CD10", "GATA3") or a known stain without one.
_MARKER = r"(?:[A-Za-z][A-Za-z0-9]*-?\d+[A-Za-z]?|(?i:ca-?ix|amacr|ema|vimentin|desmin|racemase|cytokeratin))"
IMMUNOSTAIN = re.compile(r"(?<![\w-])" + _MARKER + r"[ \t]+(?i:negative|neg|positive|pos)\b"
                         r"|(?<![\w-])" + _MARKER + r"(?:\+|-)(?![\w-])")
# A sentence that opens with a relative as its subject ("My cousin's husband in Winnipeg had kidney cancer ... and he
# was on a different pill, cabozantinib"): the whole sentence is about the relative, however long.
# ... also after a family-history label and with an adjective: "Family history: her older brother"
RELATIVE_SUBJECT = re.compile(r"^[\W\d]*(?:(?:family history|fhx|fh)\s*:\s*)?"
                              r"(?:(?:my|his|her|their|the patient's|patient's|pt's)\s+)"
                              r"(?:(?:older|younger|elder|late|twin|maternal|paternal)\s+)?(?:\w+'s\s+)?\w+$",
                              re.I)
# "Discussed first-line options for poor-risk RCC in detail - ipilimumab + nivolumab, pembrolizumab + axitinib, ...":
# a cue that introduces a list of options covers the whole list, however long.
# "Standard options were discussed with her (cabozantinib; pembrolizumab + lenvatinib)": options opening a bracket
# too (not "regimens": "prior regimens (sunitinib, nivolumab)" were given)
LIST_INTRO = re.compile(r"\b(?:options?|choices?|alternatives?|regimens)\b[^.;:\n]{0,60}?(?::|\s[-\u2013\u2014]\s)"
                        r"|\b(?:options?|choices?|alternatives?)\b[^.;:()\n]{0,60}?\s\(", re.I)
PARENTHETICAL = re.compile(r"\([^()]{0,300}\)")
# "could not eat: sunitinib STOPPED", "no restrictions \u2014 ECOG 0": after a word, a colon or a dash between spaces
# opens a new clause
NEW_CLAUSE = re.compile(r"\w[ \t]*:[ \t]|\w[ \t]+[\u2013\u2014][ \t]|[ \t](?:-+>|=>|\u2192)[ \t]")


def _words_between(text: str, a: int, b: int) -> int:
    """Words between a cue and a mention; a closed parenthetical aside does not count ("options would be a trial
    (we have a savolitinib study ...), or erlotinib with bevacizumab": erlotinib is still an option). A mention
    inside a parenthesis opened after the cue is as near as the parenthesis ("the usual choice would be a
    combination (pembrolizumab with axitinib, ..., or ipilimumab with nivolumab)": the cue covers the whole list)."""
    between = PARENTHETICAL.sub(" ", text[a:b])
    opened = between.rfind("(")
    if opened != -1 and ")" not in between[opened:]:
        between = between[:opened]
    return len(WORD.findall(between))


@dataclass(frozen=True)
class _SentenceScan:
    pseudo: tuple[tuple[int, int], ...]
    terminators: tuple[tuple[int, int], ...]
    cues: tuple[tuple[str, str, int, int, str], ...]  # category, direction, start, end, cue text


@lru_cache(maxsize=1024)
def _scan_sentence(text: str, left: int, right: int) -> _SentenceScan:
    """Every cue, pseudo-cue and terminator in one sentence, found once: a sentence naming five drugs and two
    sites is asked about seven times, and the cue scan is most of the cost of reading a document."""
    compiled = rules()
    sentence = text[left:right]
    pseudo = [(m.start() + left, m.end() + left) for m in compiled.pseudo.finditer(sentence)] \
        if compiled.pseudo else []
    # an immunostain result ("PAX8 positive, TTF-1 negative") describes the tumour; it negates nothing
    pseudo += [(m.start() + left, m.end() + left) for m in IMMUNOSTAIN.finditer(sentence)]
    terms = [(m.start() + left, m.end() + left) for m in compiled.terminators.finditer(sentence)] \
        if compiled.terminators else []
    cues = [(category, direction, m.start() + left, m.end() + left, m.group(0))
            for category, direction, rx in compiled.cues for m in rx.finditer(sentence)]
    return _SentenceScan(tuple(pseudo), tuple(terms), tuple(cues))


def _in_a_later_aside(text: str, end: int, cue_start: int) -> bool:
    """True when a cue after a mention sits inside a parenthesis that opens more than a dose's words after it: the
    aside is about whatever comes just before the parenthesis, not about this mention."""
    between = text[end:cue_start]
    opened = between.rfind("(")
    if opened == -1 or ")" in between[opened:]:
        return False
    return len(WORD.findall(PARENTHETICAL.sub(" ", between[:opened]))) > 3


def forget_documents() -> None:
    """Drop what the per-document caches hold (sentence boundaries, cue scans, proxy writers): a benchmark that
    reads the same files again must time the work, not the cache."""
    _sentence_ends.cache_clear()
    _scan_sentence.cache_clear()
    proxy.cache_clear()
    forget_dates()


def modifiers(text: str, start: int, end: int) -> set[str]:
    """Categories that apply to the mention text[start:end]."""
    compiled = rules()
    left, right = sentence_bounds(text, start, end)
    scan = _scan_sentence(text, left, right)
    pseudo_spans, terms = scan.pseudo, scan.terminators
    found: set[str] = set()
    writer = proxy(text)
    for category, direction, cs, ce, cue in scan.cues:
        if cs < end and ce > start:
            continue  # the cue is part of the mention itself
        if cue.lower() == "no" and text[ce:ce + 1] == ".":
            continue  # "HPE (No. H-4471/25)": the abbreviation of number, not a negation
        if any(ps <= cs < pe for ps, pe in pseudo_spans):
            continue
        names_patient = cue.lower() in writer.patient_words \
            and not THIRD_PERSON_KIN.search(text, max(0, cs - 40), cs)
        if category == "family" and (names_patient or any(ws <= cs < we for ws, we in writer.writer_spans)):
            continue  # in a proxy's message "Dad started ..." is the patient; "his father" is still family
        if ce <= start and direction in ("forward", "both"):
            gap = (ce, start)
        elif cs >= end and direction in ("backward", "both"):
            gap = (end, cs)
            if _in_a_later_aside(text, end, cs):
                continue  # "Sutent 37.5 mg (d/c 2024 - PD), Votrient 800 mg (never started)": Votrient's note
        else:
            continue
        about_relative = category == "family" and gap[0] == ce and RELATIVE_SUBJECT.search(text[left:ce]) is not None
        if _words_between(text, *gap) > compiled.window and not about_relative and not (
                category == "hypothetical" and gap[0] == ce and LIST_INTRO.search(text, ce, start)):
            continue
        # ("her older brother had ... and has since developed lung metastases": "and has" goes on about him)
        if not about_relative and any(gap[0] <= ts and te <= gap[1] for ts, te in terms):
            continue
        if gap[0] == ce and text.count(")", ce, start) > text.count("(", ce, start):
            continue  # "Oncology plan (discussed with Dr Okonjo):": a cue inside brackets stays inside them
        if category == "negated" and gap[0] == ce and NEW_CLAUSE.search(text, gap[0], gap[1]):
            continue  # "could not eat: sunitinib STOPPED": the colon opens what happened next (so does a dash)
        found.add(category)
    if start > 0 and text[start - 1] == "?":
        found.add("uncertain")  # "seg 7 lesion ?met vs haemangioma": a question mark glued before it queries it
    if "negated" not in found and _answered_no(text, end):
        found.add("negated")  # "E-4  Active brain metastases          [N]": a checklist item answered No
    if "family" not in found and _continues_a_relative(text, left, writer):
        found.add("family")  # "My sister had kidney cancer too. She takes Cabometyx now": "she" is the sister
    if "hypothetical" not in found and ENDS_DISCUSSED.match(text, end, right):
        found.add("hypothetical")  # "adjuvant SUNItinib discussed; order written ... then CANCELLED"
    if "hypothetical" not in found and _under_options_heading(text, start):
        found.add("hypothetical")  # "Not given / future options discussed:\n - Belzutifan ... at next progression"
    if "hypothetical" not in found and (_continues_a_list_of_options(text, left)
                                        or LIST_INTRO.search(text, left, start) is not None):
        found.add("hypothetical")  # "reviewed first-line options in detail - A + B, C + D": the list is options
    return found


# A clause that ends by saying the drug before it was only talked about ("adjuvant sunitinib discussed;")
ENDS_DISCUSSED = re.compile(r"[^.;:\n]{0,40}?\b(?:was |were )?(?:discussed|considered|proposed|suggested|mentioned)"
                            r"[ \t]*$", re.I)


# A checklist's answer column: the item on the line is answered No ("[N]", "[No]").
# An empty box ("Prior nephrectomy < 28 d before randomization   [ ]") is a No too: a checked one reads "[X]".
ANSWER_NO = re.compile(r"[ \t]{2,}\[(?:[ \t]*(?:n|no)[ \t]*|[ \t]+)\](?=[ \t]|$)", re.I | re.M)


def _answered_no(text: str, end: int) -> bool:
    """True when the rest of the mention's line holds a checklist answer of No."""
    line_end = text.find("\n", end)
    return ANSWER_NO.search(text, end, line_end if line_end >= 0 else len(text)) is not None


# A sentence whose subject is a pronoun ("She takes ...", "He was on ...").
PRONOUN_SUBJECT = re.compile(r"[\W\d]*(?:she|he|they)\b(?!\s+(?:and|or)\b)", re.I)
# A first-person writer's sentence that opens with a relative ("My sister Joanne had kidney cancer too"): only a
# patient or a carer writes "my sister", so the next sentence's "she" is the sister, not the patient.
MY_RELATIVE = re.compile(r"^[\W\d]*(?:my|our)\s+(?:\w+'s\s+)?\w+$", re.I)


# The writer is the patient ("about my meds", "Should I be on that instead?"): a carer writing "My husband has
# kidney cancer. He started Cabometyx" is writing about the patient, and the next "he" is the patient.
PATIENT_WRITES = re.compile(r"\bmy (?:meds|medications?|medicines?|pills?|cancer|tumou?r|scans?|ct|mri|treatment"
                            r"|infusions?|oncologist|biopsy|surgery|labs|blood ?work|dose)\b"
                            r"|\b(?:should i be on|i'?m on|i am on|i take|i'?ve been on|i have been on)\b", re.I)


def _continues_a_relative(text: str, left: int, writer: Proxy) -> bool:
    """True when the sentence at `left` opens with she/he/they right after a sentence, written by the patient, whose
    subject is the writer's relative, in the same paragraph."""
    if not PRONOUN_SUBJECT.match(text, left, min(len(text), left + 20)) or not PATIENT_WRITES.search(text):
        return False
    before = text[:left].rstrip()
    if len(before) < 2 or "\n\n" in text[len(before):left].replace(" ", "").replace("\t", ""):
        return False
    prev_left, prev_right = sentence_bounds(text, len(before) - 2, len(before) - 1)
    return any(category == "family" and cue.lower() not in writer.patient_words
               and MY_RELATIVE.search(text[prev_left:ce]) is not None
               for category, _, _, ce, cue in _scan_sentence(text, prev_left, prev_right).cues)


# A heading that introduces a list of what was not given or is for later: "Not given / future options discussed:",
# "Alternatives:", "Later-line options:".
OPTIONS_HEADING = re.compile(r"\b(?:options?|alternatives?|choices|not given|not received|future|later|next lines?)\b"
                             r"[^\n]{0,60}:[ \t]*$", re.I)
BULLET_LINE = re.compile(r"[ \t]*(?:[-*\u2022]|\d{1,2}[.)]|[a-z][.)])[ \t]+")


def _under_options_heading(text: str, pos: int) -> bool:
    """True when `pos` sits in a bulleted list whose heading line introduces options or what was not given. The
    list is the bullet lines (and their indented continuations) right under the heading, up to a blank line."""
    line_start = text.rfind("\n", 0, pos) + 1
    seen_bullet = False
    for _ in range(12):
        line_end = text.find("\n", line_start)
        line = text[line_start:line_end if line_end >= 0 else len(text)]
        if not line.strip():
            return False  # a blank line ends the list
        if BULLET_LINE.match(line):
            seen_bullet = True
        elif not line[:1].isspace():
            return seen_bullet and OPTIONS_HEADING.search(line) is not None
        if line_start == 0:
            return False
        line_start = text.rfind("\n", 0, line_start - 1) + 1
    return False


def _continues_a_list_of_options(text: str, left: int) -> bool:
    """"Options reviewed: nivolumab + ipilimumab; cabozantinib + nivolumab; pembrolizumab + lenvatinib": a ";"
    ends each clause, but every item after the first still belongs to the list of options."""
    pos = left
    for _ in range(8):
        before = text[:pos].rstrip()
        if not before.endswith(";"):
            return False
        prev_left, _ = sentence_bounds(text, len(before) - 1, len(before))
        if LIST_INTRO.search(text, prev_left, len(before)):
            return True
        pos = prev_left
    return False


EXCLUDING = frozenset({"negated", "family", "hypothetical", "planned", "declined", "uncertain"})


def affirmed(text: str, start: int, end: int, allow: frozenset[str] = frozenset()) -> bool:
    """True when the mention is about this patient, as a fact (history allowed unless excluded by the caller)."""
    return not ((modifiers(text, start, end) - allow) & EXCLUDING)
