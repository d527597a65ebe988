"""Turn `field=value` typed by a person into a correction Fact, or explain what is wrong with it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, get_args

from kidney_navigator.profile.models import Evidence, Fact, Histology, LabName, Site

BOOL = {"true": True, "yes": True, "false": False, "no": False}


class CorrectionError(ValueError):
    pass


def _date(text: str) -> str:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise CorrectionError(f"'{text}' is not a date; write it as YYYY-MM-DD") from exc


def parse_correction(assignment: str, today: dt.date | None = None) -> Fact:
    """field=value (or metastatic_sites+=bone / -=bone, therapies+=drug:start:stop:reason)."""
    m = re.fullmatch(r"\s*([a-z_.]+)\s*(\+=|-=|=)\s*(.*?)\s*", assignment)
    if not m:
        raise CorrectionError(f"'{assignment}' is not field=value (e.g. histology=papillary, grade=3, "
                              "performance_status=KPS:70, labs.hemoglobin=10.9, metastatic_sites+=bone)")
    field, op, raw = m.groups()
    value: Any
    if field == "histology":
        if raw not in get_args(Histology):
            raise CorrectionError(f"histology must be one of: {', '.join(get_args(Histology))}")
        value = raw
    elif field == "sarcomatoid":
        if raw.lower() not in BOOL:
            raise CorrectionError("sarcomatoid must be true or false")
        value = BOOL[raw.lower()]
    elif field == "grade":
        if raw not in {"1", "2", "3", "4"}:
            raise CorrectionError("grade must be 1, 2, 3 or 4")
        value = int(raw)
    elif field in ("stage.t", "stage.n", "stage.m", "stage.group"):
        value = raw.upper().replace("P", "", 1) if field != "stage.group" else raw.upper()
        if field == "stage.t":
            value = value[:2] + value[2:].lower()
    elif field == "diagnosis_date":
        value = _date(raw)
    elif field == "performance_status":
        pm = re.fullmatch(r"(KPS|ECOG)[:= ]?(\d{1,3})", raw.upper())
        if not pm or (pm.group(1) == "ECOG" and int(pm.group(2)) > 4) or int(pm.group(2)) > 100:
            raise CorrectionError("performance_status must be like KPS:70 or ECOG:1")
        value = {"scale": pm.group(1), "value": int(pm.group(2))}
    elif field.startswith("labs."):
        name = field.removeprefix("labs.")
        if name not in get_args(LabName):
            raise CorrectionError(f"lab must be one of: {', '.join(get_args(LabName))}")
        lm = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([^\s(]*)\s*(?:\((\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)\))?", raw)
        if not lm:
            raise CorrectionError("a lab value must be like 10.9 g/dL (13.5-17.5)")
        value = {"value": float(lm.group(1)), "unit": lm.group(2), "low": float(lm.group(3)) if lm.group(3) else None,
                 "high": float(lm.group(4)) if lm.group(4) else None, "date": (today or dt.date.today()).isoformat()}
    elif field == "metastatic_sites" and op in ("+=", "-="):
        if raw not in get_args(Site):
            raise CorrectionError(f"site must be one of: {', '.join(get_args(Site))}")
        value = raw
        field = "metastatic_sites" if op == "+=" else "metastatic_sites.removed"
    elif field == "therapies" and op == "+=":
        parts = raw.split(":")
        reason = parts[3] if len(parts) > 3 and parts[3] else None
        if reason not in (None, "progression", "toxicity", "completed", "other"):
            raise CorrectionError("stop reason must be progression, toxicity, completed or other")
        value = {"drug": parts[0].lower(), "start": _date(parts[1]) if len(parts) > 1 and parts[1] else None,
                 "stop": _date(parts[2]) if len(parts) > 2 and parts[2] else None, "stop_reason": reason}
    elif field == "nephrectomy":
        if raw.lower() not in BOOL:
            raise CorrectionError("nephrectomy must be true or false")
        value = {"done": BOOL[raw.lower()], "date": None, "type": None}
    else:
        raise CorrectionError(f"'{field}' cannot be corrected here")
    when = (today or dt.date.today()).isoformat()
    return Fact(field=field, value=value, source="user", date=None,
                evidence=Evidence(document="your correction", page=None, start=0, end=len(assignment),
                                  text=f"{assignment.strip()} (entered {when})"))
