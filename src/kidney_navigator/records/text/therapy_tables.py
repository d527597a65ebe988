"""Treatment tables: start, stop and why a drug ended, from one row of a pipe table or an aligned (column) table."""

from __future__ import annotations

import re

from kidney_navigator.records.dates import find_dates
from kidney_navigator.records.text.tables import AlignedRow, table_columns
from kidney_navigator.records.text.therapy_words import RESUMED, STOP_VERB, stop_reason


def table_row_therapy(text: str, row_start: int, row_end: int) -> dict[str, object]:
    """Start, stop and stop reason of the drug on one row of a pipe table ("| Nivolumab | 02/04/2019 | 06/21/2021 |
    Immune-related colitis |"); without a header, the first date is the start and the second the stop."""
    row = text[row_start:row_end]
    cells = row.split("|")
    columns = table_columns(text, row_start)
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
    reason = stop_reason(reason_text + " stopped") if stop else None
    return {"start": start, "stop": stop, "stop_reason": reason}


NOT_GIVEN_STATUS = re.compile(r"\W*(?:scheduled|planned|ordered|pending|cancel+ed|not given|not dispensed|held"
                              r"|on hold|deferred|declined|refused)\b", re.I)
# "PA APPROVED 04/01/2024 - NOT FILLED. Rx CANCELLED by prescriber": a fill that never went out, wherever the status
# note says so, unless it also says the drug went out
NEVER_WENT_OUT = re.compile(r"\b(?:not filled|never filled|not dispensed|never dispensed|rx cancel+ed|order cancel+ed"
                            r"|cancel+ed by (?:the )?(?:prescriber|provider|md|physician|patient))\b", re.I)
WENT_OUT = re.compile(r"\b(?:shipped|delivered|picked up|(?<!not )(?<!never )dispensed|given|administered)\b", re.I)


def not_given_status(status: str) -> bool:
    """True when a table row's status says this dose or fill never reached the patient."""
    return NOT_GIVEN_STATUS.match(status) is not None or (
        NEVER_WENT_OUT.search(status) is not None and WENT_OUT.search(status) is None)


COMPLETED_CELL = re.compile(r"^\W*(?:completed?|finished|course complete\w*)\b", re.I)


def continues_row_above(text: str, rows: list[tuple[int, int]], index: int) -> bool:
    """A pipe-table row with an empty first cell right under another row is that row's continuation."""
    start, end = rows[index]
    return not text[start:end].split("|")[0].strip() and rows[index - 1][1] + 1 == start


def row_owners(text: str, rows: list[AlignedRow], mentions: list[tuple[int, int, str]]) -> dict[int, str]:
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
        reason = "completed" if COMPLETED_CELL.search(reason_cell) else stop_reason(reason_cell + " stopped")
    elif "dates" in row.cells and stop_reason(row.cells.get("comment", "")) == "completed":
        # a dose record's last dose: "Dose 4 of 4 - ipilimumab induction completed"
        stop, reason = start, "completed"
    elif "dates" in row.cells and STOP_VERB.search(row.cells.get("status", "")):
        # a dose record's row that ends the drug: "21/10/2024  Ipilimumab  PERMANENTLY DISCONTINUED - hypophysitis"
        note = " ".join((row.cells.get("status", ""), row.cells.get("comment", "")))
        stop, reason = start, stop_reason(note)
    return {"start": start, "stop": stop, "stop_reason": reason}


CELL_SENTENCE = re.compile(r"(?<=[.;])\s+")


def named_stop_in_cell(cell: str, names: list[str]) -> dict[str, object] | None:
    """A reason cell that tells one partner's own end while the row goes on ("Everolimus stopped 25 Sep 2023 -
    grade 3 non-infectious pneumonitis. Lenvatinib continues, 14 mg since Oct 2023."): the sentence naming the
    drug with a stop verb gives that drug's stop date and reason."""
    for sentence in CELL_SENTENCE.split(cell):
        named = any(re.search(r"(?<![a-z])" + re.escape(n) + r"(?![a-z])", sentence, re.I) for n in names)
        if named and STOP_VERB.search(sentence) and not RESUMED.search(sentence):
            when = next(find_dates(sentence), None)
            return {"stop": when[2].isoformat() if when else None, "stop_reason": stop_reason(sentence)}
    return None
