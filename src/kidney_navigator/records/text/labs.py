"""Lab results in prose, lines and flowsheets (a column per draw date), with the lab's own range and the date of the
draw.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from kidney_navigator.profile.models import Fact
from kidney_navigator.records.context import sentence_bounds
from kidney_navigator.records.dates import MONTHS, find_dates, yearless_slash_dates
from kidney_navigator.records.text.source import TextSource, admission_date, fact_at, section_date

NUM = r"(?P<value>\d{1,6}(?:[.,]\d+)?)"


UNIT = (r"(?P<unit>g/dl|g/l|mg/dl|mmol/l|umol/l|k/ul|k/mm3|k/µl|x?\s?10\s?[e*]\s?[39]\s?/\s?(?:ul|µl|l)|"
        r"x\s?10\^?\s?3\s?/\s?(?:ul|µl|mm3)|[x×]\s?10\^?\s?4\s?/\s?(?:ul|µl|μl)|"
        r"x\s?10\^?\s?9\s?/\s?l|10\^?\s?9\s?/\s?l|10\^?\s?3\s?/\s?(?:ul|µl)|thou/ul|"
        # Indian reports count platelets in lakhs (100,000) per cubic millimetre: "2.8 lakhs/cumm"
        r"lakhs?\s?/\s?(?:cumm|mm3|µl|ul)|lakhs?|/cumm|cells/cumm|"
        r"/ul|/µl|/μl|/mm3|/mm³|/nl|cells/ul|u/l|iu/l|ui/l|units/l)?")


RANGE = (r"(?:[ \t]*[\(\[]?[ \t]*(?:ref(?:erence)?(?:[ \t]*range)?|normal|nl|range|rr)?[ \t]*[:=]?[ \t]*"
         r"(?P<low>\d+(?:[.,]\d+)?)[ \t]*(?:-|–|to)[ \t]*(?P<high>\d+(?:[.,]\d+)?)[ \t]*"
         r"(?P<range_unit>[a-z/\^0-9µ]*)?[ \t]*[\)\]]?)?")


LAB_NAMES = {
    # "adjusted calcium" is the UK name of the albumin-corrected calcium
    "corrected_calcium": r"(?:albumin[- ])?(?:corrected|adjusted) (?:serum )?calcium|calcium,? (?:corrected|adjusted)"
                         r"|corr(?:ected)?\.? ca|adj(?:usted)?\.? ca\b|(?:ca|calcium)\s*\((?:corr|adj)\w*\.?(?=\))",
    # Portuguese, Spanish and French names too ("Hemoglobina", "Plaquetas", "Neutrófilos", "Cálcio", "DHL")
    "hemoglobin": r"ha?emoglobin[ae]?|h[ée]moglobine|h[äa]moglobin|emoglobina|\bhgb\b|\bhb\b",
    "platelets": r"platelets?(?: count)?|\bplt\b|\bplts\b|plaquetas|plaquettes|thrombozyten|trombocyten|thrombocytes?"
                 r"|piastrine",
    # "Neutrophile abs." (German): the dot after "abs" is no sentence end
    "neutrophils": r"absolute neutrophils?(?: count)?|neutrophils?,? \(?(?:absolute|abs\.?)\)?|\banc\b|\babs\.? neut\w*"
                   r"|neutrophils?(?: count)?"
                   r"|neut(?:rophil)?s?\s?#|\bneut abs\b|\bneuts?\b(?!\s*%)|neutr[oó]filos(?: segmentados)?"
                   r"|neutrophiles|neutrophile(?: granulozyten)?(?: absolut| abs\.?)?|neutrofielen|neutrofili",
    # "calcium carbonate 600 mg", "Ca/vit D": a supplement, not a result
    "calcium": r"(?<!corrected )(?<!adjusted )(?<!ionized )calcium(?:,? (?:total|serum))?"
               r"(?!\s*(?:carbonate|carb\b|citrate|acetate|gluconate|supplement|channel|\+|/\s*vit|and vit))"
               # "Ca" alone is also cancer ("Mum ca breast 70s"): as calcium its value follows at once
               r"|\bca\b(?!\s*19)(?!\s*(?:\+|/)\s*vit)(?=[ \t]*(?:[:=]|\(|\.{2,})?[ \t]*\d)"
               r"|c[aá]lcio(?: total)?|kalzium|calc[ée]mie",
    "albumin": r"alb[uú]min[ae]?|albumin[ée]mie|\balb\b",
    "ldh": r"\bldh\b|lactate dehydrogenase|\bld\b|\bdhl\b|desidrogenase l[aá]tica|deshidrogenasa l[aá]ctica",
}


# "LDH 450 (ULN 250)": only the upper limit written
UPPER_LIMIT = r"(?:[ \t]*\(?[ \t]*(?:uln|upper limit(?: of normal)?)[ \t]*[:=]?[ \t]*(?P<uln>\d+(?:\.\d+)?)\)?)?"
PERCENT = re.compile(r"[ \t]*%")
RANGE_AFTER = re.compile(r"[ \t]*[-\u2013][ \t]*\d")
RANGE_END_VALUE = re.compile(r"[ \t]*[-\u2013][ \t]*(\d+(?:[.,]\d+)?)")
APPROX_RANGE = re.compile(r"[~\u2248]\d+(?:[.,]\d+)?[ \t]*[-\u2013][ \t]*\d")
COMPARED = re.compile(r"(?:<|>|\u2264|\u2265)=?[ \t]*$")
FLAGS = {"L": "low", "LL": "low", "H": "high", "HH": "high"}
UNIT_ONLY = re.compile(UNIT.replace("(?P<unit>", "(?:").removesuffix("?"), re.I)


@lru_cache(maxsize=1)
def _lab_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        # the words between a lab's name and its value never cross a sentence end ("Ca/vit D. Dental exam UTD 07/2026");
        # dot leaders ("CALCIUM .... 9.9") are not one
        # nor an arrow ("ANC normal -> 5 factors" is a count of risk factors, not a count of cells)
        # a unit in brackets after the name ("Platelets (10^3/uL)   512") is not the value
        # ... and neither is one written bare, with its digits ("Neutrophils x10^9/L    7.1      9.6")
        # a name that ends a hard-wrapped line has its value at the start of the next ("platelets / 289 x10^9/L")
        (name, re.compile(r"(?<![a-z])(?:" + names + r")(?:\b|(?<=\.))(?:[ \t]*\((?P<name_unit>[^()\n]{1,15})\))?"
                          r"(?:[ \t]+(?P<bare_unit>[x×]?\s?10\s?\^?\s?[349]\s?/\s?(?:l|ul|µl|mm3)\b))?"
                          # a column left empty before the value ("Calcium   -- not drawn --   9.2   8.6-10.3")
                          r"(?:[ \t]+(?:--[ \t]*not (?:drawn|done)[ \t]*--|not (?:drawn|done)|n/a|pending)"
                          r"(?=[ \t]{2,}\d))?"
                          r"(?:[ \t]*\.{3,})?(?:[ \t]*\n[ \t]{2,}(?=\d)"
                          # ... or at the margin, when a unit follows the number ("platelets / 287 x10^9/L, ALT 54")
                          r"|[ \t]*\n(?=\d+(?:[.,]\d+)?[ \t]*(?:[x×]|10\^|[a-zµ]+/|/)))?"
                          r"(?:(?!(?<=[A-Za-z)])[.;][ \t]|-+>|=>|\u2192)[^\n\d]){0,25}?"
                          # a number glued to letters is a name ("PO4", "T11", "vit D3"), not a value
                          r"[ \t]*(?<![A-Za-z])" + NUM + r"(?![.,]?\d)"
                          + r"(?!\s*(?:mg|mcg|µg|iu|units?)\b(?!\s*/))(?!\s*(?:factors?|points?|criteria)\b)"
                          # "LDH 1.5 x ULN" is a ratio, not a value
                          r"(?!\s*(?:x|×|times)\s*(?:the\s+)?(?:uln|upper|normal|lln))"
                          # "Corrected calcium = Ca + 0.02 x (40 - albumin)": a formula, not a result
                          r"(?!\s*(?:x|×|\*)\s*\()\s*"
                          # a flag between the value and its unit ("10.9 (L)   g/dL   13.5 - 17.5")
                          r"(?:\((?-i:(?P<f1>H|L|HH|LL|A))\)[ \t]+(?=[a-zµ/\d]))?"
                          # or bare ("124  L   g/L        135-175")
                          r"(?:(?-i:(?P<f2>HH|LL|H|L|A))[ \t]+(?=[a-zµ/]))?"
                          # a flag between the value or unit and the range ("12.1   L   13.0-17.0 g/dL")
                          + UNIT + r"(?:[ \t]*\((?-i:(?P<f3>HH|LL|H|L|A))\)"
                          r"|[ \t]*(?-i:(?P<f4>HH|LL|H|L|A))(?=[ \t]+\d))?" + RANGE
                          + UPPER_LIMIT, re.I))
        for name, names in LAB_NAMES.items()
    )


def lab_facts(src: TextSource) -> list[Fact]:
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
            if PERCENT.match(text, m.end("value")) or (m.group("low") and PERCENT.match(text, m.end())):
                # "Neutrophils 72.1 %", "Neutrophils  61.3  40.0 - 74.0 %": the relative count, never the absolute;
                # but "Neutrófilos ...... 62,1 % ........ 3.372 /mm³" goes on to the absolute count on the same line
                line_end = text.find("\n", m.end("value"))
                absolute = ABSOLUTE_AFTER_PERCENT.match(text, m.end("value"), line_end if line_end >= 0 else len(text))
                if absolute is None:
                    continue
                taken.append((m.start(), absolute.end()))
                value, unit = count_number(absolute.group("value"), absolute.group("unit")), absolute.group("unit")
                when = nearest_date_before(text, text.rfind("\n", 0, m.start()) + 1, src.date) or src.date
                key = (name, when.isoformat() if when else "")
                if key not in facts:
                    facts[key] = fact_at(src, f"labs.{name}", {"value": value, "unit": unit, "low": None, "high": None,
                                                               "date": when.isoformat() if when else None},
                                         absolute.start("value"), absolute.end(), when)
                continue
            if DATE_TAIL.match(text, m.end("value")):
                continue  # "07/2026", "11/14": a date, not a value
            if APPROX_RANGE.match(text, m.start("value") - 1):
                continue  # "Hgb ~9-10 in Feb per pt": a range someone recalls, not a result
            line_start = text.rfind("\n", 0, m.start()) + 1
            # a limit or range printed before a row of dated columns ("LDH  U/L  <250  312 H  265 H  240")
            limit_first = COMPARED.search(text, max(m.start(), m.start("value") - 4), m.start("value")) is not None
            range_first = not m.group("low") and RANGE_AFTER.match(text, m.end("value")) is not None
            columns = flowsheet_values(text, line_start, m.start("value"), src.date)
            if (limit_first or range_first) and not columns:
                # "Transfuse if Hgb < 80 g/L": a threshold, not a result; "Reference: ... Hgb 12.0-15.5": a range
                continue
            unit = (m.group("unit") or "").replace(" ", "")
            value = count_number(m.group("value"), unit)
            if not unit and UNIT_ONLY.fullmatch(m.group("range_unit") or ""):
                unit = m.group("range_unit")  # "3.78   1.80 - 7.70 K/uL": the unit printed after the range
            if not unit and UNIT_ONLY.fullmatch((m.group("name_unit") or "").strip()):
                unit = (m.group("name_unit") or "").strip()  # "Haemoglobin (g/L)   112": the unit after the name
            if not unit and m.group("bare_unit"):
                unit = m.group("bare_unit").replace(" ", "")
            if not unit and (range_first or limit_first):
                # "Calcium (total)      mmol/L     2.15-2.55     2.68 H": the unit column before the range
                unit = next((w for w in text[m.start():m.start("value")].split()[1:] if UNIT_ONLY.fullmatch(w)), "")
            low = lab_number(m.group("low")) if m.group("low") else None
            high = lab_number(m.group("high")) if m.group("high") else float(m.group("uln")) if m.group("uln") else None
            if low is not None and high is not None and low >= high:
                low = high = None
            taken.append((m.start(), m.end()))
            if columns:
                line_end = text.find("\n", m.start())
                tail = text[m.start():line_end if line_end >= 0 else len(text)]
                ref = FLOWSHEET_RANGE.search(tail)
                if ref and low is None:
                    low, high = lab_number(ref.group("low")), lab_number(ref.group("high"))
                    unit = unit or (ref.group("unit") or "")
                elif limit_first and high is None:
                    high = lab_number(m.group("value"))
                elif range_first and low is None:
                    # "Haemoglobin   g/dL   13.0-17.0   10.9 L   11.6 L": the range printed before the columns
                    upper = RANGE_END_VALUE.match(text, m.end("value"))
                    low, high = lab_number(m.group("value")), lab_number(upper.group(1)) if upper else None
                readings: list[tuple[dt.date | None, float, int, int]] = list(columns)
                taken.append((m.start(), line_end if line_end >= 0 else len(text)))
            else:
                # "10/05/2025: Ca 10.6 (H)": a date that opens the lab's own line is its date
                # "LABS (Feb 26): Hgb 121 g/L": a month and day with no year take the note's year
                # (the latest date a result can have is its entry's in a running record of dated entries)
                latest = section_date(text, m.start(), src.date)
                own_line = [d for _, _, d in find_dates(text, line_start, m.start(), src.date)
                            if latest is None or d <= latest]
                if not own_line and src.date is not None:  # "Hgb nadir 9.1 on 02/13"
                    own_line = [d for _, _, d in yearless_slash_dates(text, m.end(), min(len(text), m.end() + 12),
                                                                      src.date)
                                if ON_DATE.match(text, m.end())]
                # "Bloods today: Hb 121 g/L, neutrophils 3.8", or under a heading "Bloods today:": the document's
                # own day, whatever date came before
                back = _days_back(text, sentence_bounds(text, m.start(), m.end())[0], m.start())
                today = latest - dt.timedelta(days=back) if back is not None and latest is not None else None
                date = (own_line[-1] if own_line else None) or dated_later_in_sentence(text, m.end(), latest) \
                    or today or admission_date(text, m.start(), m.end()) \
                    or nearest_date_before(text, line_start, src.date) or src.date
                readings = [(date, value, m.start(), m.end())]
            # the lab's own flag ("Hgb 12.1 g/dL (L)"): its judgment of the value against its own range
            flag = FLAGS.get(next((f for f in (m.group("f1"), m.group("f2"), m.group("f3"), m.group("f4")) if f), ""))
            for date, reading, start, end in readings:
                lab = {"value": reading, "unit": unit, "low": low, "high": high,
                       "date": date.isoformat() if date else None}
                if flag and not columns:
                    lab["flag"] = flag
                key = (name, date.isoformat() if date else "")
                if key not in facts:
                    facts[key] = fact_at(src, f"labs.{name}", lab, start, end, date)
    for key, fact in _lab_columns_table(src).items():
        facts.setdefault(key, fact)
    return list(facts.values())


# A results table with one column per test and one row per draw date:
#   Date          Hb     WCC     Neut    Plt     Adj Ca   Alb   LDH
#                 g/L    x10^9/L x10^9/L x10^9/L mmol/L   g/L   U/L
#   22/04/2024    104    7.9     5.9     372     2.36     34    221
DATE_COLUMN = re.compile(r"^[ \t]*(?:date|date/time|collected|collection date|draw date|sample date)\b", re.I | re.M)
TOKEN = re.compile(r"\S+(?: (?!\s)\S+)?")


@lru_cache(maxsize=1)
def _lab_name_rx() -> dict[str, re.Pattern[str]]:
    # a column heading is a name alone: "Ca" heads the calcium column though no value follows it on its line
    return {name: re.compile(r"(?:" + names + (r"|ca" if name == "calcium" else "") + r")\.?", re.I)
            for name, names in LAB_NAMES.items()}


def _nearest_column(columns: list[tuple[int, int, str]], col: int) -> tuple[int, int, str] | None:
    """The column whose heading starts nearest to `col` (a value is printed under the start of its heading)."""
    near = [(abs(c[0] - col), c) for c in columns if c[0] - 4 <= col <= c[1] + 2]
    return min(near, key=lambda n: n[0])[1] if near else None


def _lab_columns_table(src: TextSource) -> dict[tuple[str, str], Fact]:
    text = src.text
    out: dict[tuple[str, str], Fact] = {}
    for header in DATE_COLUMN.finditer(text):
        line_end = text.find("\n", header.start())
        header_line = text[header.start():line_end if line_end >= 0 else len(text)]
        columns: list[tuple[int, int, str]] = []
        units: dict[str, str] = {}
        for token in re.finditer(r"\S+(?: \S+)?(?=\s{2,}|$)", header_line):
            name = next((n for n, rx in _lab_name_rx().items() if rx.fullmatch(token.group(0))), None)
            if name is None:
                # a heading with its unit: "Hb g/dL", "Neut x10^9/L"
                word, _, heading_unit = token.group(0).partition(" ")
                name = next((n for n, rx in _lab_name_rx().items() if rx.fullmatch(word)), None) \
                    if UNIT_ONLY.fullmatch(heading_unit) else None
                if name is not None:
                    units[name] = heading_unit
            if name is not None:
                columns.append((token.start(), token.end(), name))
        if len(columns) < 3:
            continue
        pos = line_end + 1
        while 0 < pos < len(text):
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            line = text[pos:end]
            if not line.strip():
                break
            dated = next(find_dates(text, pos, end), None)
            if dated is not None and not text[pos:dated[0]].strip():
                for number in FLOWSHEET_NUMBER.finditer(text, dated[1], end):
                    owner = _nearest_column(columns, number.start() - pos)
                    if owner is None:
                        continue
                    key = (owner[2], dated[2].isoformat())
                    value = {"value": count_number(number.group(0), units.get(owner[2], "")),
                             "unit": units.get(owner[2], ""), "low": None, "high": None, "date": key[1]}
                    out.setdefault(key, fact_at(src, f"labs.{owner[2]}", value, number.start(), number.end(), dated[2]))
            elif dated is None and not out and not set(line.strip()) <= set("- "):
                # the units line under the header ("g/L    x10^9/L ...")
                for unit in re.finditer(r"\S+", line):
                    owner = _nearest_column(columns, unit.start())
                    if owner is not None and UNIT_ONLY.fullmatch(unit.group(0)):
                        units[owner[2]] = unit.group(0)
            pos = end + 1
    return out


FLOWSHEET_RANGE = re.compile(r"(?P<low>\d+(?:[.,]\d+)?)[ \t]*-[ \t]*(?P<high>\d+(?:[.,]\d+)?)"
                             r"(?:[ \t]+(?P<unit>[^\s|]+))?[ \t]*\|?[ \t]*$")


# a value in a column; never one end of a reference range ("125-220")
FLOWSHEET_NUMBER = re.compile(r"(?<![\w.,\-\u2013])(?:\d{1,3}(?:,\d{3})+|\d{1,6}(?:[.,]\d+)?)(?![\w.,\-\u2013])")


RANGE_END_AFTER = re.compile(r"[ \t]*[-\u2013][ \t]*\d")
RANGE_END_BEFORE = re.compile(r"\d[ \t]*[-\u2013][ \t]*$")


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
        if line_start + col < value_start or RANGE_END_AFTER.match(line, m.end()) or RANGE_END_BEFORE.search(
                line, 0, col):
            continue  # one end of a reference range ("120 - 246"), never a result
        near = [(abs(s - col), d) for s, e, d in dates if s - 3 <= col <= e + 3]
        owner = min(near, key=lambda n: n[0])[1] if near else None  # the nearest column, never the one before
        if owner is not None and all(owner != o[0] for o in out):
            out.append((owner, lab_number(m.group(0)), line_start + m.start(), line_start + m.end()))
    if len(out) == 1:
        # "LDH   402 H   --   120 - 246 U/L": one value, and a dash or "pending" under the other date
        blanks = [m.start() for m in NOT_DRAWN.finditer(line) if line_start + m.start() > value_start]
        if any(s - 3 <= col <= e + 3 for col in blanks for s, e, d in dates if d != out[0][0]):
            return out
    return out if len(out) >= 2 else []


NOT_DRAWN = re.compile(r"(?<!\S)(?:-{1,3}|\u2013|\u2014|n/?a|nd|pending|not done)(?!\S)", re.I)


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
        # pipes and dots are a pipe table's frame ("| Test | 28/06/2022 (pre-SACT) | 09/05/2025 | Ref. range |")
        rest = OTHER_COLUMNS.sub("", HEADER_NOTE.sub("", CLOCK.sub("", rest))).replace("|", " ").replace(".", " ")
        # a header of dates, perhaps after a short label ("Date:  6/3/2025   6/17/2025"), not prose with two dates
        if len(dates) >= 2 and len(" ".join(rest.split())) <= 30 and all(
                HEADER_NOTE.sub("", CLOCK.sub("", line[a[1]:b[0]])).replace("|", "").strip() == "" and b[0] - a[1] >= 2
                for a, b in zip(dates, dates[1:], strict=False)):
            return prev_start, dates
        if not line.strip() and not text[max(0, prev_start - 2):prev_start].strip():
            return None  # two blank lines: a new block
        pos = prev_start
    return None


IN_MONTH = re.compile(r"[ \t]+in[ \t]+(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"
                      r"(?![ \t]*\d)", re.I)


def dated_later_in_sentence(text: str, end: int, latest: dt.date | None = None) -> dt.date | None:
    """"Her haemoglobin was 104 g/L in the emergency department on 02 Jul 2025": a date the sentence gives after the
    value, introduced by "on"; or a month with no year right after it ("Hgb was 121 g/L in January"), the last such
    month up to the note's date."""
    month = IN_MONTH.match(text, end)
    if month is not None and latest is not None:
        number = MONTHS[month.group("month")[:3].lower()]
        return dt.date(latest.year if number <= latest.month else latest.year - 1, number, 1)
    _, right = sentence_bounds(text, end - 1, end)
    later = next(find_dates(text, end, right), None)
    if later is None or not re.search(r"\bon\s*$", text[max(end, later[0] - 6):later[0]], re.I):
        return None
    return later[2]


def nearest_date_before(text: str, pos: int, latest: dt.date | None = None) -> dt.date | None:
    """The last date written before `pos`. A date after the document's own date that is written as a plan
    ("restaging CT early Feb 2027") is never the day a lab was drawn; a later dated section of a running record
    ("== CYCLE 2 DAY 1 == Date: 20/10/2025 ... Pre-cycle bloods 20/10/2025:") is."""
    found = [d for s, _, d in find_dates(text, max(0, pos - 600), pos)
             if latest is None or d <= latest or not PLAN_BEFORE_DATE.search(text, max(0, s - 30), s)]
    return found[-1] if found else None


CLOCK = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b")  # "2025-Oct-07 19:40 (ED)    2025-Oct-08 06:00"
HEADER_NOTE = re.compile(r"\([^()\n]{1,20}\)")  # "03/02 (adm)   03/06   03/09 (d/c)", "05/12/2026 (discharge)"
# the other columns a results table prints beside its dates ("LABS   05/08/2026 (admit)   05/12/2026   Reference")
OTHER_COLUMNS = re.compile(r"\b(?:ref(?:erence)?(?:\s+(?:range|interval))?|normal(?:\s+range)?|range|units?|flags?"
                           r"|standard range"
                           # ... as German, French and Spanish reports head them ("Parameter  07.01.2025  03.03.2025
                           # Einheit  Referenzbereich")
                           r"|parameter|einheit(?:en)?|referenzbereich|normbereich|unit[ée]s?|unidad(?:es)?"
                           r"|valeurs? de r[ée]f[ée]rence|valores? de referencia|intervalo de referencia)\b", re.I)


TODAY_LAB = re.compile(r"\b(?:(?P<today>today(?:'s)?|this morning)|yesterday)\b", re.I)
TODAY_HEADING = re.compile(r"[ \t]*[^\n]{0,30}\b(?:(?P<today>today(?:'s)?|this morning)|yesterday)\b[^\n]{0,60}:"
                           r"[ \t]*\n", re.I)


def _days_back(text: str, sentence_start: int, pos: int) -> int | None:
    """How many days before the note a result was drawn, when the note says so in the result's sentence or in the
    label its paragraph opens with: 0 for "Bloods today:", 1 for "Bloods drawn yesterday (Apr 8) at ... lab:"."""
    said = TODAY_LAB.search(text, sentence_start, pos)
    if said is None:
        paragraph = text.rfind("\n\n", 0, pos)
        said = TODAY_HEADING.match(text, paragraph + 2 if paragraph >= 0 else 0)
    if said is None:
        return None
    return 0 if said.group("today") else 1


ON_DATE = re.compile(r"[^\n\d]{0,4}\bon\s+\d", re.I)


PLAN_BEFORE_DATE = re.compile(r"\b(?:next|planned|plan|due|scheduled|booked|early|late|mid|repeat|restaging|"
                              r"follow[- ]?up|review|in|by|until|after)\b[^\n]{0,25}$", re.I)


DATE_TAIL = re.compile(r"[ \t]*/[ \t]*\d")


THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:,\d{3})+")


# "62,1 % ........ 3.372 /mm³": the absolute count printed after the percentage
ABSOLUTE_AFTER_PERCENT = re.compile(r"[ \t]*%[ \t.]*(?P<value>\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?)[ \t]*"
                                    r"(?P<unit>/mm³|/mm3|/µl|/ul|/cumm|x ?10\^?9/l|10\^?9/l|k/ul|x ?10\^?3/ul)", re.I)
PER_CUBIC = re.compile(r"/(?:mm3|mm³|µl|ul|cumm)$|^cells/", re.I)


def count_number(written: str, unit: str) -> float:
    """A count per mm³ or µL is a whole number: in "198.000 /mm³" (Brazil, Europe) the period groups thousands."""
    if PER_CUBIC.search(unit) and re.fullmatch(r"\d{1,3}(?:\.\d{3})+", written):
        return float(written.replace(".", ""))
    return lab_number(written)


def lab_number(written: str) -> float:
    """"3,150" is three thousand one hundred and fifty (a comma before exactly three digits groups thousands);
    "12,1" is a decimal comma."""
    if THOUSANDS.fullmatch(written):
        return float(written.replace(",", ""))
    return float(written.replace(",", "."))
