"""Eligibility text -> inclusion/exclusion items: ClinicalTrials.gov free text is bullets under two headings."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from kidney_navigator.trials.models import Kind

# Changes whenever this module does: the store keeps split items only while they came from this same splitter.
SPLIT_VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
HEADING = re.compile(r"^\s*(?:key\s+|main\s+|major\s+)?(inclusion|exclusion)(?:\s+criteria)?\s*:?\s*$", re.I)
SPACES = re.compile(r"\s+")
BULLET = re.compile(r"^(\s*)(?:[*\-•·◦▪]|\d{1,2}[.)]|[a-z][.)]|\(\w{1,3}\))\s+")


@dataclass(frozen=True)
class Item:
    """One eligibility item; `text` is what the study says, with a sub-bullet prefixed by its parent's lead-in."""

    kind: Kind
    text: str


def _clean(text: str) -> str:
    return SPACES.sub(" ", text).strip()


def split_criteria(text: str) -> list[Item]:
    """Split the free text into items. Text before any heading counts as inclusion; a line ending in ':' followed
    by deeper bullets is a lead-in that prefixes each of them; wrapped lines join the item above."""
    kind: Kind = "inclusion"
    items: list[tuple[Kind, str, int]] = []  # kind, text, indent
    lead: tuple[str, int] | None = None
    for raw in text.replace("\r\n", "\n").split("\n"):
        if not raw.strip():
            continue
        heading = HEADING.match(raw)
        if heading:
            kind = "inclusion" if heading.group(1).lower() == "inclusion" else "exclusion"
            lead = None
            continue
        bullet = BULLET.match(raw)
        body = raw[bullet.end():] if bullet else raw
        indent = len(bullet.group(1).expandtabs(4)) if bullet else len(raw) - len(raw.lstrip())
        if not bullet and items and not body.rstrip().endswith(":") and items[-1][0] == kind and indent > 0:
            k, t, i = items[-1]
            items[-1] = (k, f"{t} {body}", i)  # a wrapped continuation line
            continue
        if lead is not None and indent <= lead[1]:
            lead = None
        if body.rstrip().endswith(":"):
            lead = (body.strip().rstrip(":").strip(), indent)
            items.append((kind, lead[0] + ":", indent))
            continue
        if lead is not None and indent > lead[1]:
            if items and items[-1][1] == lead[0] + ":":
                items.pop()  # the lead-in is carried by its sub-items
            items.append((kind, f"{lead[0]}: {body}", indent))
        else:
            items.append((kind, body, indent))
    cleaned = [(k, _clean(t)) for k, t, _ in items]
    return [Item(kind=k, text=t) for k, t in cleaned if t.strip(":").strip()]
