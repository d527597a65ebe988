"""A readable terminal rendering of a Profile, with the words each fact came from."""

from __future__ import annotations

from kidney_navigator.profile.models import Profile, Risk

LABELS = {
    "kps_below_80": "Karnofsky below 80%",
    "diagnosis_to_treatment_under_1y": "under 1 year from diagnosis to treatment",
    "hemoglobin_below_lln": "hemoglobin below normal", "calcium_above_uln": "corrected calcium above normal",
    "calcium_above_10": "corrected calcium above 10 mg/dL", "neutrophils_above_uln": "neutrophils above normal",
    "platelets_above_uln": "platelets above normal", "ldh_above_1_5_uln": "LDH above 1.5 x normal",
}


def _risk(name: str, risk: Risk | None) -> list[str]:
    if risk is None:
        return []
    group = risk.group or "cannot tell yet"
    lines = [f"{name}: {group}" + (f" ({risk.count} risk factors)" if risk.count is not None else "")]
    for factor, value in risk.factors.items():
        mark = {True: "yes", False: "no", None: "unknown"}[value]
        lines.append(f"  - {LABELS.get(factor, factor)}: {mark}")
    if risk.missing:
        lines.append("  Missing to be sure: " + ", ".join(LABELS.get(m, m) for m in risk.missing))
    return lines


def render_profile(profile: Profile) -> str:
    out = ["YOUR PROFILE (please check every line against your records)"]
    out.append(f"Kidney cancer type: {profile.histology or 'not found'}"
               + (", sarcomatoid features" if profile.sarcomatoid else ""))
    if profile.grade:
        out.append(f"Grade: {profile.grade}")
    stage = " ".join(v for v in (profile.stage.t, profile.stage.n, profile.stage.m) if v)
    if stage:
        out.append(f"Stage: {stage}")
    out.append("Where it has spread: " + (", ".join(profile.metastatic_sites) or "none found in these records"))
    if profile.performance_status:
        out.append(f"Performance status: {profile.performance_status.scale} {profile.performance_status.value}")
    for name, lab in profile.labs.items():
        rng = f" (normal {lab.low}-{lab.high})" if lab.low is not None and lab.high is not None else ""
        marked = f" (marked {lab.flag} by the lab)" if lab.flag and not rng else ""
        out.append(f"Lab {name}: {lab.value:g} {lab.unit}{rng}{marked}" + (f" on {lab.date}" if lab.date else ""))
    for t in profile.therapies:
        when = (f" from {t.start}" if t.start else "") + (f" to {t.stop}" if t.stop else "")
        out.append(f"Treatment: {t.drug}{when}" + (f" (stopped: {t.stop_reason})" if t.stop_reason else ""))
    out += _risk("IMDC risk", profile.imdc) + _risk("MSKCC risk", profile.mskcc)
    for c in profile.conflicts:
        out.append(f"Records disagree on {c.field}: using {c.chosen!r} (newest); also seen {c.others!r}")
    out.append("")
    out.append("WHERE EACH FACT CAME FROM")
    for fact in profile.facts:
        where = fact.evidence.document + (f" p.{fact.evidence.page}" if fact.evidence.page else "")
        out.append(f"- {fact.field}: {fact.value!r}  <- {where}: \u201c{fact.evidence.text}\u201d")
    out.append(f"As of {profile.as_of}. This is not medical advice; check it with your cancer team.")
    return "\n".join(out)
