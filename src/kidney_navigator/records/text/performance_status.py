"""ECOG, WHO and Karnofsky scores written in text: the current score, a stated baseline, and the date each one belongs
to.
"""

from __future__ import annotations

import datetime as dt
import re

from kidney_navigator.profile.models import Fact, plausible_performance
from kidney_navigator.records.context import affirmed, sentence_bounds
from kidney_navigator.records.dates import find_dates, yearless_slash_dates
from kidney_navigator.records.text.source import (
    PARAGRAPH_END,
    TextSource,
    admission_date,
    caps_heading,
    fact_at,
    line_end,
    ruled_heading,
    section_date,
)

# "today", "now", "currently" may sit between the scale and its value ("ECOG performance status today is 1").
_WHEN = r"(?:\s*(?:today|now|currently|at (?:this|today's) visit))?"


# The WHO performance status is the same 0-4 scale as ECOG ("WHO/ECOG 1", "WHO performance status is 2").
# Zubrod is another name for the same scale ("Zubrod PS 1").
# "ECOG one", "ECOG three": a score written as a word
_WORD_SCORES = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4}
ECOG = re.compile(r"\b(?:ecog|zubrod|who(?=\s*(?:performance\s+status|ps)\b))\b\)?"
                  r"(?:\s*(?:ps|performance\s+status|performance\s+score|score|status|grade))?" + _WHEN +
                  # "ECOG Performance Status......1": dot leaders
                  # ("updated your ECOG performance status to 0")
                  r"\s*(?:of|is|was|as|at|to|:|=|-|\.{2,}|(?:[a-z]+\s+)?from)?\s*"
                  r"(?P<v>[0-4]|zero|one|two|three|four)\b"
                  r"|\b(?:perf(?:ormance)?\.?\s+status|ps)[:\s]*\(?\s*(?:ecog|zubrod|(?-i:WHO))"
                  r"(?:\s*/\s*(?:ecog|zubrod|who))?\s*\)?" + _WHEN +
                  r"\s*(?:of|is|was|as|:|=)?\s*"
                  r"(?P<v2>[0-4])\b"
                  r"|\b(?:performance status|ps)\s*(?:of|is|:|=)?\s*(?P<v3>[0-4])\s*(?:\(?ecog|\(?zubrod|\(who\))"
                  # a bare "PS: 1" in a vitals line: 0-4 can only be the ECOG scale (Karnofsky counts in tens)
                  r"|(?<![A-Za-z])(?-i:PS)(?:\s*[:=]\s*|[ \t]+)(?P<v4>[0-4])(?![\d.%])(?![ \t]*(?:mm|cm|mg))"
                  # "performance status of 1", "Perf status 2": a score of 0-4 with no scale named is ECOG's
                  r"|\b(?:performance|perf\.?)\s+status\s*(?:of|is|was|at|:|=)?\s*(?P<v5>[0-4])\b(?![\d.%])"
                  # "PS at discharge: 1"
                  r"|(?<![A-Za-z])(?-i:PS)[ \t]+(?:at|on)[ \t]+(?:discharge|admission|consent|review)[ \t]*[:=]?"
                  r"[ \t]*(?P<v6>[0-4])(?![\d%])(?!\.\d)",
                  re.I)


KPS = re.compile(r"\b(?:karnofsky|kps)\)?(?:\s*(?:performance\s+status|performance\s+score|ps|score|status|index))?"
                 + _WHEN +
                 r"\s*(?:\(kps\))?\s*(?:of|is|was|:|=|-|at|around|about|(?:[a-z]+\s+)?from)?\s*"
                 r"(?P<v>100|[1-9]0)\s*%?"
                 # "performance status 70%": a score in tens with no scale named is Karnofsky's
                 r"|\b(?:performance|perf\.?)\s+status\s*(?:of|is|was|:|=)?\s*(?P<v2>100|[1-9]0)\b(?!\s*(?:min|hour|hr|day|week|mg|cm|mm))\s*%?",
                 re.I)


# A change written in one mention: "ECOG 1 -> 2", "KPS 90 → 70", "ECOG went from 1 to 2": the later value is current.
TRANSITION = {"ECOG": re.compile(r"\s*(?:-+>|\u2192|=>|\u27f6)\s*(?:ecog\s*)?(?P<to>[0-4])\b"
                                 r"|\s*\bto\s+(?P<to2>[0-4])\b", re.I),
              "KPS": re.compile(r"\s*(?:-+>|\u2192|=>|\u27f6)\s*(?:kps\s*)?(?P<to>100|[1-9]0)\b"
                                r"|\s*\bto\s+(?P<to2>100|[1-9]0)\b", re.I)}


def performance_facts(src: TextSource) -> list[Fact]:
    """One score per scale: the latest of the document's affirmed mentions ("ECOG 2 on admission, back to ECOG 1 at
    discharge" -> 1). A date in the mention's own sentence orders mentions; without one, the later mention in the
    text is the later assessment (notes are written in time order), as "newest wins" across documents."""
    text = src.text
    best_by_scale: list[tuple[str, int, bool, Fact]] = []
    baseline: dict[str, list[Fact]] = {}
    # earlier scores with a date of their own ("KPS 50 on admission" in a discharge summary): kept too, so the risk
    # models can take the one from before the first treatment
    earlier: list[Fact] = []
    for scale, rx in (("KPS", KPS), ("ECOG", ECOG)):
        best: tuple[str, int, bool, Fact] | None = None
        best_is_baseline = False
        for m in rx.finditer(text):
            if not affirmed(text, m.start(), m.end(), frozenset({"historical"})):
                continue
            value = current_value(scale, m, text)
            if value is None or not plausible_performance(scale, value):
                continue
            # "WHO PS 1 today (PS 0 at the MDT on 29/07/2025)": "today" is the document's date, whatever date is near
            # (in a record of several dated visits, "today" is the day of the visit it sits under)
            said_today = TODAY.match(text, m.end()) is not None or TODAY.search(m.group(0)) is not None
            own = section_date(text, m.start(), src.date) if said_today else \
                mention_date(text, m.start(), m.end(), src.date) or admission_date(text, m.start(), m.end()) \
                or entry_date(text, m.start())
            # "ECOG 0 before treatment", or under a section "4. IMDC (at relapse, before first-line therapy)"
            bounds = sentence_bounds(text, m.start(), m.end())
            # ("WHO PS 2 today (PS 0 at start of SACT)": the score said to be today's is not the baseline)
            said_baseline = not said_today and BASELINE.search(text, *bounds) is not None \
                or BASELINE.search(ruled_heading(text, m.start())) is not None \
                or BASELINE.search(caps_heading(text, m.start())) is not None
            # "back in May you said my ECOG was 0": an earlier score, not one from the message's date
            fact_is_past = own is None and PAST_SCORE.search(text, *bounds) is not None
            # "She was ECOG 0 at the start": a score from when treatment began, not from the day of the note
            when = own or (None if said_baseline or fact_is_past else section_date(text, m.start(), src.date))
            fact = fact_at(src, "performance_status", {"scale": scale, "value": value}, m.start(), m.end(), when)
            if when is None and (said_baseline or fact_is_past):
                fact = fact.model_copy(update={"date": None})  # undated: any dated score is more recent
            if not baseline.get(scale) and said_baseline:
                # "ECOG 0 before treatment": the score the risk models use, whatever came later
                baseline[scale] = [fact_at(src, "performance_status.baseline", {"scale": scale, "value": value},
                                         m.start(), m.end(), own)]
            key = (when.isoformat() if when else "", m.start())
            # (a date of its own, or of its section in a record of dated visits)
            if when is not None and not said_baseline:
                earlier.append(fact)
            # an undated score said to be from the start ("PS 0 at start of SACT") never outranks one that is not
            if best is None or (key[:2] > best[:2] and not (said_baseline and when is None and not best_is_baseline)) \
                    or (best_is_baseline and not said_baseline and best[0] == ""):
                best = (*key, own is not None, fact)
                best_is_baseline = said_baseline and when is None
        if best is not None:
            best_by_scale.append(best)
    if len(best_by_scale) == 2 and not any(b[2] for b in best_by_scale):
        (_, a, _, _), (_, b, _, _) = best_by_scale
        if PARAGRAPH_END.search(text, min(a, b), max(a, b)):
            # Neither says when, and they sit in different paragraphs ("recorded as ECOG 2, KPS 60" in the story,
            # "Performance status: Zubrod 3" in today's exam): the later mention is the later assessment, whichever
            # its scale. Side by side ("ECOG 1, KPS 90", "KPS 70%. ECOG 1.") both stand and Karnofsky is preferred.
            best_by_scale = [max(best_by_scale, key=lambda f: f[1])]
    chosen = [b[3] for b in best_by_scale]
    latest = max((f.date for f in chosen if f.date), default=None)
    older = [f for f in earlier if latest is not None and f.date is not None and f.date < latest
             and all(f.date != c.date or f.value != c.value for c in chosen)]
    from_table = _table_scores(src)
    if from_table:
        # a table of dated rows with a score column ("Date  Dose  BP  ECOG  Tox ..."): each row is an assessment,
        # so the latest row competes with the prose by its date
        newest = max(f.date or "" for f in from_table)
        chosen = [f for f in chosen if (f.date or "") > newest] or chosen
    return chosen + older + from_table + [f for facts in baseline.values() for f in facts]


SCORE_HEADING = re.compile(r"(?<![^\s])(?:pre-?(?:tx|treatment)\s+)?(?P<scale>ecog|kps|karnofsky|who\s?ps)(?![^\s])",
                           re.I)
RULE_LINE = re.compile(r"[ \t]*[-=_ ]+[ \t]*$")


def _table_scores(src: TextSource) -> list[Fact]:
    """Scores in a column of a table whose rows are dated ("26/06/2023 60 mg 146/92   1   diarrhoea G1 ...")."""
    text = src.text
    out: list[Fact] = []
    for head in SCORE_HEADING.finditer(text):
        line_start = text.rfind("\n", 0, head.start()) + 1
        header_end = line_end(text, head.end())
        header = text[line_start:header_end]
        if len(re.findall(r"\S+(?:\s\S+)?(?=\s{2,}|$)", header)) < 4 or re.search(r"(?<!\w)\d+(?:[.,]\d+)?(?!\w)",
                                                                                    header):
            continue  # not a table heading: a sentence, or a line with values
        col_start, col_end = head.start() - line_start, head.end() - line_start
        scale = "KPS" if head.group("scale").lower() in ("kps", "karnofsky") else "ECOG"
        pos = header_end + 1
        while pos < len(text):
            end = line_end(text, pos)
            row = text[pos:end]
            if not row.strip():
                break
            dated = next(find_dates(text, pos, end), None)
            cell = re.search(r"\S+", row[max(0, col_start - 2):col_end + 2]) if not RULE_LINE.match(row) else None
            if dated is not None and cell is not None and re.fullmatch(r"\d{1,3}", cell.group(0)):
                value = int(cell.group(0))
                if plausible_performance(scale, value):
                    at = pos + max(0, col_start - 2) + cell.start()
                    out.append(fact_at(src, "performance_status", {"scale": scale, "value": value}, at,
                                       at + len(cell.group(0)), dated[2]))
            pos = end + 1
    return out


TODAY = re.compile(r"[ \t,]*\b(?:today|now|currently|at (?:this|today's) visit|this visit)\b", re.I)


# a score the writer recalls from before ("back in May you said my ECOG was 0", "ECOG used to be 0")
PAST_SCORE = re.compile(r"\bback in\b|\bused to be\b|\bpreviously\b|\bin the past\b", re.I)


# a wrapped line may split any of these phrases ("ECOG 0 at the\n  start")
_BASELINE_WORDS = (r"\b(?:before|prior to) (?:starting |the start of |beginning )?(?:any )?(?:systemic )?"
                   r"(?:treatment|therapy|immunotherapy|first(?:-| )line)\b|\bat baseline\b|\bbaseline\b"
                   r"|\bpre-?treatment\b|\bat (?:the )?start(?: of (?:treatment|therapy))?\b"
                   r"|\bat (?:the )?(?:time of )?(?:initiation|starting)\b|\bwhen (?:she|he|they) started\b"
                   # "WHO PS 0 at consent" (for systemic anticancer therapy, before the first dose)
                   r"|\bat consent\b"
                   # "In January before starting cabozantinib ... a Karnofsky index of 80 %"
                   r"|\b(?:before|prior to) (?:starting|beginning|commencing|initiating) [a-z][a-z-]+\b")
BASELINE = re.compile(_BASELINE_WORDS.replace(" ", r"\s+"), re.I)


def current_value(scale: str, m: re.Match[str], text: str) -> int | None:
    """The score a performance-status mention gives for now: its value, or the value after an arrow ("ECOG 1 -> 2"),
    after "to" when the mention says "from" ("ECOG declined from 1 to 2"), or a later value the same clause gives
    ("KPS 90 in March, now 70"; "ECOG 3 on admission, improved to 2 at discharge"). A range ("ECOG 1-2", "KPS 70-80%")
    is no single score: None."""
    groups = m.groupdict()
    written = next(v for v in (groups.get(k) for k in ("v", "v2", "v3", "v4", "v5", "v6")) if v)
    value = _WORD_SCORES[written.lower()] if written.lower() in _WORD_SCORES else int(written)
    change = TRANSITION[scale].match(text, m.end())
    if change and (change.group("to") or re.search(r"\bfrom\b", m.group(0), re.I)):
        return int(change.group("to") or change.group("to2"))
    if SCORE_RANGE[scale].match(text, m.end()):
        return None
    later = LATER_SCORE[scale].match(text, m.end())
    return int(later.group("to")) if later else value


_SCORES = {"ECOG": r"[0-4]", "KPS": r"(?:100|[1-9]0)"}


SCORE_RANGE = {scale: re.compile(r"[ \t]*%?[ \t]*(?:-|\u2013|to|or|/)[ \t]*" + v + r"\b(?![ \t]*(?:cm|mm))", re.I)
               for scale, v in _SCORES.items()}


LATER_SCORE = {scale: re.compile(
    r"[^.;\n\d]{0,30}?\b(?:now|currently|today|(?:improv\w*|declin\w*|worsen\w*|deteriorat\w*|fell|dropped|rose"
    r"|increased|decreased|went(?: back)?|back|came back)\s+to)[ \t]*(?:is[ \t]+)?(?:ecog|kps|karnofsky)?[ \t]*"
    r"(?P<to>" + v + r")\b(?![ \t]*(?:cm|mm|mg))", re.I) for scale, v in _SCORES.items()}


ENTRY_DATE = re.compile(r"[ \t*\-\u2022]*(?=\d{1,2}/\d{1,2}/\d{2,4}\b|\d{4}-\d{2}-\d{2}\b)")


def entry_date(text: str, pos: int) -> dt.date | None:
    """The date that opens the line of a dated timeline entry ("09/27/2024  Initial consult (...). KPS 70%")."""
    line_start = text.rfind("\n", 0, pos) + 1
    opening = ENTRY_DATE.match(text, line_start, pos)
    if opening is None:
        return None
    found = next(find_dates(text, opening.end(), min(pos, opening.end() + 10)), None)
    return found[2] if found is not None and found[0] == opening.end() else None


def mention_date(text: str, start: int, end: int, reference: dt.date | None = None) -> dt.date | None:
    """The date written in the same sentence as a mention, nearest to it ("ECOG 2 on 02/10/2025"; with the
    document's date, also "consult 02/12: KPS 60")."""
    left, right = sentence_bounds(text, start, end)
    dates = list(find_dates(text, left, right))
    if not dates and reference is not None:
        dates = yearless_slash_dates(text, left, right, reference)
    found = [(min(abs(ds - end), abs(start - de)), d) for ds, de, d in dates]
    return min(found, key=lambda f: f[0])[1] if found else None
