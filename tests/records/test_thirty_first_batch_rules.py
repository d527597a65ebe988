"""General rules found by the thirty-first blind batch (eval/records/unseen28)."""

from __future__ import annotations

import datetime as dt

from kidney_navigator.knowledge.loader import Pack
from tests.records.note_reader import dated_scores, drugs, read_note, stop_reasons, values

DAY = dt.date(2024, 12, 2)


def test_a_sampled_finding_proves_the_sites_seen_before_it(pack: Pack) -> None:
    text = ("Dx: L clear cell RCC with 30% sarcomatoid, ISUP 4, pT3a pN0, s/p robotic L partial nephrectomy 6/11/24. "
            "She recovered well from surgery, went back to work as a school administrator after six weeks and had "
            "no complications; she was followed with CT every three months.\n"
            "Surveillance CT 10/22/2024: new bilateral lung nodules (largest 1.6 cm RLL) and enlarged subcarinal and\n"
            "right hilar lymph nodes. EBUS-TBNA 10/30/2024 of station 7: metastatic RCC, clear cell.\n"
            "No liver lesions. Bone scan negative. MRI brain neg.\n")
    assert sorted(map(str, values(text, pack, "metastatic_sites", DAY))) == ["lung", "lymph_node"]


WRAPPED_TABLE = """SYSTEMIC THERAPY HISTORY
  Agent(s)                       Start         Stop          Reason stopped / comments
  -----------------------------  ------------  ------------
------------------------------------------
  Pembrolizumab 200 mg q3w       2023-03-06    2025-02-10    Completed 35 cycles (2 years), per
protocol
  Axitinib 5 mg BID              2023-03-06    2025-06-23    Progression (new L adrenal metastasis);
  Tivozanib                      --            --            Discussed 06/2025 - not pursued, patient
"""


def test_a_table_whose_rule_a_pdf_wrapped_and_a_row_only_discussed(pack: Pack) -> None:
    assert stop_reasons(read_note(WRAPPED_TABLE, pack, DAY)) == {"pembrolizumab": "completed",
                                                                 "axitinib": "progression"}


def test_a_dos_label_and_a_date_of_service_in_words(pack: Pack) -> None:
    text = ("NEW PATIENT CONSULTATION    Date of service: March 28 2024\n"
            "EXAM: Karnofsky performance status 80.\n\n"
            "------------------------------------------------------------\n"
            "FOLLOW-UP VISIT     DOS: 9/16/24\nECOG 1 today - fatigue, still working.\n")
    assert ("2024-09-16", 1) in dated_scores(text, pack, dt.date(2024, 3, 28))


def test_the_alternative_and_a_grade_after_the_diagnosis(pack: Pack) -> None:
    assert drugs("He is keen to proceed. Cabozantinib would be the alternative should he not tolerate it.\n",
                 pack, DAY) == set()
    text = "Pathology said papillary renal cell\ncarcinoma, grade 3, and 2 of the lymph nodes they took had cancer.\n"
    assert values(text, pack, "grade", DAY) == [3]


def test_a_metastasis_biopsy_is_dated_by_its_sample_not_its_report(pack: Pack) -> None:
    text = ("New diagnosis. Histology: US-guided liver biopsy 09/01/2025 (path report WB25-00117, reported\n"
            "13/01/2025): METASTATIC RENAL CELL CARCINOMA, clear cell type.\n")
    assert values(text, pack, "diagnosis_date", dt.date(2025, 1, 20)) == ["2025-01-09"]
