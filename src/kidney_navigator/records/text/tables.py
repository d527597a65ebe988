"""Tables in plain text: pipe rows and column-aligned rows under a header, read cell by cell."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kidney_navigator.records.dates import find_dates

TABLE_ROW = re.compile(r"^[^\n]*\|[^\n]*\|[^\n]*$", re.M)


TABLE_HEADER = re.compile(r"\b(start\w*|began|stop\w*|end(?:ed)?|reason\w*)\b", re.I)


def table_columns(text: str, row_start: int) -> dict[str, int]:
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


RULE_LINE = re.compile(r"^[ \t]*-{3,}(?:[ \t]+-{3,})+[ \t]*$|^[ \t]*-{20,}[ \t]*$", re.M)


CLOSING_RULE = re.compile(r"^[ \t]*[-=_]{10,}[ \t]*$")


JOINER_END = re.compile(r"(?:\+|/|&|,|\band|\bwith|\bplus)\s*$", re.I)


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
    if re.search(r"^(?:dates?|date range|duration|period|date given|administered|(?:fill|dispens\w*|admin\w*) date"
                 r"|date (?:filled|dispensed|administered))$", word):
        # "02/13/2024-03/18/2025": both ends in one cell (or one dose's or one fill's date, in a dose or pharmacy
        # record)
        return "dates"
    if re.search(r"^(?:comments?|notes?|remarks?)$", word):
        return "comment"
    if re.search(r"^(?:(?:dose|admin(?:istration)?|fill|order|dispens\w*) )?status(?: ?/ ?(?:notes?|comments?))?$",
                 word):
        return "status"  # "GIVEN", "DEFERRED", "SCHEDULED", "CANCELLED": what happened to the dose or fill
    return None


HEADER_CELLS = re.compile(r"\S+(?: \S+)*")


def _table_headers(text: str) -> list[tuple[str, list[int], int]]:
    """Each table's header line, the column starts, and where its rows begin. A header is the line above a dashed
    rule, or a line of column names that says when a drug started and stopped and why ("Regimen   Start   End
    Reason for discontinuation") with rows right under it."""
    found: list[tuple[str, list[int], int]] = []
    ruled: set[int] = set()
    for rule in RULE_LINE.finditer(text):
        header_end = rule.start() - 1
        header_start = text.rfind("\n", 0, max(0, header_end)) + 1
        header = text[header_start:max(header_start, header_end)]
        bounds = [m.start() for m in re.finditer(r"-+", rule.group(0))]
        # a rule cut short by a wrapped line (a PDF's text layer): the header's own cells past its end still count
        bounds += [c.start() for c in HEADER_CELLS.finditer(header) if len(bounds) > 1 and c.start() > bounds[-1] + 2
                   and c.start() >= len(rule.group(0).rstrip())]
        if len(bounds) == 1:
            # one unbroken rule: the columns are where the header's words start after a gap of 2+ spaces
            bounds = [m.start() for m in HEADER_CELLS.finditer(header)]
            if len(bounds) < 2:
                continue
        ruled.add(header_start)
        found.append((header, bounds, rule.end() + 1))
    for line in re.finditer(r"^[^\n]*$", text, re.M):
        if line.start() in ruled or RULE_LINE.match(text, line.end() + 1):
            continue
        if "|" in line.group(0):
            continue  # a pipe table has its own reader
        cells = list(HEADER_CELLS.finditer(line.group(0)))
        names = {_column_name(c.group(0)) for c in cells}
        # ... or an administration record's "Date   Cycle   Drug   Status"
        administration = {"dates", "status"} <= names and any(
            re.fullmatch(r"(?:drug|medication|agent|regimen)s?", c.group(0).strip(), re.I) for c in cells)
        if len(cells) >= 3 and ({"start", "stop", "reason"} <= names or {"dates", "reason"} <= names
                                or administration) and not find_dates_any(line.group(0)):
            found.append((line.group(0), [c.start() for c in cells], line.end() + 1))
    return found


PROSE_LINE = re.compile(r"\S+(?: \S+)+[ \t]*$")


def _prose_line(line: str, bounds: list[int]) -> bool:
    """A line of running text under a table ("Notes on line 2: Lenvatinib held 10 days in Sep 2023 during the"):
    it starts at the margin, has no gap of two spaces anywhere, and its words run across two or more column
    starts. A PDF text layer drops the blank line that ended the table, so this is what ends it there."""
    if not PROSE_LINE.fullmatch(line):
        return False
    crossed = sum(1 for b in bounds[1:] if 0 < b < len(line) and not line[b - 1].isspace() and not line[b].isspace())
    return crossed >= 2


def aligned_rows(text: str) -> list[AlignedRow]:
    """Rows of tables drawn with spaces and a dashed rule under the header ("Regimen   Started   Stopped   Reason" /
    "-------   -------   -------   ------"), as letters and PDF text layers print them. A line with text in the
    first column or in a date column opens a row; any other line continues the row above ("+ nivolumab", a reason
    wrapped over three lines), so a combination or a wrapped reason stays with its row. A blank line ends the table."""
    rows: list[AlignedRow] = []
    for header, bounds, pos in _table_headers(text):
        names = [_column_name(header[b:e]) for b, e in zip(bounds, [*bounds[1:], len(header) + 1], strict=True)]
        if sum(1 for n in names if n) < 2:
            continue
        current: tuple[int, int, dict[str, str]] | None = None
        rest_of_rule = re.match(r"[ \t]*-{3,}[ \t]*\n", text[pos:pos + 200])
        if rest_of_rule:
            pos += rest_of_rule.end()  # the wrapped end of the rule under the header
        while pos < len(text):
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            row_line = text[pos:end]
            if not row_line.strip() or CLOSING_RULE.match(row_line) or _prose_line(row_line, bounds):
                break  # a blank line, a closing rule or a line of prose ends the table
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
