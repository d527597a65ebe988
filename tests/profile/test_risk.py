"""IMDC/MSKCC: factors, ECOG mapping, defaults, and 'group only when the unknowns cannot change it'."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.models import Lab, PerformanceStatus, Profile, Therapy
from kidney_navigator.profile.risk import assess, kps_below_80


def _profile(**labs: tuple[float, float | None, float | None]) -> Profile:
    return Profile(labs={k: Lab(value=v, unit="", low=lo, high=hi) for k, (v, lo, hi) in labs.items()})


def test_ecog_mapping(pack: Pack) -> None:
    rules = pack.risk
    assert kps_below_80(PerformanceStatus(scale="ECOG", value=0), rules) is False
    assert kps_below_80(PerformanceStatus(scale="ECOG", value=1), rules) is None
    assert kps_below_80(PerformanceStatus(scale="ECOG", value=2), rules) is True
    assert kps_below_80(PerformanceStatus(scale="KPS", value=80), rules) is False


def test_favorable_needs_every_factor(pack: Pack) -> None:
    profile = _profile(hemoglobin=(14.0, 13.5, 17.5), calcium=(9.5, 8.5, 10.2), albumin=(4.0, 3.5, 5.0),
                       neutrophils=(4.0, 1.8, 7.7), platelets=(250, 150, 400))
    profile.performance_status = PerformanceStatus(scale="KPS", value=90)
    profile.diagnosis_date, profile.as_of = "2020-01-01", "2024-01-01"
    profile.therapies = [Therapy(drug="sunitinib", start="2022-06-01")]
    risk = assess(profile, pack.risk.models["imdc"], pack.risk)
    assert risk.group == "favorable" and risk.count == 0 and risk.missing == []
    profile.labs.pop("platelets")
    risk = assess(profile, pack.risk.models["imdc"], pack.risk)
    assert risk.group is None and risk.missing == ["platelets_above_uln"]


def test_poor_is_known_even_with_missing_factors(pack: Pack) -> None:
    profile = _profile(hemoglobin=(9.0, 12.0, 16.0), neutrophils=(9.0, 1.8, 7.7), platelets=(500, 150, 400))
    risk = assess(profile, pack.risk.models["imdc"], pack.risk)
    assert risk.group == "poor" and risk.count is None and len(risk.missing) == 3


def test_default_range_used_when_lab_gives_none(pack: Pack) -> None:
    risk = assess(_profile(platelets=(450, None, None)), pack.risk.models["imdc"], pack.risk)
    assert risk.factors["platelets_above_uln"] is True


@given(st.lists(st.sampled_from([True, False, None]), min_size=6, max_size=6))
def test_group_only_when_unknowns_cannot_change_it(pack: Pack, values: list[bool | None]) -> None:
    model = pack.risk.models["imdc"]
    known = sum(1 for v in values if v)
    unknown = values.count(None)

    def group(n: int) -> str:
        return "favorable" if n == 0 else "intermediate" if n <= 2 else "poor"

    expected = group(known) if group(known) == group(known + unknown) else None
    # Build a profile whose labs reproduce the factor values.
    profile = Profile()
    names = list(model.factors)
    labs = {"hemoglobin_below_lln": ("hemoglobin", 10.0, 14.0), "neutrophils_above_uln": ("neutrophils", 9.0, 4.0),
            "platelets_above_uln": ("platelets", 500.0, 250.0)}
    for name, value in zip(names, values, strict=True):
        if name in labs and value is not None:
            lab, yes, no = labs[name]
            profile.labs[lab] = Lab(value=yes if value else no, unit="", low=12.0 if lab == "hemoglobin" else 1.0,
                                    high=16.0 if lab == "hemoglobin" else 400.0 if lab == "platelets" else 7.7)
        elif name == "kps_below_80" and value is not None:
            profile.performance_status = PerformanceStatus(scale="KPS", value=70 if value else 90)
        elif name == "diagnosis_to_treatment_under_1y" and value is not None:
            profile.diagnosis_date, profile.as_of = "2024-01-01", "2024-06-01" if value else "2026-01-01"
        elif name == "calcium_above_uln" and value is not None:
            profile.labs["calcium"] = Lab(value=11.0 if value else 9.0, unit="", low=8.5, high=10.2)
            profile.labs["albumin"] = Lab(value=4.0, unit="", low=3.5, high=5.0)
    risk = assess(profile, model, pack.risk)
    assert list(risk.factors.values()) == values
    assert risk.group == expected


@given(st.floats(min_value=1.8, max_value=3.5), st.floats(min_value=15.0, max_value=50.0))
def test_si_calcium_is_corrected_like_the_us_units(pack: Pack, calcium_mmol: float, albumin_g_l: float) -> None:
    from kidney_navigator.profile.risk import corrected_calcium

    si = Profile(labs={"calcium": Lab(value=calcium_mmol, unit="mmol/L", low=2.2, high=2.6),
                       "albumin": Lab(value=albumin_g_l, unit="g/L")})
    us = Profile(labs={"calcium": Lab(value=calcium_mmol * 4.008, unit="mg/dL", low=2.2 * 4.008, high=2.6 * 4.008),
                       "albumin": Lab(value=albumin_g_l / 10, unit="g/dL")})
    got_si, got_us = corrected_calcium(si, pack.risk), corrected_calcium(us, pack.risk)
    assert got_si is not None and got_us is not None
    assert abs(got_si[0] - got_us[0]) < 1e-6 and abs(got_si[1] - got_us[1]) < 1e-6
    # Same as the SI formula Ca + 0.02 x (40 - albumin g/L), within rounding of 0.8/4.008.
    assert abs(got_si[0] / 4.008 - (calcium_mmol + 0.02 * (40 - albumin_g_l))) < 0.01
