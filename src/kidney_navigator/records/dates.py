"""Find and normalise dates as records write them (2025-03-14, 03/14/2025, 3/14/25, March 14, 2025, 03/2025).

Slash dates are month-first (US) unless the document itself shows it writes day-first (UK, Canada, Europe): a
date like 19/05/2016 can only be day-first, and one document uses one convention throughout.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
# Month names of the records people bring from elsewhere, where the English three-letter start does not give them:
# French ("11 mai 2023", "28 août 2023"), Spanish and Portuguese ("3 de junho de 2016"), German, Italian and Dutch.
FOREIGN_MONTHS = {
    "janvier": 1, "février": 2, "fevrier": 2, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "août": 8, "aout": 8,
    "décembre": 12, "decembre": 12,
    "enero": 1, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8, "setiembre": 9, "diciembre": 12,
    "janeiro": 1, "fevereiro": 2, "março": 3, "marco": 3, "maio": 5, "junho": 6, "julho": 7, "setembro": 9,
    "outubro": 10, "dezembro": 12,
    "januar": 1, "februar": 2, "märz": 3, "maerz": 3, "juni": 6, "juli": 7, "oktober": 10, "dezember": 12,
    "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7, "settembre": 9,
    "ottobre": 10, "dicembre": 12,
    "januari": 1, "februari": 2, "maart": 3, "mei": 5, "augustus": 8,
}
_FOREIGN_LONGEST_FIRST = sorted(FOREIGN_MONTHS, key=len, reverse=True)
_MON = (r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|"
        + "|".join(_FOREIGN_LONGEST_FIRST) + r")[a-z]*\.?")
DATE_RX = re.compile(
    # an ISO date may run on into its time ("2025-03-04T10:15:00-06:00", FHIR dateTime)
    r"(?P<iso>\b(?P<y1>(19|20)\d\d)-(?P<m1>\d{1,2})-(?P<d1>\d{1,2})(?:(?=T\d)|\b))"
    r"|(?P<us>\b(?P<m2>\d{1,2})/(?P<d2>\d{1,2})/(?P<y2>(19|20)?\d\d)\b)"
    # "07-10-2025" (India, the Netherlands): read like a slash date, in the document's order
    r"|(?P<dash>\b(?P<m11>\d{1,2})-(?P<d11>\d{1,2})-(?P<y11>(19|20)\d\d)\b)"
    # "07.10.2025" (Germany, Italy, Nigeria), "18.03.24" (New Zealand GP systems): always day first
    r"|(?P<dot>(?<![\w.])(?P<d12>\d{1,2})\.(?P<m12>\d{1,2})\.(?P<y12>(19|20)\d\d|\d\d)\b(?![.,]\d))"
    # "2025/10/28" (Japan, China, Korea): year first, then month and day
    r"|(?P<jp>\b(?P<y9>(19|20)\d\d)/(?P<m9>\d{1,2})/(?P<d9>\d{1,2})\b)"
    r"|(?P<jpm>\b(?P<y10>(19|20)\d\d)/(?P<m10>\d{1,2})\b(?!/))"
    r"|(?P<long>\b" + _MON + r"\s+(?P<d3>\d{1,2})(st|nd|rd|th)?,?\s+(?P<y3>(19|20)\d\d)\b)"
    # "11 Feb 2020", "11-Feb-2020", "11-FEB-20" (Canadian and lab-system style)
    r"|(?P<eu>\b(?P<d4>\d{1,2})(?:st|nd|rd|th|er)?(?:\s+(?:de\s+)?|-)" + _MON.replace("(jan", "(?P<mon4>jan")
    + r"(?:\s+(?:de\s+)?|-)(?P<y4>(19|20)\d\d)\b)"
    # "2025-Oct-07" (Canadian hospital systems)
    r"|(?P<ymd>\b(?P<y7>(19|20)\d\d)-" + _MON.replace("(jan", "(?P<mon7>jan").removesuffix(r"\.?")
    + r"-(?P<d7>\d{1,2})\b)"
    r"|(?P<ym>\b(?P<y8>(19|20)\d\d)-" + _MON.replace("(jan", "(?P<mon8>jan").removesuffix(r"\.?") + r"\b)"
    r"|(?P<my>\b(?P<m5>\d{1,2})/(?P<y5>(19|20)\d\d)\b)"
    r"|(?P<monyear>\b" + _MON.replace("(jan", "(?P<mon6>jan") + r"\s+(?P<y6>(19|20)\d\d)\b)",
    re.I,
)


SLASH_DATE = re.compile(r"\b(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?:19|20)?\d\d\b"
                        r"|\b(?P<a2>\d{1,2})-(?P<b2>\d{1,2})-(?:19|20)\d\d\b")


# The order the whole document writes its dates in, while one of its pages is read: a page whose own dates could be
# read either way ("04/07/2022 ... 06/09/2022") follows the rest of the document ("28/06/2022" elsewhere).
_DOCUMENT_DAY_FIRST: ContextVar[bool | None] = ContextVar("document_day_first", default=None)


@contextmanager
def document_order(whole: str) -> Iterator[None]:
    """Read pages of `whole` in the date order the whole document shows."""
    token = _DOCUMENT_DAY_FIRST.set(own_day_first(whole))
    try:
        yield
    finally:
        _DOCUMENT_DAY_FIRST.reset(token)


def day_first(text: str) -> bool:
    """True when the text's slash dates are day/month/year (see own_day_first); when the text does not show it, the
    order of the document it is a page of; month-first otherwise."""
    own = own_day_first(text)
    if own is None:
        own = _DOCUMENT_DAY_FIRST.get()
    return bool(own)


@lru_cache(maxsize=64)
def own_day_first(text: str) -> bool | None:
    """True when the text's slash dates are day/month/year: more of them are impossible month-first than day-first;
    None when every date could be read either way and nothing else tells."""
    day_first_only = month_first_only = 0
    pairs = []
    for m in SLASH_DATE.finditer(text):
        a, b = int(m.group("a") or m.group("a2")), int(m.group("b") or m.group("b2"))
        pairs.append((a, b))
        if a > 12 >= b >= 1:
            day_first_only += 1
        elif b > 12 >= a >= 1:
            month_first_only += 1
    if not (day_first_only or month_first_only):
        # "Back on cabo 40mg since 22/1": a day and month with no year can show the order too (blood pressures
        # such as 138/84 cannot: both parts are over 12)
        for m in YEARLESS_PAIR.finditer(text):
            a, b = int(m.group("a")), int(m.group("b"))
            if 31 >= a > 12 >= b >= 1:
                day_first_only += 1
            elif 31 >= b > 12 >= a >= 1:
                month_first_only += 1
    if day_first_only or month_first_only:
        return day_first_only > month_first_only
    # Every date could be read either way ("02/08/2025 ... 05/08/2025 ... 11/08/2025"): one document covers days or
    # weeks, not months, so the field that stays the same is the month.
    firsts, seconds = {a for a, _ in pairs}, {b for _, b in pairs}
    if len(pairs) >= 3 and len(seconds) == 1 and len(firsts) >= 3:
        return True
    if pairs:
        # the writer's own dates in words tell the order they think in: "7 November 2019 ... Date of diagnosis
        # 07/11/2019" is day first, "November 7, 2019 ... 11/07/2019" month first
        day_month = len(DAY_MONTH_WORDS.findall(text))
        month_day = len(MONTH_DAY_WORDS.findall(text))
        if day_month >= 2 and not month_day:
            return True
        if month_day >= 2 and not day_month:
            return False
    return None


YEARLESS_PAIR = re.compile(r"(?<![\d/.:-])(?P<a>\d{1,2})/(?P<b>\d{1,2})(?![\d/%-])(?![.:]\d)"
                           r"(?!\s*(?:mm|cm|nodes?|cores?|mg))")
_MONTH_WORD = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
               r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?")
DAY_MONTH_WORDS = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)? " + _MONTH_WORD + r",? (?:19|20)\d\d\b")
MONTH_DAY_WORDS = re.compile(r"\b" + _MONTH_WORD + r" \d{1,2}(?:st|nd|rd|th)?,? (?:19|20)\d\d\b")


def _year(text: str) -> int:
    year = int(text)
    return year + (2000 if year < 50 else 1900) if year < 100 else year


def _month_name(text: str) -> int:
    word = text.lower()
    for name in _FOREIGN_LONGEST_FIRST:
        if word.startswith(name):
            return FOREIGN_MONTHS[name]
    return MONTHS[word[:3]]


def parse_match(m: re.Match[str], dayfirst: bool = False) -> dt.date | None:
    try:
        if m.group("iso"):
            return dt.date(int(m.group("y1")), int(m.group("m1")), int(m.group("d1")))
        if m.group("us"):
            first, second = int(m.group("m2")), int(m.group("d2"))
            month_no, day_no = (second, first) if dayfirst else (first, second)
            return dt.date(_year(m.group("y2")), month_no, day_no)
        if m.group("dash"):
            first, second = int(m.group("m11")), int(m.group("d11"))
            month_no, day_no = (second, first) if dayfirst else (first, second)
            return dt.date(int(m.group("y11")), month_no, day_no)
        if m.group("dot"):
            return dt.date(_year(m.group("y12")), int(m.group("m12")), int(m.group("d12")))
        if m.group("jp"):
            return dt.date(int(m.group("y9")), int(m.group("m9")), int(m.group("d9")))
        if m.group("jpm"):
            return dt.date(int(m.group("y10")), int(m.group("m10")), 1)
        if m.group("long"):
            month = re.match(r"\w+", m.group("long"))
            return dt.date(int(m.group("y3")), _month_name(month.group(0) if month else ""), int(m.group("d3")))
        if m.group("eu"):
            return dt.date(int(m.group("y4")), _month_name(m.group("mon4")), int(m.group("d4")))
        if m.group("ymd"):
            return dt.date(int(m.group("y7")), _month_name(m.group("mon7")), int(m.group("d7")))
        if m.group("ym"):
            return dt.date(int(m.group("y8")), _month_name(m.group("mon8")), 1)
        if m.group("my"):
            return dt.date(int(m.group("y5")), int(m.group("m5")), 1)
        if m.group("monyear"):
            return dt.date(int(m.group("y6")), _month_name(m.group("mon6")), 1)
    except (ValueError, KeyError):
        return None
    return None


# "started the Sutent on March 16", "restarted on Aug 24": a month name and a day with no year. Month names must be
# capitalised (so "may 2" is never a date) and the day must not be followed by a year (that is DATE_RX's).
_TITLE_MON = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)"
YEARLESS_RX = re.compile(
    r"\b(?P<mon>" + _TITLE_MON + r")[a-z]*\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?!\s*(?:,\s*)?(?:19|20)\d\d)"
    r"(?![.,]?\d)(?!\s*(?:mg|mcg|cm|mm|%|x\b))"
    r"|\b(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon2>" + _TITLE_MON + r")[a-z]*\b(?!\.?\s*,?\s*(?:19|20)\d\d)")


# words that put a yearless date in the future ("target start March 18", "next visit Apr 2", "due on May 5")
FUTURE_BEFORE = re.compile(r"\b(?:next|due|scheduled|booked|target|will|planned|starting|to start)\b[^.;\n]{0,20}$",
                           re.I)


def _yearless(m: re.Match[str], reference: dt.date, ahead: bool = False) -> dt.date | None:
    """The latest date with this month and day on or before `reference` (a note looks back, not ahead), or the
    first one on or after it when the text says it is still to come ("target start March 18")."""
    try:
        month = _month_name(m.group("mon") or m.group("mon2"))
        day = int(m.group("d") or m.group("d2"))
        found = dt.date(reference.year, month, day)
        if ahead:
            return found if found >= reference else dt.date(reference.year + 1, month, day)
        return found if found <= reference else dt.date(reference.year - 1, month, day)
    except ValueError:
        return None


# "DOB: 12/02/1964", "Date of birth 09/03/1947", "born 1958": the person's birth, never a date of their illness
BIRTH_LABEL = re.compile(r"(?:\bdob|\bd\.o\.b\.?|\bdate of birth|\bbirth ?date|\bborn(?: on| in)?)[ \t]*[:#=]?[ \t]*$",
                         re.I)


def is_birth_date(text: str, date_start: int) -> bool:
    """True when the date at `date_start` is labelled as a birth date."""
    return BIRTH_LABEL.search(text, max(0, date_start - 20), date_start) is not None


def find_dates(text: str, start: int = 0, end: int | None = None,
               reference: dt.date | None = None) -> Iterator[tuple[int, int, dt.date]]:
    """Every date in text[start:end] with its span (slash dates read in the convention the whole text uses). With a
    `reference` (the document's own date), month-and-day dates with no year are read as the last such day before it.
    """
    stop = len(text) if end is None else end
    # a cell or a line is scanned directly: caching it would only push a whole document's dates out of the cache
    every = _all_dates(text, day_first(text)) if len(text) > SHORT_TEXT else _scan_dates(text, day_first(text))
    first = bisect.bisect_left(every, (start,))
    found = []
    for s, e, parsed in every[first:]:
        if s >= stop:
            break
        if e <= stop:
            found.append((s, e, parsed))
    if reference is not None:
        for m in YEARLESS_RX.finditer(text, start, stop):
            if any(s < m.end() and m.start() < e for s, e, _ in found):
                continue
            ahead = FUTURE_BEFORE.search(text, max(0, m.start() - 30), m.start()) is not None
            yearless = _yearless(m, reference, ahead)
            if yearless is not None:
                found.append((m.start(), m.end(), yearless))
        found.sort(key=lambda f: f[0])
    yield from found


SHORT_TEXT = 500


@lru_cache(maxsize=16)
def _all_dates(text: str, dayfirst: bool) -> list[tuple[int, int, dt.date]]:
    """Every dated span of a whole text, found once: extraction asks for the dates of thousands of small ranges."""
    return _scan_dates(text, dayfirst)


def _scan_dates(text: str, dayfirst: bool) -> list[tuple[int, int, dt.date]]:
    out = []
    for m in DATE_RX.finditer(text):
        parsed = parse_match(m, dayfirst)
        if parsed is not None and 1900 <= parsed.year <= 2100 and not is_birth_date(text, m.start()):
            out.append((m.start(), m.end(), parsed))
    return out


def forget_dates() -> None:
    """Drop the cached dates of whole texts (see context.forget_documents)."""
    _all_dates.cache_clear()
    own_day_first.cache_clear()


def parse_date(text: str) -> dt.date | None:
    found = next(find_dates(text), None)
    return found[2] if found else None


YEARLESS_SLASH = re.compile(r"(?<![\d/.])(?P<a>\d{1,2})/(?P<b>\d{1,2})(?![\d/.])")


def yearless_slash_dates(text: str, start: int, end: int, reference: dt.date) -> list[tuple[int, int, dt.date]]:
    """"02/12", "02/15": slash dates with no year, read in the text's convention as the last such day on or before
    `reference`. Only for places where a bare a/b can only be a date (a performance-status sentence, a flowsheet's
    header), never in general: "3/4 nodes" and "128/74" are not dates."""
    dayfirst = day_first(text)
    out = []
    for m in YEARLESS_SLASH.finditer(text, start, end):
        a, b = int(m.group("a")), int(m.group("b"))
        month, day = (b, a) if dayfirst else (a, b)
        try:
            found = dt.date(reference.year, month, day)
        except ValueError:
            continue
        out.append((m.start(), m.end(), found if found <= reference else found.replace(year=reference.year - 1)))
    return out
