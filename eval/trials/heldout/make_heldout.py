"""Writes the held-out studies.json and profiles/*.json (labels are hand-written in expected.yaml)."""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).parent

CITIES = {
    "Boston": ("Massachusetts", 42.3601, -71.0589), "New York": ("New York", 40.7128, -74.0060),
    "Houston": ("Texas", 29.7604, -95.3698), "Los Angeles": ("California", 34.0522, -118.2437),
    "Chicago": ("Illinois", 41.8781, -87.6298), "Seattle": ("Washington", 47.6062, -122.3321),
    "Nashville": ("Tennessee", 36.1627, -86.7816), "Denver": ("Colorado", 39.7392, -104.9903),
    "Rochester": ("Minnesota", 44.0121, -92.4802), "Philadelphia": ("Pennsylvania", 39.9526, -75.1652),
    "Ann Arbor": ("Michigan", 42.2808, -83.7430), "Salt Lake City": ("Utah", 40.7608, -111.8910),
    "Columbus": ("Ohio", 39.9612, -82.9988), "Baltimore": ("Maryland", 39.2904, -76.6122),
    "San Francisco": ("California", 37.7749, -122.4194), "Atlanta": ("Georgia", 33.7490, -84.3880),
    "Miami": ("Florida", 25.7617, -80.1918), "Cleveland": ("Ohio", 41.4993, -81.6944),
    "Dallas": ("Texas", 32.7767, -96.7970), "Phoenix": ("Arizona", 33.4484, -112.0740),
}


def study(nct, title, status, phase, interventions, inclusion, exclusion, cities, start="2024-03",
          conditions=("Renal Cell Carcinoma", "Metastatic Kidney Cancer")):
    text = ("Inclusion Criteria:\n\n" + "\n".join(f"* {c}" for c in inclusion)
            + "\n\nExclusion Criteria:\n\n" + "\n".join(f"* {c}" for c in exclusion))
    site_status = {"RECRUITING": "RECRUITING", "NOT_YET_RECRUITING": "NOT_YET_RECRUITING",
                   "ACTIVE_NOT_RECRUITING": "ACTIVE_NOT_RECRUITING", "COMPLETED": "COMPLETED"}[status]
    return {
        "protocolSection": {
            "identificationModule": {"nctId": nct, "briefTitle": title,
                                     "organization": {"fullName": "Held-out Invented Sponsor", "class": "OTHER"}},
            "statusModule": {"overallStatus": status, "startDateStruct": {"date": start},
                             "lastUpdatePostDateStruct": {"date": "2025-02-10", "type": "ACTUAL"}},
            "conditionsModule": {"conditions": list(conditions)},
            "designModule": {"studyType": "INTERVENTIONAL", "phases": phase},
            "armsInterventionsModule": {"interventions": [{"type": t, "name": n} for t, n in interventions]},
            "eligibilityModule": {"eligibilityCriteria": text, "healthyVolunteers": False, "sex": "ALL",
                                  "minimumAge": "18 Years", "stdAges": ["ADULT", "OLDER_ADULT"]},
            "contactsLocationsModule": {"locations": [
                {"facility": f"{c} Cancer Institute (invented)", "status": site_status, "city": c,
                 "state": CITIES[c][0], "country": "United States",
                 "geoPoint": {"lat": CITIES[c][1], "lon": CITIES[c][2]}} for c in cities]},
        },
        "hasResults": status == "COMPLETED",
    }


STUDIES = [
    study("NCT97000001", "Anti-PD-1 Plus Next-Generation VEGFR TKI Versus Pembrolizumab-Axitinib in Untreated "
          "Intermediate/Poor-Risk Clear Cell RCC", "RECRUITING", ["PHASE3"],
          [("DRUG", "Investigational VEGFR TKI"), ("DRUG", "Nivolumab"), ("DRUG", "Pembrolizumab"),
           ("DRUG", "Axitinib")],
          ["Histologically confirmed RCC with a clear-cell component, locally advanced or metastatic",
           "No prior systemic therapy for advanced disease (prior adjuvant therapy allowed if completed "
           ">12 months before randomization)",
           "IMDC intermediate or poor risk",
           "Karnofsky ≥ 70%",
           "Measurable disease per RECIST 1.1",
           "Age ≥ 18 years"],
          ["Untreated or symptomatic CNS metastases",
           "Active autoimmune disease requiring systemic treatment within the past 2 years",
           "Uncontrolled hypertension (blood pressure above 150/90 mmHg despite medication)"],
          ["Boston", "Houston", "Seattle", "Nashville"]),
    study("NCT97000002", "Novel Multikinase Inhibitor After Checkpoint Inhibitor Progression in Clear Cell RCC",
          "RECRUITING", ["PHASE2"], [("DRUG", "Investigational multikinase inhibitor")],
          ["Advanced or metastatic renal cell carcinoma with a clear-cell component",
           "Must have progressed on or after anti–PD-(L)1 therapy given for advanced disease",
           "No more than 2 prior lines of systemic therapy for advanced disease",
           "ECOG PS 0–1",
           "Measurable disease per RECIST 1.1",
           "Adequate organ function"],
          ["Prior treatment with cabozantinib",
           "Active brain metastases (treated brain metastases stable for ≥4 weeks are allowed)"],
          ["Chicago", "Denver", "Philadelphia"]),
    study("NCT97000003", "Oral HIF-2α Inhibitor Versus Everolimus After PD-1/PD-L1 and VEGF-Targeted Therapy",
          "RECRUITING", ["PHASE3"], [("DRUG", "Investigational HIF-2 alpha inhibitor"), ("DRUG", "Everolimus")],
          ["Histologically confirmed clear-cell RCC (non-clear-cell histologies are not eligible)",
           "Disease progression after both an anti-PD-1/PD-L1 antibody and a VEGF receptor tyrosine kinase "
           "inhibitor, given together or in sequence",
           "One to three prior systemic regimens for advanced RCC",
           "Karnofsky ≥ 70%",
           "Measurable disease per RECIST 1.1"],
          ["Prior treatment with a HIF-2α inhibitor is not permitted",
           "Need for supplemental oxygen or resting oxygen saturation below 92%",
           "Untreated or symptomatic CNS metastases"],
          ["Los Angeles", "Ann Arbor", "Atlanta", "Dallas"]),
    study("NCT97000004", "Checkpoint Inhibitor Plus Lenvatinib in Non-Clear Cell Kidney Cancer", "RECRUITING",
          ["PHASE2"], [("DRUG", "Pembrolizumab"), ("DRUG", "Lenvatinib")],
          ["Papillary, chromophobe, unclassified or translocation RCC (tumours with a predominant clear-cell "
           "component are not eligible)",
           "No more than one prior systemic therapy for advanced disease",
           "ECOG PS 0–2",
           "Measurable disease per RECIST 1.1",
           "Age ≥ 18"],
          ["Collecting duct carcinoma or renal medullary carcinoma",
           "Prior treatment with any anti-PD-1, anti-PD-L1 or anti-CTLA-4 antibody",
           "Untreated brain metastases"],
          ["Rochester", "Salt Lake City", "San Francisco"]),
    study("NCT97000005", "Adjuvant Immunotherapy Combination After Nephrectomy for High-Risk Clear Cell RCC",
          "RECRUITING", ["PHASE3"], [("DRUG", "Pembrolizumab"), ("DRUG", "Investigational anti-LAG-3 antibody")],
          ["Clear-cell RCC treated with radical or partial nephrectomy within the past 12 weeks",
           "No evidence of residual or metastatic disease on post-operative imaging (M0, or M1 rendered "
           "disease-free by complete metastasectomy)",
           "High risk of recurrence: pT2 grade 4, pT3 or pT4, or node-positive disease",
           "ECOG PS 0–1"],
          ["Any prior systemic therapy for renal cell carcinoma",
           "Active autoimmune disease"],
          ["New York", "Columbus", "Miami"], conditions=("Renal Cell Carcinoma", "Kidney Cancer")),
    study("NCT97000006", "Systemic Therapy Without Upfront Radiation for Small Untreated Brain Metastases from RCC",
          "RECRUITING", ["PHASE2"], [("DRUG", "Investigational CNS-penetrant TKI")],
          ["Metastatic RCC of any histology",
           "At least one brain metastasis measuring 5–30 mm that has not been treated with radiation or surgery",
           "No neurological symptoms requiring corticosteroids above 2 mg dexamethasone daily",
           "Karnofsky ≥ 70%",
           "Prior systemic therapy is allowed, including immunotherapy"],
          ["Leptomeningeal disease",
           "Prior whole-brain radiotherapy"],
          ["Boston", "Baltimore", "Cleveland"], conditions=("Renal Cell Carcinoma", "Brain Metastases")),
    study("NCT97000007", "Stereotactic Body Radiotherapy for Oligometastatic Renal Cell Carcinoma", "RECRUITING",
          ["PHASE2"], [("RADIATION", "Stereotactic body radiotherapy")],
          ["Metastatic RCC of any histology",
           "Between 1 and 5 metastatic lesions, all amenable to stereotactic body radiotherapy",
           "Prior nephrectomy required",
           "ECOG PS 0–2",
           "No more than 1 prior line of systemic therapy for metastatic disease"],
          ["Brain metastases",
           "Prior radiotherapy to a lesion planned for SBRT"],
          ["Dallas", "Phoenix", "Denver"]),
    study("NCT97000008", "Urea Cream to Prevent Hand-Foot Skin Reaction During VEGFR TKI Therapy for Kidney Cancer",
          "RECRUITING", ["NA"], [("OTHER", "10% urea cream"), ("OTHER", "Bland emollient")],
          ["Renal cell carcinoma of any stage or histology",
           "Currently receiving, or scheduled to start within 14 days, an oral VEGFR tyrosine kinase inhibitor "
           "(sunitinib, pazopanib, axitinib, cabozantinib or lenvatinib)",
           "ECOG PS 0–2",
           "Age ≥ 18 years"],
          ["Pre-existing grade 2 or higher skin condition of the hands or feet",
           "Known allergy to urea or emollient ingredients"],
          ["Nashville", "Chicago", "Seattle"], conditions=("Renal Cell Carcinoma", "Hand-Foot Skin Reaction")),
    study("NCT97000009", "First-in-Human Anti-ILT2 Antibody in Advanced Solid Tumours Including Kidney Cancer",
          "RECRUITING", ["PHASE1"], [("DRUG", "Investigational anti-ILT2 antibody")],
          ["Histologically or cytologically confirmed advanced solid tumour, including renal cell carcinoma, "
           "melanoma, non-small cell lung cancer or urothelial carcinoma",
           "Disease that has progressed on, or is intolerant of, all standard therapies known to confer "
           "clinical benefit",
           "Participants with renal cell carcinoma must have received at least one anti–PD-(L)1 antibody and "
           "at least one VEGF-targeted agent",
           "ECOG PS 0–1",
           "Measurable or evaluable disease",
           "Adequate bone marrow, liver and kidney function"],
          ["Symptomatic or untreated central nervous system metastases",
           "Prior treatment with an agent targeting the same pathway (investigational ILT2 antibodies)"],
          ["Houston", "New York"], conditions=("Solid Tumor", "Renal Cell Carcinoma", "Melanoma",
                                               "Non-small Cell Lung Cancer", "Urothelial Carcinoma")),
    study("NCT97000010", "Tyrosine Kinase Inhibitor Monotherapy Versus IO Combination in Favourable-Risk "
          "Metastatic Clear Cell RCC", "ACTIVE_NOT_RECRUITING", ["PHASE3"],
          [("DRUG", "Cabozantinib"), ("DRUG", "Nivolumab")],
          ["Clear-cell RCC, metastatic or unresectable",
           "IMDC favourable risk (no IMDC risk factors)",
           "No prior systemic therapy for metastatic RCC",
           "Karnofsky ≥ 80%",
           "Measurable disease per RECIST 1.1"],
          ["Brain metastases, unless treated and stable without steroids for ≥ 4 weeks"],
          ["Philadelphia", "Los Angeles", "Atlanta"], start="2021-06"),
    study("NCT97000011", "Lenvatinib Plus Everolimus Versus Cabozantinib After One Prior VEGFR TKI",
          "COMPLETED", ["PHASE3"], [("DRUG", "Lenvatinib"), ("DRUG", "Everolimus"), ("DRUG", "Cabozantinib")],
          ["Advanced clear-cell RCC",
           "Progression after exactly one prior VEGFR-targeted tyrosine kinase inhibitor",
           "No prior mTOR inhibitor",
           "KPS ≥ 70%"],
          ["Untreated brain metastases"],
          ["Ann Arbor", "Baltimore", "San Francisco"], start="2018-09"),
    study("NCT97000012", "Dual Checkpoint Blockade Plus Anti-TIGIT in Sarcomatoid Renal Cell Carcinoma",
          "NOT_YET_RECRUITING", ["PHASE2"],
          [("DRUG", "Nivolumab"), ("DRUG", "Ipilimumab"), ("DRUG", "Investigational anti-TIGIT antibody")],
          ["RCC of any histology with sarcomatoid features (any percentage) on pathology review",
           "No prior systemic therapy for advanced or metastatic disease",
           "ECOG PS 0–2",
           "Measurable disease per RECIST 1.1"],
          ["Untreated or symptomatic brain metastases",
           "Prior allogeneic stem cell or solid organ transplant"],
          ["Cleveland", "Columbus", "Miami"], start="2025-06"),
    study("NCT97000013", "Selective MET Inhibitor in MET-Driven Papillary Renal Cell Carcinoma", "RECRUITING",
          ["PHASE2"], [("DRUG", "Investigational selective MET inhibitor")],
          ["Papillary renal cell carcinoma, confirmed by local pathology",
           "MET-driven disease (MET mutation, amplification or chromosome 7 gain) on central genomic testing",
           "Up to 2 prior systemic therapies, which may include a VEGF-targeted agent or immunotherapy",
           "Karnofsky ≥ 70%"],
          ["Prior treatment with a MET inhibitor other than cabozantinib",
           "Untreated brain metastases"],
          ["Rochester", "Boston", "Houston"]),
    study("NCT97000014", "Immunotherapy First With Deferred Cytoreductive Nephrectomy in Synchronous Metastatic "
          "Clear Cell RCC", "RECRUITING", ["PHASE3"],
          [("DRUG", "Nivolumab"), ("DRUG", "Ipilimumab"), ("PROCEDURE", "Deferred cytoreductive nephrectomy")],
          ["Metastatic clear-cell RCC",
           "Primary kidney tumour in place (no prior nephrectomy)",
           "No prior systemic therapy for RCC",
           "IMDC intermediate or poor risk",
           "Karnofsky ≥ 70%",
           "Considered a surgical candidate for cytoreductive nephrectomy by the treating urologist"],
          ["Brain metastases"],
          ["Chicago", "Salt Lake City", "New York", "Atlanta"]),
    study("NCT97000015", "Single-Agent Immunotherapy for Frail Patients With Untreated Advanced Kidney Cancer",
          "RECRUITING", ["PHASE2"], [("DRUG", "Nivolumab")],
          ["Advanced or metastatic RCC (clear-cell or non-clear-cell)",
           "ECOG PS 2, or Karnofsky 50–70%",
           "No prior systemic therapy for advanced disease",
           "Life expectancy of at least 12 weeks",
           "Age ≥ 18"],
          ["Symptomatic brain metastases requiring increasing steroid doses"],
          ["Phoenix", "Seattle", "Dallas"]),
]


def risk(group, factors):
    return {"factors": factors, "count": sum(1 for v in factors.values() if v), "group": group, "missing": []}


def imdc(tt=False, kps=False, hb=False, ca=False, neut=False, plt=False):
    return {"time_to_treatment_lt_1y": tt, "kps_lt_80": kps, "hemoglobin_low": hb, "calcium_high": ca,
            "neutrophils_high": neut, "platelets_high": plt}


def profile(histology, sites, ps, therapies=(), nephrectomy=None, sarcomatoid=None, grade=None, t=None,
            diagnosis=None, labs=None, imdc_risk=None):
    return {
        "histology": histology, "sarcomatoid": sarcomatoid, "grade": grade,
        "stage": {"t": t, "n": None, "m": "M1", "group": "IV"},
        "diagnosis_date": diagnosis,
        "nephrectomy": nephrectomy or {"done": None, "date": None, "type": None},
        "metastatic_sites": list(sites),
        "performance_status": {"scale": ps[0], "value": ps[1]},
        "labs": labs or {},
        "therapies": [{"drug": d, "start": s, "stop": e, "stop_reason": r} for d, s, e, r in therapies],
        "biomarkers": [], "facts": [], "conflicts": [],
        "imdc": imdc_risk, "mskcc": None, "as_of": "2025-03-01",
    }


DONE = lambda date=None, kind="radical": {"done": True, "date": date, "type": kind}  # noqa: E731
NOT_DONE = {"done": False, "date": None, "type": None}
HB_LOW = {"value": 10.9, "unit": "g/dL", "low": 12.0, "high": 15.5, "date": "2025-02-20"}

PROFILES = {
    "h01-cc-naive-intermediate": profile(
        "clear_cell", ["lung", "lymph_node"], ("KPS", 80), nephrectomy=DONE("2021-06-10"), sarcomatoid=False,
        diagnosis="2021-05-20", labs={"hemoglobin": HB_LOW},
        imdc_risk=risk("intermediate", imdc(hb=True))),
    "h02-cc-after-pembro-axi": profile(
        "clear_cell", ["lung", "liver"], ("ECOG", 1), nephrectomy=DONE(),
        therapies=[("pembrolizumab", "2023-02-01", "2024-09-15", "progression"),
                   ("axitinib", "2023-02-01", "2024-09-15", "progression")]),
    "h03-cc-after-nivo-ipi-then-cabo": profile(
        "clear_cell", ["bone", "lung"], ("ECOG", 1), nephrectomy=DONE(),
        therapies=[("nivolumab", "2022-01-10", "2023-06-01", "progression"),
                   ("ipilimumab", "2022-01-10", "2022-03-21", "completed"),
                   ("cabozantinib", "2023-07-01", "2025-01-20", "progression")]),
    "h04-papillary-naive": profile(
        "papillary", ["lymph_node", "lung"], ("ECOG", 0), nephrectomy=NOT_DONE, diagnosis="2025-01-15",
        imdc_risk=risk("intermediate", imdc(tt=True))),
    "h05-chromophobe-after-sunitinib": profile(
        "chromophobe", ["liver"], ("ECOG", 1), nephrectomy=DONE("2020-03-02"), diagnosis="2020-02-10",
        therapies=[("sunitinib", "2023-04-03", "2024-12-10", "progression")]),
    "h06-cc-brain-after-radiosurgery": profile(
        "clear_cell", ["brain", "lung"], ("KPS", 90), nephrectomy=DONE("2019-09-12"), diagnosis="2019-08-30",
        therapies=[("stereotactic radiosurgery", "2025-01-20", "2025-01-20", "completed")],
        imdc_risk=risk("favorable", imdc())),
    "h07-cc-kps60-poor-risk": profile(
        "clear_cell", ["bone", "liver", "lung"], ("KPS", 60), nephrectomy=NOT_DONE, diagnosis="2025-02-05",
        labs={"hemoglobin": HB_LOW,
              "corrected_calcium": {"value": 11.2, "unit": "mg/dL", "low": 8.5, "high": 10.2,
                                    "date": "2025-02-20"}},
        imdc_risk=risk("poor", imdc(tt=True, kps=True, hb=True, ca=True))),
    "h08-cc-sarcomatoid-naive": profile(
        "clear_cell", ["lung", "adrenal"], ("ECOG", 1), nephrectomy=DONE("2024-08-15"), sarcomatoid=True,
        grade=4, t="pT3a", diagnosis="2024-07-20", imdc_risk=risk("intermediate", imdc(tt=True))),
}


if __name__ == "__main__":
    (HERE / "studies.json").write_text(json.dumps({"studies": STUDIES}, indent=1, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
    for name, p in PROFILES.items():
        (HERE / "profiles" / f"{name}.json").write_text(json.dumps(p, indent=2) + "\n", encoding="utf-8")
