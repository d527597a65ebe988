"""The options engine applies the pack's options table to a profile: settings, conditions, what does not apply.

Rules are tested as the pure functions they are; build_options is tested for the behaviours the issue names.
"""

from __future__ import annotations

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.options.engine import (
    Context,
    already_received,
    build_options,
    is_frail,
    limited_spread,
    local_applies,
    parse_date,
    pd1_stopped_working,
    prior_lines,
    rule_applies,
    setting_matches,
)
from kidney_navigator.options.models import OptionSet
from kidney_navigator.profile.models import Nephrectomy, PerformanceStatus, Profile, Risk, Therapy


def _profile(group: str | None, *therapies: Therapy, histology: str | None = "clear_cell",
             sites: list[str] | None = None, nephrectomy: bool | None = True, **extra: object) -> Profile:
    risk = Risk(factors={}, count=None, group=group, missing=[])
    return Profile.model_validate({"histology": histology, "therapies": list(therapies), "imdc": risk,
                                   "metastatic_sites": sites if sites is not None else ["lung", "liver", "bone"],
                                   "nephrectomy": Nephrectomy(done=nephrectomy), **extra})


def _ctx(group: str = "clear_cell", line: int = 1, imdc: str | None = "intermediate", prior: set[str] | None = None,
         failed: bool = False) -> Context:
    return Context(group=group, line=line, imdc=imdc, prior=frozenset(prior or set()), pd1_stopped_working=failed)


def _drugs(result: OptionSet) -> list[set[str]]:
    return [set(o.drugs) for o in result.options]


def _na(result: OptionSet) -> set[str]:
    return {n.regimen.split(" (")[0] for n in result.not_applicable}


# ---------- pure rules ----------

def test_drugs_started_together_are_one_line_and_undated_pairs_too(pack: Pack) -> None:
    dated = _profile(None, Therapy(drug="pembrolizumab", start="2022-01-01"),
                     Therapy(drug="axitinib", start="2022-01-10"))
    assert prior_lines(dated, pack) == (1, ["pd1_pdl1", "vegf_tki"])
    undated = _profile(None, Therapy(drug="pembrolizumab"), Therapy(drug="axitinib"))
    assert prior_lines(undated, pack)[0] == 1
    two_pills = _profile(None, Therapy(drug="sunitinib"), Therapy(drug="axitinib"))
    assert prior_lines(two_pills, pack)[0] == 2
    apart = _profile(None, Therapy(drug="sunitinib", start="2020-01-01"), Therapy(drug="axitinib", start="2020-03-01"))
    assert prior_lines(apart, pack)[0] == 2


def test_bone_drugs_are_not_a_line_and_bad_dates_do_not_crash(pack: Pack) -> None:
    profile = _profile(None, Therapy(drug="denosumab", start="2022-01-01"),
                       Therapy(drug="pembrolizumab", start="spring 2022"), Therapy(drug="axitinib", start="2022-03-01"))
    assert prior_lines(profile, pack) == (1, ["pd1_pdl1", "vegf_tki"])
    assert parse_date("spring 2022") is None and parse_date("2022-03-01") is not None
    assert any("not a date" in m for m in build_options(profile, pack).missing)


def test_pd1_stopped_working_ignores_stops_for_side_effects(pack: Pack) -> None:
    assert pd1_stopped_working(_profile(None, Therapy(drug="nivolumab", stop_reason="progression")), pack)
    assert pd1_stopped_working(_profile(None, Therapy(drug="nivolumab")), pack)  # unknown reason: assume it did
    assert not pd1_stopped_working(_profile(None, Therapy(drug="nivolumab", stop_reason="toxicity")), pack)
    assert not pd1_stopped_working(_profile(None, Therapy(drug="sunitinib", stop_reason="progression")), pack)


def test_not_applicable_rules() -> None:
    assert rule_applies("not_both_pd1_and_vegf", _ctx(prior={"pd1_pdl1"}))
    assert not rule_applies("not_both_pd1_and_vegf", _ctx(prior={"pd1_pdl1", "vegf_tki"}))
    assert rule_applies("favorable_risk", _ctx(imdc="favorable"))
    assert not rule_applies("favorable_risk", _ctx(imdc="favorable", line=2))
    assert not rule_applies("favorable_risk", _ctx(imdc="favorable", group="papillary"))
    assert rule_applies("prior_pd1_progression", _ctx(failed=True))
    assert rule_applies("clear_cell", _ctx()) and rule_applies("non_clear_cell", _ctx(group="chromophobe"))


def test_settings_match_by_line_risk_and_earlier_drug_types(pack: Pack) -> None:
    by_id = {s.id: s for s in pack.options.settings}
    assert setting_matches(by_id["clear-cell-first-line-favorable"], _ctx(imdc="favorable"))
    assert not setting_matches(by_id["clear-cell-first-line-favorable"], _ctx(imdc="poor"))
    assert setting_matches(by_id["clear-cell-first-line-favorable"], _ctx(imdc=None))  # unknown risk: both rows
    later = _ctx(line=5, prior={"pd1_pdl1", "vegf_tki"})
    assert setting_matches(by_id["clear-cell-after-immunotherapy-and-vegf-tki-third-line"], later)
    assert not setting_matches(by_id["clear-cell-after-vegf-tki-third-line"], later)


def test_already_received_treats_platinum_drugs_as_one_choice(pack: Pack) -> None:
    regimens = {r.id: r for r in pack.options.regimens}
    assert already_received(regimens["gemcitabine-platinum"], {"gemcitabine", "carboplatin"})
    assert not already_received(regimens["pembrolizumab-axitinib"], {"axitinib"})


def test_local_conditions() -> None:
    assert limited_spread(_profile(None, sites=["lung"])) and limited_spread(_profile(None, sites=["lung", "bone"]))
    assert not limited_spread(_profile(None, sites=[]))
    assert not limited_spread(_profile(None, sites=["lung", "bone", "liver"]))
    assert local_applies("kidney_in_place", _profile(None, nephrectomy=None))
    assert not local_applies("kidney_in_place", _profile(None, nephrectomy=True))
    calm = _profile("favorable", sites=["lung"])
    assert local_applies("slow_growing_few_symptoms", calm)
    assert not local_applies("slow_growing_few_symptoms", _profile("favorable", sites=["brain"]))
    assert not local_applies("slow_growing_few_symptoms", _profile("favorable", sites=["lung"], sarcomatoid=True))
    assert not local_applies("slow_growing_few_symptoms", _profile("poor", sites=["lung"]))
    assert is_frail(PerformanceStatus(scale="ECOG", value=2)) and is_frail(PerformanceStatus(scale="KPS", value=60))
    assert not is_frail(PerformanceStatus(scale="KPS", value=80)) and not is_frail(None)


# ---------- behaviours the issue names ----------

def test_first_line_favorable_has_no_ipilimumab_nivolumab(pack: Pack) -> None:
    result = build_options(_profile("favorable"), pack)
    assert result.setting.line == 1
    assert {"ipilimumab", "nivolumab"} not in _drugs(result)
    assert "Ipilimumab" in _na(result)
    assert {"pembrolizumab", "axitinib"} in _drugs(result)
    assert all(o.sources for o in result.options)


def test_first_line_intermediate_and_poor_list_ipilimumab_nivolumab(pack: Pack) -> None:
    for group in ("intermediate", "poor"):
        assert {"ipilimumab", "nivolumab"} in _drugs(build_options(_profile(group), pack))


def test_belzutifan_only_after_both_pd1_and_vegf(pack: Pack) -> None:
    after_tki = build_options(_profile(None, Therapy(drug="sunitinib", start="2023-01-01")), pack)
    assert {"belzutifan"} not in _drugs(after_tki)
    assert "Belzutifan" in _na(after_tki)
    after_both = build_options(_profile(None, Therapy(drug="pembrolizumab", start="2022-01-01"),
                                        Therapy(drug="axitinib", start="2022-01-05"),
                                        Therapy(drug="cabozantinib", start="2023-06-01")), pack)
    assert after_both.setting.line == 3
    assert {"belzutifan"} in _drugs(after_both)
    belzutifan = next(o for o in after_both.options if o.drugs == ["belzutifan"])
    assert belzutifan.category == "fda_approved" and "opt-fda-belzutifan-2024" in belzutifan.sources


def test_same_immunotherapy_again_after_progression_is_not_applicable(pack: Pack) -> None:
    result = build_options(_profile(None, Therapy(drug="nivolumab", start="2022-01-01", stop_reason="progression"),
                                    Therapy(drug="cabozantinib", start="2022-01-01")), pack)
    na = {n.regimen: n.reason for n in result.not_applicable}
    assert any("CONTACT-03" in reason for reason in na.values())
    assert all(not ({"nivolumab", "pembrolizumab", "avelumab"} & set(o.drugs)) for o in result.options)
    assert len(result.not_applicable) == len(na), "a regimen is listed once"


def test_received_regimens_move_to_not_applicable(pack: Pack) -> None:
    result = build_options(_profile(None, Therapy(drug="pembrolizumab", start="2022-01-01"),
                                    Therapy(drug="axitinib", start="2022-01-10")), pack)
    assert {"axitinib"} not in _drugs(result)
    assert any("already had" in n.reason for n in result.not_applicable)


def test_local_options_by_metastatic_pattern(pack: Pack) -> None:
    def local(profile: Profile) -> str:
        return " | ".join(o.option for o in build_options(profile, pack).local_and_supportive)

    assert "metastasectomy" in local(_profile("intermediate", sites=["lung", "adrenal"]))
    assert "metastasectomy" not in local(_profile("intermediate", sites=["lung", "liver", "adrenal"]))
    assert "radiosurgery" in local(_profile("poor", sites=["brain", "lung", "liver"]))
    assert "Radiation to painful bone" in local(_profile("poor", sites=["bone", "lung", "liver"]))
    assert "Bone-protecting" in local(_profile("poor", sites=["bone", "lung", "liver"]))
    assert "Clinical trials" in local(_profile("poor"))
    few = build_options(_profile("intermediate", sites=["lung"]), pack)
    sbrt = next(o for o in few.local_and_supportive if "SBRT" in o.option)
    assert "only 1 place" in sbrt.why and "(lung)" in sbrt.why, "the output says what it assumed"


def test_nephrectomy_unknown_is_shown_as_a_question(pack: Pack) -> None:
    result = build_options(_profile("intermediate", nephrectomy=None), pack)
    surgery = next(o for o in result.local_and_supportive if "nephrectomy" in o.option)
    assert surgery.why.startswith("Your records do not say whether your kidney was removed")
    assert any("kidney been removed" in q for q in result.questions)
    assert any("nephrectomy" in m for m in result.missing)
    done = build_options(_profile("intermediate", nephrectomy=True), pack)
    assert not any("nephrectomy" in o.option for o in done.local_and_supportive)


def test_missing_inputs_are_named_with_what_they_change(pack: Pack) -> None:
    result = build_options(Profile(), pack)
    assert any(m.startswith("histology") and "Options differ" in m for m in result.missing)
    assert any(m.startswith("IMDC") and "ipilimumab + nivolumab" in m for m in result.missing)
    assert any(m.startswith("past cancer drug treatment") for m in result.missing)
    assert any(m.startswith("where the cancer has spread") for m in result.missing)
    assert {"ipilimumab", "nivolumab"} in _drugs(result), "unknown risk hides nothing"


def test_later_line_non_clear_cell_says_the_table_has_no_row(pack: Pack) -> None:
    result = build_options(_profile(None, Therapy(drug="cabozantinib", start="2023-01-01"), histology="papillary"),
                           pack)
    assert result.options == []
    assert any("does not cover" in m for m in result.missing)


def test_options_are_ordered_guideline_categories_first(pack: Pack) -> None:
    result = build_options(_profile(None, Therapy(drug="sunitinib", start="2020-01-01"),
                                    Therapy(drug="nivolumab", start="2021-01-01")), pack)
    ranks = ["preferred", "other_recommended", "certain_circumstances", "fda_approved", "trial_evidence"]
    order = [ranks.index(o.category) for o in result.options]
    assert order == sorted(order)
    assert {o.category for o in result.options} >= {"preferred", "fda_approved"}


def test_why_and_questions_are_not_directives(pack: Pack) -> None:
    import re

    forbidden = [re.compile(p, re.I) for p in pack.safety.forbidden_in_answers]
    result = build_options(_profile("favorable", nephrectomy=None, sites=["brain"], sarcomatoid=True,
                                    performance_status=PerformanceStatus(scale="ECOG", value=3)), pack)
    texts = [*result.questions, *result.missing, *(o.why for o in result.local_and_supportive)]
    assert not [t for t in texts for rx in forbidden if rx.search(t)]
