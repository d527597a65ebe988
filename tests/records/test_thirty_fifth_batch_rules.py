"""General rules found by the thirty-fifth blind batch (eval/records/unseen32)."""

from __future__ import annotations

import datetime as dt

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.records.extract_ccda import read_ccda
from tests.records.ccda_builder import ccd_with
from tests.records.note_reader import drugs, values

DAY = dt.date(2024, 11, 4)


def test_a_flowsheet_column_with_a_longer_note(pack: Pack) -> None:
    text = ("                        09/25/2023 (pre-treatment)    11/01/2024       Ref range\n"
            "Hemoglobin (g/dL)       10.6  L                       11.9  L          12.0-15.5\n"
            "Platelets (K/uL)        255                           230              150-400\n")
    got = {(v["date"], v["value"]) for v in values(text, pack, "labs.platelets", DAY) if isinstance(v, dict)}
    assert got == {("2023-09-25", 255.0), ("2024-11-01", 230.0)}


def test_a_grade_of_at_least(pack: Pack) -> None:
    assert values(" - WHO/ISUP nucleolar grade: at least 4 (sarcomatoid component present).\n", pack, "grade",
                  DAY) == [4]


def test_the_next_line_kept_for_later(pack: Pack) -> None:
    assert drugs("He remains on cabozantinib 40 mg daily; tivozanib remains the planned next line on progression.\n",
                 pack, DAY) == {"cabozantinib"}
    assert drugs("Cabozantinib would be our\nsecond-line option should she progress.\n", pack, DAY) == set()


CCD = ccd_with("""  <component><section>
   <templateId root="2.16.840.1.113883.10.20.22.2.7.1"/>
   <text><table><tbody><tr ID="pr1"><td>Core needle biopsy, right renal mass</td><td>10/21/2024</td>
   <td>Papillary RCC, WHO/ISUP grade 3</td></tr></tbody></table></text>
  </section></component>
""")


def test_a_grade_in_a_procedures_result_row(pack: Pack) -> None:
    assert [f.value for f in read_ccda(CCD, "ccd.xml", pack).facts if f.field == "grade"] == [3]
