"""The options engine applies the pack's options table to a profile: settings, conditions, what does not apply."""

from __future__ import annotations

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.options.engine import build_options, prior_lines
from kidney_navigator.profile.models import Profile, Risk, Therapy


def _profile(group: str | None, *therapies: Therapy, histology: str = "clear_cell") -> Profile:
    risk = Risk(factors={}, count=None, group=group, missing=[])  # type: ignore[arg-type]
    return Profile(histology=histology, therapies=list(therapies), imdc=risk)  # type: ignore[arg-type]


def _drugs(result: object) -> list[set[str]]:
    return [set(o.drugs) for o in result.options]  # type: ignore[attr-defined]


def test_first_line_favorable_has_no_ipilimumab_nivolumab(pack: Pack) -> None:
    result = build_options(_profile("favorable"), pack)
    assert result.setting.line == 1
    assert {"ipilimumab", "nivolumab"} not in _drugs(result)
    assert {"pembrolizumab", "axitinib"} in _drugs(result)
    assert all(o.sources for o in result.options)


def test_first_line_poor_lists_ipilimumab_nivolumab(pack: Pack) -> None:
    assert {"ipilimumab", "nivolumab"} in _drugs(build_options(_profile("poor"), pack))


def test_belzutifan_only_after_both_pd1_and_vegf(pack: Pack) -> None:
    after_tki = build_options(_profile(None, Therapy(drug="sunitinib", start="2023-01-01")), pack)
    assert {"belzutifan"} not in _drugs(after_tki)
    assert any("Belzutifan" in n.regimen for n in after_tki.not_applicable)
    after_both = build_options(_profile(None, Therapy(drug="pembrolizumab", start="2022-01-01"),
                                        Therapy(drug="axitinib", start="2022-01-05"),
                                        Therapy(drug="cabozantinib", start="2023-06-01")), pack)
    assert after_both.setting.line == 3
    assert {"belzutifan"} in _drugs(after_both)


def test_combination_started_together_is_one_line_and_received_regimens_do_not_repeat(pack: Pack) -> None:
    profile = _profile(None, Therapy(drug="pembrolizumab", start="2022-01-01"),
                       Therapy(drug="axitinib", start="2022-01-10"))
    assert prior_lines(profile, pack)[0] == 1
    result = build_options(profile, pack)
    assert {"pembrolizumab", "axitinib"} not in _drugs(result)


def test_missing_histology_and_risk_are_named(pack: Pack) -> None:
    profile = Profile()
    result = build_options(profile, pack)
    assert any("histology" in m for m in result.missing)
    assert any("IMDC" in m for m in result.missing)
