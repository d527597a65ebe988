"""Profile -> PatientFacts: the few facts trial criteria test, each with a phrase saying where it came from."""

from __future__ import annotations

from dataclasses import dataclass, field

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.options.engine import prior_lines
from kidney_navigator.profile.models import Profile

CLASS_LABELS = {"vegf_tki": "VEGF TKI", "pd1_pdl1": "PD-1/PD-L1", "ctla4": "CTLA-4", "mtor": "mTOR",
                "hif2a": "HIF-2α", "anti_vegf_antibody": "anti-VEGF antibody", "cytokine": "cytokine",
                "bone_agent": "bone agent", "chemotherapy": "chemotherapy"}


@dataclass(frozen=True)
class TherapyFact:
    drug: str
    classes: frozenset[str]  # the pack's drug classes; empty when the pack does not know the drug
    known: bool  # the pack knows this drug
    ongoing: bool
    label: str


@dataclass(frozen=True)
class PatientFacts:
    """What the matcher reads; built once per profile so matching thousands of studies stays cheap."""

    profile: Profile
    therapies: list[TherapyFact] = field(default_factory=list)
    lines: int = 0
    metastatic: bool | None = None
    sites_known: bool = False

    def therapy_summary(self) -> str:
        return ", ".join(t.label for t in self.therapies) or "none recorded"


def patient_facts(profile: Profile, pack: Pack) -> PatientFacts:
    """Systemic therapies (bone agents left out), their classes from drugs.yaml, lines and metastatic state."""
    therapies = []
    for therapy in profile.therapies:
        drug = pack.drugs.get(therapy.drug) or next(
            (d for d in pack.drugs.values() if d.generic == therapy.drug), None)
        classes = frozenset(drug.classes) if drug else frozenset()
        if "bone_agent" in classes:
            continue
        named = ", ".join(CLASS_LABELS.get(c, c) for c in sorted(classes))
        when = f" {therapy.start[:7]}" if therapy.start else ""
        stop = f" stopped ({therapy.stop_reason})" if therapy.stop_reason else (" ongoing" if not therapy.stop else "")
        therapies.append(TherapyFact(drug=therapy.drug, classes=classes, known=drug is not None,
                                     ongoing=therapy.stop is None,
                                     label=f"{therapy.drug}{' (' + named + ')' if named else ''}{when}{stop}"))
    lines, _ = prior_lines(profile, pack)
    m = (profile.stage.m or "").upper()
    metastatic: bool | None = None
    if profile.metastatic_sites or m.startswith("M1") or (profile.stage.group or "").upper() == "IV":
        metastatic = True
    elif m.startswith("M0"):
        metastatic = False
    return PatientFacts(profile=profile, therapies=therapies, lines=lines, metastatic=metastatic,
                        sites_known=bool(profile.metastatic_sites) or metastatic is False)
