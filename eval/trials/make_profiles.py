"""Writes eval/trials/profiles/*.json: invented patient profiles in the `kidney-nav profile --json` contract.

Run from the repository root: .venv/bin/python eval/trials/make_profiles.py
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kidney_navigator.profile.models import Profile

NORMAL_LABS = {"hemoglobin": {"value": 12.8, "unit": "g/dL"}, "neutrophils": {"value": 4.0, "unit": "10^3/uL"},
               "platelets": {"value": 250, "unit": "10^3/uL"}}


def risk(group: str | None) -> dict[str, Any] | None:
    counts = {"favorable": 0, "intermediate": 1, "poor": 3}
    return None if group is None else {"factors": {}, "count": counts[group], "group": group, "missing": []}


def ecog(value: int) -> dict[str, Any]:
    return {"scale": "ECOG", "value": value}


def tx(drug: str, start: str, stop: str | None = None, reason: str | None = None) -> dict[str, Any]:
    return {"drug": drug, "start": start, "stop": stop, "stop_reason": reason}


M1 = {"m": "M1"}
PROFILES: dict[str, dict[str, Any]] = {
    "p01-cc-untreated": dict(histology="clear_cell", stage=M1, metastatic_sites=["bone", "lung"],
                             performance_status=ecog(0), nephrectomy={"done": True}, labs=NORMAL_LABS,
                             imdc=risk("intermediate")),
    "p02-cc-after-pembro-axi": dict(histology="clear_cell", stage=M1, metastatic_sites=["liver", "lung"],
                                    performance_status=ecog(1), nephrectomy={"done": True},
                                    therapies=[tx("pembrolizumab", "2023-03-01", "2024-06-10", "progression"),
                                               tx("axitinib", "2023-03-01", "2024-06-10", "progression")]),
    "p03-cc-after-nivo-ipi-then-cabo": dict(histology="clear_cell", stage=M1, metastatic_sites=["bone", "lung"],
                                            performance_status=ecog(1), nephrectomy={"done": True},
                                            therapies=[tx("nivolumab", "2022-01-05", "2022-10-01", "progression"),
                                                       tx("ipilimumab", "2022-01-05", "2022-03-20", "completed"),
                                                       tx("cabozantinib", "2022-11-01", "2024-05-02", "progression")]),
    "p04-papillary-untreated": dict(histology="papillary", stage=M1, metastatic_sites=["lung", "lymph_node"],
                                    performance_status=ecog(1), nephrectomy={"done": True},
                                    imdc=risk("intermediate")),
    "p05-chromophobe-after-sunitinib": dict(histology="chromophobe", stage=M1, metastatic_sites=["liver"],
                                            performance_status=ecog(0), nephrectomy={"done": True},
                                            therapies=[tx("sunitinib", "2023-02-01", "2024-03-15", "progression")]),
    "p06-cc-brain-untreated": dict(histology="clear_cell", stage=M1, metastatic_sites=["brain", "lung"],
                                   performance_status=ecog(1), nephrectomy={"done": True},
                                   imdc=risk("intermediate")),
    "p07-cc-ecog2-kidney-in-place": dict(histology="clear_cell", stage=M1, metastatic_sites=["lung"],
                                         performance_status=ecog(2), nephrectomy={"done": False},
                                         imdc=risk("poor")),
    "p08-cc-kps70-after-nivo-ipi": dict(histology="clear_cell", stage=M1, metastatic_sites=["lung"],
                                        performance_status={"scale": "KPS", "value": 70},
                                        nephrectomy={"done": True},
                                        therapies=[tx("nivolumab", "2023-05-01", "2024-02-01", "progression"),
                                                   tx("ipilimumab", "2023-05-01", "2023-07-15", "completed")]),
    "p09-sparse": dict(metastatic_sites=["lung"]),
    "p10-cc-three-lines": dict(histology="clear_cell", stage=M1, metastatic_sites=["bone", "lung"],
                               performance_status=ecog(1), nephrectomy={"done": True},
                               therapies=[tx("sunitinib", "2019-01-10", "2020-01-05", "progression"),
                                          tx("nivolumab", "2020-02-01", "2021-03-01", "progression"),
                                          tx("cabozantinib", "2021-04-01", "2023-01-10", "progression")]),
    "p11-cc-sarcomatoid-untreated": dict(histology="clear_cell", sarcomatoid=True, stage=M1,
                                         metastatic_sites=["adrenal", "lung"], performance_status=ecog(1),
                                         nephrectomy={"done": False}, imdc=risk("poor")),
    "p12-collecting-duct-untreated": dict(histology="collecting_duct", stage=M1, metastatic_sites=["bone", "liver"],
                                          performance_status=ecog(1), nephrectomy={"done": True}),
    "p13-cc-after-belzutifan": dict(histology="clear_cell", stage=M1, metastatic_sites=["lung"],
                                    performance_status=ecog(1), nephrectomy={"done": True},
                                    therapies=[tx("pembrolizumab", "2022-06-01", "2023-08-01", "progression"),
                                               tx("lenvatinib", "2022-06-01", "2023-08-01", "progression"),
                                               tx("belzutifan", "2023-09-01", "2024-09-01", "progression")]),
    "p14-cc-resected-m0": dict(histology="clear_cell", grade=3, stage={"t": "T3a", "n": "N0", "m": "M0"},
                               performance_status=ecog(0), nephrectomy={"done": True, "type": "radical"}),
    "p15-cc-low-counts-after-axi-avelumab": dict(
        histology="clear_cell", stage=M1, metastatic_sites=["lung"], performance_status=ecog(1),
        nephrectomy={"done": True},
        labs={"hemoglobin": {"value": 8.5, "unit": "g/dL"}, "neutrophils": {"value": 1.0, "unit": "10^3/uL"},
              "platelets": {"value": 80, "unit": "10^3/uL"}},
        therapies=[tx("axitinib", "2023-01-10", "2024-05-01", "progression"),
                   tx("avelumab", "2023-01-10", "2024-05-01", "progression")]),
    "p16-translocation-untreated": dict(histology="translocation", stage=M1, metastatic_sites=["lymph_node"],
                                        performance_status=ecog(0), nephrectomy={"done": True}),
    "p17-fh-deficient-untreated": dict(histology="fh_deficient", stage=M1, metastatic_sites=["bone"],
                                       performance_status=ecog(1), nephrectomy={"done": True}),
    "p18-cc-after-pembrolizumab": dict(histology="clear_cell", stage=M1, metastatic_sites=["lung"],
                                       performance_status=ecog(0), nephrectomy={"done": True},
                                       therapies=[tx("pembrolizumab", "2022-01-15", "2023-01-10", "completed")]),
    "p19-unclassified-ecog2-after-cabo-nivo": dict(histology="unclassified", stage=M1, metastatic_sites=["liver"],
                                                   performance_status=ecog(2),
                                                   therapies=[tx("cabozantinib", "2023-03-01", "2024-04-01",
                                                                 "progression"),
                                                              tx("nivolumab", "2023-03-01", "2024-04-01",
                                                                 "progression")]),
    "p20-cc-brain-bone-kidney-in-place": dict(histology="clear_cell", stage=M1, metastatic_sites=["bone", "brain"],
                                              performance_status=ecog(1), nephrectomy={"done": False},
                                              imdc=risk("intermediate")),
}

if __name__ == "__main__":
    folder = Path(__file__).with_name("profiles")
    folder.mkdir(exist_ok=True)
    for name, fields in PROFILES.items():
        profile = Profile.model_validate({**fields, "as_of": "2025-03-01"})
        (folder / f"{name}.json").write_text(profile.model_dump_json(indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(PROFILES)} profiles to {folder}")
