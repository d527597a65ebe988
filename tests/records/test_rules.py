"""General extraction rules added for the records bars: each test is a record written for it, not an eval case."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.build import build_profile
from kidney_navigator.profile.models import Profile
from kidney_navigator.records.dates import find_dates
from kidney_navigator.records.extract_text import extract
from kidney_navigator.records.load import read_record
from kidney_navigator.records.text.cleanup import blank_unchecked
from kidney_navigator.records.text.disease import site_facts
from kidney_navigator.records.text.labs import lab_facts
from kidney_navigator.records.text.source import TextSource
from kidney_navigator.records.text.therapies import therapy_facts


def _therapy_map(text: str, pack: Pack) -> dict[str, dict[str, object]]:
    return {f.value["drug"]: f.value for f in therapy_facts(TextSource("t", text), pack)}


def _sites_of(text: str) -> set[str]:
    return {f.value for f in site_facts(TextSource("t", text))}


def _profile(tmp_path: Path, pack: Pack, text: str, name: str = "note.txt") -> Profile:
    path = tmp_path / name
    path.write_text(text)
    return build_profile(read_record(path, pack).facts, pack)


# --- dates -------------------------------------------------------------------------------------------------------

@given(st.dates(min_value=dt.date(1990, 1, 13), max_value=dt.date(2099, 12, 31)).filter(lambda d: d.day > 12),
       st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_day_first_documents_read_every_slash_date_day_first(witness: dt.date, other: dt.date) -> None:
    text = f"Clinic: {witness:%d/%m/%Y}. Seen again {other:%d/%m/%Y}."
    assert [d for _, _, d in find_dates(text)] == [witness, other]


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_month_first_stays_the_default(day: dt.date) -> None:
    assert [d for _, _, d in find_dates(f"Seen {day:%m/%d/%Y} and 03/25/2024.")] == [day, dt.date(2024, 3, 25)]


# --- templates and tables ----------------------------------------------------------------------------------------

@given(st.lists(st.tuples(st.booleans(), st.text(alphabet="abcdefgh ", min_size=1, max_size=12)), max_size=8))
def test_blanking_keeps_length_and_only_ticked_words(options: list[tuple[bool, str]]) -> None:
    text = "TYPE\n" + " ".join(f"[{'X' if ticked else ' '}] {word}" for ticked, word in options)
    blanked = blank_unchecked(text)
    assert len(blanked) == len(text)
    for ticked, word in options:
        if not ticked and word.strip():
            assert f"[ ] {word}" not in blanked


def test_checkbox_template_reads_the_ticked_answers(pack: Pack) -> None:
    text = ("Renal cell carcinoma, kidney tumor checklist\nHISTOLOGIC TYPE\n [ ] Clear cell renal cell carcinoma\n"
            " [X] Chromophobe renal cell carcinoma\nSARCOMATOID FEATURES\n [ ] Present   [X] Not identified\n"
            "WHO/ISUP GRADE\n [ ] G1  [X] G2  [ ] G3\n")
    facts = {f.field: f.value for f in extract(TextSource("t", text), pack)}
    assert facts["histology"] == "chromophobe"
    assert facts["sarcomatoid"] is False
    assert facts["grade"] == 2


def test_wide_lab_table_and_percent_line() -> None:
    text = ("TEST                      RESULT   UNITS\n"
            "Platelets                 412      x10E3/uL     150-450\n"
            "Neutrophils               71.0     %            Not Estab.\n"
            "Neutrophils (Absolute)    6.6      x10E3/uL     1.4-7.0\n"
            "Calcium                   10.1     mg/dL        8.7-10.2\n"
            "Albumin                   3.9      g/dL         3.8-4.9\n")
    labs = {f.field: f.value for f in lab_facts(TextSource("t", text))}
    assert labs["labs.platelets"]["value"] == 412 and labs["labs.platelets"]["high"] == 450
    assert labs["labs.neutrophils"]["value"] == 6.6  # never the 71 %
    assert labs["labs.albumin"]["value"] == 3.9  # the calcium line's range does not swallow the next line


# --- therapies ---------------------------------------------------------------------------------------------------

def test_combination_shares_the_stop_said_in_a_later_sentence(pack: Pack) -> None:
    text = ("Renal cell carcinoma.\nFirst line: ipilimumab + nivolumab from 02/01/2022. Best response SD. CT 08/2022\n"
            "showed growth of the liver lesions -> both stopped 08/15/2022.\n\nSecond line: pazopanib since 09/2022.")
    got = _therapy_map(text, pack)
    assert got["ipilimumab"]["stop_reason"] == "progression" == got["nivolumab"]["stop_reason"]
    assert got["nivolumab"]["stop"] == "2022-08-15"
    assert got["pazopanib"]["stop_reason"] is None


def test_pipe_table_rows_give_start_stop_and_reason(pack: Pack) -> None:
    text = ("Renal cell carcinoma treatment summary\n"
            "# | Drug          | Began      | Ended      | Why stopped\n"
            "1 | Pazopanib     | 04/01/2019 | 02/10/2020 | Grade 3 hepatotoxicity\n"
            "2 | Axitinib      | 03/02/2020 | --         | Continuing\n")
    got = _therapy_map(text, pack)
    assert got["pazopanib"] == {"drug": "pazopanib", "start": "2019-04-01", "stop": "2020-02-10",
                                "stop_reason": "toxicity"}
    assert got["axitinib"]["stop"] is None and got["axitinib"]["stop_reason"] is None


def test_chemotherapy_names_are_recognised_from_record_terms(pack: Pack) -> None:
    got = _therapy_map("Collecting duct carcinoma of the kidney. Given gemcitabine + carboplatin on 05/01/2024.", pack)
    assert set(got) == {"gemcitabine", "carboplatin"}


def test_decision_ends_a_discussion_scope_but_declined_and_not_recommended_stay_out(pack: Pack) -> None:
    text = ("Renal cell carcinoma. After discussion of the options she elected tivozanib, started 01/05/2024. "
            "She was offered pembrolizumab but declined. We would not recommend everolimus.")
    assert set(_therapy_map(text, pack)) == {"tivozanib"}


# --- sites -------------------------------------------------------------------------------------------------------

def test_sites_listed_under_a_metastasis_heading() -> None:
    text = "Renal cell carcinoma.\nSites of metastasis: lungs (2019); later liver and the left adrenal (2022).\n"
    assert _sites_of(text) == {"lung", "liver", "adrenal"}


def test_lobe_abbreviation_and_heading_line_biopsy() -> None:
    text = ("Renal cell carcinoma.\nB) RUL NODULE, CORE BIOPSY:\n"
            "   METASTATIC RENAL CELL CARCINOMA, CLEAR CELL TYPE.\n")
    assert _sites_of(text) == {"lung"}


def test_site_named_beside_a_negated_lesion_is_not_a_site() -> None:
    text = ("Renal cell carcinoma with lung metastases. Spleen without focal lesion.")
    assert _sites_of(text) == {"lung"}


# --- C-CDA -------------------------------------------------------------------------------------------------------

CCD = """<?xml version="1.0"?>
<ClinicalDocument xmlns="urn:hl7-org:v3"><component><structuredBody>
<component><section><templateId root="2.16.840.1.113883.10.20.22.2.5.1"/>
<entry><act><entryRelationship><observation classCode="OBS" moodCode="EVN">
<effectiveTime><low value="20210310"/></effectiveTime>
<value code="C64.1" displayName="Clear cell renal cell carcinoma with sarcomatoid differentiation"/></observation>
</entryRelationship></act></entry>
<entry><act><entryRelationship><observation classCode="OBS" moodCode="EVN" negationInd="true">
<value code="94225005" displayName="Secondary malignant neoplasm of brain"/></observation>
</entryRelationship></act></entry></section></component>
<component><section><templateId root="2.16.840.1.113883.10.20.22.2.1.1"/>
<text><table><tr><td>Pazopanib 800 mg</td><td>Stopped 2022-01-04: liver toxicity</td></tr>
<tr><td>Ipilimumab + nivolumab</td><td>Active</td></tr></table></text>
<entry><substanceAdministration moodCode="EVN"><statusCode code="completed"/>
<effectiveTime><low value="20210401"/><high value="20220104"/></effectiveTime>
<consumable><manufacturedProduct><manufacturedMaterial><code displayName="Pazopanib 800 mg"/>
</manufacturedMaterial></manufacturedProduct></consumable></substanceAdministration></entry>
<entry><substanceAdministration moodCode="EVN"><effectiveTime><low value="20220201"/></effectiveTime>
<consumable><manufacturedProduct><manufacturedMaterial><code displayName="Nivolumab 3 mg/kg (with ipilimumab)"/>
</manufacturedMaterial></manufacturedProduct></consumable></substanceAdministration></entry>
</section></component>
<component><section><templateId root="2.16.840.1.113883.10.20.22.2.14"/><entry>
<observation classCode="OBS" moodCode="EVN"><code code="89243-0"/><effectiveTime value="20220130"/>
<value value="60"/></observation></entry></section></component>
</structuredBody></component></ClinicalDocument>"""


def test_ccda_functional_status_negation_narrative_reason_and_first_drug(tmp_path: Path, pack: Pack) -> None:
    profile = _profile(tmp_path, pack, CCD, "ccd.xml")
    assert profile.performance_status is not None and profile.performance_status.model_dump() == {
        "scale": "KPS", "value": 60}
    assert profile.metastatic_sites == []  # negationInd="true"
    assert profile.sarcomatoid is True
    by_drug = {t.drug: t for t in profile.therapies}
    assert set(by_drug) == {"pazopanib", "nivolumab"}  # the first drug a medication names is the medication
    assert by_drug["pazopanib"].stop_reason == "toxicity"
