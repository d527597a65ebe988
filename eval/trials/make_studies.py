# ruff: noqa: E501 - eligibility texts are kept one item per line, as the registry shows them
"""Writes eval/trials/studies.json: invented kidney-cancer studies in ClinicalTrials.gov API v2 JSON.

The ids (NCT9xxxxxxx) and facilities are invented; the cities and their coordinates are real. Run from the
repository root: .venv/bin/python eval/trials/make_studies.py
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CITIES: dict[str, tuple[str, str, float, float]] = {
    "atlanta": ("Atlanta", "Georgia", 33.7490, -84.3880), "macon": ("Macon", "Georgia", 32.8407, -83.6324),
    "savannah": ("Savannah", "Georgia", 32.0809, -81.0912), "augusta": ("Augusta", "Georgia", 33.4735, -82.0105),
    "tifton": ("Tifton", "Georgia", 31.4505, -83.5085), "albany": ("Albany", "Georgia", 31.5785, -84.1557),
    "jacksonville": ("Jacksonville", "Florida", 30.3322, -81.6557),
    "tallahassee": ("Tallahassee", "Florida", 30.4383, -84.2807),
    "gainesville": ("Gainesville", "Florida", 29.6516, -82.3248), "tampa": ("Tampa", "Florida", 27.9506, -82.4572),
    "orlando": ("Orlando", "Florida", 28.5383, -81.3792), "miami": ("Miami", "Florida", 25.7617, -80.1918),
    "birmingham": ("Birmingham", "Alabama", 33.5186, -86.8104), "mobile": ("Mobile", "Alabama", 30.6954, -88.0399),
    "charleston": ("Charleston", "South Carolina", 32.7765, -79.9311),
    "columbia": ("Columbia", "South Carolina", 34.0007, -81.0348),
    "charlotte": ("Charlotte", "North Carolina", 35.2271, -80.8431),
    "durham": ("Durham", "North Carolina", 35.9940, -78.8986),
    "nashville": ("Nashville", "Tennessee", 36.1627, -86.7816), "memphis": ("Memphis", "Tennessee", 35.1495, -90.0490),
    "neworleans": ("New Orleans", "Louisiana", 29.9511, -90.0715),
    "houston": ("Houston", "Texas", 29.7604, -95.3698), "dallas": ("Dallas", "Texas", 32.7767, -96.7970),
    "boston": ("Boston", "Massachusetts", 42.3601, -71.0589), "newyork": ("New York", "New York", 40.7128, -74.0060),
    "philadelphia": ("Philadelphia", "Pennsylvania", 39.9526, -75.1652),
    "bethesda": ("Bethesda", "Maryland", 38.9847, -77.0947), "chicago": ("Chicago", "Illinois", 41.8781, -87.6298),
    "detroit": ("Detroit", "Michigan", 42.3314, -83.0458), "annarbor": ("Ann Arbor", "Michigan", 42.2808, -83.7430),
    "columbus": ("Columbus", "Ohio", 39.9612, -82.9988), "cleveland": ("Cleveland", "Ohio", 41.4993, -81.6944),
    "stlouis": ("St Louis", "Missouri", 38.6270, -90.1994), "kansascity": ("Kansas City", "Missouri", 39.0997, -94.5786),
    "seattle": ("Seattle", "Washington", 47.6062, -122.3321),
    "losangeles": ("Los Angeles", "California", 34.0522, -118.2437),
    "sanfrancisco": ("San Francisco", "California", 37.7749, -122.4194),
    "denver": ("Denver", "Colorado", 39.7392, -104.9903), "phoenix": ("Phoenix", "Arizona", 33.4484, -112.0740),
    "minneapolis": ("Minneapolis", "Minnesota", 44.9778, -93.2650),
}

# (id, title, status, phases, interventions, cities, last update, eligibility text)
STUDIES: list[tuple[str, str, str, list[str], list[str], list[str], str, str]] = [
    ("NCT90000001", "First-Line Checkpoint Combination Versus Standard Care in Advanced Clear Cell Kidney Cancer",
     "RECRUITING", ["PHASE3"], ["Drug: Investigational anti-TIGIT antibody", "Drug: Pembrolizumab"],
     ["atlanta", "houston", "boston"], "2025-03-14",
     """Inclusion Criteria:

* Histologically confirmed advanced (not amenable to curative surgery or radiation) or metastatic renal cell carcinoma with a clear cell component
* No prior systemic therapy for advanced RCC
* Measurable disease per RECIST v1.1 as assessed by the investigator
* Karnofsky performance status of 70% or higher
* Age 18 years or older

Exclusion Criteria:

* Active central nervous system (CNS) metastases; participants with previously treated brain metastases may take part if radiologically stable for at least 4 weeks
* Active autoimmune disease that has required systemic treatment in the past 2 years
* Prior allogeneic stem cell or solid organ transplant"""),
    ("NCT90000002", "A Study of an Oral HIF-2 Alpha Inhibitor After Checkpoint Inhibitor Therapy in Kidney Cancer",
     "RECRUITING", ["PHASE2"], ["Drug: Study HIF-2a inhibitor"], ["jacksonville", "nashville"], "2025-01-20",
     """Inclusion Criteria:
- Locally advanced or metastatic clear cell RCC
- Disease progression on or after treatment with an anti-PD-1 or anti-PD-L1 antibody, given alone or in combination
- No more than 3 prior systemic regimens for advanced disease
- ECOG performance status 0 or 1
- At least one measurable lesion (RECIST 1.1)

Exclusion Criteria:
- Previous treatment with belzutifan or any other HIF-2α inhibitor
- Symptomatic or untreated brain metastases
- Hypoxia requiring supplemental oxygen"""),
    ("NCT90000003", "Cabozantinib Plus Nivolumab for Untreated Non-Clear Cell Renal Cell Carcinoma",
     "RECRUITING", ["PHASE2"], ["Drug: Cabozantinib", "Drug: Nivolumab"], ["tampa", "birmingham", "tallahassee"],
     "2024-11-02",
     """Inclusion Criteria:
1. Metastatic non-clear cell renal cell carcinoma, including papillary, chromophobe, translocation-associated or unclassified RCC
2. Patients must not have received any prior systemic anticancer therapy for metastatic disease
3. ECOG performance status of 0, 1 or 2
4. Measurable disease by RECIST version 1.1

Exclusion Criteria:
1. Collecting duct or renal medullary carcinoma
2. Known untreated brain metastases
3. Uncontrolled hypertension despite optimal medical management"""),
    ("NCT90000004", "Adjuvant Immunotherapy After Nephrectomy for High-Risk Localized Kidney Cancer",
     "RECRUITING", ["PHASE3"], ["Drug: Pembrolizumab", "Drug: Placebo"], ["charleston", "augusta", "columbia"],
     "2025-02-10",
     """Inclusion Criteria:
* Clear cell RCC at intermediate-high or high risk of recurrence after nephrectomy
* Must have undergone complete resection of the primary tumor (radical or partial nephrectomy) within 12 weeks before randomization
* No evidence of metastatic disease on imaging after surgery (M0)
* No prior systemic therapy for RCC
* ECOG 0 or 1

Exclusion Criteria:
* Residual tumor or distant metastases at the time of screening
* Prior treatment with any anti-PD-1, anti-PD-L1 or anti-CTLA-4 agent"""),
    ("NCT90000005", "First-in-Human Dose Escalation of an Oral Kinase Inhibitor in Advanced Solid Tumors Including RCC",
     "RECRUITING", ["PHASE1"], ["Drug: Investigational kinase inhibitor"], ["houston", "nashville"], "2025-04-01",
     """Key Inclusion Criteria:
* Advanced solid tumor, including renal cell carcinoma of any histology, that has progressed on at least one prior line of standard systemic therapy
* ECOG performance status ≤ 1
* Adequate bone marrow function:
  * Absolute neutrophil count ≥ 1.5 × 10^9/L
  * Platelet count ≥ 100,000/µL
  * Hemoglobin ≥ 9.0 g/dL
* Life expectancy of at least 12 weeks

Key Exclusion Criteria:
* Active or untreated brain metastases
* Major surgery within 4 weeks before the first dose"""),
    ("NCT90000006", "Immunotherapy for Kidney Cancer That Has Spread to the Brain",
     "RECRUITING", ["PHASE2"], ["Drug: Nivolumab", "Drug: Ipilimumab", "Radiation: Stereotactic radiosurgery"],
     ["atlanta", "durham"], "2025-03-30",
     """Inclusion Criteria:
* Renal cell carcinoma (any histology) with at least one brain metastasis measuring 5 mm or more on MRI that has not been treated with surgery or radiation
* Patients may not have received prior immune checkpoint inhibitor therapy
* Karnofsky performance status ≥ 60
* Adults aged 18 years and above

Exclusion Criteria:
* Leptomeningeal disease
* Need for more than 4 mg of dexamethasone per day for symptom control"""),
    ("NCT90000007", "Upfront Cytoreductive Nephrectomy Versus Systemic Therapy Alone in Newly Diagnosed Metastatic RCC",
     "RECRUITING", ["PHASE3"], ["Procedure: Cytoreductive nephrectomy", "Drug: Standard first-line therapy"],
     ["columbus", "philadelphia", "gainesville"], "2024-12-12",
     """Inclusion Criteria:
* Newly diagnosed metastatic renal cell carcinoma with the primary tumor still in place
* Primary tumor judged resectable by the treating urologist
* Treatment-naive: no previous systemic treatment for kidney cancer
* ECOG performance status 0-1

Exclusion Criteria:
* Prior nephrectomy (partial or radical)
* Symptomatic brain metastases"""),
    ("NCT90000008", "Sunitinib Versus an Investigational TKI as First-Line Treatment of Metastatic Clear Cell RCC",
     "COMPLETED", ["PHASE3"], ["Drug: Sunitinib", "Drug: Investigational TKI"], ["atlanta", "miami", "dallas"],
     "2021-06-30",
     """Inclusion Criteria:
* Metastatic renal cell carcinoma with a predominantly clear cell histology
* No prior systemic treatment for RCC
* Karnofsky performance status ≥ 70%

Exclusion Criteria:
* Any history of brain metastases
* Prior treatment with a VEGF-pathway inhibitor"""),
    ("NCT90000009", "Checkpoint Blockade for Renal Cell Carcinoma With Sarcomatoid Features",
     "ACTIVE_NOT_RECRUITING", ["PHASE2"], ["Drug: Nivolumab", "Drug: Ipilimumab"], ["savannah", "charlotte"],
     "2024-08-19",
     """Inclusion Criteria:
* Advanced RCC of any histologic subtype with sarcomatoid differentiation on pathology
* No previous treatment with immune checkpoint inhibitors
* ECOG PS 0-2

Exclusion Criteria:
* Untreated CNS metastases
* Systemic corticosteroids above 10 mg prednisone daily"""),
    ("NCT90000010", "HIF-2 Inhibitor Combination After Immunotherapy and a VEGF TKI in Clear Cell RCC",
     "RECRUITING", ["PHASE2"], ["Drug: Belzutifan", "Drug: Investigational agent"], ["miami", "orlando"],
     "2025-02-27",
     """Inclusion Criteria:
* Unresectable or metastatic RCC with clear cell component
* Prior treatment with both a PD-1/PD-L1 checkpoint inhibitor and a VEGF-targeted tyrosine kinase inhibitor, given together or in sequence
* One to three prior lines of therapy in the advanced setting
* KPS ≥ 70%

Exclusion Criteria:
* Prior belzutifan
* Active brain metastases"""),
    ("NCT90000011", "Platinum Chemotherapy Plus Immunotherapy for Collecting Duct or Renal Medullary Carcinoma",
     "NOT_YET_RECRUITING", ["PHASE2"], ["Drug: Gemcitabine", "Drug: Cisplatin", "Drug: Nivolumab"],
     ["neworleans", "memphis"], "2025-04-10",
     """Inclusion Criteria:
* Histologically confirmed collecting duct carcinoma or renal medullary carcinoma
* Metastatic or unresectable disease
* Chemotherapy-naive
* ECOG performance status 0 to 2

Exclusion Criteria:
* Prior platinum-based chemotherapy
* Active infection requiring systemic therapy"""),
    ("NCT90000012", "PARP and Checkpoint Inhibition in Hereditary Leiomyomatosis and FH-Deficient Renal Cancer",
     "RECRUITING", ["PHASE2"], ["Drug: Investigational PARP inhibitor", "Drug: Durvalumab"], ["bethesda"],
     "2025-01-08",
     """Inclusion Criteria:
* Fumarate hydratase (FH)-deficient renal cell carcinoma or HLRCC-associated RCC, confirmed by pathology or germline testing
* Advanced or metastatic disease
* Prior therapy is allowed
* ECOG 0-2

Exclusion Criteria:
* Prior treatment with a PARP inhibitor"""),
    ("NCT90000013", "Targeted Therapy for TFE3- or TFEB-Rearranged Translocation Renal Cell Carcinoma",
     "RECRUITING", ["PHASE2"], ["Drug: Investigational mTOR-pathway inhibitor"], ["seattle", "denver"], "2024-10-15",
     """Inclusion Criteria:
* Translocation RCC (TFE3 or TFEB rearranged) confirmed by FISH or immunohistochemistry
* Metastatic disease
* Any number of prior therapies permitted
* Eastern Cooperative Oncology Group performance status 0 or 1

Exclusion Criteria:
* Prior treatment with everolimus or temsirolimus"""),
    ("NCT90000014", "A Bispecific Antibody in Previously Treated Renal Cell Carcinoma",
     "RECRUITING", ["PHASE1", "PHASE2"], ["Biological: Investigational bispecific antibody"],
     ["losangeles", "sanfrancisco"], "2025-03-03",
     """Inclusion Criteria:
* Advanced clear cell RCC
* Received one or two prior regimens, at least one of which included an immune checkpoint inhibitor
* Karnofsky performance score of at least 80
* Measurable disease as defined by RECIST 1.1

Exclusion Criteria:
* Known active brain or leptomeningeal metastases
* History of severe immune-related toxicity that led to permanent discontinuation of immunotherapy"""),
    ("NCT90000015", "Radiation to Bone Metastases With Immunotherapy in Kidney Cancer",
     "RECRUITING", ["PHASE2"], ["Radiation: Stereotactic body radiation", "Drug: Nivolumab"],
     ["atlanta", "savannah", "tifton"], "2025-02-02",
     """Inclusion Criteria:
* Metastatic renal cell carcinoma with at least one bone metastasis amenable to stereotactic radiation
* Previously untreated with systemic therapy or on first-line therapy for less than 12 weeks
* ECOG performance status 0, 1 or 2

Exclusion Criteria:
* Spinal cord compression
* Prior radiation to the site to be treated"""),
    ("NCT90000016", "Second-Line TKI Combination After One Prior Immunotherapy Regimen in Advanced RCC",
     "RECRUITING", ["PHASE3"], ["Drug: Cabozantinib", "Drug: Investigational agent"], ["chicago", "detroit"],
     "2025-01-29",
     """Inclusion Criteria:
* Advanced or metastatic RCC with a clear cell component
* Exactly one prior line of systemic therapy, which must have included an anti-PD-1 or anti-PD-L1 agent
* ECOG PS 0-1

Exclusion Criteria:
* Prior cabozantinib
* Untreated brain metastases"""),
    ("NCT90000017", "Home Exercise Program for People Living With Metastatic Kidney Cancer",
     "RECRUITING", ["NA"], ["Behavioral: Home exercise program"], ["tallahassee", "macon", "albany"], "2025-03-20",
     """Inclusion Criteria:
* Diagnosis of metastatic renal cell carcinoma of any type
* ECOG performance status 0 to 2
* Able to walk without assistance
* Able to read and speak English or Spanish

Exclusion Criteria:
* Bone metastases at high risk of fracture, per the treating physician
* Unstable angina or recent heart attack"""),
    ("NCT90000018", "Stereotactic Radiation for Oligometastatic Renal Cell Carcinoma",
     "RECRUITING", ["PHASE2"], ["Radiation: Stereotactic ablative radiotherapy"], ["dallas", "houston"],
     "2024-09-09",
     """Inclusion Criteria:
* Metastatic RCC with 5 or fewer metastatic lesions, all amenable to stereotactic radiation
* Prior nephrectomy required
* ECOG 0-2

Exclusion Criteria:
* Brain metastases
* More than two prior lines of systemic therapy"""),
    ("NCT90000019", "Vaccine Plus Checkpoint Inhibitor in First-Line Kidney Cancer",
     "WITHDRAWN", ["PHASE2"], ["Biological: Peptide vaccine", "Drug: Nivolumab"], ["atlanta"], "2023-05-01",
     """Inclusion Criteria:
* Metastatic clear cell RCC
* Treatment-naive
* ECOG 0-1

Exclusion Criteria:
* Brain metastases"""),
    ("NCT90000020", "Everolimus With an Investigational Agent in VEGF-Refractory Renal Cell Carcinoma",
     "TERMINATED", ["PHASE2"], ["Drug: Everolimus", "Drug: Investigational agent"], ["jacksonville", "charlotte"],
     "2020-02-11",
     """Inclusion Criteria:
* Metastatic RCC that progressed on at least one VEGF receptor TKI (sunitinib, pazopanib, axitinib or similar)
* ECOG 0-1

Exclusion Criteria:
* Prior mTOR inhibitor"""),
    ("NCT90000021", "Treatment Breaks Guided by Imaging in Favorable-Risk Metastatic Kidney Cancer",
     "RECRUITING", ["PHASE2"], ["Other: Treatment-free interval"], ["annarbor", "cleveland"], "2025-01-15",
     """Inclusion Criteria:
* Metastatic renal cell carcinoma
* IMDC favorable or intermediate risk
* Currently receiving first-line systemic therapy with stable disease or response

Exclusion Criteria:
* IMDC poor risk disease
* Brain metastases"""),
    ("NCT90000022", "A MET Inhibitor in Papillary Renal Cell Carcinoma",
     "RECRUITING", ["PHASE2"], ["Drug: Investigational MET inhibitor"], ["tampa", "orlando", "atlanta"],
     "2025-03-11",
     """Inclusion Criteria:
* Advanced or metastatic papillary RCC
* 0 to 2 prior systemic therapies
* ECOG ≤ 2

Exclusion Criteria:
* Clear cell or chromophobe histology
* Untreated or progressing brain metastases"""),
    ("NCT90000023", "Lenvatinib Combination in RCC After Progression on Immunotherapy",
     "RECRUITING", ["PHASE2"], ["Drug: Lenvatinib", "Drug: Investigational agent"], ["birmingham", "mobile"],
     "2025-02-14",
     """Inclusion Criteria:
* Metastatic RCC, clear cell or non-clear cell
* Progression on prior immunotherapy (anti-PD-1/PD-L1)
* ECOG performance status 0-2

Exclusion Criteria:
* Prior lenvatinib
* Active brain metastases"""),
    ("NCT90000024", "Triplet Therapy for Untreated Intermediate or Poor Risk Clear Cell RCC",
     "RECRUITING", ["PHASE3"], ["Drug: Nivolumab", "Drug: Ipilimumab", "Drug: Cabozantinib"],
     ["atlanta", "jacksonville", "charleston"], "2025-04-02",
     """Inclusion Criteria:
* Advanced or metastatic clear cell renal cell carcinoma
* IMDC intermediate or poor risk
* No prior systemic therapy for RCC, except one prior adjuvant therapy completed more than 12 months earlier
* KPS ≥ 70

Exclusion Criteria:
* Active CNS metastases
* Prior treatment with cabozantinib, nivolumab or ipilimumab"""),
    ("NCT90000025", "Geriatric Assessment-Guided Treatment for Older Adults With Advanced Kidney Cancer",
     "RECRUITING", ["NA"], ["Other: Geriatric assessment"], ["macon", "atlanta"], "2025-01-05",
     """Inclusion Criteria:
* Age 70 years or older
* Metastatic renal cell carcinoma starting or receiving systemic therapy
* Able to complete questionnaires

Exclusion Criteria:
* Dementia that prevents consent"""),
    ("NCT90000026", "Anti-LAG-3 Antibody After PD-1 Blockade in Clear Cell RCC",
     "RECRUITING", ["PHASE2"], ["Drug: Investigational anti-LAG-3 antibody", "Drug: Nivolumab"],
     ["savannah", "charlotte", "durham"], "2025-03-17",
     """Inclusion Criteria:
* Metastatic clear-cell renal cell carcinoma
* ECOG performance status 0 or 1
* Measurable disease per RECIST 1.1

Exclusion Criteria:
* Patients who have not received prior anti-PD-1 or anti-PD-L1 therapy
* More than 2 prior systemic treatment regimens
* Untreated brain metastases"""),
    ("NCT90000027", "CD70-Directed CAR T Cells in Relapsed or Refractory Clear Cell RCC",
     "RECRUITING", ["PHASE1"], ["Biological: CD70 CAR T cells"], ["philadelphia", "newyork"], "2025-04-05",
     """Inclusion Criteria:
* Clear cell RCC that has progressed after at least two prior lines of therapy, including an immune checkpoint inhibitor and a VEGF tyrosine kinase inhibitor
* ECOG 0-1
* Adequate organ function

Exclusion Criteria:
* Active CNS metastases
* Prior CAR T-cell therapy"""),
    ("NCT90000028", "Second-Line Therapy for Non-Clear Cell Kidney Cancer",
     "RECRUITING", ["PHASE2"], ["Drug: Investigational agent"], ["stlouis", "kansascity"], "2025-02-21",
     """Inclusion Criteria:
* Advanced non-clear cell RCC (papillary, chromophobe, unclassified, translocation or FH-deficient)
* Progression after at least one prior systemic therapy
* Karnofsky ≥ 70%

Exclusion Criteria:
* Untreated brain metastases"""),
    ("NCT90000029", "Extension Study for Participants Continuing Treatment From a Parent RCC Trial",
     "ENROLLING_BY_INVITATION", ["PHASE3"], ["Drug: Continued study treatment"], ["atlanta", "tampa"],
     "2025-01-31",
     """Inclusion Criteria:
* Currently enrolled in a qualifying parent study of advanced renal cell carcinoma
* Benefiting from study treatment in the opinion of the investigator

Exclusion Criteria:
* Permanent discontinuation of study treatment in the parent study"""),
    ("NCT90000030", "Adjuvant TKI Plus Immunotherapy Versus Immunotherapy Alone After Surgery for Kidney Cancer",
     "ACTIVE_NOT_RECRUITING", ["PHASE3"], ["Drug: Pembrolizumab", "Drug: Investigational TKI"],
     ["gainesville", "jacksonville"], "2024-07-22",
     """Inclusion Criteria:
* Completely resected clear cell RCC with no evidence of disease after nephrectomy
* No prior systemic treatment

Exclusion Criteria:
* Metastatic disease at any time"""),
    ("NCT90000031", "Palliative Symptom Support Alongside Treatment for Advanced Kidney Cancer",
     "RECRUITING", ["NA"], ["Behavioral: Early palliative care"], ["tifton", "tallahassee"], "2025-03-25",
     """Inclusion Criteria:
* Advanced or metastatic kidney cancer
* Karnofsky performance status 50 or higher

Exclusion Criteria:
* Already enrolled in hospice care"""),
    ("NCT90000032", "Dual Checkpoint Therapy With a Novel Agent in Treatment-Naive Clear Cell RCC",
     "RECRUITING", ["PHASE2"], ["Drug: Investigational agent", "Drug: Nivolumab", "Drug: Ipilimumab"],
     ["charlotte", "augusta", "atlanta"], "2025-04-08",
     """INCLUSION CRITERIA:

1. Clear cell renal cell carcinoma, stage IV or recurrent
2. Patients who have received any prior systemic therapy for RCC are not eligible
3. ECOG performance status must be 0 or 1
4. Adequate hematologic function: neutrophils ≥ 1,500/mm3, platelets ≥ 100 × 10^9/L and hemoglobin ≥ 9 g/dL

EXCLUSION CRITERIA:

1. Brain metastases unless treated and stable for at least 8 weeks
2. Prior nephrectomy within 4 weeks of enrollment"""),
]


def study(nct: str, title: str, status: str, phases: list[str], interventions: list[str], cities: list[str],
          updated: str, text: str) -> dict[str, Any]:
    locations = []
    for i, key in enumerate(cities):
        city, state, lat, lon = CITIES[key]
        locations.append({"facility": f"{city} Regional Cancer Center (site {i + 1}, invented)", "status": status
                          if status in ("RECRUITING", "NOT_YET_RECRUITING") else "ACTIVE_NOT_RECRUITING",
                          "city": city, "state": state, "country": "United States",
                          "geoPoint": {"lat": lat, "lon": lon}})
    return {
        "protocolSection": {
            "identificationModule": {"nctId": nct, "briefTitle": title,
                                     "organization": {"fullName": "Invented Kidney Cancer Consortium", "class": "OTHER"}},
            "statusModule": {"overallStatus": status, "startDateStruct": {"date": "2023-01"},
                             "lastUpdatePostDateStruct": {"date": updated, "type": "ACTUAL"}},
            "conditionsModule": {"conditions": ["Renal Cell Carcinoma", "Kidney Cancer"]},
            "designModule": {"studyType": "INTERVENTIONAL", "phases": phases},
            "armsInterventionsModule": {"interventions": [
                {"type": i.split(": ", 1)[0].upper(), "name": i.split(": ", 1)[1]} for i in interventions]},
            "eligibilityModule": {"eligibilityCriteria": text, "healthyVolunteers": False, "sex": "ALL",
                                  "minimumAge": "18 Years", "stdAges": ["ADULT", "OLDER_ADULT"]},
            "contactsLocationsModule": {"locations": locations},
        },
        "hasResults": False,
    }


if __name__ == "__main__":
    out = {"studies": [study(*s) for s in STUDIES]}
    path = Path(__file__).with_name("studies.json")
    path.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(STUDIES)} studies to {path}")
