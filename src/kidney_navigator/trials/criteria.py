"""Eligibility item + PatientFacts -> met / not_met / unknown with evidence, by the rules in trial_criteria.yaml.

Each rule names a small pure test below; the YAML says which words trigger it. Status is from the person's side:
an inclusion is met when it holds, an exclusion is met when it does not apply.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.trials.models import Criterion, Status
from kidney_navigator.trials.patient import RULES_PATH, PatientFacts, TherapyFact
from kidney_navigator.trials.split import Item

NUMBERS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
           "nine": 9, "ten": 10, "twelve": 12}
INF = 10**6
ANALYSIS_CACHE = 200_000  # distinct item texts kept analysed (a full kidney-cancer sync has well under this)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Negation(_Strict):
    cues: str
    pseudo: str
    window: int = Field(ge=10, le=200)
    words: int = Field(ge=1, le=20)
    terminators: str
    after: str


class ClassTerm(_Strict):
    name: str
    classes: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(min_length=1)


class HistologyTerm(_Strict):
    values: list[str] = Field(min_length=1)
    patterns: list[str] = Field(min_length=1)


class Rule(_Strict):
    id: str
    test: str
    decisive: bool
    patterns: list[str] = Field(default_factory=list)
    negative: list[str] = Field(default_factory=list)
    unless: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    yield_to: list[str] = Field(default_factory=list)
    in_permissive: bool = False
    inclusion_only: bool = False  # a requirement's wording that says nothing about an exclusion
    negatable: bool = True
    params: dict[str, str] = Field(default_factory=dict)


class TrialCriteriaRules(_Strict):
    """The schema of trial_criteria.yaml."""

    reviewed: dt.date
    next_review: dt.date
    negation: Negation
    permissive: str
    exception: str
    class_terms: list[ClassTerm]
    histology_terms: dict[str, HistologyTerm]
    histology_any: str
    local_treatments: list[str]  # read by trials/patient.py
    rules: list[Rule]


def _rx(patterns: list[str]) -> list[re.Pattern[str]]:
    return [re.compile(p, re.I) for p in patterns]


def _trie(words: list[str]) -> str:
    """Literal words as one prefix-shared alternation: the same language as `a|b|...`, but the regex engine stops
    at the first letter that fits no word instead of trying every word at every position."""
    root: dict[str, dict[str, Any]] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict[str, Any]]) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        if "" in node:
            return "(?:" + "|".join(alts) + ")?"
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(root)


def refusing_asides(text: str, refusal: re.Pattern[str]) -> tuple[str, list[str]]:
    """Split off asides that refuse something, so the refusal stays with them.

    "Clear-cell RCC (non-clear-cell histologies are not eligible)": the parenthesis (or a clause after ';' or a full
    stop) restates the limit from the other side; read as one text its "not eligible" would turn the main statement
    around. Returns the main text with those asides blanked and each aside alone, both the item's length so match
    positions stay valid. An item that is nothing but a refusal is left whole."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"\([^()]*\)", text)]
    bounds = [0, *(m.end() for m in re.finditer(r";|\.\s+(?=[A-Z])", text)
                   if not any(a <= m.start() < b for a, b in spans)), len(text)]
    if len(bounds) > 2:
        spans += [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if a > 0]
    asides = [(a, b) for a, b in spans if refusal.search(text[a:b])]
    if not asides:
        return text, []
    main = text
    for a, b in asides:
        main = main[:a] + " " * (b - a) + main[b:]
    if not re.search(r"[^\W\d_]{3}", main):
        return text, []
    return main, [" " * a + text[a:b] + " " * (len(text) - b) for a, b in asides]


# A comma ends a histology requirement only when it names the type with its noun ("Clear cell RCC, ...") and what
# follows grants leave to a feature of it ("..., sarcomatoid tumours are eligible"); a list of types sharing one grant
# ("Clear cell RCC, papillary RCC and chromophobe RCC are eligible") is never split.
REQUIRED_TYPE = re.compile(r"\b(?:clear[- ]?cell|papillary|chromophobe|non[- ]?clear[- ]?cell|cc)[- ]?"
                           r"(?:rcc|renal cell|renal carcinoma|renal cell carcinoma|carcinoma|histology|tumou?rs?)\b"
                           r"|\bccrcc\b", re.I)
FEATURE_GRANT = re.compile(r"\b(?:sarcomatoid|rhabdoid)\b|\b(?:component|features?|elements?|differentiation)\b",
                           re.I)


def _comma_bounds(bare: str, permissive: re.Pattern[str]) -> list[int]:
    """Commas that close a stated histology requirement before a grant about one of its features."""
    bounds = []
    commas = [m.start() for m in re.finditer(",", bare)]
    for i, comma in enumerate(commas):
        before = bare[commas[i - 1] + 1 if i else 0:comma]
        after = bare[comma:]
        grant = permissive.search(after)
        if grant and REQUIRED_TYPE.search(before) and not permissive.search(before) \
                and FEATURE_GRANT.search(after[:grant.start()]) and not REQUIRED_TYPE.search(after):
            bounds.append(comma)
    return bounds[:1]


def leave_clauses(text: str, permissive: re.Pattern[str]) -> tuple[str, list[str]]:
    """Split off the clauses that grant leave from an item that also states a requirement.

    "Predominantly clear cell RCC; tumours with sarcomatoid features are eligible provided a clear cell component is
    present": the second clause allows a variant, the first still limits histology. Read as one permissive item the
    limit would be lost and every histology would pass. Clauses end at ';', a full stop or 'but' / 'however', and a
    parenthesis is a clause of its own (never a comma: "Any number of prior therapies, including none, is permitted"
    is one grant). Returns the requiring text with the grants blanked and each grant alone, all the item's length;
    ("", []) when every clause grants leave or none does."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"\([^()]*\)", text)]
    bare = text
    for a, b in spans:
        bare = bare[:a] + " " * (b - a) + bare[b:]
    bounds = sorted({0, *(m.start() for m in re.finditer(r";|\.\s+(?=[A-Z])|,?\s\b(?:but|however|whereas)\b", bare)),
                     *_comma_bounds(bare, permissive), len(text)})
    grants = [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if permissive.search(bare[a:b])]
    grants += [(a, b) for a, b in spans if permissive.search(text[a:b])
               and not any(c <= a and b <= d for c, d in grants)]
    if not grants:
        return "", []
    main = text
    for a, b in grants:
        main = main[:a] + " " * (b - a) + main[b:]
    if not re.search(r"[^\W\d_]{3}", main):
        return "", []
    return main, [" " * a + text[a:b] + " " * (len(text) - b) for a, b in grants]


def _any(patterns: list[str]) -> re.Pattern[str]:
    """One alternation of many patterns: a cheap first check before the detailed per-pattern work."""
    return re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!x)x", re.I)


# What a segment of an item is: the item's own statement, an aside refusing something, or a clause granting leave.
MAIN, REFUSAL, LEAVE = 0, 1, 2


@dataclass(frozen=True)
class CompiledRule:
    rule: Rule
    patterns: list[re.Pattern[str]]
    negative: list[re.Pattern[str]]
    unless: list[re.Pattern[str]]
    ignore: list[re.Pattern[str]]
    trigger: re.Pattern[str]
    yield_to: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Analysis:
    """What an item's words alone decide (no profile): computed once per text, reused for every person."""

    permissive: bool
    refused: bool
    exception: bool
    # rules the words trigger, with the text each one reads and its role (MAIN, REFUSAL or LEAVE)
    candidates: tuple[tuple[CompiledRule, str, int], ...]


@dataclass(frozen=True)
class Term:
    """Something a criterion can name that a therapy may be: a drug class (pack or not) or one pack drug."""

    name: str
    pattern: re.Pattern[str]
    classes: frozenset[str]
    drug: str | None = None  # a single pack drug (generic name)


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    negated: bool


@dataclass(frozen=True)
class Outcome:
    value: bool | None  # the truth of the rule's statement about the person (None: the profile cannot tell)
    evidence: str


class CriteriaEngine:
    """Compiled rules plus the pack's drug names; build once, evaluate many items."""

    def __init__(self, rules: TrialCriteriaRules, pack: Pack) -> None:
        self.rules = rules
        self.cues = re.compile(rules.negation.cues, re.I)
        self.pseudo = re.compile(rules.negation.pseudo, re.I)
        self.after = re.compile(rules.negation.after, re.I)
        self.terminators = re.compile(rules.negation.terminators, re.I)
        self.permissive = re.compile(rules.permissive, re.I)
        self.exception = re.compile(rules.exception, re.I)
        self.histology_any = re.compile(rules.histology_any, re.I)
        self.histology = [(frozenset(t.values), rx) for t in rules.histology_terms.values() for rx in _rx(t.patterns)]
        terms = [Term(t.name, rx, frozenset(t.classes)) for t in rules.class_terms for rx in _rx(t.patterns)]
        self.non_pack_classes = [t for t in terms if not t.classes]
        drug_names: list[str] = []
        for drug in pack.drugs.values():
            if "bone_agent" in drug.classes:
                continue
            names = sorted({drug.generic, drug.id.replace("-", " "), *drug.brands}, key=len, reverse=True)
            pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b", re.I)
            terms.append(Term(drug.generic, pattern, frozenset(drug.classes), drug=drug.generic))
            drug_names.extend(names)
        self.terms = terms
        # Only a first check: every pack drug's names share one trie (drug patterns are \b(names)\b), the class
        # patterns stay as written. Matches somewhere exactly when one of the term patterns does.
        self.term_trigger = _any([t.pattern.pattern for t in terms if t.drug is None]
                                 + ([r"\b(?:" + _trie(drug_names) + r")\b"] if drug_names else []))
        self.histology_trigger = _any([p for t in rules.histology_terms.values() for p in t.patterns])
        triggers = {"histology": self.histology_trigger, "prior_drugs": self.term_trigger}
        self.compiled = [CompiledRule(r, _rx(r.patterns), _rx(r.negative), _rx(r.unless), _rx(r.ignore),
                                      triggers.get(r.test) or _any(r.patterns + r.negative), frozenset(r.yield_to))
                         for r in rules.rules]
        self.ecog_to_kps = {int(k): (int(v[0]), int(v[1])) for k, v in pack.risk.ecog_to_kps_range.items()}
        self._analyses: dict[str, Analysis] = {}
        # Stored analyses are reused only by an engine with the same rules, drug names and code (see TrialStore).
        self.fingerprint = hashlib.sha256("\n".join([
            Path(__file__).read_text(encoding="utf-8"), rules.model_dump_json(), self.term_trigger.pattern,
            self.histology_trigger.pattern]).encode()).hexdigest()[:16]

    @classmethod
    def load(cls, pack: Pack, path: Path = RULES_PATH) -> CriteriaEngine:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: same data, ~10x faster
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
        return cls(TrialCriteriaRules.model_validate(data), pack)

    # --- matching words -------------------------------------------------------------------------------------------

    def _negated_before(self, text: str, start: int) -> bool:
        """ConText-style: a cue within a few words before the match, in the same clause."""
        window = text[max(0, start - self.rules.negation.window):start]
        window = self.terminators.split(window)[-1] if self.terminators.search(window) else window
        window = " ".join(self.pseudo.sub(" ", window).split()[-self.rules.negation.words:])
        return bool(self.cues.search(window))

    def _hits(self, rule: CompiledRule, text: str) -> list[Hit]:
        negative = [Hit(m.start(), m.end(), True) for rx in rule.negative for m in rx.finditer(text)]
        positive = [Hit(m.start(), m.end(), False) for rx in rule.patterns for m in rx.finditer(text)
                    if not any(m.start() < n.end and n.start < m.end() for n in negative)]
        return sorted(negative + positive, key=lambda h: h.start)

    def term_hits(self, text: str) -> list[tuple[Term, int, int]]:
        """Drug classes and drugs named in the text; the longest wins where two overlap."""
        found = [(t, m.start(), m.end()) for t in self.terms for m in t.pattern.finditer(text)]
        found.sort(key=lambda f: (-(f[2] - f[1]), f[1]))
        kept: list[tuple[Term, int, int]] = []
        for hit in found:
            if not any(hit[1] < k[2] and k[1] < hit[2] for k in kept):
                kept.append(hit)
        return sorted(kept, key=lambda f: f[1])

    def histology_hits(self, text: str) -> list[tuple[frozenset[str], int, int]]:
        found = [(values, m.start(), m.end()) for values, rx in self.histology for m in rx.finditer(text)]
        found.sort(key=lambda f: (-(f[2] - f[1]), f[1]))
        kept: list[tuple[frozenset[str], int, int]] = []
        for hit in found:
            if not any(hit[1] < k[2] and k[1] < hit[2] for k in kept):
                kept.append(hit)
        return sorted(kept, key=lambda f: f[1])

    # --- one item -------------------------------------------------------------------------------------------------

    def analyse(self, text: str) -> Analysis:
        """The profile-independent part of `evaluate` (trigger words, refusals, scoping), memoised by text because
        the same items recur across studies and every person's match reads them again."""
        found = self._analyses.get(text)
        if found is not None:
            return found
        main, asides = refusing_asides(text, self.after)
        refused = bool(self.after.search(main))
        permissive = not refused and bool(self.permissive.search(main))
        leaves: list[str] = []
        if permissive:
            required, leaves = leave_clauses(main, self.permissive)
            if leaves and any(c.trigger.search(required) and not any(rx.search(required) for rx in c.unless)
                              for c in self.compiled):
                main, permissive = required, False  # the requirement is read; each grant below as leave
            else:
                leaves = []
        candidates = []
        segments = [(main, MAIN), *((a, REFUSAL) for a in asides), *((g, LEAVE) for g in leaves)]
        for segment, role in segments:
            for compiled in self.compiled:
                grants = role == LEAVE or (permissive and role == MAIN)
                if grants and not compiled.rule.in_permissive:
                    continue
                if not compiled.trigger.search(segment):
                    continue
                if any(rx.search(segment) for rx in compiled.unless):
                    continue
                scoped = segment
                for rx in compiled.ignore:
                    scoped = rx.sub(lambda m: " " * len(m.group(0)), scoped)
                candidates.append((compiled, scoped, role))
        if len(self._analyses) >= ANALYSIS_CACHE:
            self._analyses.clear()  # bounded memory; a long-running app refills what it uses
        analysis = self._analyses[text] = Analysis(permissive, refused, bool(self.exception.search(text)),
                                                   tuple(candidates))
        return analysis

    def export(self, text: str) -> list[Any]:
        """An item's analysis as JSON-ready data for the store: [permissive, refused, exception, [[rule index,
        scoped text or null(, true for a refusing aside, "leave" for a clause granting leave)], ...]]; read back by
        `adopt` under the same fingerprint."""
        analysis = self.analyse(text)
        index = {id(c): i for i, c in enumerate(self.compiled)}
        marks: dict[int, list[Any]] = {MAIN: [], REFUSAL: [True], LEAVE: ["leave"]}
        return [analysis.permissive, analysis.refused, analysis.exception,
                [[index[id(c)], None if scoped == text else scoped, *marks[role]]
                 for c, scoped, role in analysis.candidates]]

    def adopt(self, text: str, data: Any) -> None:
        """Take a stored analysis (from `export` under this fingerprint) so a fresh process skips the trigger scan;
        anything not shaped as `export` writes it is ignored and the text is analysed when met."""
        if text in self._analyses or not isinstance(data, list) or len(data) != 4 \
                or not isinstance(data[3], list) or not all(isinstance(f, bool) for f in data[:3]):
            return
        candidates = []
        for entry in data[3]:
            if not (isinstance(entry, list) and len(entry) in (2, 3) and isinstance(entry[0], int)
                    and 0 <= entry[0] < len(self.compiled) and (entry[1] is None or isinstance(entry[1], str))
                    and (len(entry) == 2 or entry[2] is True or entry[2] == "leave")):
                return
            role = MAIN if len(entry) == 2 else (REFUSAL if entry[2] is True else LEAVE)
            candidates.append((self.compiled[entry[0]], text if entry[1] is None else entry[1], role))
        if len(self._analyses) >= ANALYSIS_CACHE:
            self._analyses.clear()
        self._analyses[text] = Analysis(data[0], data[1], data[2], tuple(candidates))

    def evaluate(self, item: Item, facts: PatientFacts) -> ItemResult:
        """Apply every rule the item's words trigger and combine: any failed test fails the item."""
        analysis = self.analyse(item.text)
        permissive, refused = analysis.permissive, analysis.refused
        results: list[tuple[bool | None, str, bool, str]] = []  # satisfied, evidence, decisive, rule id
        fired: set[str] = set()
        loosened: set[str] = set()  # rules a clause granting leave may excuse the person from
        for compiled, scoped, role in analysis.candidates:
            aside = role == REFUSAL
            rule = compiled.rule
            if fired and fired & compiled.yield_to:
                continue
            if rule.inclusion_only and item.kind != "inclusion":
                continue
            test = TESTS[rule.test]
            hit, outcome = test(self, rule, compiled, scoped, facts)
            if hit is None or outcome is None:
                continue
            if role == LEAVE:
                # A grant only loosens: when the person may be what it allows, the item's own failed test on the
                # same rule becomes uncertain; it never fails anyone by itself.
                if outcome.value is not False:
                    loosened.add(rule.id)
                continue
            fired.add(rule.id)
            negated = hit.negated
            # A refusal ("... is not permitted") turns an inclusion around; in an exclusion it only restates that
            # the item excludes, so it must not flip it a second time. An aside's refusal is its own.
            says_no = (aside or refused) and item.kind == "inclusion"
            if rule.negatable:
                negated ^= self._negated_before(scoped, hit.start) or says_no
            elif says_no:
                negated ^= True
            if permissive and item.kind == "inclusion":
                negated = True  # "treated brain metastases are allowed": what is left out is the untreated kind
            if outcome.value is None:
                satisfied = None
            else:
                applies = outcome.value != negated
                satisfied = applies if item.kind == "inclusion" else not applies
            results.append((satisfied, outcome.evidence, rule.decisive, rule.id))
        loosen = [(None if ok is False and rule_id in loosened else ok, evidence, decisive)
                  for ok, evidence, decisive, rule_id in results]
        return self._combine(item, loosen, permissive, analysis.exception)

    def _combine(self, item: Item, results: list[tuple[bool | None, str, bool]], permissive: bool,
                 exception: bool) -> ItemResult:
        def join(parts: list[str]) -> str | None:
            unique = list(dict.fromkeys(p for p in parts if p))
            return "; ".join(unique) or None

        if not results:
            if permissive:
                return ItemResult(Criterion(text=item.text, kind=item.kind, status="met",
                                            evidence="this item allows rather than limits"), False, False, False)
            return ItemResult(Criterion(text=item.text, kind=item.kind, status="unknown", evidence=None),
                              False, False, False)
        failed = [r for r in results if r[0] is False]
        unknown = [r for r in results if r[0] is None]
        status: Status
        if failed:
            status, evidence = "not_met", join([r[1] for r in failed])
            if exception:
                status = "unknown"  # "... except adjuvant therapy": the profile may fit the exception
        elif unknown:
            status, evidence = "unknown", join([r[1] for r in unknown])
        else:
            status, evidence = "met", join([r[1] for r in results])
        decisive_fail = status == "not_met" and any(r[2] for r in failed)
        decisive_unknown = status == "unknown" and any(r[2] for r in results if r[0] is not True)
        decisive_met = status == "met" and any(r[2] for r in results)
        return ItemResult(Criterion(text=item.text, kind=item.kind, status=status, evidence=evidence),
                          decisive_fail, decisive_unknown, decisive_met)


@dataclass(frozen=True)
class ItemResult:
    criterion: Criterion
    decisive_fail: bool
    decisive_unknown: bool
    decisive_met: bool


TestFn = Callable[[CriteriaEngine, Rule, CompiledRule, str, PatientFacts], tuple[Hit | None, Outcome | None]]


def _first(engine: CriteriaEngine, compiled: CompiledRule, text: str) -> Hit | None:
    hits = engine._hits(compiled, text)
    return hits[0] if hits else None


def _sites(facts: PatientFacts) -> str:
    sites = facts.profile.metastatic_sites
    if sites:
        return "metastatic sites: " + ", ".join(s.replace("_", " ") for s in sites)
    return f"stage {facts.profile.stage.m}" if facts.profile.stage.m else "no metastatic sites in the profile"


def test_histology(engine: CriteriaEngine, rule: Rule, compiled: CompiledRule, text: str,
                   facts: PatientFacts) -> tuple[Hit | None, Outcome | None]:
    """Is the person's histology among those the item names (the union of every type named)?"""
    if engine.histology_any.search(text):
        return None, None
    hits = engine.histology_hits(text)
    if not hits:
        return None, None
    allowed = frozenset().union(*(h[0] for h in hits))
    histology = facts.profile.histology
    if histology is None:
        return Hit(hits[0][1], hits[0][2], False), Outcome(None, "histology is not in the profile")
    return Hit(hits[0][1], hits[0][2], False), Outcome(histology in allowed,
                                                       f"histology: {histology.replace('_', ' ')}")


def test_metastatic(engine: CriteriaEngine, rule: Rule, compiled: CompiledRule, text: str,
                    facts: PatientFacts) -> tuple[Hit | None, Outcome | None]:
    hit = _first(engine, compiled, text)
    if hit is None:
        return None, None
    if facts.metastatic is None:
        return hit, Outcome(None, "whether the cancer has spread is not in the profile")
    return hit, Outcome(facts.metastatic, _sites(facts))


def test_brain(engine: CriteriaEngine, rule: Rule, compiled: CompiledRule, text: str,
               facts: PatientFacts) -> tuple[Hit | None, Outcome | None]:
    """Brain metastases; when the item limits itself to active/untreated ones, a known brain site stays unknown."""
    hit = _first(engine, compiled, text)
    if hit is None:
        return None, None
    active = bool(re.search(rule.params.get("active", "$^"), text, re.I)) \
        and not re.search(rule.params.get("any", "$^"), text, re.I)  # "treated or untreated" takes in every kind
    if "brain" in facts.profile.metastatic_sites:
        if active:
            return hit, Outcome(None, "brain metastases in the profile; whether treated and stable is not recorded")
        return hit, Outcome(True, _sites(facts))
    if facts.sites_known:
        return hit, Outcome(False, _sites(facts) + " (no brain)")
    return hit, Outcome(None, "metastatic sites are not in the profile")


def test_site(engine: CriteriaEngine, rule: Rule, compiled: CompiledRule, text: str,
              facts: PatientFacts) -> tuple[Hit | None, Outcome | None]:
    hit = _first(engine, compiled, text)
    if hit is None:
        return None, None
    site = rule.params["site"]
    if site in facts.profile.metastatic_sites:
        if re.search(rule.params.get("qualified", "$^"), text, re.I):
            return hit, Outcome(None, f"{site} metastases in the profile; the item's qualifier is not recorded")
        return hit, Outcome(True, _sites(facts))
    if facts.sites_known:
        return hit, Outcome(False, _sites(facts))
    return hit, Outcome(None, "metastatic sites are not in the profile")


def test_sarcomatoid(engine: CriteriaEngine, rule: Rule, compiled: CompiledRule, text: str,
                     facts: PatientFacts) -> tuple[Hit | None, Outcome | None]:
    hit = _first(engine, compiled, text)
    if hit is None:
        return None, None
    value = facts.profile.sarcomatoid
    if value is None:
        return hit, Outcome(None, "sarcomatoid features are not in the profile")
    return hit, Outcome(value, "sarcomatoid features: " + ("yes" if value else "no"))


def _number(token: str) -> int | None:
    token = token.lower()
    return int(token) if token.isdigit() else NUMBERS.get(token)


def ps_range(text: str, scale: str) -> tuple[int, int] | None:
    """The allowed performance-status range an item states after the scale's name, e.g. 'ECOG 0-1' -> (0, 1)."""
    top = 100 if scale == "KPS" else 5
    step = 10 if scale == "KPS" else 1
    text = text.replace("%", "")
    if m := re.search(r"(\d+)\s*(?:-|–|to)\s*(\d+)", text):
        return int(m.group(1)), int(m.group(2))
    if m := re.search(r"(\d+)(?:\s*,\s*\d+)*\s*,?\s*or\s*(\d+)\b"
                      r"(?!\s*(?:or )?(?:higher|greater|more|above|less|lower|below))", text):
        numbers = [int(n) for n in re.findall(r"\d+", m.group(0))]
        return min(numbers), max(numbers)
    if m := re.search(r"(?:≥|>=|at least|of at least|minimum of|(?:no|not) (?:less|lower|fewer) than)\s*(\d+)", text):
        return int(m.group(1)), top
    if m := re.search(r"(\d+)\s*(?:or (?:higher|greater|more|above|better)|and (?:above|higher)|\+)", text):
        value = int(m.group(1))
        # "ECOG 2 or higher" is a worse status; "KPS 70 or higher" is a better one.
        return (value, top) if scale == "KPS" or "higher" in m.group(0) or "more" in m.group(0) else (value, top)
    if m := re.search(r"(?:≤|<=|at most|(?:no|not) (?:more|greater|higher) than|of)\s*(\d+)\s*"
                      r"(?:or (?:less|lower|below|better))?", text):
        value = int(m.group(1))
        return (0, value) if scale == "ECOG" else (value, top)
    if m := re.search(r"(\d+)\s*or (?:less|lower|below)", text):
        return (0, int(m.group(1))) if scale == "ECOG" else (0, int(m.group(1)))
    # "KPS below 80" allows up to 70; "ECOG above 1" means 2 and worse (the scale's own direction).
    if m := re.search(r"(?:below|under|less than|lower than|fewer than)\s*(\d+)", text):
        return 0, int(m.group(1)) - step
    if m := re.search(r"(?:above|over|more than|greater than|higher than)\s*(\d+)", text):
        return int(m.group(1)) + step, top
    if m := re.search(r">\s*(\d+)", text):
        return int(m.group(1)) + step, top
    if m := re.search(r"<\s*(\d+)", text):
        return 0, int(m.group(1)) - step
    if m := re.search(r"\b(\d+)\b", text):
        value = int(m.group(1))
        return value, value
    return None


PS_SCALES = re.compile(r"\becog\b|eastern cooperative oncology group|\bwho performance|karnofsky|\bkps\b", re.I)


def ps_clauses(text: str) -> list[tuple[str, str]]:
    """(scale, clause) for each performance-status scale the item names, in order: "ECOG 2, or Karnofsky 50-70%" ->
    [("ECOG", "ECOG 2, or "), ("KPS", "Karnofsky 50-70%")]. A clause ends where the other scale is named, so one
    scale's numbers are never read as the other's."""
    marks: list[tuple[int, str]] = []
    for m in PS_SCALES.finditer(text):
        scale = "KPS" if m.group(0).lower() in ("karnofsky", "kps") else "ECOG"
        if not marks or marks[-1][1] != scale:
            marks.append((m.start(), scale))
    ends = [start for start, _ in marks[1:]] + [len(text)]
    return [(scale, text[start:min(end, start + 90)]) for (start, scale), end in zip(marks, ends, strict=True)]


def _ps_bounds(clause: str, scale: str) -> tuple[int, int] | None:
    tail = re.sub(r"\((ecog|kps)\)|performance (status|score)|\bps\b|karnofsky|\bkps\b|\becog\b|\bwho\b|eastern "
                  r"cooperative oncology group|must be|of", " ", clause, flags=re.I)
    return ps_range(tail.split(";")[0], scale)


def test_performance_status(engine: CriteriaEngine, rule: Rule, compiled: CompiledRule, text: str,
                            facts: PatientFacts) -> tuple[Hit | None, Outcome | None]:
    """ECOG or Karnofsky threshold. When the item offers the profile's own scale, that clause decides (a recorded
    ECOG 1 is not ECOG 2, whatever Karnofsky it converts to); otherwise the other scale is converted with the pack's
    ECOG-KPS table and a range that straddles the limit stays unknown."""
    hit = _first(engine, compiled, text)
    if hit is None:
        return None, None
    clauses = [(scale, bounds) for scale, clause in ps_clauses(text[hit.start:])
               if (bounds := _ps_bounds(clause, scale)) is not None]
    if not clauses:
        return None, None
    ps = facts.profile.performance_status
    if ps is None:
        return hit, Outcome(None, "performance status is not in the profile")
    own = next((bounds for scale, bounds in clauses if scale == ps.scale), None)
    if own is not None:
        return hit, Outcome(own[0] <= ps.value <= own[1], f"{ps.scale} {ps.value}")
    scale, (lo, hi) = clauses[0]
    if ps.scale == "ECOG":
        a, b = engine.ecog_to_kps.get(ps.value, (0, 0))
        evidence = f"ECOG {ps.value} (about Karnofsky {a}-{b})"
        if lo <= a and b <= hi:
            return hit, Outcome(True, evidence)
        if b < lo or a > hi:
            return hit, Outcome(False, evidence)
        return hit, Outcome(None, evidence + ": the conversion straddles the limit")
    near = [e for e, (a, b) in engine.ecog_to_kps.items() if a - 5 <= ps.value <= b + 5]
    evidence = f"Karnofsky {ps.value} (about ECOG {'/'.join(str(e) for e in near) or '?'})"
    inside = [lo <= e <= hi for e in near]
    if inside and all(inside):
        return hit, Outcome(True, evidence)
    if inside and not any(inside):
        return hit, Outcome(False, evidence)
    return hit, Outcome(None, evidence)


def lines_range(text: str) -> tuple[int, int] | None:
    """'no more than 3 prior regimens' -> (0, 3); 'at least one' -> (1, inf); 'one to three' -> (1, 3)."""
    num = r"(\d+|zero|one|two|three|four|five)"
    if m := re.search(num + r"\s?(?:to|or|-|–)\s?" + num, text, re.I):
        a, b = _number(m.group(1)), _number(m.group(2))
        if a is not None and b is not None:
            return a, b
    m = re.search(num, text, re.I)
    if m is None:
        return None
    n = _number(m.group(1))
    if n is None:
        return None
    before = text[:m.start()].lower()
    after = text[m.end():m.end() + 40].lower()
    if re.search(r"(no|not) more than|up to|maximum of|at most|≤|<=", before) or re.search(r"or (fewer|less)", after):
        return 0, n
    if re.search(r"(fewer|less) than|<", before):
        return 0, n - 1
    if re.search(r"more than|greater than|>", before):
        return n + 1, INF
    if re.search(r"at least|minimum of|≥|>=", before) or re.search(r"or more", after):
        return n, INF
    return n, n


def test_prior_lines(engine: CriteriaEngine, rule: Rule, compiled: CompiledRule, text: str,
                     facts: PatientFacts) -> tuple[Hit | None, Outcome | None]:
    hit = _first(engine, compiled, text)
    if hit is None:
        return None, None
    bounds = lines_range(text[max(0, hit.start - 25):hit.end])
    if bounds is None:
        return None, None
    lo, hi = bounds
    plural = "s" if facts.lines != 1 else ""
    evidence = f"{facts.lines} prior line{plural} of systemic therapy ({facts.therapy_summary()})"
    if any(not t.known for t in facts.therapies):
        return hit, Outcome(None, evidence + "; one drug is not in the pack")
    return hit, Outcome(lo <= facts.lines <= hi, evidence)


def _is_term(term: Term, therapy: TherapyFact) -> bool:
    """Is this therapy the drug, or of the class, a criterion names?"""
    if term.drug is not None:
        return therapy.drug == term.drug
    if term.classes:
        return bool(therapy.classes & term.classes)
    return bool(term.pattern.search(therapy.drug))


def _received(engine: CriteriaEngine, term: Term, facts: PatientFacts) -> bool | None:
    """Did the person receive this drug or a drug of this class? None when an unknown drug leaves it open."""
    if any(_is_term(term, t) for t in facts.therapies):
        return True
    return None if any(not t.known for t in facts.therapies) else False


def test_prior_drugs(engine: CriteriaEngine, rule: Rule, compiled: CompiledRule, text: str,
                     facts: PatientFacts) -> tuple[Hit | None, Outcome | None]:
    """Prior drugs or classes named in the item: any of them ('A or B'), or all of them ('both A and B')."""
    hits = engine.term_hits(text)
    if not hits:
        return None, None
    between = text[hits[0][2]:hits[-1][1]] if len(hits) > 1 else ""
    need_all = bool(re.search(r"\band\b|\bboth\b|\bas well as\b", between + text[:hits[0][1]][-15:], re.I)) and \
        not re.search(r"\bor\b", between, re.I)
    values = [_received(engine, t, facts) for t, _, _ in hits]
    value: bool | None
    if need_all:
        value = False if False in values else (None if None in values else True)
    else:
        value = True if True in values else (None if None in values else False)
    naive_after = re.match(r"[- ]?naive", text[hits[0][2]:hits[0][2] + 7], re.I)
    hit = Hit(hits[0][1], hits[0][2], bool(naive_after))
    unique = list(dict.fromkeys(t.name for t, _, _ in hits))
    names = (" and " if need_all else " or ").join(unique)
    return hit, Outcome(value, f"prior {names}: {facts.therapy_summary()}")


def test_prior_systemic(engine: CriteriaEngine, rule: Rule, compiled: CompiledRule, text: str,
                        facts: PatientFacts) -> tuple[Hit | None, Outcome | None]:
    """Any systemic therapy at all; entries that are not anticancer drugs (radiosurgery) were set aside by
    patient_facts, and entries the pack cannot place leave it open."""
    hit = _first(engine, compiled, text)
    if hit is None:
        return None, None
    if not facts.therapies:
        return hit, Outcome(False, "no systemic therapy in the profile" + facts.set_aside_note())
    if all(not t.known for t in facts.therapies):
        return hit, Outcome(None, f"{facts.therapy_summary()}: not a drug the navigator knows")
    return hit, Outcome(True, f"systemic therapy: {facts.therapy_summary()}")


def test_current_therapy(engine: CriteriaEngine, rule: Rule, compiled: CompiledRule, text: str,
                         facts: PatientFacts) -> tuple[Hit | None, Outcome | None]:
    """Ongoing treatment (of the drugs or classes named, and of the line named, when the item names them). An item
    that also accepts a planned start stays unknown without one (plans are not in the records), unless the line it
    names is out of reach: after two completed lines, any new therapy is third line."""
    hit = _first(engine, compiled, text)
    if hit is None:
        return None, None
    terms = [t for t, _, _ in engine.term_hits(text)]
    ongoing = [t for t in facts.therapies if t.ongoing]
    named = named_lines(text) if all(t.known for t in facts.therapies) else None
    fitting = [t for t in ongoing if (not terms or any(_is_term(term, t) for term in terms))
               and (named is None or named[0] <= facts.lines <= named[1])]  # an ongoing therapy is the last line
    if fitting:
        return hit, Outcome(True, "ongoing: " + ", ".join(t.label for t in fitting))
    if named is not None and not named[0] <= facts.lines + 1 <= named[1]:
        now = f"{facts.lines} line{'s' if facts.lines != 1 else ''} of systemic therapy so far"
        return hit, Outcome(False, f"{now}: a new therapy would be line {facts.lines + 1}")
    if re.search(rule.params.get("planned", "$^"), text, re.I):
        return hit, Outcome(None, "no such ongoing therapy in the profile; a planned start is not recorded")
    if any(not t.known for t in ongoing):
        return hit, Outcome(None, "ongoing: " + ", ".join(t.label for t in ongoing) + " (not a drug the pack knows)")
    return hit, Outcome(False, "no such ongoing systemic therapy in the profile")


ORDINALS = {"first": 1, "front": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
            "fifth": 5, "5th": 5}
_ORDINAL = r"(first|front|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|[1-5]l)"


def named_lines(text: str) -> tuple[int, int] | None:
    """Which line of therapy an item names: 'first- or second-line' -> (1, 2); 'second-line or later' -> (2, inf);
    '1L/2L' -> (1, 2). None when it names none."""
    m = re.search(_ORDINAL + r"(?:[- ]?line)?(?:-?\s?(?:,|or|and|and/or|/|to|-|–)\s?" + _ORDINAL
                  + r"(?:[- ]?line)?)*(?:[- ]?line|(?<=l))\b"
                  r"(?P<later>\s(?:or|and) (?:later|beyond|subsequent|higher))?", text, re.I)
    if m is None:
        return None
    found = [ORDINALS.get(w.lower()) or int(w[0]) for w in re.findall(_ORDINAL, m.group(0), re.I)]
    return min(found), INF if m.group("later") else max(found)


def test_therapy_duration(engine: CriteriaEngine, rule: Rule, compiled: CompiledRule, text: str,
                          facts: PatientFacts) -> tuple[Hit | None, Outcome | None]:
    """How long systemic therapy (of the drugs or classes named, when the item names some) has been given, from the
    therapy dates: at least the longest single course, at most all courses added up; open when that range straddles
    the limit or a date is missing. A time since an event ('within 4 weeks of the last dose') is not a duration."""
    hit = _first(engine, compiled, text)
    if hit is None:
        return None, None
    if re.search(r"\b(within|since|after|before|prior to|in the (past|last|previous|preceding))\s*$",
                 text[max(0, hit.start - 25):hit.start], re.I) \
            or re.search(r"^\S+ \S+ of (the )?(first|last|start|stop|completion|final|most recent)\b",
                         text[hit.start:hit.start + 60], re.I):
        return None, None
    limit = elapsed_limit(text[hit.start - 25 if hit.start >= 25 else 0:])
    if limit is None:
        return None, None
    terms = [t for t, _, _ in engine.term_hits(text)]
    courses = [t for t in facts.therapies if not terms or any(_is_term(term, t) for term in terms)]
    if any(not t.known for t in facts.therapies) and terms:
        return hit, Outcome(None, f"{facts.therapy_summary()}: not a drug the navigator knows")
    if not courses:
        if any(not t.known for t in facts.therapies):
            return hit, Outcome(None, f"{facts.therapy_summary()}: not a drug the navigator knows")
        return hit, Outcome(limit[0] == "max", "no such systemic therapy in the profile" + facts.set_aside_note())
    today = date_bounds(facts.profile.as_of)
    end_of_records = today[1] if today else dt.date.today()
    shortest, longest = 0, 0
    for course in courses:
        start = date_bounds(course.start)
        stop = date_bounds(course.stop) if course.stop else (end_of_records, end_of_records)
        if start is None or stop is None:
            return hit, Outcome(None, f"{facts.therapy_summary()}: a start or stop date is not in the profile")
        shortest = max(shortest, (stop[0] - start[1]).days)
        longest += max(0, (stop[1] - start[0]).days)
    kind, days = limit
    value: bool | None
    if kind == "max":
        value = True if longest <= days else (False if shortest > days else None)
    else:
        value = True if shortest >= days else (False if longest < days else None)
    months = f"{shortest / 30.4:.0f}" if shortest * 1.2 >= longest else f"{shortest / 30.4:.0f}-{longest / 30.4:.0f}"
    return hit, Outcome(value, f"about {months} months of systemic therapy ({facts.therapy_summary()})")


UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_COUNT = r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve)"
_UNIT = r"(day|week|month|year)s?"


def elapsed_limit(text: str) -> tuple[str, int] | None:
    """A time limit on an event the item names: 'within the past 12 weeks' -> ('max', 84); 'at least 4 weeks
    since' -> ('min', 28). None when the item states no limit."""
    at_most = re.search(r"\b(?:within|in) (?:the )?(?:past |last |previous |preceding |prior )?" + _COUNT + " " + _UNIT
                        + r"|\b(?:no more than|not more than|less than|fewer than|up to|≤|<=?) ?" + _COUNT + " " + _UNIT
                        + r"|\b" + _COUNT + " " + _UNIT + r" or (?:less|fewer)\b", text, re.I)
    at_least = re.search(r"\b(?:at least|more than|greater than|over|≥|>=?|a minimum of) ?" + _COUNT + " " + _UNIT
                         + r"|\b" + _COUNT + " " + _UNIT + r" or (?:more|longer)\b", text, re.I)
    found = [(m.start(), kind, m) for kind, m in (("max", at_most), ("min", at_least)) if m is not None]
    if not found:
        return None
    _, kind, m = min(found, key=lambda f: f[0])
    count, unit = [g for g in m.groups() if g is not None][:2]
    n = _number(count)
    return None if n is None else (kind, n * UNIT_DAYS[unit.lower()])


def date_bounds(text: str | None) -> tuple[dt.date, dt.date] | None:
    """Earliest and latest day a full or partial ISO date ('2021', '2021-06', '2021-06-10') can mean."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", (text or "").strip())
    if m is None:
        return None
    try:
        year = int(m.group(1))
        if m.group(3):
            day = dt.date(year, int(m.group(2)), int(m.group(3)))
            return day, day
        if m.group(2):
            month = int(m.group(2))
            last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
            return dt.date(year, month, 1), last
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        return None


def within_limit(limit: tuple[str, int], event: tuple[dt.date, dt.date], today: dt.date) -> bool | None:
    """Does the time since an event (known to a day range) keep a limit? None when the range straddles it."""
    kind, days = limit
    shortest, longest = (today - event[1]).days, (today - event[0]).days
    if kind == "max":
        return True if longest <= days else (False if shortest > days else None)
    return True if shortest >= days else (False if longest < days else None)


def test_nephrectomy(engine: CriteriaEngine, rule: Rule, compiled: CompiledRule, text: str,
                     facts: PatientFacts) -> tuple[Hit | None, Outcome | None]:
    """Kidney removed (or in place); a time limit ('within the past 12 weeks') is checked against its date."""
    hit = _first(engine, compiled, text)
    if hit is None:
        return None, None
    nephrectomy = facts.profile.nephrectomy
    if nephrectomy.done is None:
        return hit, Outcome(None, "whether the kidney was removed is not in the profile")
    evidence = "nephrectomy: " + ("done" if nephrectomy.done else "not done (kidney in place)")
    if not nephrectomy.done or not re.search(rule.params.get("timing", "$^"), text, re.I):
        return hit, Outcome(nephrectomy.done, evidence)
    limit = elapsed_limit(text)
    when = date_bounds(nephrectomy.date)
    if limit is None:
        return hit, Outcome(None, evidence + "; the item's time limit is not read")
    if when is None:
        return hit, Outcome(None, evidence + "; its date is not in the profile")
    today = date_bounds(facts.profile.as_of)
    value = within_limit(limit, when, today[1] if today else dt.date.today())
    return hit, Outcome(value, f"{evidence} {nephrectomy.date}"
                        + (f" (as of {facts.profile.as_of})" if facts.profile.as_of else ""))


def test_diagnosis(engine: CriteriaEngine, rule: Rule, compiled: CompiledRule, text: str,
                   facts: PatientFacts) -> tuple[Hit | None, Outcome | None]:
    """The disease itself ('RCC of any stage', 'solid tumours including renal cell carcinoma'): every profile here
    is of kidney cancer; histology and stage have rules of their own."""
    hit = _first(engine, compiled, text)
    return (hit, Outcome(True, "diagnosis: renal cell carcinoma")) if hit else (None, None)


def test_cns_related(engine: CriteriaEngine, rule: Rule, compiled: CompiledRule, text: str,
                     facts: PatientFacts) -> tuple[Hit | None, Outcome | None]:
    """Conditions that come only with spread to the brain or its linings (leptomeningeal disease, whole-brain
    radiotherapy): absent when the profile lists where the cancer has spread and the brain is not among the sites;
    open when the brain is, because a profile records neither the meninges nor radiotherapy fields."""
    hit = _first(engine, compiled, text)
    if hit is None:
        return None, None
    if "brain" in facts.profile.metastatic_sites:
        return hit, Outcome(None, "brain metastases in the profile; this is not recorded")
    if facts.sites_known:
        return hit, Outcome(False, _sites(facts) + " (no brain or CNS spread)")
    return hit, Outcome(None, "metastatic sites are not in the profile")


def test_exhausted(engine: CriteriaEngine, rule: Rule, compiled: CompiledRule, text: str,
                   facts: PatientFacts) -> tuple[Hit | None, Outcome | None]:
    """'Progressed on all standard therapies': not so without any treatment (standard first-line options remain);
    after treatment it is the study team's judgement which options are left."""
    hit = _first(engine, compiled, text)
    if hit is None:
        return None, None
    if not facts.therapies:
        return hit, Outcome(False, "no systemic therapy in the profile, so standard options remain"
                            + facts.set_aside_note())
    return hit, Outcome(None, f"{facts.therapy_summary()}: whether standard options are used up is for the study team")


def test_imdc(engine: CriteriaEngine, rule: Rule, compiled: CompiledRule, text: str,
              facts: PatientFacts) -> tuple[Hit | None, Outcome | None]:
    hit = _first(engine, compiled, text)
    if hit is None:
        return None, None
    groups = {("favorable" if g.lower().startswith("favo") else g.lower())
              for g in re.findall(r"favou?rable|intermediate|poor", text, re.I)}
    risk = facts.profile.imdc
    if risk is None or risk.group is None:
        return hit, Outcome(None, "IMDC risk group is not in the profile")
    return hit, Outcome(risk.group in groups, f"IMDC {risk.group} risk")


LAB_PATTERNS = {
    "neutrophils": r"(absolute )?neutrophils?( count)?|\banc\b",
    "platelets": r"platelets?( count)?",
    "hemoglobin": r"h(a)?emoglobin|\bhgb\b|\bhb\b",
}
THRESHOLD = re.compile(r"^[^0-9≥≤<>;]{0,25}?(≥|>=|>|≤|<=|<|at least|of at least|greater than|less than)?\s*"
                       r"([\d][\d,]*(?:\.\d+)?)\s*(×\s*10\^?9\s*/\s*l|x\s*10\^?9\s*/\s*l|/\s*mm3|/\s*[µu]l|"
                       r"g\s*/\s*dl|g\s*/\s*l|k\s*/\s*[µu]l|10\^?3\s*/\s*[µu]l)?", re.I)


def _normalise(lab: str, value: float, unit: str) -> float:
    """To the profile's units: 10^3/uL for counts, g/dL for hemoglobin."""
    unit = unit.lower().replace(" ", "")
    if lab == "hemoglobin":
        return value / 10 if unit == "g/l" or value > 30 else value
    if "mm3" in unit or "/µl" in unit or "/ul" in unit and "10" not in unit:
        return value / 1000 if value >= 100 and lab == "neutrophils" or value >= 1000 else value
    return value


def test_labs(engine: CriteriaEngine, rule: Rule, compiled: CompiledRule, text: str,
              facts: PatientFacts) -> tuple[Hit | None, Outcome | None]:
    """Blood-count thresholds the profile can check; other organ tests named alongside stay unknown."""
    checks: list[tuple[bool | None, str]] = []
    first: int | None = None
    for lab, pattern in LAB_PATTERNS.items():
        m = re.search(pattern, text, re.I)
        if m is None:
            continue
        t = THRESHOLD.match(text[m.end():])
        if t is None:
            continue
        first = m.start() if first is None else min(first, m.start())
        limit = _normalise(lab, float(t.group(2).replace(",", "")), t.group(3) or "")
        upper = (t.group(1) or "") in ("≤", "<=", "<", "less than")
        measured = facts.profile.labs.get(lab)  # type: ignore[call-overload]
        if measured is None:
            checks.append((None, f"{lab} not in the profile"))
            continue
        ok = measured.value <= limit if upper else measured.value >= limit
        checks.append((ok, f"{lab} {measured.value:g} {measured.unit} (limit {'≤' if upper else '≥'} {limit:g})"))
    if first is None:
        return None, None
    if re.search(rule.params.get("unknown", "$^"), text, re.I):
        checks.append((None, "other organ tests are not in the profile"))
    values = [c[0] for c in checks]
    value = False if False in values else (None if None in values else True)
    return Hit(first, first + 1, False), Outcome(value, "; ".join(c[1] for c in checks))


MISSING = {"measurable": "measurable disease (RECIST) is not in the profile",
           "organ_function": "kidney and liver function tests are not in the profile",
           "oligometastatic": "the number of metastases is not in the profile",
           "biomarker": "tumour biomarker results are not compared with the profile",
           "symptoms": "symptoms from the cancer are not in the profile"}


def test_unknown(engine: CriteriaEngine, rule: Rule, compiled: CompiledRule, text: str,
                 facts: PatientFacts) -> tuple[Hit | None, Outcome | None]:
    """A recognised item the profile cannot inform (measurable disease, organ function)."""
    hit = _first(engine, compiled, text)
    return (hit, Outcome(None, MISSING.get(rule.id, f"{rule.id} is not in the profile"))) if hit else (None, None)


def test_age(engine: CriteriaEngine, rule: Rule, compiled: CompiledRule, text: str,
             facts: PatientFacts) -> tuple[Hit | None, Outcome | None]:
    hit = _first(engine, compiled, text)
    if hit is None:
        return None, None
    age = next((f.value for f in reversed(facts.profile.facts) if f.field == "age" and isinstance(f.value, int)), None)
    m = re.search(r"(\d{2})", text[hit.start:hit.end + 30])
    if age is None or m is None:
        return hit, Outcome(None, "age is not in the profile")
    limit = int(m.group(1))
    older = re.search(r"older|above|≥|>=|at least|or more", text, re.I) is not None
    return hit, Outcome(age >= limit if older else age <= limit, f"age {age}")


TESTS: dict[str, TestFn] = {
    "histology": test_histology, "metastatic": test_metastatic, "brain": test_brain, "site": test_site,
    "sarcomatoid": test_sarcomatoid, "performance_status": test_performance_status, "prior_lines": test_prior_lines,
    "prior_drugs": test_prior_drugs, "prior_systemic": test_prior_systemic, "current_therapy": test_current_therapy,
    "nephrectomy": test_nephrectomy, "imdc": test_imdc, "labs": test_labs, "unknown": test_unknown, "age": test_age,
    "diagnosis": test_diagnosis, "cns_related": test_cns_related, "exhausted": test_exhausted,
    "therapy_duration": test_therapy_duration,
}
