"""Write studies.json and profiles/ for the unseen blind set (labels in expected.yaml are hand-written)."""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).parent

CITIES = {
    "houston": ("Houston", "Texas", 29.7079, -95.3977),
    "boston": ("Boston", "Massachusetts", 42.3376, -71.1076),
    "nashville": ("Nashville", "Tennessee", 36.1447, -86.8027),
    "la": ("Los Angeles", "California", 34.0664, -118.4446),
    "seattle": ("Seattle", "Washington", 47.6275, -122.3305),
    "ny": ("New York", "New York", 40.7644, -73.9558),
    "philly": ("Philadelphia", "Pennsylvania", 39.9496, -75.1932),
    "chicago": ("Chicago", "Illinois", 41.8955, -87.6217),
    "rochester": ("Rochester", "Minnesota", 44.0225, -92.4668),
    "aurora": ("Aurora", "Colorado", 39.7424, -104.8405),
    "cleveland": ("Cleveland", "Ohio", 41.5025, -81.6214),
    "dallas": ("Dallas", "Texas", 32.8120, -96.8400),
    "atlanta": ("Atlanta", "Georgia", 33.7925, -84.3240),
    "sf": ("San Francisco", "California", 37.7631, -122.4586),
}

STUDIES = [
    dict(n=1, status="RECRUITING", phase=["PHASE3"], cities=["houston", "atlanta", "sf"],
         title="Anti-TIGIT/PD-1 Bispecific Plus Axitinib Versus Pembrolizumab Plus Axitinib in Untreated Advanced "
               "Clear Cell RCC",
         drugs=["Investigational anti-TIGIT/PD-1 bispecific antibody", "Axitinib", "Pembrolizumab"],
         inc=[
             "Subjects must have histologically confirmed advanced (not amenable to curative surgery or radiotherapy) "
             "or metastatic renal cell carcinoma that is predominantly clear cell; tumors with sarcomatoid "
             "dedifferentiation are eligible provided a clear cell component is present.",
             "No prior systemic anticancer therapy for advanced or metastatic RCC.",
             "International mRCC Database Consortium (IMDC) risk category of intermediate or poor.",
             "Karnofsky Performance Status of 70 or higher.",
             "At least one measurable lesion per RECIST 1.1.",
             "Age 18 years or older at the time of consent.",
         ],
         exc=[
             "Prior checkpoint blockade (anti-PD-1, anti-PD-L1, anti-PD-L2, anti-CTLA-4 or anti-TIGIT antibody) in "
             "any setting, including adjuvant.",
             "Known active CNS metastases and/or carcinomatous meningitis; subjects with previously treated brain "
             "metastases may participate provided they are radiologically stable for at least 4 weeks.",
             "Active autoimmune disease that has required systemic treatment in the past 2 years.",
             "Poorly controlled hypertension (systolic blood pressure > 150 mmHg or diastolic > 90 mmHg).",
         ]),
    dict(n=2, status="RECRUITING", phase=["PHASE2"], cities=["boston", "ny"],
         title="Novel Multikinase Inhibitor After Checkpoint Blockade in Clear Cell Renal Cell Carcinoma",
         drugs=["Investigational multikinase inhibitor"],
         inc=[
             "Patients must have advanced or metastatic RCC with a clear cell component.",
             "Patients must have experienced radiographic disease progression on or after treatment with an "
             "anti-PD-1 or anti-PD-L1 antibody, given as monotherapy or in combination.",
             "Subjects must have received ≥ 1 but ≤ 3 prior systemic regimens for advanced disease.",
             "ECOG performance status 0 or 1.",
             "Adequate bone marrow, hepatic, and renal function as defined in the protocol.",
         ],
         exc=[
             "Patients who have received cabozantinib at any time.",
             "Known untreated or symptomatic brain metastases.",
             "QTcF > 480 msec on screening ECG.",
             "Major surgery within 4 weeks prior to first dose of study drug.",
         ]),
    dict(n=3, status="RECRUITING", phase=["PHASE2"], cities=["nashville", "atlanta"],
         title="Next-Generation HIF-2α Inhibitor in Previously Treated Advanced Clear Cell RCC",
         drugs=["Investigational HIF-2α inhibitor"],
         inc=[
             "Histologically confirmed unresectable, locally advanced or metastatic RCC with a clear cell component.",
             "Must have received prior checkpoint blockade and at least one anti-angiogenic (VEGF/VEGFR-targeted) "
             "therapy, sequentially or in combination.",
             "ECOG performance status ≤ 1.",
             "Measurable disease per RECIST v1.1.",
         ],
         exc=[
             "Prior treatment with any HIF-2α inhibitor, including belzutifan.",
             "Requires supplemental oxygen, or resting pulse oximetry < 92% on room air.",
             "Known active CNS disease (brain metastases or leptomeningeal involvement); treated, asymptomatic "
             "lesions stable on imaging for ≥ 4 weeks are allowed.",
             "Hemoglobin < 9 g/dL at screening.",
         ]),
    dict(n=4, status="RECRUITING", phase=["PHASE2"], cities=["la", "sf"],
         title="Checkpoint Blockade Plus VEGFR TKI for IO-Naive Advanced Non-Clear Cell RCC",
         drugs=["Nivolumab", "Investigational VEGFR TKI"],
         inc=[
             "Histologically confirmed advanced or metastatic non-clear cell RCC: papillary, chromophobe, MiT family "
             "translocation, or unclassified histology.",
             "Patients must be IO-naive (no prior anti-PD-1, anti-PD-L1 or anti-CTLA-4 therapy).",
             "Zero or one prior systemic regimen for metastatic disease.",
             "Karnofsky Performance Status ≥ 70%.",
             "Measurable disease per RECIST 1.1.",
         ],
         exc=[
             "Tumors with any component of clear cell histology.",
             "Collecting duct carcinoma or renal medullary carcinoma.",
             "Brain metastases, unless treated and clinically stable for at least 4 weeks before enrollment.",
             "Uncontrolled hypertension.",
         ]),
    dict(n=5, status="RECRUITING", phase=["NA"], cities=["seattle"],
         title="Active Surveillance With Optional Metastasis-Directed Therapy for Favorable-Risk, Low-Volume "
               "Metastatic RCC",
         drugs=["Active surveillance", "Stereotactic body radiotherapy (optional)"],
         inc=[
             "Metastatic RCC of any histologic subtype.",
             "IMDC favorable or intermediate risk (0–2 risk factors).",
             "No prior systemic therapy for metastatic RCC.",
             "Prior cytoreductive nephrectomy is not required.",
             "Asymptomatic from metastatic disease, in the opinion of the treating investigator.",
             "Five or fewer radiographically evident metastatic lesions.",
         ],
         exc=[
             "Brain metastases, treated or untreated.",
             "Liver metastases.",
             "Karnofsky Performance Status below 80.",
             "Sarcomatoid dedifferentiation on any available pathology.",
         ]),
    dict(n=6, status="RECRUITING", phase=["PHASE1"], cities=["ny", "houston"],
         title="First-in-Human Study of a CD70-Directed Antibody-Drug Conjugate in Advanced Solid Tumors With an "
               "RCC Expansion Cohort",
         drugs=["Investigational CD70-directed antibody-drug conjugate"],
         conditions=["Advanced Solid Tumor", "Renal Cell Carcinoma"],
         inc=[
             "RCC expansion cohort: histologically confirmed metastatic RCC with a clear cell component.",
             "Progressed on, refractory to, or intolerant of all available standard therapies known to confer "
             "clinical benefit.",
             "RCC cohort: prior exposure to both checkpoint blockade and a VEGF-pathway inhibitor is required.",
             "ECOG performance status of 0 or 1.",
             "Life expectancy of at least 12 weeks.",
         ],
         exc=[
             "Active CNS metastases or leptomeningeal disease.",
             "History of allogeneic stem cell or solid organ transplant.",
             "Grade ≥ 2 peripheral neuropathy.",
         ]),
    dict(n=7, status="NOT_YET_RECRUITING", phase=["PHASE2"], cities=["philly"],
         title="Targeted Therapy for MiT Family Translocation Renal Cell Carcinoma",
         drugs=["Investigational targeted agent"],
         inc=[
             "Pathologically confirmed MiT family translocation RCC (TFE3 or TFEB rearranged), confirmed by FISH, "
             "IHC, or sequencing.",
             "Advanced or metastatic disease not amenable to curative resection.",
             "Any number of prior systemic therapies, including none, is permitted.",
             "ECOG performance status 0–2.",
         ],
         exc=[
             "Prior treatment with a MET inhibitor, including cabozantinib, crizotinib, or savolitinib.",
             "Symptomatic or progressing brain metastases.",
         ]),
    dict(n=8, status="ACTIVE_NOT_RECRUITING", phase=["PHASE2"], cities=["chicago"],
         title="Dual Checkpoint Blockade Plus TKI in Treatment-Naive RCC With Sarcomatoid Features",
         drugs=["Nivolumab", "Ipilimumab", "Cabozantinib"],
         inc=[
             "RCC of any histologic subtype with sarcomatoid dedifferentiation (any percentage) confirmed on pathology "
             "review.",
             "Treatment-naive for advanced or metastatic disease.",
             "ECOG 0–1.",
         ],
         exc=[
             "Prior exposure to checkpoint blockade in any setting.",
             "Active, untreated brain metastases.",
         ]),
    dict(n=9, status="COMPLETED", phase=["PHASE2"], cities=["rochester"],
         title="Multikinase Inhibitor in Previously Treated Metastatic Chromophobe RCC",
         drugs=["Investigational multikinase inhibitor"],
         inc=[
             "Histologically confirmed metastatic chromophobe renal cell carcinoma.",
             "Documented progression after at least one prior systemic therapy for metastatic disease.",
             "Prior therapy with an mTOR inhibitor (everolimus or temsirolimus) is allowed.",
             "Karnofsky Performance Status ≥ 60%.",
         ],
         exc=[
             "More than two prior systemic regimens for metastatic disease.",
             "Untreated brain metastases.",
         ]),
    dict(n=10, status="RECRUITING", phase=["PHASE2"], cities=["aurora", "dallas"],
         title="Stereotactic Radiotherapy to Bone Metastases During Systemic Therapy for RCC",
         drugs=["Stereotactic body radiotherapy"],
         inc=[
             "Metastatic RCC (any histology) with at least one radiographically confirmed bone metastasis.",
             "Currently receiving, or planning to start within 4 weeks, first- or second-line systemic therapy.",
             "ECOG performance status 0–2.",
         ],
         exc=[
             "Prior radiotherapy to the index bone lesion.",
             "Spinal cord compression or impending pathologic fracture requiring surgery.",
         ]),
    dict(n=11, status="RECRUITING", phase=["PHASE3"], cities=["cleveland", "chicago"],
         title="Deferred Cytoreductive Nephrectomy After Immunotherapy-Based Induction in Synchronous Metastatic RCC",
         drugs=["Cytoreductive nephrectomy", "Immunotherapy-based systemic therapy"],
         inc=[
             "Synchronous metastatic RCC with the primary tumor in place (no prior nephrectomy).",
             "Any RCC histology is eligible.",
             "IMDC intermediate risk.",
             "No more than 3 months of systemic therapy received before enrollment.",
             "Karnofsky Performance Status of 80 or higher.",
         ],
         exc=[
             "Brain metastases.",
         ]),
    dict(n=12, status="RECRUITING", phase=["PHASE1", "PHASE2"], cities=["dallas", "houston"],
         title="HIF-2α Inhibitor Combination in Clear Cell RCC Progressing on Belzutifan",
         drugs=["Belzutifan", "Investigational agent"],
         inc=[
             "Advanced or metastatic clear cell RCC.",
             "Documented disease progression on or after a HIF-2α inhibitor (e.g., belzutifan).",
             "Prior treatment with an anti-PD-1 or anti-PD-L1 antibody is required.",
             "Karnofsky Performance Status ≥ 70.",
             "Adequate organ function.",
         ],
         exc=[
             "More than four prior systemic regimens for advanced disease.",
             "Known active CNS disease.",
             "Hypoxia (SpO2 < 92% on room air) or need for supplemental oxygen.",
         ]),
]


def study_json(s: dict) -> dict:
    nct = f"NCT96{s['n']:06d}"
    text = ("Inclusion Criteria:\n\n" + "\n".join(f"* {c}" for c in s["inc"]) +
            "\n\nExclusion Criteria:\n\n" + "\n".join(f"* {c}" for c in s["exc"]))
    loc_status = "RECRUITING" if s["status"] == "RECRUITING" else s["status"]
    locations = []
    for key in s["cities"]:
        city, state, lat, lon = CITIES[key]
        locations.append({"facility": f"{city} Cancer Center (invented)", "status": loc_status, "city": city,
                          "state": state, "country": "United States", "geoPoint": {"lat": lat, "lon": lon}})
    return {
        "protocolSection": {
            "identificationModule": {"nctId": nct, "briefTitle": s["title"],
                                     "organization": {"fullName": "Unseen Invented Sponsor", "class": "OTHER"}},
            "statusModule": {"overallStatus": s["status"], "startDateStruct": {"date": "2025-06"},
                             "lastUpdatePostDateStruct": {"date": "2026-10-15", "type": "ACTUAL"}},
            "conditionsModule": {"conditions": s.get("conditions", ["Renal Cell Carcinoma",
                                                                     "Metastatic Kidney Cancer"])},
            "designModule": {"studyType": "INTERVENTIONAL", "phases": s["phase"]},
            "armsInterventionsModule": {"interventions": [{"type": "DRUG", "name": d} for d in s["drugs"]]},
            "eligibilityModule": {"eligibilityCriteria": text, "healthyVolunteers": False, "sex": "ALL",
                                  "minimumAge": "18 Years", "stdAges": ["ADULT", "OLDER_ADULT"]},
            "contactsLocationsModule": {"locations": locations},
        },
        "hasResults": False,
    }


def lab(v, unit, low, high):
    return {"value": v, "unit": unit, "low": low, "high": high, "date": "2026-11-01"}


NORMAL_LABS = {
    "hemoglobin": lab(13.8, "g/dL", 13.5, 17.5),
    "corrected_calcium": lab(9.4, "mg/dL", 8.5, 10.2),
    "neutrophils": lab(4.1, "10^9/L", 1.8, 7.7),
    "platelets": lab(250, "10^9/L", 150, 400),
}


def profile(**kw) -> dict:
    base = {"histology": None, "sarcomatoid": None, "grade": None,
            "stage": {"t": None, "n": None, "m": "M1", "group": "IV"}, "diagnosis_date": None,
            "nephrectomy": {"done": True, "date": None, "type": "radical"}, "metastatic_sites": [],
            "performance_status": None, "labs": {}, "therapies": [], "biomarkers": [], "facts": [], "conflicts": [],
            "imdc": None, "mskcc": None, "as_of": "2026-11-15"}
    base.update(kw)
    return base


def th(drug, start, stop, reason):
    return {"drug": drug, "start": start, "stop": stop, "stop_reason": reason}


def imdc(ttt, group, count):
    return {"factors": {"time_to_treatment_lt_1y": ttt, "kps_lt_80": False, "hemoglobin_low": False,
                        "calcium_high": False, "neutrophils_high": False, "platelets_high": False},
            "count": count, "group": group, "missing": []}


PROFILES = {
    "u01-cc-after-nivo-cabo": profile(
        histology="clear_cell", sarcomatoid=False, diagnosis_date="2023-03-20",
        nephrectomy={"done": True, "date": "2023-04-10", "type": "radical"}, metastatic_sites=["lung", "bone"],
        performance_status={"scale": "ECOG", "value": 1},
        therapies=[th("nivolumab", "2024-02-01", "2026-08-20", "progression"),
                   th("cabozantinib", "2024-02-01", "2026-08-20", "progression")]),
    "u02-papillary-after-pembro-lenva": profile(
        histology="papillary", sarcomatoid=None, diagnosis_date="2023-12-05",
        nephrectomy={"done": True, "date": "2024-01-15", "type": "radical"},
        metastatic_sites=["lymph_node", "liver", "brain"], performance_status={"scale": "KPS", "value": 80},
        therapies=[th("pembrolizumab", "2024-03-01", "2026-07-10", "progression"),
                   th("lenvatinib", "2024-03-01", "2026-07-10", "progression")]),
    "u03-cc-favorable-surveillance": profile(
        histology="clear_cell", sarcomatoid=False, grade=2, diagnosis_date="2021-08-20",
        nephrectomy={"done": True, "date": "2021-09-14", "type": "radical"}, metastatic_sites=["lung"],
        performance_status={"scale": "KPS", "value": 90}, labs=NORMAL_LABS, imdc=imdc(False, "favorable", 0)),
    "u04-cc-after-pembro-axi-then-belzutifan": profile(
        histology="clear_cell", sarcomatoid=None, diagnosis_date="2022-10-01",
        nephrectomy={"done": True, "date": "2022-11-02", "type": "radical"},
        metastatic_sites=["lung", "adrenal", "bone"], performance_status={"scale": "ECOG", "value": 1},
        therapies=[th("pembrolizumab", "2023-01-10", "2024-11-01", "progression"),
                   th("axitinib", "2023-01-10", "2024-11-01", "progression"),
                   th("belzutifan", "2024-11-20", "2026-09-30", "progression")]),
    "u05-translocation-naive": profile(
        histology="translocation", sarcomatoid=None, diagnosis_date="2026-10-01",
        nephrectomy={"done": False, "date": None, "type": None}, metastatic_sites=["lymph_node", "lung"],
        performance_status={"scale": "ECOG", "value": 0}, labs=NORMAL_LABS, imdc=imdc(True, "intermediate", 1)),
    "u06-chromophobe-kps70-after-everolimus": profile(
        histology="chromophobe", sarcomatoid=False, diagnosis_date="2020-04-15",
        nephrectomy={"done": True, "date": "2020-05-05", "type": "radical"}, metastatic_sites=["liver", "bone"],
        performance_status={"scale": "KPS", "value": 70},
        therapies=[th("everolimus", "2025-06-01", "2026-09-15", "progression")]),
}

if __name__ == "__main__":
    (HERE / "studies.json").write_text(json.dumps({"studies": [study_json(s) for s in STUDIES]}, indent=1,
                                                  ensure_ascii=False) + "\n", encoding="utf-8")
    (HERE / "profiles").mkdir(exist_ok=True)
    for name, p in PROFILES.items():
        (HERE / "profiles" / f"{name}.json").write_text(json.dumps(p, indent=2) + "\n", encoding="utf-8")
