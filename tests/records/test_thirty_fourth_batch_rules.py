"""General rules found by the thirty-fourth blind batch (eval/records/unseen31)."""

from __future__ import annotations

import datetime as dt

from kidney_navigator.knowledge.loader import Pack
from kidney_navigator.records.extract_ccda import read_ccda
from tests.records.ccda_builder import ccd_with
from tests.records.note_reader import read_note, stop_reasons

DAY = dt.date(2024, 1, 14)


def test_partners_named_before_a_shared_stop_end_with_it(pack: Pack) -> None:
    text = ("- Ipilimumab 1 mg/kg + nivolumab 3 mg/kg: C1 12/04/2023, C2 12/26/2023.\n\n"
            "Per oncology: ipilimumab and nivolumab PERMANENTLY DISCONTINUED due to grade\n3\n"
            "immune-mediated hepatitis. Next line planned as cabozantinib - NOT\nstarted\nduring this admission.\n")
    assert stop_reasons(read_note(text, pack, DAY)) == {"ipilimumab": "toxicity", "nivolumab": "toxicity"}
    # a partner with its own end is not given the other's
    text = ("Lenvatinib 18 mg + everolimus 5 mg daily from 16/10/2023. Everolimus stopped 12/02/2024 for\n"
            "pneumonitis; lenvatinib continues.\n")
    assert stop_reasons(read_note(text, pack, DAY)) == {"lenvatinib": None, "everolimus": "toxicity"}


CCD = ccd_with("""  <component><section>
   <templateId root="2.16.840.1.113883.10.20.22.2.11.1" extension="2015-08-01"/>
   <code code="10183-2" codeSystem="2.16.840.1.113883.6.1" displayName="Hospital discharge medications Narrative"/>
   <text>pembrolizumab 400 mg IV every 6 weeks, since 03/11/2024</text>
   <entry><substanceAdministration classCode="SBADM" moodCode="EVN">
    <statusCode code="active"/><effectiveTime xsi:type="IVL_TS"><low value="20240311"/></effectiveTime>
    <consumable><manufacturedProduct><manufacturedMaterial><code code="1547545" codeSystem="2.16.840.1.113883.6.88"
     displayName="pembrolizumab"/></manufacturedMaterial></manufacturedProduct></consumable>
   </substanceAdministration></entry>
  </section></component>
""")


def test_a_discharge_medications_section_is_read(pack: Pack) -> None:
    got = [f.value for f in read_ccda(CCD, "ccd.xml", pack).facts if f.field == "therapies"]
    assert [(v["drug"], v["start"]) for v in got if isinstance(v, dict)] == [("pembrolizumab", "2024-03-11")]
