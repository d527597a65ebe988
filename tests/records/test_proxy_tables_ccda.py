"""Rules added after the third blind held-out batch (proxy writers, aligned tables, C-CDA problem text, hyphenated
line breaks, lay nephrectomy words, benign site findings). Each test is a record written for it, not an eval case."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from xml.etree.ElementTree import Element

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.build import build_profile
from kidney_navigator.profile.models import Profile
from kidney_navigator.records.context import modifiers, patient_sex, proxy, words_for_patient
from kidney_navigator.records.extract_ccda import is_kidney_problem, parse_xml, section_kind
from kidney_navigator.records.extract_text import extract
from kidney_navigator.records.load import nothing_recognised, read_record
from kidney_navigator.records.text.cleanup import join_hyphenated
from kidney_navigator.records.text.disease import benign_finding, site_facts
from kidney_navigator.records.text.events import nephrectomy_facts
from kidney_navigator.records.text.source import TextSource
from kidney_navigator.records.text.tables import aligned_rows
from kidney_navigator.records.text.therapies import stop_of_previous, therapy_facts


def _profile(tmp_path: Path, pack: Pack, text: str, name: str = "note.txt") -> Profile:
    path = tmp_path / name
    path.write_text(text)
    return build_profile(read_record(path, pack).facts, pack, dt.date(2026, 1, 1))


def _therapy_map(text: str, pack: Pack) -> dict[str, dict[str, object]]:
    return {f.value["drug"]: f.value for f in therapy_facts(TextSource("t", text), pack)}


# --- proxy writers -----------------------------------------------------------------------------------------------

WIFE_MESSAGE = """Portal message 02/03/2025
Hello, I'm Marta's... sorry, I'm his wife Ines and I manage the account for him.
My husband was diagnosed with clear cell renal cell carcinoma in 2021 and had a right radical nephrectomy.
His CT in January showed it came back in his liver. My husband started Keytruda and Inlyta on 01/20/2025.
His father had prostate cancer that spread to his bones. His sister had breast cancer.
"""


def test_a_wife_writing_for_her_husband_reports_the_patient(tmp_path: Path, pack: Pack) -> None:
    profile = _profile(tmp_path, pack, WIFE_MESSAGE)
    assert profile.histology == "clear_cell"
    assert profile.metastatic_sites == ["liver"]  # the father's bone spread stays family
    assert sorted(t.drug for t in profile.therapies) == ["axitinib", "pembrolizumab"]


def test_without_a_proxy_writer_kinship_words_stay_family(pack: Pack) -> None:
    text = "My husband had renal cell carcinoma with lung metastases. I have no cancer history."
    assert proxy(text).patient_words == frozenset()
    start = text.index("renal cell")
    assert "family" in modifiers(text, start, start + 10)


def test_in_a_proxy_message_the_other_parent_is_family() -> None:
    text = ("This is his son Karl writing. Dad started cabozantinib last week and he is tired. "
            "Mother had kidney cancer in 1990, he says.")
    assert "dad" in proxy(text).patient_words and "mother" not in proxy(text).patient_words
    dad = text.index("cabozantinib")
    mother = text.index("kidney cancer")
    assert "family" not in modifiers(text, dad, dad + 12)
    assert "family" in modifiers(text, mother, mother + 13)


@given(st.integers(min_value=0, max_value=6), st.integers(min_value=0, max_value=6))
def test_patient_sex_is_the_pronoun_majority(he: int, she: int) -> None:
    text = " ".join(["he said"] * he + ["she said"] * she)
    expected = "male" if he > she else "female" if she > he else None
    assert patient_sex(text) == expected


@given(st.sampled_from(["daughter", "son", "wife", "husband"]), st.sampled_from(["male", "female", None]))
def test_words_for_the_patient_follow_the_relation_and_sex(relation: str, sex: str | None) -> None:
    table = {"daughter": {"male": ["dad"], "female": ["mom"]}, "son": {"male": ["dad"], "female": ["mom"]},
             "wife": {"male": ["husband"], "female": ["wife"]}, "husband": {"male": ["husband"], "female": ["wife"]}}
    words = words_for_patient(relation, sex, table)
    assert words == (frozenset(table[relation][sex]) if sex else frozenset())


def test_a_relation_that_fixes_the_sex_ignores_the_pronouns() -> None:
    table = {"dad": {"male": ["dad", "father"], "female": []}}
    assert words_for_patient("dad", "female", table) == {"dad", "father"}


# --- therapies ---------------------------------------------------------------------------------------------------

def test_maybe_later_and_trial_screening_are_not_received(pack: Pack) -> None:
    text = ("Renal cell carcinoma. She takes sunitinib daily. The doctor mentioned Lenvima maybe later on. "
            "She was screened for a study of belzutifan but was a screen failure.")
    assert set(_therapy_map(text, pack)) == {"sunitinib"}


def test_a_cue_split_by_a_line_break_still_applies(pack: Pack) -> None:
    text = "Renal cell carcinoma on pazopanib. If it progresses, everolimus could be\nconsidered."
    assert set(_therapy_map(text, pack)) == {"pazopanib"}


def test_the_reason_after_a_stop_belongs_to_the_drug_before_it(pack: Pack) -> None:
    text = "Renal cell carcinoma: sunitinib was discontinued for progression, then on axitinib since 03/2024."
    drugs = _therapy_map(text, pack)
    assert drugs["sunitinib"]["stop_reason"] == "progression"
    assert drugs["axitinib"]["stop_reason"] is None and drugs["axitinib"]["stop"] is None


@given(st.sampled_from(["stopped", "discontinued", "was stopped", "were both stopped", "d/c'd", "then stopped"]))
def test_stop_of_previous_opens_with_a_stop(verb: str) -> None:
    assert stop_of_previous(f" {verb} for colitis, now on ")
    assert not stop_of_previous(f" with good response; {verb} later")


def test_an_activity_stopped_and_a_dosing_schedule_are_not_stops(pack: Pack) -> None:
    text = ("Renal cell carcinoma. Continues cabozantinib 40 mg, 2 weeks on 1 week off because of fatigue.\n\n"
            "He has stopped going to the gym because of fatigue.")
    assert _therapy_map(text, pack)["cabozantinib"]["stop_reason"] is None


ALIGNED = """Renal cell carcinoma, systemic treatment

Line   Drug(s)                  From      Until      Reason for ending
-----  -----------------------  --------  ---------  ------------------
1      Ipilimumab               03/2022   06/2022    Course complete
       with nivolumab
2      Lenvatinib 18 mg         07/2022   01/2023    Side effects
       + everolimus 5 mg                             (grade 3 mucositis,
                                                     weight loss)
3      Cabozantinib 40 mg       02/2023   --         ongoing

Plan: review in 4 weeks.
"""


def test_aligned_table_rows_keep_wrapped_drugs_and_reasons(pack: Pack) -> None:
    rows = aligned_rows(ALIGNED)
    assert len(rows) == 3
    assert rows[1].cells["reason"].startswith("Side effects (grade 3 mucositis, weight loss)")
    drugs = _therapy_map(ALIGNED, pack)
    assert drugs["ipilimumab"]["stop_reason"] == "completed"
    assert drugs["lenvatinib"]["stop_reason"] == "toxicity" and drugs["everolimus"]["stop_reason"] == "toxicity"
    assert drugs["cabozantinib"]["stop_reason"] is None and drugs["cabozantinib"]["stop"] is None


def test_a_dashed_rule_without_date_columns_is_not_a_therapy_table() -> None:
    assert aligned_rows("Test    Result\n------  ------\nHb      13.1\n") == []


# --- sites, nephrectomy, hyphenation, performance status --------------------------------------------------------

def test_benign_findings_are_not_sites() -> None:
    assert benign_finding("a 1 cm right adrenal nodule with fat, consistent with an adenoma")
    assert not benign_finding("adrenal adenoma on the left and a new right adrenal metastasis")
    text = ("Renal cell carcinoma with lung metastases.\nRight adrenal nodule, stable, in keeping with an adenoma.\n"
            "Sclerotic focus in L3, a bone island.")
    assert {f.value for f in site_facts(TextSource("t", text))} == {"lung"}


def test_lay_words_for_spread_give_the_site() -> None:
    text = "Kidney cancer. Last month the scan showed it had come\nback in her liver."
    assert {f.value for f in site_facts(TextSource("t", text))} == {"liver"}


def test_nephrectomy_abbreviations_and_lay_words() -> None:
    def neph(text: str) -> object:
        found = nephrectomy_facts(TextSource("t", text))
        return found[0].value if found else None

    assert neph("mRCC s/p R RN 2019, on cabo") == {"done": True, "date": None, "type": "radical"}
    assert neph("ccRCC, L PN 05/02/2020") == {"done": True, "date": "2020-05-02", "type": "partial"}
    assert neph("They removed her left kidney in 2018.") == {"done": True, "date": None, "type": None}
    assert neph("Seen by A. Smith, RN. Renal cell carcinoma.") is None


@given(st.text(alphabet="abcdefg -\n", max_size=60))
def test_joining_hyphenated_words_keeps_the_length(text: str) -> None:
    assert len(join_hyphenated(text, frozenset({"abcd", "identified"}))) == len(text)


def test_hyphenated_cue_word_is_rejoined_and_a_compound_is_not() -> None:
    text = "SARCOMATOID FEATURES: [x] Not identi-\n        fied\nMorphology clear-\ncell"
    joined = join_hyphenated(text, frozenset({"identified"}))
    assert "Not identified" in joined and "clear-\ncell" in joined


def test_hyphenated_negation_makes_sarcomatoid_false(pack: Pack) -> None:
    text = ("Renal cell carcinoma, papillary type.\nSARCOMATOID FEATURES :  [ ] Present   [x] Not identi-\n"
            "                                            fied\n")
    assert {f.field: f.value for f in extract(TextSource("t", text), pack)}["sarcomatoid"] is False


def test_performance_status_rated_as(pack: Pack) -> None:
    text = "Renal cell carcinoma. Today she rated his ECOG performance status as 3."
    facts = {f.field: f.value for f in extract(TextSource("t", text), pack)}
    assert facts["performance_status"] == {"scale": "ECOG", "value": 3}


# --- C-CDA -------------------------------------------------------------------------------------------------------

def _ccd(sections: str) -> str:
    return ('<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<component><structuredBody>{sections}</structuredBody></component></ClinicalDocument>")


PROBLEM_BY_REFERENCE = """<component><section>
<code code="11450-4" codeSystem="2.16.840.1.113883.6.1"/>
<text><table><tr><td ID="p1">Clear cell renal cell carcinoma, WHO/ISUP grade 3, pT3a pN0</td></tr></table></text>
<entry><act classCode="ACT" moodCode="EVN"><entryRelationship typeCode="SUBJ">
<observation classCode="OBS" moodCode="EVN"><code code="55607006" codeSystem="2.16.840.1.113883.6.96"/>
<text><reference value="#p1"/></text><effectiveTime><low value="20200304"/></effectiveTime>
<value xsi:type="CD" code="93849006" codeSystem="2.16.840.1.113883.6.96"/>
</observation></entryRelationship></act></entry></section></component>"""

RESULTS_ONLY = """<component><section>
<templateId root="2.16.840.1.113883.10.20.22.2.3.1" extension="2015-08-01"/>
<entry><organizer classCode="BATTERY" moodCode="EVN"><component><observation classCode="OBS" moodCode="EVN">
<code code="718-7" codeSystem="2.16.840.1.113883.6.1"/><effectiveTime value="20250102"/>
<value xsi:type="PQ" value="11.4" unit="g/dL"/></observation></component></organizer></entry>
</section></component>"""


def test_ccda_problem_text_by_reference_and_section_by_loinc_code(tmp_path: Path, pack: Pack) -> None:
    profile = _profile(tmp_path, pack, _ccd(PROBLEM_BY_REFERENCE), "ccd.xml")
    assert profile.histology == "clear_cell"
    assert profile.grade == 3
    assert profile.stage.t == "T3a" and profile.stage.n == "N0"
    assert profile.diagnosis_date == "2020-03-04"


def test_ccda_results_are_read_without_a_kidney_problem(tmp_path: Path, pack: Pack) -> None:
    profile = _profile(tmp_path, pack, _ccd(RESULTS_ONLY), "ccd.xml")
    assert profile.labs["hemoglobin"].value == 11.4
    assert profile.histology is None


def test_kidney_problem_by_code_or_words() -> None:
    def obs(value: str) -> Element:
        return parse_xml(f'<observation xmlns="urn:hl7-org:v3">{value}</observation>', "t")

    assert is_kidney_problem(obs('<value code="X1"><translation code="C64.1"/></value>'), "")
    assert is_kidney_problem(obs('<value code="254915003"/>'), "")
    assert is_kidney_problem(obs("<value/>"), "Malignant neoplasm of left kidney, except renal pelvis")
    assert not is_kidney_problem(obs('<value code="C61"/>'), "Malignant neoplasm of prostate")


def test_section_kind_by_template_or_code() -> None:
    def section(inner: str) -> Element:
        return parse_xml(f'<section xmlns="urn:hl7-org:v3">{inner}</section>', "t")

    assert section_kind(section('<templateId root="2.16.840.1.113883.10.20.22.2.1.1" extension="2014-06-09"/>')) \
        == "medications"
    assert section_kind(section('<code code="30954-2"/>')) == "results"
    assert section_kind(section('<code code="10157-6"/>')) is None  # family history


def test_a_recognised_file_with_nothing_in_it_warns(tmp_path: Path, pack: Pack) -> None:
    path = tmp_path / "ccd.xml"
    path.write_text(_ccd('<component><section><code code="10157-6"/><text>Brother: colon cancer</text>'
                         "</section></component>"))
    record = read_record(path, pack)
    assert record.facts == [] and any(w.startswith("nothing recognised in ccd.xml") for w in record.warnings)
    path.write_text(_ccd(RESULTS_ONLY))
    assert read_record(path, pack).warnings == []


@given(st.sampled_from(["fhir", "ccda", "pdf", "text"]))
def test_nothing_recognised_only_without_facts(kind: str) -> None:
    assert nothing_recognised("r", kind, []) and nothing_recognised("r", kind, [])[0].startswith("nothing recognised")


def test_waiting_for_insurance_is_not_received_and_a_first_pill_is(pack: Pack) -> None:
    waiting = "Renal cell carcinoma. Next is Cabometyx pending insurance approval."
    assert _therapy_map(waiting, pack) == {}
    taken = waiting + "\n\nUpdate 03/02/2025: he took his first Cabometyx pill this morning."
    assert _therapy_map(taken, pack)["cabozantinib"]["stop_reason"] is None


@pytest.mark.parametrize("growth", ["got bigger", "are getting larger", "grew", "were bigger"])
def test_lay_growth_before_a_stop_is_progression(growth: str, pack: Pack) -> None:
    text = (f"Kidney cancer with lung metastases. On Opdivo since 01/2024. The scan said the spots in her lungs "
            f"{growth} so they stopped the Opdivo.")
    assert _therapy_map(text, pack)["nivolumab"]["stop_reason"] == "progression"


def test_in_a_proxy_message_his_father_is_still_family() -> None:
    text = "I'm his daughter. Dad has kidney cancer. His father had renal cell carcinoma too."
    grandfather = text.index("renal cell")
    dad = text.index("kidney cancer")
    assert "family" in modifiers(text, grandfather, grandfather + 10)
    assert "family" not in modifiers(text, dad, dad + 13)


def test_ccda_nephrectomy_cancelled_or_not_performed_is_not_done(pack: Pack) -> None:
    from kidney_navigator.records.extract_ccda import read_ccda

    def ccd(status: str, words: str, extra: str = "") -> str:
        return f"""<ClinicalDocument xmlns="urn:hl7-org:v3">
<component><structuredBody>
<component><section><templateId root="2.16.840.1.113883.10.20.22.2.5.1"/>
<text><table><tr ID="p1"><td>Papillary renal cell carcinoma, right kidney</td></tr></table></text>
<entry><act classCode="ACT" moodCode="EVN"><entryRelationship typeCode="SUBJ">
<observation classCode="OBS" moodCode="EVN">
<text><reference value="#p1"/></text>
<value xsi:type="CD" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" code="C64.1"
 codeSystem="2.16.840.1.113883.6.90"/></observation></entryRelationship></act></entry>
</section></component>
<component><section><templateId root="2.16.840.1.113883.10.20.22.2.7.1"/>
<text><table><tr ID="pr4"><td>{words}</td></tr></table></text>
<entry><procedure classCode="PROC" moodCode="EVN" {extra}>
<code code="50220" codeSystem="2.16.840.1.113883.6.12" displayName="Nephrectomy"/>
<text><reference value="#pr4"/></text><statusCode code="{status}"/><effectiveTime value="20260715"/>
</procedure></entry></section></component>
</structuredBody></component></ClinicalDocument>"""

    def done(xml: str) -> list[object]:
        return [f.value["done"] for f in read_ccda(xml, "ccd.xml", pack).facts if f.field == "nephrectomy"]

    assert done(ccd("completed", "Radical nephrectomy")) == [True]
    assert done(ccd("cancelled", "Cytoreductive nephrectomy")) == [False]
    assert done(ccd("completed", "Cytoreductive nephrectomy - NOT performed: not a surgical candidate")) == [False]
    assert done(ccd("completed", "Radical nephrectomy", 'negationInd="true"')) == [False]


def test_fhir_condition_grade_in_words(pack: Pack) -> None:
    import json

    from kidney_navigator.records.extract_fhir import read_fhir

    condition = {"resourceType": "Condition", "id": "c1",
                 "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "C64.2"}],
                          "text": "Clear cell renal cell carcinoma, left kidney, ISUP grade 2"},
                 "subject": {"reference": "Patient/p"}, "onsetDateTime": "2018-04-23"}
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": condition}]}
    facts = read_fhir(json.dumps(bundle), "b.json", pack).facts
    assert [f.value for f in facts if f.field == "grade"] == [2]
