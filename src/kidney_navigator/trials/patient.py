"""Profile -> PatientFacts: the few facts trial criteria test, each with a phrase saying where it came from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from kidney_navigator.knowledge.loader import PACK_DIR, Pack
from kidney_navigator.options.engine import prior_lines
from kidney_navigator.profile.models import Profile

RULES_PATH = PACK_DIR / "rules" / "trial_criteria.yaml"
RECORD_TERMS_PATH = PACK_DIR / "rules" / "record_terms.yaml"
CLASS_LABELS = {"vegf_tki": "VEGF TKI", "pd1_pdl1": "PD-1/PD-L1", "ctla4": "CTLA-4", "mtor": "mTOR",
                "hif2a": "HIF-2α", "anti_vegf_antibody": "anti-VEGF antibody", "cytokine": "cytokine",
                "bone_agent": "bone agent", "chemotherapy": "chemotherapy"}


@dataclass(frozen=True)
class TherapyFact:
    drug: str
    classes: frozenset[str]  # the drug's classes (pack, or the records' other-drug list); empty when unknown
    known: bool  # the pack or the records' other-drug list knows this drug
    ongoing: bool
    label: str
    start: str | None = None  # ISO date, full or partial, as the profile records it
    stop: str | None = None


@dataclass(frozen=True)
class PatientFacts:
    """What the matcher reads; built once per profile so matching thousands of studies stays cheap."""

    profile: Profile
    therapies: list[TherapyFact] = field(default_factory=list)
    lines: int = 0
    metastatic: bool | None = None
    sites_known: bool = False
    set_aside: list[str] = field(default_factory=list)  # therapy entries that are not anticancer drugs

    def therapy_summary(self) -> str:
        return (", ".join(t.label for t in self.therapies) or "none recorded") + self.set_aside_note()

    def set_aside_note(self) -> str:
        """Evidence wording for entries left out of systemic therapy, so a reader sees why they do not count."""
        if not self.set_aside:
            return ""
        return f" ({', '.join(self.set_aside)}: not systemic therapy)"


@lru_cache(maxsize=1)
def other_drugs() -> dict[str, tuple[str, frozenset[str]]]:
    """Anticancer drugs the records recognise without a pack page (record_terms.yaml other_drugs): name -> (generic,
    classes). Read directly so matching does not import the records pipeline."""
    data = yaml.safe_load(RECORD_TERMS_PATH.read_text(encoding="utf-8")) or {}
    out: dict[str, tuple[str, frozenset[str]]] = {}
    for name, entry in (data.get("other_drugs") or {}).items():
        if isinstance(entry, dict) and isinstance(entry.get("generic"), str):
            drug_class = entry.get("class")
            classes = frozenset([drug_class]) if isinstance(drug_class, str) else frozenset()
            out[str(name).lower()] = (entry["generic"], classes)
            out[entry["generic"].lower()] = (entry["generic"], classes)
    return out


@lru_cache(maxsize=1)
def local_treatment_pattern() -> re.Pattern[str]:
    """Words for treatments that are not drugs (radiosurgery, radiotherapy, surgery, ablation), from
    trial_criteria.yaml `local_treatments`."""
    data = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8")) or {}
    patterns = [p for p in data.get("local_treatments") or [] if isinstance(p, str)]
    return re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!x)x", re.I)


def patient_facts(profile: Profile, pack: Pack) -> PatientFacts:
    """Systemic therapies (bone agents and non-drug treatments left out), their classes, lines and metastatic state.

    A therapy entry that names a local treatment (stereotactic radiosurgery) is set aside: it is not a line of
    systemic therapy. An entry neither known as a drug nor named as a local treatment stays in, as an unknown drug,
    because an investigational drug the pack has never heard of must not make someone look untreated."""
    therapies = []
    kept = []
    set_aside = []
    for therapy in profile.therapies:
        drug = pack.drugs.get(therapy.drug) or next(
            (d for d in pack.drugs.values() if d.generic == therapy.drug), None)
        other = other_drugs().get(therapy.drug.lower()) if drug is None else None
        if drug is None and other is None and local_treatment_pattern().search(therapy.drug):
            set_aside.append(therapy.drug)
            continue
        classes = frozenset(drug.classes) if drug else (other[1] if other else frozenset())
        kept.append(therapy)
        if "bone_agent" in classes:
            continue
        named = ", ".join(CLASS_LABELS.get(c, c.replace("_", " ")) for c in sorted(classes))
        when = f" {therapy.start[:7]}" if therapy.start else ""
        stop = f" stopped ({therapy.stop_reason})" if therapy.stop_reason else (" ongoing" if not therapy.stop else "")
        therapies.append(TherapyFact(drug=other[0] if other else therapy.drug, classes=classes,
                                     known=drug is not None or other is not None, ongoing=therapy.stop is None,
                                     label=f"{therapy.drug}{' (' + named + ')' if named else ''}{when}{stop}",
                                     start=therapy.start, stop=therapy.stop))
    counted = profile if not set_aside else profile.model_copy(update={"therapies": kept})
    lines, _ = prior_lines(counted, pack)
    m = (profile.stage.m or "").upper()
    metastatic: bool | None = None
    if profile.metastatic_sites or m.startswith("M1") or (profile.stage.group or "").upper() == "IV":
        metastatic = True
    elif m.startswith("M0"):
        metastatic = False
    return PatientFacts(profile=profile, therapies=therapies, lines=lines, metastatic=metastatic,
                        sites_known=bool(profile.metastatic_sites) or metastatic is False, set_aside=set_aside)
