"""Read a short note the way the rule tests need it: as a page of a document about kidney cancer."""

from __future__ import annotations

import datetime as dt

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.models import Fact
from kidney_navigator.records.extract_text import extract
from kidney_navigator.records.text.source import TextSource

HEADER = "Metastatic clear cell renal cell carcinoma.\n"


def read_note(text: str, pack: Pack, date: dt.date | None) -> list[Fact]:
    """The facts of `text` under a one-line kidney-cancer header, written on `date`."""
    return extract(TextSource("note.txt", HEADER + text, None, date), pack, about_kidney_cancer=True)


def stop_reasons(facts: list[Fact]) -> dict[str, object]:
    """Each therapy's stop reason, by drug."""
    return {f.value["drug"]: f.value["stop_reason"] for f in facts
            if f.field == "therapies" and isinstance(f.value, dict)}


def values(text: str, pack: Pack, field: str, date: dt.date | None) -> list[object]:
    """The values of one field read from `text`."""
    return [f.value for f in read_note(text, pack, date) if f.field == field]


def drugs(text: str, pack: Pack, date: dt.date | None) -> set[str]:
    """The drugs read as received from `text`."""
    return {str(v["drug"]) for v in values(text, pack, "therapies", date) if isinstance(v, dict)}


def dated_scores(text: str, pack: Pack, date: dt.date | None) -> set[tuple[str | None, object]]:
    """(date, score) of each performance-status fact read from `text`."""
    return {(f.date, f.value["value"]) for f in read_note(text, pack, date)
            if f.field == "performance_status" and isinstance(f.value, dict)}
