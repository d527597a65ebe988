"""Profile -> OptionSet: what guidelines list for a setting like this person's, why, and what does not apply.

Pure functions over the pack's options table (knowledge/pack/rules/options.yaml); nothing here is a directive.
"""

from __future__ import annotations

import datetime as dt

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.knowledge.models import OptionsTable, Setting
from kidney_navigator.options.models import LocalOut, NotApplicableOut, OptionOut, OptionSet, SettingOut
from kidney_navigator.profile.models import Profile

HISTOLOGY_GROUP = {
    "clear_cell": "clear_cell", "papillary": "papillary", "chromophobe": "chromophobe",
    "collecting_duct": "collecting_duct_medullary", "medullary": "collecting_duct_medullary",
    "translocation": "other_non_clear_cell", "fh_deficient": "other_non_clear_cell",
    "unclassified": "other_non_clear_cell", "other": "other_non_clear_cell",
}
RANK = {"preferred": 0, "other_recommended": 1, "certain_circumstances": 2}
SAME_LINE_DAYS = 21


def prior_lines(profile: Profile, pack: Pack) -> tuple[int, list[str]]:
    """Number of systemic lines received (drugs started within 3 weeks of each other count as one) and classes."""
    starts: list[dt.date | None] = []
    classes: set[str] = set()
    for therapy in profile.therapies:
        drug = pack.drugs.get(therapy.drug) or next(
            (d for d in pack.drugs.values() if d.generic == therapy.drug), None)
        if drug is not None and "bone_agent" in drug.classes:
            continue
        if drug is not None:
            classes.update(drug.classes)
        starts.append(dt.date.fromisoformat(therapy.start) if therapy.start else None)
    dated = sorted(d for d in starts if d)
    lines = 0
    last: dt.date | None = None
    for day in dated:
        if last is None or (day - last).days > SAME_LINE_DAYS:
            lines += 1
            last = day
    lines += sum(1 for d in starts if d is None) if not dated else 0
    return lines, sorted(classes)


def _matches(setting: Setting, group: str, line: int, imdc: str | None, prior: set[str]) -> bool:
    return (setting.histology_group == group and setting.line == min(line, 3)
            and (imdc is None or imdc in setting.imdc or setting.histology_group != "clear_cell")
            and set(setting.prior_classes_all) <= prior and not set(setting.prior_classes_none) & prior)


def build_options(profile: Profile, pack: Pack) -> OptionSet:
    table: OptionsTable = pack.options
    missing: list[str] = []
    if profile.histology is None:
        missing.append("histology (kidney cancer type): clear cell was assumed, the most common type; "
                       "options differ for other types")
    group = HISTOLOGY_GROUP.get(profile.histology or "clear_cell", "other_non_clear_cell")
    lines, classes = prior_lines(profile, pack)
    line = lines + 1
    imdc = profile.imdc.group if profile.imdc else None
    if imdc is None and group == "clear_cell" and line == 1:
        names = ", ".join(profile.imdc.missing) if profile.imdc and profile.imdc.missing else "the risk factors"
        missing.append(f"IMDC risk group (needs {names}): some options, such as ipilimumab + nivolumab, are listed "
                       "only for intermediate or poor risk")
    prior = set(classes)
    regimens = {r.id: r for r in table.regimens}
    chosen: dict[str, OptionOut] = {}
    for setting in table.settings:
        if not _matches(setting, group, line, imdc, prior):
            continue
        for opt in setting.options:
            regimen = regimens[opt.regimen]
            out = OptionOut(regimen=regimen.name, drugs=list(regimen.drugs), category=opt.category, why=opt.why,
                            evidence=regimen.evidence, sources=list(dict.fromkeys([*opt.sources, *regimen.sources])))
            current = chosen.get(opt.regimen)
            if current is None or RANK[out.category] < RANK[current.category]:
                chosen[opt.regimen] = out
    received = {t.drug for t in profile.therapies}
    already = [key for key, option in chosen.items() if set(option.drugs) <= received]
    not_applicable = [
        NotApplicableOut(regimen=chosen.pop(key).regimen,
                         reason="Your records show you have already had this treatment. Ask your team whether it "
                                "still has a role for you.")
        for key in already
    ]
    options = sorted(chosen.values(), key=lambda o: (RANK[o.category], o.regimen))
    for rule in table.not_applicable:
        if rule.regimen in chosen or rule.regimen not in regimens:
            continue
        applies = {
            "not_both_pd1_and_vegf": not {"pd1_pdl1", "vegf_tki"} <= prior,
            "favorable_risk": imdc == "favorable",
            "prior_pd1_progression": "pd1_pdl1" in prior,
            "non_clear_cell": group != "clear_cell",
            "clear_cell": group == "clear_cell",
        }[rule.when]
        if applies:
            not_applicable.append(NotApplicableOut(regimen=regimens[rule.regimen].name, reason=rule.reason))
    local = [LocalOut(option=o.option, why=o.why, sources=list(o.sources))
             for o in table.local_and_supportive if any(_local_applies(w, profile) for w in o.when)]
    return OptionSet(
        setting=SettingOut(histology_group=group, line=line, imdc_group=imdc, prior_classes=classes),
        options=options, not_applicable=not_applicable, local_and_supportive=local,
        questions=_questions(group, line, imdc, profile), missing=missing,
        disclaimer=pack.safety.disclaimer.strip(),
    )


def _local_applies(when: str, profile: Profile) -> bool:
    sites = set(profile.metastatic_sites)
    ps = profile.performance_status
    frail = bool(ps and ((ps.scale == "KPS" and ps.value < 70) or (ps.scale == "ECOG" and ps.value >= 2)))
    return {
        "always": True,
        "kidney_in_place": profile.nephrectomy.done is not True,
        "oligometastatic": len(sites) == 1,
        "brain_mets": "brain" in sites,
        "bone_mets": "bone" in sites,
        "lung_only": sites == {"lung"},
        "slow_growing_few_symptoms": (profile.imdc is not None and profile.imdc.group in ("favorable", "intermediate")
                                      and len(sites) <= 2 and not profile.therapies),
        "frail": frail,
    }[when]


def _questions(group: str, line: int, imdc: str | None, profile: Profile) -> list[str]:
    questions = ["Which of these options fit my situation best, and why?",
                 "What is the goal of treatment for me right now?",
                 "Is there a clinical trial I could join?"]
    if line == 1 and group == "clear_cell":
        questions.append("What is my IMDC risk group, and how does it change the choice?" if imdc is None
                         else f"My risk group looks {imdc}; how does that shape your advice?")
    if line > 1:
        questions.append("Which treatments have I already had, and what does that rule in or out?")
    if group != "clear_cell":
        questions.append("Should my tumor be reviewed by a pathologist who specialises in kidney cancer?")
    if profile.nephrectomy.done is not True:
        questions.append("Is surgery to remove the kidney something to consider for me?")
    if "brain" in profile.metastatic_sites:
        questions.append("Should the brain spots be treated with radiosurgery before other treatment?")
    return questions
