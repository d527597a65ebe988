"""Profile -> OptionSet: what guidelines list for a setting like this person's, why, and what does not apply.

Pure functions over the pack's options table (knowledge/pack/rules/options.yaml); nothing here is a directive. The
table holds the domain rules and their sources; this module only decides which rows fit a profile and says, in the
output, what it had to assume.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.knowledge.models import Drug, OptionsTable, Regimen, Setting
from kidney_navigator.options.models import LocalOut, NotApplicableOut, OptionOut, OptionSet, SettingOut
from kidney_navigator.profile.models import PerformanceStatus, Profile

HISTOLOGY_GROUP = {
    "clear_cell": "clear_cell", "papillary": "papillary", "chromophobe": "chromophobe",
    "collecting_duct": "collecting_duct_medullary", "medullary": "collecting_duct_medullary",
    "translocation": "other_non_clear_cell", "fh_deficient": "other_non_clear_cell",
    "unclassified": "other_non_clear_cell", "other": "other_non_clear_cell",
}
# Guideline categories first, then the two honest labels for rows without a confirmed guideline category.
RANK = {"preferred": 0, "other_recommended": 1, "certain_circumstances": 2, "fda_approved": 3, "trial_evidence": 4}
SAME_LINE_DAYS = 21
# "A few spots" (ESTRO-ASTRO 2020: 1-5 metastases, all treatable). Profiles carry organ sites, not a lesion count, so
# spread named in at most this many organ sites is taken as a sign that local treatment may be worth asking about.
OLIGO_MAX_SITES = 2
# Alternatives inside one regimen (gemcitabine with cisplatin OR carboplatin) count as the same drug.
SAME_AS = {"carboplatin": "platinum", "cisplatin": "platinum"}
SITE_WORDS = {"lymph_node": "lymph nodes", "other": "another place"}
NOT_A_FAILURE = ("toxicity", "completed")  # stop reasons that do not mean the drug stopped working


@dataclass(frozen=True)
class Context:
    """What the rules look at: the setting and the facts about earlier treatment."""

    group: str
    line: int
    imdc: str | None
    prior: frozenset[str]
    pd1_stopped_working: bool


def find_drug(name: str, pack: Pack) -> Drug | None:
    """The pack's drug for a therapy name (id or generic name), or None when the navigator does not know it."""
    return pack.drugs.get(name) or next((d for d in pack.drugs.values() if d.generic == name), None)


def generic_name(name: str, pack: Pack) -> str:
    """The generic name regimens use, for a therapy named by pack id or generic name; unknown names stay as they are."""
    drug = find_drug(name, pack)
    return drug.generic if drug is not None else name


def parse_date(text: str | None) -> dt.date | None:
    """An ISO date, or None for a missing or unreadable one (records are messy; that must not crash the engine)."""
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def prior_lines(profile: Profile, pack: Pack) -> tuple[int, list[str]]:
    """Number of systemic lines received and the drug classes used.

    Drugs started within 3 weeks of each other count as one line. A therapy without a start date joins a line when
    it completes a known combination with it (pembrolizumab + axitinib is one line), otherwise it is a line of its
    own. Bone-protecting drugs are not cancer treatment lines.
    """
    classes: set[str] = set()
    dated: list[tuple[dt.date, str]] = []
    undated: list[str] = []
    for therapy in profile.therapies:
        drug = find_drug(therapy.drug, pack)
        if drug is not None and "bone_agent" in drug.classes:
            continue
        if drug is not None:
            classes.update(drug.classes)
        name = generic_name(therapy.drug, pack)
        start = parse_date(therapy.start)
        if start is None:
            undated.append(name)
        else:
            dated.append((start, name))
    groups: list[set[str]] = []
    last: dt.date | None = None
    for day, name in sorted(dated):
        if last is None or (day - last).days > SAME_LINE_DAYS:
            groups.append(set())
            last = day
        groups[-1].add(name)
    combos = [set(r.drugs) for r in pack.options.regimens if len(r.drugs) > 1]
    for name in undated:
        partner = next((g for g in groups if any(g | {name} <= combo for combo in combos)), None)
        if partner is None:
            groups.append({name})
        else:
            partner.add(name)
    return len(groups), sorted(classes)


def pd1_stopped_working(profile: Profile, pack: Pack) -> bool:
    """A PD-1/PD-L1 drug was used and did not stop only for side effects or a planned end (CONTACT-03 territory)."""
    for therapy in profile.therapies:
        drug = find_drug(therapy.drug, pack)
        if drug is not None and "pd1_pdl1" in drug.classes and therapy.stop_reason not in NOT_A_FAILURE:
            return True
    return False


def setting_matches(setting: Setting, ctx: Context) -> bool:
    """A table row fits: same histology group and line (3 means 3 or later), risk group, earlier drug classes."""
    return (setting.histology_group == ctx.group and setting.line == min(ctx.line, 3)
            and (ctx.imdc is None or ctx.imdc in setting.imdc or setting.histology_group != "clear_cell")
            and set(setting.prior_classes_all) <= ctx.prior and not set(setting.prior_classes_none) & ctx.prior)


def rule_applies(when: str, ctx: Context) -> bool:
    """The table's 'does not apply' conditions.

    The favorable-risk rule rests on CheckMate 214, a first-treatment trial in clear cell cancer, so it is read for
    that setting only.
    """
    return {
        "not_both_pd1_and_vegf": not {"pd1_pdl1", "vegf_tki"} <= ctx.prior,
        "favorable_risk": ctx.imdc == "favorable" and ctx.line == 1 and ctx.group == "clear_cell",
        "prior_pd1_progression": ctx.pd1_stopped_working,
        "non_clear_cell": ctx.group != "clear_cell",
        "clear_cell": ctx.group == "clear_cell",
    }[when]


def already_received(regimen: Regimen, received: set[str]) -> bool:
    """Every drug of the regimen is in the records (cisplatin and carboplatin count as the same choice)."""
    need = {SAME_AS.get(d, d) for d in regimen.drugs}
    return need <= {SAME_AS.get(d, d) for d in received}


def is_frail(ps: PerformanceStatus | None) -> bool:
    """ECOG 2 or more, or Karnofsky below 70: day-to-day activity is limited."""
    return bool(ps and ((ps.scale == "KPS" and ps.value < 70) or (ps.scale == "ECOG" and ps.value >= 2)))


def limited_spread(profile: Profile) -> bool:
    """Spread named in 1 to OLIGO_MAX_SITES organ sites: local treatment of every spot may be worth asking about."""
    return 1 <= len(set(profile.metastatic_sites)) <= OLIGO_MAX_SITES


def _site_names(profile: Profile) -> str:
    return " and ".join(SITE_WORDS.get(s, s.replace("_", " ")) for s in dict.fromkeys(profile.metastatic_sites))


def local_applies(when: str, profile: Profile) -> bool:
    """The table's conditions for local and supportive options, read from the profile."""
    sites = set(profile.metastatic_sites)
    return {
        "always": True,
        "kidney_in_place": profile.nephrectomy.done is not True,
        "oligometastatic": limited_spread(profile),
        "brain_mets": "brain" in sites,
        "bone_mets": "bone" in sites,
        "lung_only": sites == {"lung"},
        # Rini 2016 / ASCO 3.1: favorable or intermediate risk, few sites, no drug yet. Brain spots need treatment,
        # and sarcomatoid tumors grow fast, so neither fits "slow-growing with few symptoms".
        "slow_growing_few_symptoms": (profile.imdc is not None and profile.imdc.group in ("favorable", "intermediate")
                                      and 1 <= len(sites) <= 2 and "brain" not in sites and not profile.therapies
                                      and profile.sarcomatoid is not True),
        "frail": is_frail(profile.performance_status),
    }[when]


# Kept for callers of the first version.
_local_applies = local_applies


def _local_why(option_id: str, why: str, profile: Profile) -> str:
    """The table's text plus what the engine assumed for this person."""
    if option_id == "cytoreductive-nephrectomy" and profile.nephrectomy.done is None:
        return ("Your records do not say whether your kidney was removed. If it is still in place, this may be worth "
                "asking about. " + why)
    if option_id in ("metastasectomy", "stereotactic-body-radiotherapy"):
        count = len(set(profile.metastatic_sites))
        return (f"{why} We showed this because your records name only {count} place{'s' if count > 1 else ''} "
                f"where the cancer has spread ({_site_names(profile)}). They do not say how many spots there are.")
    return why


def _missing(profile: Profile, pack: Pack, ctx: Context, matched: bool) -> list[str]:
    """Key inputs the records lack, each with what it would change."""
    out: list[str] = []
    if profile.histology is None:
        out.append("histology (kidney cancer type): not in your records. Clear cell, the most common type, was "
                   "assumed. Options differ for other types.")
    if ctx.imdc is None and ctx.group == "clear_cell" and ctx.line == 1:
        names = ", ".join(profile.imdc.missing) if profile.imdc and profile.imdc.missing else "the risk factors"
        out.append(f"IMDC risk group (needs {names}): not known. Some options, such as ipilimumab + nivolumab, are "
                   "listed only for intermediate or poor risk.")
    if not profile.therapies:
        out.append("past cancer drug treatment: none found in your records. So options for a first drug treatment "
                   "are shown. If you have had cancer drugs before, the options are different.")
    for therapy in profile.therapies:
        if find_drug(therapy.drug, pack) is None:
            out.append(f"the type of drug '{therapy.drug}': not known to the navigator. So it could not be used to "
                       "match options.")
        if therapy.start and parse_date(therapy.start) is None:
            out.append(f"the start date of {therapy.drug} ('{therapy.start}'): not a date. It was treated as unknown.")
    if not matched:
        where = ("the first drug treatment for this type" if ctx.group != "clear_cell"
                 else "treatment after these earlier drug types")
        out.append(f"guideline options for this setting: our table does not cover {where}. So no drug options are "
                   "shown. Your team can say which fit.")
    if not profile.metastatic_sites:
        out.append("where the cancer has spread: not found in your records. Surgery or focused radiation to a few "
                   "spots depends on it. So do treatments for bone or brain spots.")
    elif limited_spread(profile):
        out.append("how many spots of cancer there are: your records name the places, not the number. Surgery or "
                   "focused radiation to every spot is usually for up to about 5 spots.")
    if profile.nephrectomy.done is None:
        out.append("whether your kidney was removed (nephrectomy): not found in your records. Surgery to remove the "
                   "kidney is shown as a question.")
    return out


def build_options(profile: Profile, pack: Pack) -> OptionSet:
    """Match the profile's setting against the table; list options, what does not apply, local care, gaps."""
    table: OptionsTable = pack.options
    group = HISTOLOGY_GROUP.get(profile.histology or "clear_cell", "other_non_clear_cell")
    lines, classes = prior_lines(profile, pack)
    ctx = Context(group=group, line=lines + 1, imdc=profile.imdc.group if profile.imdc else None,
                  prior=frozenset(classes), pd1_stopped_working=pd1_stopped_working(profile, pack))
    regimens = {r.id: r for r in table.regimens}
    chosen: dict[str, OptionOut] = {}
    settings = [s for s in table.settings if setting_matches(s, ctx)]
    for setting in settings:
        for opt in setting.options:
            regimen = regimens[opt.regimen]
            out = OptionOut(regimen=regimen.name, drugs=list(regimen.drugs), category=opt.category, why=opt.why,
                            evidence=regimen.evidence, sources=list(dict.fromkeys([*opt.sources, *regimen.sources])))
            current = chosen.get(opt.regimen)
            if current is None or RANK[out.category] < RANK[current.category]:
                chosen[opt.regimen] = out
    received = {generic_name(t.drug, pack) for t in profile.therapies}
    not_applicable: dict[str, NotApplicableOut] = {}
    for key in [k for k in chosen if already_received(regimens[k], received)]:
        not_applicable[key] = NotApplicableOut(
            regimen=chosen.pop(key).regimen,
            reason="Your records show you have already had this treatment. Ask your team whether it still has a "
                   "role for you.")
    for rule in table.not_applicable:
        if rule.regimen in chosen or rule.regimen in not_applicable or rule.regimen not in regimens:
            continue
        if rule_applies(rule.when, ctx):
            not_applicable[rule.regimen] = NotApplicableOut(regimen=regimens[rule.regimen].name, reason=rule.reason)
    options = sorted(chosen.values(), key=lambda o: (RANK[o.category], o.regimen))
    local = [LocalOut(option=o.option, why=_local_why(o.id, o.why, profile), sources=list(o.sources))
             for o in table.local_and_supportive if any(local_applies(w, profile) for w in o.when)]
    return OptionSet(
        setting=SettingOut(histology_group=group, line=ctx.line, imdc_group=ctx.imdc, prior_classes=classes),
        options=options, not_applicable=list(not_applicable.values()), local_and_supportive=local,
        questions=_questions(ctx, profile), missing=_missing(profile, pack, ctx, bool(settings)),
        disclaimer=pack.safety.disclaimer.strip(),
    )


def _questions(ctx: Context, profile: Profile) -> list[str]:
    """Questions to take to the team, in plain words; never a directive."""
    questions = ["Which of these options fit my situation best, and why?",
                 "What is the goal of treatment for me right now?",
                 "Is there a clinical trial I could join?"]
    if ctx.line == 1 and ctx.group == "clear_cell":
        questions.append("What is my IMDC risk group, and how does it change the choice?" if ctx.imdc is None
                         else f"My risk group looks {ctx.imdc}; how does that shape your advice?")
    if ctx.line > 1:
        questions.append("Which treatments have I already had, and what does that rule in or out?")
    if "pd1_pdl1" in ctx.prior and not ctx.pd1_stopped_working:
        questions.append("My immunotherapy stopped because of side effects or because it was finished. Could an "
                         "immune drug have a role again?")
    if ctx.group != "clear_cell":
        questions.append("Should a kidney cancer expert look at my tumor sample again?")
    if profile.sarcomatoid:
        questions.append("My tumor has sarcomatoid features. How does that change which options fit?")
    if profile.nephrectomy.done is None:
        questions.append("Has my kidney been removed? If not, is surgery to remove it something to consider?")
    elif profile.nephrectomy.done is False:
        questions.append("Is surgery to remove the kidney something to consider for me?")
    if limited_spread(profile):
        questions.append("How many spots of cancer are there, and could each one be treated with surgery or "
                         "focused radiation?")
    if "brain" in profile.metastatic_sites:
        questions.append("Should the brain spots be treated with radiosurgery before other treatment?")
    if "bone" in profile.metastatic_sites:
        questions.append("Would radiation or a bone-protecting drug help my bones?")
    if is_frail(profile.performance_status):
        questions.append("How would each option fit with how I feel day to day? What would a gentler plan look like?")
    return questions
