"""The words of treatment shared by every reader: drug names (one scan for all of them) and why a drug was stopped."""

from __future__ import annotations

import re
from functools import lru_cache

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.records.context import by_first_char
from kidney_navigator.records.text.source import record_terms

# "the spots in his lungs got bigger" is how patients and carers write progression. An organ's failure ("heart
# failure", "kidney failure") is harm from the drug, not the cancer's; "failed sunitinib" is progression.
_FAILED_ORGAN = "".join(rf"(?<!{organ} )" for organ in ("heart", "cardiac", "kidney", "renal", "liver", "hepatic",
                                                         "respiratory", "adrenal", "bone marrow", "organ"))
PROGRESSION = re.compile(r"progress\w*|\bpd\b|stopped working|growth of|grew|enlarg\w*"
                         r"|new (?:\w+ )?(?:lesions?|mets|metasta\w*|nodules?|deposits?)"
                         r"|\b(?:got|getting|gotten|became|become|are|were|grown) (?:bigger|larger)\b"
                         r"|\b(?:disease|cancer|tumou?rs?|mets|metastases|nodules?|lesions?)\s+(?:has\s+|had\s+|have\s+)?"
                         r"(?:got\s+|is\s+|was\s+|were\s+|are\s+|became\s+)?(?:worse|bigger|larger|spread|grew|progressed)\b"
                         r"|\bincreas\w* in size\b|\bscans? showed (?:growth|more)\b"
                         r"|refractory|resistan\w*|failed|" + _FAILED_ORGAN + r"failure", re.I)


TOXICITY = re.compile(r"toxicit\w*|side[- ]effects?|intoleran\w*|not tolerated|poorly tolerated|adverse|colitis|"
                      r"immune[- ](?:mediated|related)|nephritis|kidney injury|myocarditis|hypophysitis|"
                      r"hepatitis|pneumonitis|hepatotoxicity|transaminitis|rash|diarrh\w*|fatigue|irae", re.I)


# Other harms a drug is stopped for, as clinicians, pharmacists and patients name them. These words also describe
# side effects managed while the drug goes on ("axitinib lowered for hypertension"), so they count only when the
# sentence says the drug was stopped for them ("discontinued due to proteinuria", "stopped for heart failure").
_HARMS = (r"\baes?\b|adverse events?|transaminases?|\blfts?\b|liver (?:enzymes|tests|function)|\b(?:ast|alt)\b"
          r"|bilirubin|dermatitis|hypertension|high blood pressure|proteinuria|nephrotic|hand[- ]foot|palmar[- ]plantar"
          r"|\bhfsr?\b|mucositis|stomatitis|mouth sores|thyroiditis|adrenal insufficiency|hyperglyc\w*|diabet\w*"
          r"|\bdka\b|pancreatitis|uveitis|arthritis|myositis|neuropathy|infusion reaction|allergic reaction|anaphyla\w*"
          r"|hypersensitivity|bleed\w*|ha?emorrhag\w*|perforation|fistula|wound healing|thrombo\w*|embolism|\bdvt\b"
          r"|\bvte\b|(?:heart|cardiac|kidney|renal|liver|hepatic|respiratory) failure|\baki\b|cardiomyopathy"
          r"|qtc? prolongation|nausea|vomiting|anorexia|weight loss|\bpres\b|encephalopathy|cytopenia"
          r"|thrombocytopenia|neutropenia|low (?:platelets|counts|blood counts)|\bsjs\b|stevens[- ]johnson"
          r"|hypoxia|hypoxemia|desaturation|low oxygen")
STOPPED_FOR_HARM = re.compile(r"(?:\bstop(?:ped|s)?|discontinu\w*|\bd/c'?d?|ceased|came off|taken off|ended)\b"
                              r"[^.;\n]{0,30}?\b(?:for|due to|because of|secondary to|d/t|owing to|given)\s+"
                              r"(?:[\w/-]+\s+){0,4}?(?:" + _HARMS + ")", re.I)


# A stop for the person's reasons, not the cancer's or the drug's: their choice, the cost, the move to comfort care.
OTHER_REASON = re.compile(r"\bpatient(?:'s|\u2019s)? (?:preference|choice|decision|request|wish\w*)"
                          r"|\b(?:her|his|their|own) (?:choice|decision|preference|request|wish\w*)"
                          r"|\b(?:chose|elected|decided|wished|wanted) "
                          r"to (?:stop|discontinue|come off)|\bcost\b|\bfinancial\w*|\binsurance\b|\bafford\w*"
                          r"|\bco-?pay\b|\b(?:hospice|comfort)(?:[- ](?:care|focused))?\b|\bgoals of care\b"
                          r"|\blost to follow[- ]up\b|\bnon-?(?:adheren|complian)\w*", re.I)


PERSON_CHOSE = re.compile(r"\b(?:chose|elected|decided|wished|wanted)\s+to\s+(?:stop|discontinue|come\s+off"
                          r"|take\s+a\s+break)|\bwanted\s+a\s+break\b"
                          r"|\b(?:patient(?:'s|\u2019s)?|at\s+(?:your|his|her|their))\s+(?:choice|decision|request)\b",
                          re.I)


# "5 days on, 2 days off" / "2 weeks on, 1 week off" / "4 wk on/2 wk off" is a dosing schedule, not coming off
# the drug.
STOP = re.compile(r"stop\w*|discontinu\w*|\bd/c\b|held|ended|until|through|switch\w*|changed"
                  r"|(?<!days )(?<!day )(?<!weeks )(?<!week )(?<!wk )(?<!wks )(?<!\d )(?<!\dd )(?<!\dw )off\b"
                  r"|ceased|completed"
                  r"|progress\w*|\bpd\b", re.I)


DATE_RANGE = re.compile(r"\s*(?:-{1,2}>?|\u2013|\u2014|\u2192|to)\s*", re.I)


START = re.compile(r"start\w*|began|begin|initiat\w*|commenc\w*|since|from|\bon\b|c1d1|cycle 1", re.I)


SWITCH = re.compile(r"switch\w* to|changed to|transition\w* to|moved to|followed by|then (?:started|began)?|"
                    r"-+>|\u2192|=>|"
                    r"second[- ]line|2nd[- ]line|third[- ]line|3rd[- ]line", re.I)


@lru_cache(maxsize=4)
def drug_patterns(pack: Pack) -> tuple[tuple[re.Pattern[str], str], ...]:
    names: dict[str, str] = {}
    for drug in pack.drugs.values():
        generic = drug.generic.lower()
        names[generic] = drug.id
        # Portuguese and Spanish records write "pazopanibe", "nivolumabe", "everolimo"
        if re.fullmatch(r"[a-z]+(?:ib|mab)", generic):
            names.setdefault(generic + "e", drug.id)
        elif re.fullmatch(r"[a-z]+limus", generic):
            names.setdefault(generic.removesuffix("us") + "o", drug.id)
        for brand in drug.brands:
            names[brand.lower()] = drug.id
    for alias, generic in record_terms().drug_aliases.items():
        names.setdefault(alias.lower(), pack.drugs[generic].id if generic in pack.drugs else generic)
    for name, other in record_terms().other_drugs.items():
        names.setdefault(name.lower(), other.generic)
    ordered = sorted(names, key=len, reverse=True)
    return tuple((re.compile(r"(?<![a-z0-9])" + re.escape(n) + r"(?![a-z0-9])", re.I), names[n]) for n in ordered)


@lru_cache(maxsize=4)
def drug_finder(pack: Pack) -> tuple[re.Pattern[str], dict[str, str]]:
    """Every drug name in one scan (longest name first at each position), and the drug id of each lower-cased name:
    one pattern per name meant a hundred scans of every document."""
    names: dict[str, str] = {}
    alternatives: list[tuple[str | None, str]] = []
    for rx, drug_id in drug_patterns(pack):
        name = rx.pattern.removeprefix(r"(?<![a-z0-9])").removesuffix(r"(?![a-z0-9])")
        names[re.sub(r"\\(.)", r"\1", name).lower()] = drug_id
        alternatives.append((name[0] if name[0].isalnum() else None, name))
    body = by_first_char(alternatives)
    return re.compile(r"(?<![a-z0-9])(?:" + body + r")(?![a-z0-9])", re.I), names


# "has stopped doing yard work" stops an activity, not a drug: a stop verb followed by a gerund is not a stop
# ("stopped working" is: the drug stopped working).
STOP_VERB = re.compile(r"\bstop(?:ped|s)?\b(?!\s+(?!working\b)[a-z]+ing\b)|discontinu\w*|\bd/c'?d?\b|ceased"
                       r"|came off|taken off|switched", re.I)


# ("not restarted", "not for rechallenge": no resumption)
RESUMED = re.compile(r"(?<!\bnot )(?<!\bnever )(?<!\bnot be )(?<!\bnot to be )(?<!\bnot for )(?<!\bwithout )(?<!\bno )"
                     r"\b(?:resum\w*|restart\w*|re-start\w*|re-?challeng\w*|re-?introduc\w*|re-?initiat\w*|recommenc\w*"
                     r"|back on|went back on|put back on)\b", re.I)


# "HOLD axitinib until diarrhea resolves to grade 1 or better": a pause until the harm settles, not an end
HOLD_UNTIL_BETTER = re.compile(r"\b(?:hold|held|holding|withhold|withheld|pause[ds]?|interrupt\w*)\b[^.;\n]{0,60}?"
                               r"\buntil\b[^.;\n]{0,50}?\b(?:resolv\w*|improv\w*|recover\w*|better|settle[sd]?"
                               r"|normali[sz]\w*|grade [01]\b|g[01]\b|seen\b|reviewed\b|cleared\b)", re.I)


def resumed_after_stop(segment: str) -> bool:
    """"held x 5 days for G3 diarrhea, restarted 11/14 at 20 mg": the last stop is followed by a restart, so the
    drug goes on (a hold, not a stop); so does a hold "until the diarrhoea resolves"."""
    stops = list(STOP.finditer(segment))
    return bool(stops) and (any(not RISKY_RESTART.match(segment, m.end()) for m in
                                RESUMED.finditer(segment, stops[-1].end()))
                            or HOLD_UNTIL_BETTER.search(segment) is not None)


# "restarting immunotherapy carries too much risk": a restart weighed and turned down
RISKY_RESTART = re.compile(r"[^.;\n]{0,30}?\b(?:carries|carry|too (?:much|high|great)|risk|unsafe|contraindicated"
                           r"|not (?:advised|safe|an option|recommended))", re.I)


# "Stopped 03/18/2024 - disease recurrence (lung, T8) while on adjuvant therapy": the cancer came back on the drug
RECURRED_ON_DRUG = re.compile(
    r"\b(?:recurren\w*|recurred|relapsed?)\b[^.;\n]{0,40}?\b(?:while on|whilst on|during|on (?:adjuvant|treatment"
    r"|therapy))\b|\b(?:stop\w*|discontinu\w*|ended)\b[^.;\n]{0,25}?(?:\bfor|\bdue to|\bbecause of|\bat|-|:)\s*"
    r"(?:(?:the\s+)?(?:disease|metastatic|local|distant|nodal)\s+)?(?:recurrence|relapse)\b", re.I)


# "No immune-related adverse events", "without toxicity": a harm said not to have happened is no reason
HARM_DENIED = re.compile(r"\b(?:no|without|nil|denies|free of|never had)\s+(?:[\w-]+\s+){0,2}$", re.I)


def _harm_named(segment: str) -> bool:
    return any(not HARM_DENIED.search(segment, max(0, m.start() - 40), m.start()) for m in TOXICITY.finditer(segment))


# "a later-line option should she progress on cabozantinib", "if there is progression": not a progression yet
# ... and one still to come: "Options at eventual progression on lenvatinib", "plan for future progression"
CONDITIONAL_PROGRESSION = re.compile(r"\b(?:should|if|when|once|in case|in the event)\b[^.;\n]{0,25}?"
                                     r"\b(?:progress\w*|pd|grows?|growing|growth|enlarg\w*|worsens?|spreads?)\b"
                                     r"|\b(?:eventual|future|potential|possible)\s+(?:disease\s+)?progression\b",
                                     re.I)
# "IO-refractory/intolerant, on 2L cabozantinib": a class of earlier treatment that stopped working; and
# "steroid-refractory colitis" is about the colitis
CLASS_REFRACTORY = re.compile(r"\b(?:io|ici|immunotherapy|steroids?|checkpoint(?:[- ]inhibitor)?|tki|vegf\w*|pd-?1"
                              r"|mtor)[- ](?:refractory|resistant|progress\w*|failure|pretreated)\b", re.I)


def stop_reason(segment: str) -> str | None:
    segment = CLASS_REFRACTORY.sub(" ", CONDITIONAL_PROGRESSION.sub(" ", segment))
    if (PROGRESSION.search(segment) or RECURRED_ON_DRUG.search(segment)) and not re.search(
            r"no (evidence of )?progress|without progress|stable", segment, re.I):
        return "progression"
    if PERSON_CHOSE.search(segment) and not resumed_after_stop(segment):
        return "other"  # "Pt elected to stop - treatment fatigue, wanted a break": the person's own decision
    if (_harm_named(segment) and STOP.search(segment) or STOPPED_FOR_HARM.search(segment)) \
            and not resumed_after_stop(segment):
        return "toxicity"
    if OTHER_REASON.search(segment) and STOP_VERB.search(segment) and not resumed_after_stop(segment):
        return "other"
    if re.search(r"\ball (?:\d+|four|two|three|six) (?:\w+ )?(?:doses|cycles|infusions|courses) (?:were )?"
                 r"(?:given|received|administered|done)\b"
                 # ("completed 10:14, no rxn" is when an infusion ended, not a course)
                 r"|\bcomplet\w*\s*[-(:,]?\s*(\d+(?![:.]\d)|all|the|a)\b|\bcomplet\w* as planned\b|\bfinished\b"
                 # "Stopped after 2 yrs as planned (completed)"
                 r"|\b(?:stopped|ended|discontinued)\b[^.;\n]{0,30}?\bas planned\b|\(\s*completed?\s*\)"
                 # "Completed planned 2-year course (35 cycles)"
                 r"|\bcomplet\w* (?:the |a |her |his )?(?:planned|full|scheduled|intended)\b"
                 # "x 17 cycles - completed"
                 r"|\b(?:cycles?|doses?|courses?)\s*[-\u2013:,]\s*complet(?:ed|e)\b"
                 # "ipi x4 completed", "4 doses completed"
                 r"|\bx\s?\d+\s+(?:doses?\s+|cycles?\s+)?complet(?:ed|e)\b|\b\d+\s+(?:doses|cycles)\s+complet(?:ed|e)\b"
                 r"|\b(?:\d+|all) (?:\w+ )?(?:doses|cycles|infusions) (?:were )?(?:given|received) as planned\b"
                 # "... 17 cycles - full year of adjuvant therapy completed."
                 r"|\b(?:induction|course|cycles|doses|treatment|therapy)"
                 r"\s+(?:was\s+|were\s+|has\s+been\s+)?complet(?:ed|e)\b", segment, re.I):
        return "completed"
    return None


@lru_cache(maxsize=1)
def _other_use() -> dict[str, re.Pattern[str]]:
    return {drug: re.compile(r"(?<![a-z])(?:" + "|".join(words) + r")(?![a-z])", re.I)
            for drug, words in record_terms().non_cancer_use.items()}


def given_for_other_use(drug_id: str, text: str) -> bool:
    """True when `text` (a drug's sentence or entry) says the drug is given for something other than the cancer
    ("EVEROLIMUS 0.75 mg twice daily, target trough 3-5 ng/ml, for transplant immunosuppression")."""
    rx = _other_use().get(drug_id)
    return rx is not None and rx.search(text) is not None
