"""Free-text, FHIR and C-CDA extraction into a profile, on records written for these tests."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.build import build_profile
from kidney_navigator.profile.models import Profile
from kidney_navigator.records.load import read_record
from kidney_navigator.records.readers import ReadError
from tests.pdfs import text_pdf

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"

NOTE = """ONCOLOGY CLINIC NOTE
Date of service: 03/14/2025
Diagnosed with renal cell carcinoma, clear cell type, on 2022-11-02. S/p left radical nephrectomy 12/05/2022.
CT 2023-01-20: new pulmonary metastases and a lytic lesion in the T10 vertebral body consistent with metastasis.
No evidence of intracranial metastatic disease. Possible liver lesion, indeterminate.
Father had kidney cancer. Mother with breast cancer metastatic to bone.
Started sunitinib (Sutent) on 2023-02-01; progression on CT 2023-11-20, switched to cabozantinib.
Offered pembrolizumab but declined.
ECOG performance status 1. Karnofsky 70%.
Labs 01/25/2023 (before sunitinib): Hemoglobin 10.9 g/dL (13.5-17.5) L; Platelets 480 K/uL (150-400) H;
ANC 8.1 x10^3/uL (1.8-7.7) H; Calcium 10.4 mg/dL (8.5-10.2) H; Albumin 3.1 g/dL (3.5-5.0) L.
"""


def _profile(paths: list[Path], pack: Pack, as_of: str | None = None) -> Profile:
    facts = [f for p in paths for f in read_record(p, pack).facts]
    return build_profile(facts, pack, dt.date.fromisoformat(as_of) if as_of else None)


def test_visit_note_profile_with_context(tmp_path: Path, pack: Pack) -> None:
    path = tmp_path / "note.txt"
    path.write_text(NOTE)
    profile = _profile([path], pack)
    assert profile.histology == "clear_cell"
    assert profile.metastatic_sites == ["bone", "lung"]
    assert [t.drug for t in profile.therapies] == ["sunitinib", "cabozantinib"]
    assert profile.therapies[0].start == "2023-02-01"
    assert profile.therapies[0].stop_reason == "progression"
    assert profile.nephrectomy.done is True
    assert profile.diagnosis_date == "2022-11-02"
    assert profile.labs["hemoglobin"].value == 10.9 and profile.labs["hemoglobin"].low == 13.5
    assert profile.labs["platelets"].high == 400
    assert profile.as_of == "2025-03-14"
    for fact in profile.facts:
        assert fact.evidence.text == NOTE[fact.evidence.start:fact.evidence.end]


def test_imdc_poor_with_every_factor_explained(tmp_path: Path, pack: Pack) -> None:
    path = tmp_path / "note.txt"
    path.write_text(NOTE)
    profile = _profile([path], pack)
    assert profile.imdc is not None
    factors = profile.imdc.factors
    assert factors["kps_below_80"] is True  # KPS 70 is given, so ECOG 1 does not leave it open
    assert factors["diagnosis_to_treatment_under_1y"] is True
    assert factors["hemoglobin_below_lln"] is True
    assert factors["calcium_above_uln"] is True  # 10.4 + 0.8 x (4.0 - 3.1) = 11.1
    assert profile.imdc.group == "poor" and profile.imdc.count == 6
    assert profile.imdc.missing == []


def test_pdf_pathology_report_cites_its_page(tmp_path: Path, pack: Pack) -> None:
    pdf = text_pdf(tmp_path / "path.pdf", [
        "SURGICAL PATHOLOGY REPORT\nCollected: 2024-05-02\nSPECIMEN: LEFT KIDNEY, RADICAL NEPHRECTOMY",
        "DIAGNOSIS: RENAL CELL CARCINOMA, PAPILLARY TYPE, ISUP GRADE 3.\nTUMOR SIZE: 5.5 CM.\n"
        "SARCOMATOID FEATURES: NOT IDENTIFIED.\nPATHOLOGIC STAGE: pT1b pN0",
    ])
    profile = _profile([pdf], pack)
    assert profile.histology == "papillary"
    assert profile.grade == 3
    assert profile.sarcomatoid is False
    assert profile.stage.t == "T1b" and profile.stage.n == "N0"
    histology = next(f for f in profile.facts if f.field == "histology")
    assert histology.evidence.page == 2


def test_non_kidney_note_gives_no_facts(tmp_path: Path, pack: Pack) -> None:
    path = tmp_path / "breast.txt"
    path.write_text("Invasive ductal carcinoma of the left breast, metastatic to bone and liver. On letrozole.")
    assert read_record(path, pack).facts == []


def _bundle(*resources: dict[str, object]) -> str:
    return json.dumps({"resourceType": "Bundle", "type": "collection",
                       "entry": [{"resource": r} for r in resources]})


KIDNEY_CONDITION = {
    "resourceType": "Condition", "id": "c1", "subject": {"reference": "Patient/p1"},
    "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "C64.1",
                         "display": "Malignant neoplasm of right kidney"}]},
    "extension": [{"url": "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-histology-morphology-behavior",
                   "valueCodeableConcept": {"text": "Renal cell carcinoma, clear cell type"}}],
    "onsetDateTime": "2023-03-01",
}


def test_fhir_bundle_to_profile(tmp_path: Path, pack: Pack) -> None:
    path = tmp_path / "bundle.json"
    path.write_text(_bundle(
        KIDNEY_CONDITION,
        {"resourceType": "Condition", "id": "c2", "subject": {"reference": "Patient/p1"},
         "meta": {"profile": ["http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-secondary-cancer-condition"]},
         "code": {"text": "Secondary malignant neoplasm"}, "bodySite": [{"text": "Lung"}]},
        {"resourceType": "Observation", "id": "o1", "status": "final",
         "code": {"coding": [{"system": "http://loinc.org", "code": "89243-0"}]},
         "valueInteger": 70, "effectiveDateTime": "2023-04-01"},
        {"resourceType": "Observation", "id": "o2", "status": "final",
         "code": {"coding": [{"system": "http://loinc.org", "code": "718-7"}]},
         "valueQuantity": {"value": 11.2, "unit": "g/dL"}, "effectiveDateTime": "2023-04-01",
         "referenceRange": [{"low": {"value": 13.5}, "high": {"value": 17.5}}]},
        {"resourceType": "MedicationStatement", "id": "m1", "status": "completed",
         "subject": {"reference": "Patient/p1"},
         "medicationCodeableConcept": {"text": "Sutent 50 mg capsule"},
         "effectivePeriod": {"start": "2023-05-01", "end": "2023-12-01"}},
        {"resourceType": "Observation", "id": "bad", "status": "final", "code": {"text": "x"},
         "effectiveDateTime": "yesterday-ish", "valueQuantity": {"value": "lots"}},
        {"resourceType": "Starship", "id": "s1"},
    ))
    record = read_record(path, pack)
    assert len(record.warnings) == 2  # the invalid Observation and the unknown resource type
    profile = build_profile(record.facts, pack)
    assert profile.histology == "clear_cell"
    assert profile.metastatic_sites == ["lung"]
    assert profile.performance_status is not None and profile.performance_status.value == 70
    assert profile.labs["hemoglobin"].low == 13.5
    assert profile.therapies[0].drug == "sunitinib" and profile.therapies[0].start == "2023-05-01"
    assert profile.diagnosis_date == "2023-03-01"


@pytest.mark.parametrize(("code", "display", "kidney"), [
    ("363418001", "Malignant tumor of pancreas", False),  # a neighbouring SNOMED code must not pass as kidney
    ("363518003", "Malignant tumor of kidney", True),
    ("702391001", "Renal cell carcinoma", True),
])
def test_fhir_snomed_condition_codes(tmp_path: Path, pack: Pack, code: str, display: str, kidney: bool) -> None:
    path = tmp_path / "bundle.json"
    path.write_text(_bundle({
        "resourceType": "Condition", "id": "c1", "subject": {"reference": "Patient/p1"},
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": code}]},
        "onsetDateTime": "2023-03-01",
    }))
    facts = read_record(path, pack).facts
    assert any(f.field == "diagnosis_date" for f in facts) is kidney, display


@pytest.mark.parametrize("raw", ["{not json", "[]", '{"hello": "world"}'])
def test_bad_fhir_gives_clear_error(tmp_path: Path, pack: Pack, raw: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(raw)
    with pytest.raises(ReadError):
        read_record(path, pack)


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<ClinicalDocument xmlns="urn:hl7-org:v3"><title>&lol3;</title></ClinicalDocument>"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<ClinicalDocument xmlns="urn:hl7-org:v3"><title>&xxe;</title></ClinicalDocument>"""


@pytest.mark.parametrize("raw", [BOMB, XXE, "<ClinicalDocument><unclosed>", "<html><body>hi</body></html>"])
def test_hostile_or_wrong_xml_is_refused(tmp_path: Path, pack: Pack, raw: str) -> None:
    path = tmp_path / "doc.xml"
    path.write_text(raw)
    with pytest.raises(ReadError):
        read_record(path, pack)


CCD = """<?xml version="1.0"?>
<ClinicalDocument xmlns="urn:hl7-org:v3"><component><structuredBody>
<component><section><templateId root="2.16.840.1.113883.10.20.22.2.5.1"/><entry><act><entryRelationship>
<observation classCode="OBS" moodCode="EVN"><effectiveTime><low value="20220310"/></effectiveTime>
<value code="C64.2" displayName="Renal cell carcinoma of left kidney, papillary type"/></observation>
</entryRelationship></act></entry></section></component>
<component><section><templateId root="2.16.840.1.113883.10.20.22.2.1.1"/><entry>
<substanceAdministration moodCode="EVN"><effectiveTime><low value="20220501"/><high value="20230101"/></effectiveTime>
<consumable><manufacturedProduct><manufacturedMaterial><code displayName="Cabometyx 60 mg tablet"/>
</manufacturedMaterial></manufacturedProduct></consumable></substanceAdministration></entry>
<entry><substanceAdministration moodCode="INT"><consumable><manufacturedProduct><manufacturedMaterial>
<code displayName="Keytruda"/></manufacturedMaterial></manufacturedProduct></consumable></substanceAdministration>
</entry></section></component>
<component><section><templateId root="2.16.840.1.113883.10.20.22.2.3.1"/><entry><organizer><component>
<observation><code code="777-3"/><effectiveTime value="20220420"/><value value="455" unit="10*3/uL"/>
<referenceRange><observationRange><value><low value="150"/><high value="400"/></value></observationRange>
</referenceRange></observation></component></organizer></entry></section></component>
</structuredBody></component></ClinicalDocument>"""


def test_ccda_problems_meds_results(tmp_path: Path, pack: Pack) -> None:
    path = tmp_path / "ccd.xml"
    path.write_text(CCD)
    profile = _profile([path], pack)
    assert profile.histology == "papillary"
    assert profile.diagnosis_date == "2022-03-10"
    assert [t.drug for t in profile.therapies] == ["cabozantinib"]  # the intended Keytruda is not a therapy given
    assert profile.labs["platelets"].value == 455 and profile.labs["platelets"].high == 400


@pytest.mark.skipif(not SHARED.exists(), reason="shared real-world data not present in this checkout")
def test_real_fhir_and_ccda_samples_read_without_kidney_facts(pack: Pack) -> None:
    files = sorted(SHARED.glob("fhir_examples/*.json")) + sorted(SHARED.glob("ccda_examples/**/*.xml"))
    assert files
    for path in files:
        record = read_record(path, pack)
        assert [f for f in record.facts if f.field == "histology"] == [], path.name
        assert build_profile(record.facts, pack).histology is None
