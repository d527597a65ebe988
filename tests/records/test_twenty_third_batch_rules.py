"""General rules found by the twenty-third blind batch (eval/records/unseen20)."""

from __future__ import annotations

import datetime as dt
import json

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.records.extract_fhir import read_fhir
from kidney_navigator.records.text.source import document_date
from kidney_navigator.records.text.therapies import RECEIVED_SIGN
from tests.records.note_reader import drugs, read_note, stop_reasons, values

DAY = dt.date(2025, 3, 20)


def test_a_choice_still_open_between_two_regimens(pack: Pack) -> None:
    text = ("Tumour board recommendation (05.03.2025):\nSystemic first-line therapy, either nivolumab + ipilimumab "
            "or pembrolizumab\n+ axitinib; alternatively, given low-volume disease, a period of active\n"
            "surveillance could be considered.\n")
    assert drugs(text, pack, DAY) == set()


def test_given_as_a_preposition_is_no_sign_of_a_dose() -> None:
    assert RECEIVED_SIGN.search("alternatively, given low-volume disease") is None
    assert RECEIVED_SIGN.search("given his age") is None
    assert RECEIVED_SIGN.search("C1D1 given 06/27/2024") is not None
    assert RECEIVED_SIGN.search("400 mg given IV over 30 min") is not None


def test_completed_before_the_drug_is_its_stop_reason(pack: Pack) -> None:
    text = "REASON FOR VISIT: Transition to survivorship care after completing adjuvant\npembrolizumab for ccRCC.\n"
    assert stop_reasons(read_note(text, pack, DAY)) == {"pembrolizumab": "completed"}


def test_a_node_named_by_where_it_sits_is_a_lymph_node(pack: Pack) -> None:
    text = ("- 06/18/2024  CT-guided bx L para-aortic LN: metastatic RCC, papillary type,\n"
            "           ISUP grade 3.\n")
    assert values(text, pack, "metastatic_sites", DAY) == ["lymph_node"]


def test_a_current_disease_label_lists_the_sites(pack: Pack) -> None:
    text = "Everolimus was not re-challenged. Current disease: liver (stable), portocaval node (smaller).\n"
    assert sorted(map(str, values(text, pack, "metastatic_sites", DAY))) == ["liver", "lymph_node"]
    assert values("Current disease: none. Lungs clear.\n", pack, "metastatic_sites", DAY) == []


def test_a_differential_diagnosis_is_not_a_metastasis(pack: Pack) -> None:
    text = ("Unclear 9 mm sclerotic focus in the T10 vertebral body, DD bone island, DD metastasis - MRI of the\n"
            "spine has been requested (not yet done).\n")
    assert values(text, pack, "metastatic_sites", DAY) == []


TABLE_THEN_PROSE = """Line  Regimen                 Start        Stop         Best resp.  Reason stopped
----  ----------------------  -----------  -----------  ----------  ----------------------
 1    Sunitinib 50 mg 4/2     01 Mar 2022  17 Jan 2023  SD          Progression (liver,
      -> 37.5 mg from C3                                            new portocaval node)
 2    Lenvatinib 18 mg +      06 Feb 2023  --           PR          Everolimus stopped
      everolimus 5 mg daily                                         25 Sep 2023 - grade 3
                                                                    non-infectious
                                                                    pneumonitis.
                                                                    Lenvatinib continues,
                                                                    14 mg since Oct 2023.
Notes on line 2: Lenvatinib held 10 days in Sep 2023 during the pneumonitis
admission (prednisone 60 mg taper), then restarted at 14 mg. Everolimus was not
re-challenged.
"""


def test_a_reason_cell_that_names_one_partners_stop_and_prose_under_a_table(pack: Pack) -> None:
    # no blank line after the table (as a PDF text layer prints it): the prose under it is not a row
    got = {str(v["drug"]): v for v in values(TABLE_THEN_PROSE, pack, "therapies", DAY) if isinstance(v, dict)}
    assert {d: got[d]["stop_reason"] for d in got} == {"sunitinib": "progression", "lenvatinib": None,
                                                       "everolimus": "toxicity"}
    assert (got["everolimus"]["stop"], got["lenvatinib"]["stop"]) == ("2023-09-25", None)


def test_a_progression_still_to_come_is_no_stop_reason(pack: Pack) -> None:
    text = ("Lenvatinib 14 mg daily continues, stable disease.\nOptions at eventual progression on lenvatinib: "
            "cabozantinib vs a clinical trial.\n")
    assert stop_reasons(read_note(text, pack, DAY)) == {"lenvatinib": None}


def test_a_records_packet_is_dated_by_when_it_was_compiled(pack: Pack) -> None:
    text = ("Compiled: 22 April 2024 by K. Dwyer (HIM)\n"
            "BASELINE\n  Clinic 21 Feb 2022: Karnofsky performance status 90%. Works full time.\n"
            "CURRENT STATUS (clinic 15 Apr 2024)\n  Karnofsky 80%. Tires by mid-afternoon.\n")
    # a records packet is dated by when it was compiled
    assert document_date(text) == dt.date(2024, 4, 22)
    got = [f for f in read_note(text, pack, document_date(text)) if f.field == "performance_status"]
    latest = max(got, key=lambda f: f.date or "")
    assert latest.value == {"scale": "KPS", "value": 80}


def test_a_diagnosis_label_in_its_own_column_takes_the_operation_date(pack: Pack) -> None:
    text = ("Diagnosis      Chromophobe renal cell carcinoma, left kidney\n"
            "               Left radical nephrectomy 08 Jul 2019 (Dr. S. Amari)\n"
            "               pT2b pN0 (0/3) cM0, 11.2 cm, margins negative.\n")
    assert values(text, pack, "diagnosis_date", DAY) == ["2019-07-08"]


def test_a_timeline_operation_whose_next_sentence_is_the_histology(pack: Pack) -> None:
    text = ("Oncological history:\n  2014-06-11  Right radical nephrectomy (Hull). Clear cell RCC, Fuhrman/ISUP\n"
            "              grade 2, pT2a pN0 (0/2). Surveillance, NED x 5 years.\n")
    assert values(text, pack, "diagnosis_date", DAY) == ["2014-06-11"]


def test_german_absolute_neutrophils_with_an_abbreviation_dot(pack: Pack) -> None:
    text = ("Untersuchung              Ergebnis   Einheit   Referenzbereich\n"
            "  Neutrophile abs.          4,6      /nl       1,5 - 7,7\n"
            "  Neutrophile               64,8     %         42 - 77\n")
    got = [v for v in values(text, pack, "labs.neutrophils", DAY) if isinstance(v, dict)]
    assert [(v["value"], v["low"], v["high"]) for v in got] == [(4.6, 1.5, 7.7)]


def test_fhir_grade_in_the_morphology_extension_text(pack: Pack) -> None:
    condition = {"resourceType": "Condition", "id": "c1", "subject": {"reference": "Patient/p"},
                 "extension": [{"url": "http://hl7.org/fhir/us/mcode/StructureDefinition/"
                                       "mcode-histology-morphology-behavior",
                                "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct",
                                                                     "code": "30546008"}],
                                                         "text": "Clear cell RCC, WHO/ISUP grade 2"}}],
                 "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "C64.1"}],
                          "text": "Malignant neoplasm of right kidney"}}
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": condition}]}
    got = [f.value for f in read_fhir(json.dumps(bundle), "b.json", pack).facts if f.field == "grade"]
    assert got == [2]
