"""General extraction rules added after the held-out cases: talk about a drug is not taking it, negation that
survives a line break, OCR periods inside known terms, site lists, the latest performance status, nephrectomy not
done, tissue diagnosis dates, grade without the word "grade", combination starts and stops."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.profile.models import Fact
from kidney_navigator.records.context import SENTENCE_END, modifiers, sentence_bounds
from kidney_navigator.records.extract_fhir import read_fhir
from kidney_navigator.records.extract_text import extract
from kidney_navigator.records.text.cleanup import join_ocr_splits
from kidney_navigator.records.text.source import TextSource, record_terms

DATE = dt.date(2025, 5, 1)
HEADER = "Metastatic clear cell renal cell carcinoma.\n"


def _facts(text: str, pack: Pack) -> list[Fact]:
    return extract(TextSource("note.txt", text, None, DATE), pack, about_kidney_cancer=True)


def _values(text: str, pack: Pack, field: str) -> list[object]:
    return [f.value for f in _facts(text, pack) if f.field == field]


def _drugs(text: str, pack: Pack) -> set[str]:
    return {str(v["drug"]) for v in _values(text, pack, "therapies") if isinstance(v, dict)}


# --- hypothetical and discussion cues (context.yaml) ---------------------------------------------------------------

@pytest.mark.parametrize(
    "sentence",
    [
        "We talked about immunotherapy, and that nivolumab is sometimes used for this rare type.",
        "Avelumab + axitinib was considered at the last visit.",
        "We could consider nivolumab later.",
        "Options include nivolumab or everolimus.",
        "We would not recommend nivolumab at this stage.",
        "If there is progression, nivolumab would be next.",
        "Nivolumab with ipilimumab would be a reasonable alternative.",
        "After thinking it over she decided against nivolumab.",
        "Nivolumab is not recommended because of her colitis.",
        "We spoke about nivolumab as a future option.",
    ],
)
def test_discussed_drug_is_not_received(sentence: str, pack: Pack) -> None:
    assert "nivolumab" not in _drugs(HEADER + sentence, pack)


@pytest.mark.parametrize(
    "sentence",
    [
        "After discussion with the patient and daughter, started nivolumab on 03/08/2025.",
        "She started nivolumab on 07/04/2025 and has had cycle 1.",
        "After discussion he chose nivolumab, C1D1 05/19/2025.",
    ],
)
def test_received_drug_after_a_discussion_is_kept(sentence: str, pack: Pack) -> None:
    assert "nivolumab" in _drugs(HEADER + sentence, pack)


def test_considered_regimen_does_not_hide_the_one_given(pack: Pack) -> None:
    text = HEADER + "Avelumab + axitinib was considered; after discussion he chose pembrolizumab and axitinib."
    assert _drugs(text, pack) == {"pembrolizumab", "axitinib"}


# --- sentence boundaries and line breaks ---------------------------------------------------------------------------

def test_negation_survives_a_line_break(pack: Pack) -> None:
    text = HEADER + "Sites: lung metastases.\nBrain MRI: no\nmetastases.\n"
    assert "brain" not in _values(text, pack, "metastatic_sites")
    start = text.rindex("metastases")
    assert "negated" in modifiers(text, start, start + len("metastases"))


@settings(deadline=None)
@given(st.sampled_from(["no", "not", "without", "negative for"]),
       st.sampled_from(["metastases", "Metastases", "metastatic disease"]))
def test_a_line_break_after_an_open_word_is_not_a_sentence_end(cue: str, target: str) -> None:
    text = f"Brain MRI: {cue}\n{target}. Next line.\n"
    start = text.index(target)
    left, right = sentence_bounds(text, start, start + len(target))
    assert left <= text.index(cue) < start + len(target) <= right
    assert "negated" in modifiers(text, start, start + len(target))


@settings(deadline=None)
@given(st.text(alphabet="abc XYZ.\n:;", max_size=60), st.text(alphabet="abc XYZ.\n", max_size=30))
def test_boundaries_before_a_mention_do_not_depend_on_the_text_after_it(prefix: str, suffix: str) -> None:
    """The left edge of a sentence is decided on the full text (a slice would hide the next line)."""
    text = prefix + "target" + suffix
    start = len(prefix)
    left, right = sentence_bounds(text, start, start + 6)
    assert left <= start and start + 6 <= right
    expected_left = max([m.end() for m in SENTENCE_END.finditer(text) if m.end() <= start], default=0)
    assert left == expected_left


def test_date_on_the_next_line_belongs_to_the_start(pack: Pack) -> None:
    text = HEADER + "She started gemcitabine with cisplatin on\n07/04/2025 and has had cycle 1.\n"
    therapies = {v["drug"]: v for v in _values(text, pack, "therapies") if isinstance(v, dict)}
    assert therapies["gemcitabine"]["start"] == therapies["cisplatin"]["start"]
    assert therapies["cisplatin"]["start"] is not None


# --- OCR periods inside known terms --------------------------------------------------------------------------------

@settings(deadline=None)  # the first example compiles the known-term pattern
@given(st.text(alphabet="aCelr .\n:,", max_size=80))
def test_join_keeps_length_and_only_blanks_periods(text: str) -> None:
    joined = join_ocr_splits(text)
    assert len(joined) == len(text)
    assert all(a == b or (a == "." and b == " ") for a, b in zip(text, joined, strict=True))
    assert join_ocr_splits(joined) == joined


@pytest.mark.parametrize(
    ("text", "joined"),
    [
        ("RENAL CELL CARCINOMA, CLEAR. CELL TYPE", "RENAL CELL CARCINOMA, CLEAR  CELL TYPE"),
        ("Sarcomatoid. features: not identified.", "Sarcomatoid  features: not identified."),
        ("Margins clear. Cells are bland.", "Margins clear. Cells are bland."),  # a new sentence, not a split term
        ("The tumor is. confined.", "The tumor is. confined."),  # not a known term
    ],
)
def test_join_only_inside_known_terms(text: str, joined: str) -> None:
    assert join_ocr_splits(text) == joined


def test_ocr_split_histology_and_negated_sarcomatoid(pack: Pack) -> None:
    text = ("FINAL DIAGNOSIS. KIDNEY, LEFT, RADICAL NEPHRECTOMY: RENAL CELL CARCINOMA, CLEAR. CELL TYPE. Margins free"
            " of\ntumor. Sarcomatoid. features: not identified. Lymph nodes: 0/3.")
    facts = _facts(text, pack)
    assert [f.value for f in facts if f.field == "histology"] == ["clear_cell"]
    assert [f.value for f in facts if f.field == "sarcomatoid"] == [False]
    evidence = next(f.evidence.text for f in facts if f.field == "histology")
    assert "." in evidence  # evidence quotes the record as written, not the cleaned copy


# --- site lists ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("sentence", "sites"),
    [
        ("Papillary RCC with recurrence in retroperitoneal lymph nodes and the liver, proven on biopsy.",
         {"lymph_node", "liver"}),
        ("Kidney cancer with metastases to the lungs, the left adrenal gland and the pancreas.",
         {"lung", "adrenal", "pancreas"}),
        ("Scans found the kidney cancer had come back, with disease in the pancreas and the right lung.",
         {"pancreas", "lung"}),
        ("Kidney cancer: no recurrence in the liver or the lungs.", set()),
        ("Kidney cancer. His brother had recurrence in the liver and bones.", set()),
        ("Kidney cancer; disease in the liver and the lungs was excluded by biopsy and is benign cysts only.", set()),
    ],
)
def test_site_lists(sentence: str, sites: set[str], pack: Pack) -> None:
    assert set(_values(sentence, pack, "metastatic_sites")) == sites


# --- performance status: the latest assessment in a document -------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Performance status ECOG 2 on admission, back to ECOG 1 at discharge.", {"scale": "ECOG", "value": 1}),
        ("ECOG performance status today is 1. At the 01/24/2025 visit ECOG was 2.", {"scale": "ECOG", "value": 1}),
        ("Her WHO performance status is 2.", {"scale": "ECOG", "value": 2}),
        ("Karnofsky performance status today: 70%.", {"scale": "KPS", "value": 70}),
        ("KPS 90 on 01/02/2024. KPS 60 on 04/02/2025. ", {"scale": "KPS", "value": 60}),
    ],
)
def test_latest_performance_status_wins(text: str, expected: dict[str, object], pack: Pack) -> None:
    # the latest comes first; an earlier score with a date of its own is kept after it, for the risk models
    facts = [f for f in _facts(HEADER + text, pack) if f.field == "performance_status"]
    assert facts[0].value == expected
    assert all(f.date and facts[0].date and f.date < facts[0].date for f in facts[1:])


def test_who_as_a_pronoun_is_not_a_score(pack: Pack) -> None:
    assert _values(HEADER + "A man who is 2 weeks after surgery.", pack, "performance_status") == []


@settings(deadline=None)  # the first example compiles the pack's patterns
@given(st.lists(st.integers(min_value=0, max_value=4), min_size=1, max_size=5))
def test_undated_ecog_mentions_last_one_wins(pack: Pack, scores: list[int]) -> None:
    text = HEADER + " ".join(f"Visit {i}: ECOG {s}." for i, s in enumerate(scores))
    values = _values(text, pack, "performance_status")
    assert values == [{"scale": "ECOG", "value": scores[-1]}]


# --- nephrectomy, diagnosis date, grade ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "done"),
    [
        ("He has not had a nephrectomy; upfront cytoreductive nephrectomy is not recommended.", False),
        ("Not a candidate for cytoreductive nephrectomy at this time.", False),
        ("No recurrence in the nephrectomy bed.", None),
        ("Cytoreductive nephrectomy would be considered later.", None),
        ("S/p left radical nephrectomy 12/05/2022.", True),
    ],
)
def test_nephrectomy_done_or_not(text: str, done: bool | None, pack: Pack) -> None:
    values = [v["done"] for v in _values(HEADER + text, pack, "nephrectomy") if isinstance(v, dict)]
    assert values == ([] if done is None else [done])


def test_diagnosis_date_from_the_tissue_diagnosis(pack: Pack) -> None:
    text = ("Newly diagnosed metastatic kidney cancer.\nCT-guided biopsy of the L renal mass on 11/05/2024 showed clear"
            " cell\nrenal cell carcinoma, WHO/ISUP grade 3.")
    assert _values(text, pack, "diagnosis_date") == ["2024-11-05"]


def test_biopsy_of_a_metastasis_does_not_date_the_diagnosis(pack: Pack) -> None:
    text = "Kidney cancer follow-up.\nVATS wedge of a lung nodule 10/30/2024: metastatic clear cell RCC."
    assert _values(text, pack, "diagnosis_date") == []


@pytest.mark.parametrize(
    ("text", "grade"),
    [("clear cell RCC, ISUP 2, pT1a", 2), ("(WHO/ISUP 3, pT3a pN0)", 3), ("Fuhrman 4/4.", 4),
     ("graded by the ISUP 2016 system", None), ("Fuhrman nuclear grade 2 (of 4)", 2)],
)
def test_grade_named_by_its_system(text: str, grade: int | None, pack: Pack) -> None:
    assert _values(HEADER + text, pack, "grade") == ([] if grade is None else [grade])


# --- labs, combinations, stop reasons --------------------------------------------------------------------------------

def test_adjusted_calcium_is_the_corrected_calcium(pack: Pack) -> None:
    facts = _facts(HEADER + "Bloods: adjusted calcium 2.52 mmol/L (2.20-2.60), albumin 38 g/L.", pack)
    fields = {f.field: f.value["value"] for f in facts if f.field.startswith("labs.")}
    assert fields == {"labs.corrected_calcium": 2.52, "labs.albumin": 38.0}


def test_a_drug_that_continues_keeps_no_stop_of_its_partner(pack: Pack) -> None:
    text = HEADER + ("Nivolumab + ipilimumab started 05/06/2025. Ipilimumab was given for 4 doses and is finished."
                     " Nivolumab continues every 4 weeks.")
    therapies = {v["drug"]: v["stop_reason"] for v in _values(text, pack, "therapies") if isinstance(v, dict)}
    assert therapies == {"nivolumab": None, "ipilimumab": "completed"}


def test_stop_reason_in_the_clause_before(pack: Pack) -> None:
    text = HEADER + ("- 02/05/2024: began pembrolizumab plus axitinib.\n"
                     "- 07/2025: CT showed progression in the lungs;\n"
                     "  pembrolizumab and axitinib were both discontinued 07/21/2025.\n")
    therapies = {v["drug"]: v["stop_reason"] for v in _values(text, pack, "therapies") if isinstance(v, dict)}
    assert therapies == {"pembrolizumab": "progression", "axitinib": "progression"}


# --- data alignment ------------------------------------------------------------------------------------------------

def test_drug_aliases_name_pack_drug_ids_or_known_other_drugs(pack: Pack) -> None:
    generics = {d.generic for d in record_terms().other_drugs.values()}
    for alias, target in record_terms().drug_aliases.items():
        assert target in pack.drugs or target in generics, alias
    assert record_terms().drug_aliases["interferon"] == "interferon"


def test_interferon_is_read_as_the_pack_drug(pack: Pack) -> None:
    drugs = _drugs(HEADER + "Treated with interferon from 03/2009 to 10/2009.", pack)
    assert drugs == {pack.drugs["interferon"].generic}


def test_fhir_nephrectomy_not_done(pack: Pack) -> None:
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": {"resourceType": "Condition", "id": "c1", "subject": {"reference": "Patient/p"},
                      "code": {"text": "Clear cell renal cell carcinoma"}}},
        {"resource": {"resourceType": "Procedure", "id": "pr1", "status": "not-done",
                      "subject": {"reference": "Patient/p"}, "code": {"text": "Cytoreductive nephrectomy"}}},
    ]}
    facts = read_fhir(json.dumps(bundle), "bundle.json", pack).facts
    assert [f.value["done"] for f in facts if f.field == "nephrectomy"] == [False]

