"""IMDC and MSKCC risk as small pure functions over the profile, driven by rules/risk_models.yaml.

A factor that cannot be judged is None and named in `missing`; a group is given only when the unknown factors
could not change it (for example two known factors and one unknown is still "intermediate" or "poor": no group).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from kidney_navigator.knowledge.models import RefRange, RiskModel, RiskRules
from kidney_navigator.profile.models import Lab, PerformanceStatus, Profile, Risk

ONE_YEAR = dt.timedelta(days=365)


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def kps_below_80(ps: PerformanceStatus | None, rules: RiskRules) -> bool | None:
    """KPS < 80; an ECOG score decides only when its whole KPS range falls on one side of 80."""
    if ps is None:
        return None
    if ps.scale == "KPS":
        return ps.value < 80
    low, high = rules.ecog_to_kps_range.get(ps.value, (0, 0))
    if high < 80:
        return True
    if low >= 80:
        return False
    return None


def diagnosis_to_treatment_under_1y(profile: Profile) -> bool | None:
    """Under one year from diagnosis to first systemic therapy (or to `as_of` when none has started)."""
    diagnosed = _date(profile.diagnosis_date)
    if diagnosed is None:
        return None
    starts = [d for d in (_date(t.start) for t in profile.therapies) if d]
    if profile.therapies and not starts:
        return None  # treated, but we do not know when it started
    end = min(starts) if starts else _date(profile.as_of)
    if end is None:
        return None
    return end - diagnosed < ONE_YEAR


PER_MICROLITRE = ("/ul", "/µl", "/μl", "cells/ul", "cells/µl", "/mm3", "/mm³", "cells/mm3", "/cumm", "cells/cumm")


def in_default_unit(name: str, value: float, unit: str) -> float:
    """A lab value in the unit of the documented default range, for labs that came without their own range.

    Labs keep the unit they were written in ("ANC 3,150 /uL", "Hb 118 g/L"); only the comparison with a default
    range needs them in its unit (10^3/uL for counts, g/dL for hemoglobin). A value without a unit is placed by its
    size: no neutrophil count is 100 x 10^3/uL and no hemoglobin is 25 g/dL.
    """
    u = unit.lower().replace(" ", "")
    if name in ("neutrophils", "platelets"):
        if u.startswith("lakh"):
            return value * 100  # a lakh is 100,000: 2.8 lakhs/cumm is 280 x 10^3/uL
        if "10^4" in u or "10*4" in u or "10e4" in u:
            return value * 10  # Japanese reports: 31.2 x 10^4/uL is 312 x 10^3/uL
        if u in PER_MICROLITRE or (not u and value >= (100 if name == "neutrophils" else 5000)):
            return value / 1000
    elif name.startswith("hemoglobin") and (u == "g/l" or (not u and value >= 25)):
        return value / 10
    elif name.startswith("hemoglobin") and u == "mmol/l":
        # the Netherlands report haemoglobin in mmol/L of the monomer: g/dL x 0.6206 = mmol/L, so mmol/L x 1.611 =
        # g/dL (PMC3934467, table 1; checked 2026-12-07)
        return value * 1.611
    return value


def _range(lab: Lab, name: str, rules: RiskRules) -> tuple[float, float | None, float | None]:
    """The value and the limits to compare it with: the lab's own range in its own unit, else the default range
    with the value converted to the default's unit."""
    if lab.low is not None or lab.high is not None:
        return lab.value, lab.low, lab.high
    default: RefRange | None = rules.default_ranges.get(name)
    if default is None:
        return lab.value, None, None
    return in_default_unit(name, lab.value, lab.unit), default.low, default.high


def _below_lln(profile: Profile, name: str, rules: RiskRules) -> bool | None:
    lab = profile.labs.get(name)  # type: ignore[call-overload]
    if lab is None:
        return None
    if lab.low is None and lab.high is None and lab.flag == "low":
        return True  # "Hgb 12.1 g/dL (L)": the lab says it is below its own limit
    value, low, _ = _range(lab, name, rules)
    return None if low is None else value < low


def _above(profile: Profile, name: str, rules: RiskRules, times: float = 1.0) -> bool | None:
    lab = profile.labs.get(name)  # type: ignore[call-overload]
    if lab is None:
        return None
    if lab.low is None and lab.high is None and lab.flag == "high" and times == 1.0:
        return True  # "Plt 452 (H)": the lab says it is above its own limit
    value, _, high = _range(lab, name, rules)
    return None if high is None else value > high * times


def _calcium_mg_dl(value: float, unit: str, rules: RiskRules) -> float:
    """Calcium in mg/dL; SI reports give mmol/L (a total calcium below 5 can only be mmol/L)."""
    si = "mmol" in unit.lower() or (not unit and value < 5)
    return value * rules.calcium_correction["mg_dl_per_mmol_l"] if si else value


def _albumin_g_dl(value: float, unit: str, rules: RiskRules) -> float:
    """Albumin in g/dL; SI reports give g/L (an albumin above 10 can only be g/L)."""
    u = unit.lower().replace(" ", "")
    si = u in ("g/l", "gm/l") or (not u and value > 10)
    return value / rules.calcium_correction["g_l_per_g_dl"] if si else value


def corrected_calcium(profile: Profile, rules: RiskRules) -> tuple[float, float] | None:
    """(corrected calcium mg/dL, upper limit mg/dL) from a corrected value, or calcium plus albumin.

    Units are brought to mg/dL and g/dL first, so an SI report (2.58 mmol/L, albumin 30 g/L) is corrected with
    the same formula as a US one; the upper limit is the report's own, converted the same way.
    """
    corrected = profile.labs.get("corrected_calcium")
    calcium, albumin = profile.labs.get("calcium"), profile.labs.get("albumin")
    if corrected is not None and corrected.high is None and calcium is not None and albumin is not None:
        corrected = None  # a corrected value quoted in prose, without its range: correct the measured one instead
    if corrected is not None:
        value = _calcium_mg_dl(corrected.value, corrected.unit, rules)
        high = _range(corrected, "corrected_calcium", rules)[2]
        limit = _calcium_mg_dl(high, corrected.unit, rules) if corrected.high is not None and high else high
        return value, limit or 10.0
    if calcium is None or albumin is None:
        return None
    ref = rules.calcium_correction
    ca = _calcium_mg_dl(calcium.value, calcium.unit, rules)
    alb = _albumin_g_dl(albumin.value, albumin.unit, rules)
    value = ca + ref["factor"] * (ref["albumin_reference"] - alb)
    high = _range(calcium, "calcium", rules)[2]
    limit = _calcium_mg_dl(high, calcium.unit, rules) if calcium.high is not None and high else high
    return value, limit or 10.0


def calcium_above_uln(profile: Profile, rules: RiskRules) -> bool | None:
    result = corrected_calcium(profile, rules)
    return None if result is None else result[0] > result[1]


def calcium_above_10(profile: Profile, rules: RiskRules) -> bool | None:
    result = corrected_calcium(profile, rules)
    return None if result is None else result[0] > 10.0


FACTORS: dict[str, Callable[[Profile, RiskRules], bool | None]] = {
    "kps_below_80": lambda p, r: kps_below_80(p.performance_status, r),
    "diagnosis_to_treatment_under_1y": lambda p, r: diagnosis_to_treatment_under_1y(p),
    "hemoglobin_below_lln": lambda p, r: _below_lln(p, "hemoglobin", r),
    "calcium_above_uln": calcium_above_uln,
    "calcium_above_10": calcium_above_10,
    "neutrophils_above_uln": lambda p, r: _above(p, "neutrophils", r),
    "platelets_above_uln": lambda p, r: _above(p, "platelets", r),
    "ldh_above_1_5_uln": lambda p, r: _above(p, "ldh", r, 1.5),
}


def group_for(count: int, model: RiskModel) -> str | None:
    return next((name for name, (lo, hi) in model.groups.items() if lo <= count <= hi), None)


def assess(profile: Profile, model: RiskModel, rules: RiskRules) -> Risk:
    """Score one model; the group only when every unknown factor could not change it."""
    factors = {name: FACTORS[name](profile, rules) for name in model.factors}
    known = sum(1 for v in factors.values() if v)
    missing = [name for name, v in factors.items() if v is None]
    lowest, highest = group_for(known, model), group_for(known + len(missing), model)
    return Risk(
        factors=factors,
        count=None if missing else known,
        group=lowest if lowest == highest else None,
        missing=missing,
    )


def assess_all(profile: Profile, rules: RiskRules) -> tuple[Risk, Risk]:
    return assess(profile, rules.models["imdc"], rules), assess(profile, rules.models["mskcc"], rules)
